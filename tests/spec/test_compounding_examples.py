"""Liquid worksheets a pharmacist can check by hand.

Concentration = naltrexone mg / volume; volume per dose = dose / concentration, drawn up to the
nearest syringe mark; delivered dose = drawn volume x concentration. Beyond-use dates: USP <795>
defaults (aqueous, not preserved: 14 days; preserved: 35 days).
"""

from decimal import Decimal

import pytest

from lowdose.compounding import plan_liquid
from lowdose.dose import parse_dose

EXAMPLES = [
    # dose   made from        volume mark   mg/mL     mL/dose  drawn  delivered error%  BUD
    ("1.5",  "1 x 50 tab",    50,   "0.1",  "1",      "1.5",   "1.5", "1.5",    "0",    14),
    ("4.5",  "1 x 50 tab",    50,   "0.2",  "1",      "4.5",   "4.6", "4.6",    "2.22", 14),
    ("4.5",  "2 x 50 tab",    100,  "0.1",  "1",      "4.5",   "4.5", "4.5",    "0",    14),
    ("0.5",  "1 x 50 tab",    100,  "0.01", "0.5",    "1",     "1",   "0.5",    "0",    14),
    ("3",    "powder 100",    30,   "0.1",  "3.3333", "0.9",   "0.9", "3",      "0",    14),
    ("4.5",  "powder 100",    30,   "0.1",  "3.3333", "1.35",  "1.4", "4.667",  "3.70", 14),
    ("1.75", "2 x 50 tab",    100,  "0.1",  "1",      "1.75",  "1.8", "1.8",    "2.86", 14),
    ("2.25", "1 x 50 tab",    10,   "0.1",  "5",      "0.45",  "0.5", "2.5",    "11.11", 14),
]  # fmt: skip


@pytest.mark.parametrize(
    ("dose", "source", "volume", "mark", "conc", "per_dose", "drawn", "delivered", "error", "bud"),
    EXAMPLES,
)
def test_liquid_example(dose, source, volume, mark, conc, per_dose, drawn, delivered, error, bud):
    if source.startswith("powder"):
        made = {"powder_mg": Decimal(source.split()[1])}
    else:
        count, _, strength, _ = source.split()
        made = {"tablet_count": int(count), "tablet_mg": Decimal(strength)}
    sheet = plan_liquid(parse_dose(dose), volume_ml=volume, graduation_ml=Decimal(mark), **made)
    assert sheet.concentration_mg_per_ml == Decimal(conc)
    assert sheet.volume_per_dose_ml == Decimal(per_dose)
    assert sheet.measured_volume_ml == Decimal(drawn)
    assert sheet.delivered_dose_mg == Decimal(delivered)
    assert sheet.rounding_error_pct == Decimal(error)
    assert sheet.beyond_use_days == bud
