"""Test data that several test modules build the same way, and reading PDFs back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path


def write_diary(
    people,
    today: dt.date,
    rating: str,
    before: int,
    after: int,
    *,
    days: range = range(0, 75),
    **extra,
) -> None:
    """Anna's ``rating`` at ``before`` (or one more) on baseline days and ``after`` (or one more)
    on LDN days, for each day ``days`` back from ``today``; ``extra`` fields go on every row."""
    from lowdose.web.diary.models import CheckIn

    course = people.course
    for back in days:
        day = today - dt.timedelta(days=back)
        on_baseline = course.phase_on(day).value == "baseline"
        value = (before if on_baseline else after) + back % 2
        fields = {"course": course, rating: value}
        fields.update({k: v(on_baseline) if callable(v) else v for k, v in extra.items()})
        CheckIn.objects.update_or_create(patient=people.anna, date=day, defaults=fields)


def pdf_text(pdf: bytes | Path) -> str:
    """The text of every page, with line breaks and runs of spaces folded into one space."""
    from pypdf import PdfReader

    source = pdf if isinstance(pdf, Path) else io.BytesIO(pdf)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(source).pages)


def make_plan(people):
    """A titration plan for Anna's course: 1.5 mg steps every 14 days to 4.5 mg, capsules."""
    from lowdose.web.safety.models import Plan

    return Plan.objects.create(
        course=people.course,
        start_mg=Decimal("1.5"),
        step_mg=Decimal("1.5"),
        interval_days=14,
        target_mg=Decimal("4.5"),
        ceiling_mg=Decimal(6),
        form="capsule",
        time="bedtime",
        start_date=people.course.start_date,
        created_by=people.nora,
    )


def start_form(first_dose: dt.date, **changes) -> dict:
    """The Start LDN form: 1 mg, 1 mg more every 7 days to 4.5 mg (ceiling 6 mg), capsules at
    bedtime, first dose on ``first_dose`` after 14 baseline days; ``changes`` replace fields."""
    data = {
        "start": "1 mg",
        "step": "1",
        "every": "7",
        "target": "4.5 mg",
        "ceiling": "6 mg",
        "form": "capsule",
        "time": "bedtime",
        "start_date": first_dose.isoformat(),
        "baseline_start": (first_dose - dt.timedelta(days=14)).isoformat(),
        "action": "start",
    }
    return {**data, **changes}
