"""The evidence library's data and its one-sentence summaries."""

import pytest

from lowdose.course import Condition
from lowdose.evidence import EvidenceError, load_studies, studies_for, summarise_evidence


def test_every_study_has_a_citation_and_a_known_status():
    for study in load_studies():
        assert study.citation
        assert study.status in {"VERIFIED", "PARTIAL"}
        assert study.conditions


def test_the_final_trial_is_listed_for_fibromyalgia():
    final = next(s for s in studies_for("fibromyalgia") if s.id == "final-2024")
    assert final.participants == 99
    assert final.design == "rct-parallel"
    assert "doi:10.1016/S2665-9913(23)00278-3" in final.citation


def test_strongest_designs_come_first():
    designs = [s.design for s in studies_for(Condition.FIBROMYALGIA)]
    assert designs[0] == "meta-analysis"
    assert designs.index("rct-parallel") < designs.index("open-label")


def test_summaries_say_when_no_controlled_trial_has_reported():
    assert summarise_evidence("pots") == (
        "For POTS, the library holds 1 case series, 1 case report and 1 registered trial "
        "(no results yet). None is a randomised controlled trial with results, so benefit is "
        "unproven."
    )
    assert "unproven" not in summarise_evidence("fibromyalgia")
    assert (
        summarise_evidence("lupus")
        == "For Lupus, lowdose's library holds no published study of LDN."
    )


def test_an_unknown_condition_is_refused():
    with pytest.raises(EvidenceError):
        studies_for("hiccups")
