"""The values the evaluation returns: small frozen dataclasses and enums.

They hold plain floats and strings only, so the web layer can store or render them and
:meth:`OutcomeResult.as_dict` gives the JSON of ``lowdose analyze --json`` and the API.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from lowdose.analysis.nap import Nap


class Design(enum.Enum):
    """Open-label course (baseline vs maintenance) or blinded trial (LDN vs placebo periods)."""

    OPEN = "open"
    BLINDED = "blinded"


class Responder(enum.Enum):
    """IMMPACT responder class (Dworkin 2008): above ``none`` only if the interval excludes 0."""

    SUBSTANTIAL = "substantial"
    MODERATE = "moderate"
    NONE = "none"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class AnalysisOptions:
    """How the analysis is run. ``carryover_days``: days dropped at the start of each later
    period in the carry-over sensitivity analysis; ``include_titration`` counts titration days as
    treatment days."""

    include_titration: bool = False
    carryover_days: int = 3


@dataclass(frozen=True)
class Effect:
    """Treatment minus comparison in the outcome's units. ``se`` is the REML (nlme) standard
    error; the interval is Kenward–Roger with ``df`` degrees of freedom."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    phi: float
    df: float
    method: str


@dataclass(frozen=True)
class Probability:
    """P(improvement > ``mcid``) under the sceptical prior N(0, ``prior_sd``²) and a flat prior."""

    sceptical: float
    flat: float
    mcid: float
    prior_sd: float
    prior: str


@dataclass(frozen=True)
class Sensitivity:
    label: str
    estimate: float
    ci_low: float
    ci_high: float
    responder: Responder


@dataclass(frozen=True)
class Caveat:
    code: str
    message: str


@dataclass(frozen=True)
class OutcomeResult:
    """Everything reported for one outcome; see :func:`evaluate_series`."""

    outcome: str
    label: str
    lower_is_better: bool
    design: Design
    n_days_used: int
    n_comparison_days: int
    n_treatment_days: int
    comparison_mean: float
    treatment_mean: float
    effect: Effect
    effect_with_trend: Effect
    nap: Nap
    probability: Probability
    percent_improvement: float | None
    responder: Responder
    p_model: float
    p_randomization: float | None
    sensitivity: tuple[Sensitivity, ...]
    caveats: tuple[Caveat, ...]
    summary: str = ""
    methods: str = ""

    @property
    def prob_meaningful_improvement(self) -> float:
        return self.probability.sceptical

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``lowdose analyze --json`` (and the API)."""
        return _result_dict(self)


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of one series: one result per outcome, in the order asked for."""

    design: Design
    outcomes: tuple[OutcomeResult, ...] = field(default_factory=tuple)


def _result_dict(result: OutcomeResult) -> dict[str, object]:
    effect = result.effect
    out: dict[str, object] = {
        "outcome": result.outcome,
        "n_days_used": result.n_days_used,
        "comparison_mean": result.comparison_mean,
        "treatment_mean": result.treatment_mean,
        "effect": {
            "estimate": effect.estimate, "se": effect.se, "ci_low": effect.ci_low,
            "ci_high": effect.ci_high, "phi": effect.phi, "df": effect.df, "method": effect.method,
        },
        "effect_with_trend": {
            "estimate": result.effect_with_trend.estimate, "se": result.effect_with_trend.se,
            "ci_low": result.effect_with_trend.ci_low, "ci_high": result.effect_with_trend.ci_high,
            "phi": result.effect_with_trend.phi,
        },
        "nap": {
            "value": result.nap.value, "se": result.nap.se,
            "ci_low": result.nap.ci_low, "ci_high": result.nap.ci_high,
        },
        "prob_meaningful_improvement": result.probability.sceptical,
        "prob_meaningful_improvement_flat_prior": result.probability.flat,
        "mcid": result.probability.mcid,
        "prior": result.probability.prior,
        "percent_improvement": result.percent_improvement,
        "responder": result.responder.value,
        "p_model": result.p_model,
        "sensitivity": [
            {
                "analysis": s.label, "estimate": s.estimate, "ci_low": s.ci_low,
                "ci_high": s.ci_high, "responder": s.responder.value,
            }
            for s in result.sensitivity
        ],
        "caveats": [{"code": c.code, "message": c.message} for c in result.caveats],
        "summary": result.summary,
        "methods": result.methods,
    }  # fmt: skip
    if result.design is Design.BLINDED:
        out["p_randomization"] = result.p_randomization
    return out
