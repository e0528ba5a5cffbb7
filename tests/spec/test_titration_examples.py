"""Published titration schedules, written as plans, and the steps lowdose makes of them.

Sources: clinical-facts section 1.2 (LDN Research Trust pharmacists; NCT05363514 registry;
FINAL trial, which titrated to 6 mg). Doses in mg; weeks per step in the same order.
"""

import pytest

from lowdose.dosing import make_plan_spec, plan_titration

EXAMPLES = [
    # who                     start  step  every target maint doses (mg)         weeks
    ("Trust, pain/autoimmune", "1",  "1",   7,   "4.5", 7,   "1 2 3 4 4.5",       "1 1 1 1 1"),
    ("Trust, ME/CFS",         "0.5", "0.5", 14,  "4.5", 14,  "0.5 1 1.5 2 2.5 3 3.5 4 4.5",
                                                                          "2 2 2 2 2 2 2 2 2"),
    ("Trust, weekly 0.5 mg",  "0.5", "0.5", 7,   "3",   28,  "0.5 1 1.5 2 2.5 3", "1 1 1 1 1 4"),
    ("NCT05363514, POTS",     "1.5", "1.5", 14,  "4.5", 84,  "1.5 3 4.5",         "2 2 12"),
    ("to 6 mg, warns > 4.5",  "1.5", "1.5", 7,   "6",   56,  "1.5 3 4.5 6",       "1 1 1 8"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "start", "step", "every", "target", "maintenance", "doses", "weeks"), EXAMPLES
)
def test_published_schedule(who, start, step, every, target, maintenance, doses, weeks):
    plan = make_plan_spec(
        start=start,
        step=step,
        every=every,
        target=target,
        start_date="2026-03-02",
        maintenance_days=maintenance,
    )
    schedule = plan_titration(plan)
    assert [s.dose.text for s in schedule.steps] == doses.split()
    assert [str(s.days // 7) for s in schedule.steps] == weeks.split()
    assert bool(schedule.warnings) == (target == "6")
