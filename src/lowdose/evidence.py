"""The evidence library: published and registered LDN studies per condition.

The studies live in ``data/evidence.yaml`` with their citations; this module reads them and says
in a sentence what kind of evidence exists for a condition. It summarises, it does not judge a
patient's case.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from importlib import resources

import yaml

from lowdose.course import Condition
from lowdose.errors import LowdoseError

#: Designs from the strongest kind of evidence about efficacy to the weakest.
DESIGN_ORDER: tuple[str, ...] = (
    "meta-analysis",
    "systematic-review",
    "rct-parallel",
    "rct-crossover",
    "single-blind-crossover",
    "dose-finding",
    "open-label",
    "retrospective",
    "case-series",
    "case-report",
    "registered-trial",
)
DESIGN_LABELS: dict[str, str] = {
    "meta-analysis": "meta-analysis",
    "systematic-review": "systematic review",
    "rct-parallel": "randomised placebo-controlled trial",
    "rct-crossover": "randomised crossover trial",
    "single-blind-crossover": "single-blind crossover pilot",
    "dose-finding": "dose-finding study",
    "open-label": "open-label study",
    "retrospective": "retrospective chart review",
    "case-series": "case series",
    "case-report": "case report",
    "registered-trial": "registered trial (no results yet)",
}
_CONTROLLED = {"meta-analysis", "systematic-review", "rct-parallel", "rct-crossover"}


class EvidenceError(LowdoseError):
    """A condition or study the library does not know."""


@dataclass(frozen=True)
class Study:
    id: str
    conditions: tuple[Condition, ...]
    design: str
    participants: int | None
    dose: str
    duration: str
    outcome: str
    result: str
    citation: str
    status: str

    @property
    def design_label(self) -> str:
        return DESIGN_LABELS[self.design]


@functools.cache
def load_studies() -> tuple[Study, ...]:
    """All studies, strongest design first."""
    text = resources.files("lowdose.data").joinpath("evidence.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    studies = [
        Study(
            id=entry["id"],
            conditions=tuple(Condition(c) for c in entry["conditions"]),
            design=entry["design"],
            participants=entry["participants"],
            dose=entry["dose"],
            duration=entry["duration"],
            outcome=entry["outcome"],
            result=entry["result"],
            citation=entry["citation"],
            status=entry["status"],
        )
        for entry in raw["studies"]
    ]
    unknown = {s.design for s in studies} - set(DESIGN_ORDER)
    if unknown:
        raise EvidenceError(f"Unknown study designs in evidence.yaml: {sorted(unknown)}")
    return tuple(sorted(studies, key=lambda s: DESIGN_ORDER.index(s.design)))


def studies_for(condition: Condition | str) -> tuple[Study, ...]:
    """The studies that included patients with ``condition`` (a code such as ``"pots"``)."""
    try:
        wanted = Condition(condition)
    except ValueError:
        raise EvidenceError(
            f"'{condition}' is not a condition lowdose knows.", field="condition"
        ) from None
    return tuple(s for s in load_studies() if wanted in s.conditions)


def summarise_evidence(condition: Condition | str) -> str:
    """One plain sentence on how much evidence there is, e.g. for a report.

    >>> summarise_evidence("pots").startswith("For POTS")
    True
    """
    studies = studies_for(condition)
    label = Condition(condition).label
    if not studies:
        return f"For {label}, lowdose's library holds no published study of LDN."
    counts = Counter(s.design for s in studies)
    parts = [
        _counted(n, design)
        for design, n in sorted(counts.items(), key=lambda item: DESIGN_ORDER.index(item[0]))
    ]
    controlled = any(s.design in _CONTROLLED for s in studies)
    caution = (
        ""
        if controlled
        else " None is a randomised controlled trial with results, so benefit is unproven."
    )
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"For {label}, the library holds {listed}.{caution}"


def _counted(n: int, design: str) -> str:
    label = DESIGN_LABELS[design]
    if n == 1:
        return f"1 {label}"
    noun, _, rest = label.partition(" (")
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {plural}" + (f" ({rest}" if rest else "")
