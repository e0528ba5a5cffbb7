"""The examples in the analysis docstrings run and give what they say."""

import doctest
import importlib

import pytest

MODULES = [
    "lowdose.analysis.ar1",
    "lowdose.analysis.evaluate",
    "lowdose.analysis.nap",
    "lowdose.analysis.outcomes",
    "lowdose.analysis.randomization",
    "lowdose.analysis.series",
    "lowdose.analysis.trial",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_api_is_exactly_what_is_listed():
    import lowdose.analysis as analysis

    public = {n for n in dir(analysis) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(analysis, n)).__name__ == "module"}
    assert public - modules == set(analysis.__all__)
