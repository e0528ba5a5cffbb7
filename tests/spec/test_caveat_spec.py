"""Which caveats a course's data raise, as a table.

Thresholds: baseline ≥ 14 days and maintenance ≥ 56 days (the 2-week baselines and 8–12 week
courses of Younger & Mackey 2009 and Younger et al. 2013); missing days > 20% of the compared
phases (a statistical choice); any medication change between the first compared day and the last.
"""

import datetime as dt

import pytest

from lowdose.analysis import evaluate_series, make_series

START = dt.date(2025, 5, 1)
PATTERN = [6.0, 7.0, 5.0, 6.5, 5.5, 7.5, 6.0]  # a week of baseline-like pain, no trend


def course(n_base, n_maint, *, missing_every=0, change_on_day=None):
    n = n_base + n_maint
    values = [
        None if missing_every and i % missing_every == 1 else PATTERN[i % 7] - 2.0 * (i >= n_base)
        for i in range(n)
    ]
    dates = [START + dt.timedelta(days=i) for i in range(n)]
    changes = [] if change_on_day is None else [START + dt.timedelta(days=change_on_day)]
    phases = ["baseline"] * n_base + ["maintenance"] * n_maint
    return make_series(dates, phases, {"pain": values}, changes)


CAVEAT_TABLE = [
    # baseline days, maintenance days, options, caveats expected, caveats not expected
    (21, 56, {}, {"open_label"}, {"short_baseline", "short_maintenance", "missing_days"}),
    (13, 56, {}, {"short_baseline"}, {"short_maintenance"}),
    (14, 56, {}, set(), {"short_baseline"}),
    (21, 55, {}, {"short_maintenance"}, set()),
    (21, 56, {"missing_every": 4}, {"missing_days"}, set()),  # 25% missing
    (21, 56, {"missing_every": 6}, set(), {"missing_days"}),  # ~17% missing
    (21, 56, {"change_on_day": 10}, {"medication_change"}, set()),
    (21, 56, {"change_on_day": 200}, set(), {"medication_change"}),
]


@pytest.mark.parametrize(("n_base", "n_maint", "options", "present", "absent"), CAVEAT_TABLE)
def test_caveats(n_base, n_maint, options, present, absent):
    result = evaluate_series(course(n_base, n_maint, **options)).outcomes[0]
    codes = {c.code for c in result.caveats}
    assert present <= codes
    assert not absent & codes
