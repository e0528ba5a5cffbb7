"""Per-patient evaluation ("is it working?") and blinded n-of-1 trials.

The web layer and the command line call :func:`evaluate_series` on a :class:`DailySeries` made
with :func:`make_series` (or :func:`series_from_rows` for CSV text), and
:func:`design_trial` / :func:`canonical_protocol` / :func:`protocol_hash` for trials.
"""

from lowdose.analysis.ar1 import Ar1Fit, fit_ar1
from lowdose.analysis.errors import (
    AnalysisInputError,
    DateOrderError,
    NoComparisonError,
    NoVariationError,
    TooFewDaysError,
    TrialDesignError,
    TrialMismatchError,
    UnknownPhaseError,
    ValueRangeError,
)
from lowdose.analysis.evaluate import evaluate_outcome, evaluate_series
from lowdose.analysis.nap import Nap, compute_nap
from lowdose.analysis.outcomes import OutcomeSpec, outcome_spec
from lowdose.analysis.randomization import RandomizationResult, randomization_test
from lowdose.analysis.results import (
    AnalysisOptions,
    Caveat,
    Design,
    Effect,
    Evaluation,
    OutcomeResult,
    Probability,
    Responder,
    Sensitivity,
)
from lowdose.analysis.series import (
    DailySeries,
    Phase,
    make_series,
    series_from_columns,
    series_from_rows,
)
from lowdose.analysis.trial import (
    Period,
    PeriodSummary,
    TrialDesign,
    canonical_protocol,
    design_trial,
    protocol_hash,
    summarize_periods_blinded,
    trial_from_dict,
    trial_to_dict,
)

__all__ = [
    "AnalysisInputError",
    "AnalysisOptions",
    "Ar1Fit",
    "Caveat",
    "DailySeries",
    "DateOrderError",
    "Design",
    "Effect",
    "Evaluation",
    "Nap",
    "NoComparisonError",
    "NoVariationError",
    "OutcomeResult",
    "OutcomeSpec",
    "Period",
    "PeriodSummary",
    "Phase",
    "Probability",
    "RandomizationResult",
    "Responder",
    "Sensitivity",
    "TooFewDaysError",
    "TrialDesign",
    "TrialDesignError",
    "TrialMismatchError",
    "UnknownPhaseError",
    "ValueRangeError",
    "canonical_protocol",
    "compute_nap",
    "design_trial",
    "evaluate_outcome",
    "evaluate_series",
    "fit_ar1",
    "make_series",
    "outcome_spec",
    "protocol_hash",
    "randomization_test",
    "series_from_columns",
    "series_from_rows",
    "summarize_periods_blinded",
    "trial_from_dict",
    "trial_to_dict",
]
