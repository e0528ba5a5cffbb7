"""Errors a person can cause with the data or options given to the analysis.

Each is a :class:`lowdose.errors.LowdoseError`, so the command line shows it without a traceback
(exit status 2) and the web layer shows the message next to the field it names.
"""

from __future__ import annotations

from lowdose.errors import LowdoseError


class AnalysisInputError(LowdoseError):
    """The series cannot be analysed as given."""


class UnknownPhaseError(AnalysisInputError):
    """A phase name that the analysis does not know."""


class DateOrderError(AnalysisInputError):
    """Dates out of order or repeated."""


class NoComparisonError(AnalysisInputError):
    """No days to compare against (no baseline, or no placebo periods)."""


class TooFewDaysError(AnalysisInputError):
    """Fewer than the minimum number of recorded days in a phase."""


class NoVariationError(AnalysisInputError):
    """All values equal, so no noise level or correlation can be estimated."""


class ValueRangeError(AnalysisInputError):
    """A rating outside its scale, or a value that is not a number."""


class TrialMismatchError(AnalysisInputError):
    """The trial file does not describe the data it is used with."""


class TrialDesignError(AnalysisInputError):
    """A trial design that cannot be built (e.g. no pairs, blocks shorter than the washout)."""
