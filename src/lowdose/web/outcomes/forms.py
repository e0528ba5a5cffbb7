"""Forms generated from questionnaire definitions, the schedule form and the stand-test form.

Django only shapes the input; the core decides what is allowed (answer options, missing-item
rules, plausible readings) and its errors are shown next to the items it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django import forms

from lowdose.errors import LowdoseError
from lowdose.instruments import (
    Instrument,
    InvalidAnswerError,
    Item,
    ItemKind,
    MissingAnswersError,
    QuestionnaireSchedule,
    ScoreResult,
    available_instruments,
    coerce_answer,
    score_instrument,
)
from lowdose.standtest import (
    STANDING_WINDOW_MIN,
    Position,
    Reading,
    StandTestResult,
    analyse_stand_test,
)
from lowdose.web.outcomes.schedules import NOT_SCHEDULABLE

#: Scales with at most this many points are shown as buttons; longer ones as a number box.
BUTTON_SCALE_MAX_OPTIONS = 11


class _AnyChoice(forms.ChoiceField):
    """A radio group whose value the core checks (so its message names the item)."""

    def valid_value(self, value: Any) -> bool:
        return True


class _AnyMultiple(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def _not_in_future(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise forms.ValidationError("This date is in the future.")


def _item_field(item: Item) -> forms.Field:
    choices = [(str(o.value), o.label) for o in item.options]
    if item.kind is ItemKind.MULTI:
        return _AnyMultiple(
            choices=choices, required=False, widget=forms.CheckboxSelectMultiple, label=item.label
        )
    if item.kind is ItemKind.SCALE and len(item.options) > BUTTON_SCALE_MAX_OPTIONS:
        low, high = item.values[0], item.values[-1]
        widget = forms.NumberInput(
            attrs={"min": low, "max": high, "step": 1, "inputmode": "numeric"}
        )
        return forms.CharField(required=False, widget=widget, label=item.label)
    return _AnyChoice(choices=choices, required=False, widget=forms.RadioSelect, label=item.label)


def _display(item: Item, field: forms.Field) -> str:
    """How the template draws the item: a number box, a row of scale buttons, or choices."""
    if isinstance(field.widget, forms.NumberInput):
        return "number"
    return "scale" if item.kind is ItemKind.SCALE else "choice"


def skipped_items(instrument: Instrument, answers: Mapping[str, Any]) -> set[str]:
    """Items that do not apply given the answers (a follow-up to a "No")."""
    skipped: set[str] = set()
    for item in instrument.items:
        rule = item.skip_if
        if rule and (rule.item in skipped or answers.get(rule.item) in rule.values):
            skipped.add(item.id)
    return skipped


class QuestionnaireForm(forms.Form):
    """One field per item of ``instrument``; ``result`` holds the scores once valid."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Filled in on")

    def __init__(self, *args, instrument: Instrument, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.today = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        for number, item in enumerate(instrument.items, start=1):
            field = _item_field(item)
            field.item = item
            field.number = number
            field.skip_note = self._skip_note(item)
            field.display = _display(item, field)
            self.fields[item.id] = field
        self.answers: dict[str, Any] = {}
        self.result: ScoreResult | None = None

    def _skip_note(self, item: Item) -> str:
        rule = item.skip_if
        if rule is None:
            return ""
        controlling = self.instrument.item(rule.item)
        number = self.instrument.item_ids.index(rule.item) + 1
        labels = " or ".join(f"“{controlling.option_for(v).label}”" for v in rule.values)
        return f"Skip this if you answered {labels} to question {number}."

    def item_fields(self):
        return [self[item.id] for item in self.instrument.items]

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        _not_in_future(day, self.today)
        return day

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        answers = {
            item.id: coerce_answer(
                item,
                self.data.getlist(item.id)
                if item.kind is ItemKind.MULTI
                else self.data.get(item.id),
            )
            for item in self.instrument.items
        }
        answers = {key: value for key, value in answers.items() if value not in (None, [])}
        # answers to questions that do not apply are ignored, as on paper
        for item_id in skipped_items(self.instrument, answers):
            answers.pop(item_id, None)
        try:
            self.result = score_instrument(self.instrument, answers)
        except (InvalidAnswerError, MissingAnswersError) as exc:
            self._show(exc)
            return data
        self.answers = answers
        return data

    def _show(self, exc: InvalidAnswerError | MissingAnswersError) -> None:
        if isinstance(exc, MissingAnswersError):
            summary = "Some questions need an answer before this can be scored; they are marked."
            each = "Please answer this question."
        else:
            summary = "Some answers are not among the choices; they are marked."
            each = "Please choose one of the answers shown."
        self.add_error(None, f"{summary} ({self.instrument.missing_rule})")
        for item_id in exc.items:
            if item_id in self.fields:
                self.add_error(item_id, each)


class ScheduleForm(forms.Form):
    """The clinician's per-course questionnaire plan."""

    instruments = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, label="Questionnaires"
    )
    weeks = forms.CharField(
        label="Weeks after the first dose",
        help_text="Comma-separated, 0 is the baseline. Default: 0, 4, 8, 12.",
        max_length=200,
    )
    repeat_every_weeks = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=104,
        label="Then repeat every (weeks)",
        help_text="Leave empty for no repeats.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instruments"].choices = [
            (i.id, i.name) for i in available_instruments() if i.id not in NOT_SCHEDULABLE
        ]

    def clean_weeks(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["weeks"].split(",") if p.strip()]
        if not parts or not all(p.isdigit() for p in parts):
            raise forms.ValidationError("Give whole numbers of weeks, separated by commas.")
        return [int(p) for p in parts]

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            QuestionnaireSchedule(tuple(data["weeks"]), data.get("repeat_every_weeks"))
        except LowdoseError as exc:
            self.add_error("weeks" if exc.field == "weeks" else "repeat_every_weeks", exc.message)
        return data


# --- stand test ---------------------------------------------------------------------------------

#: Product default: the form offers this many lying-down minutes (the protocol needs at least 2).
SUPINE_MINUTES = 3
#: Form field prefix and the short label shown above each box on narrow screens.
READING_COLUMNS = (
    ("hr", "Heart rate"),
    ("sbp", "Top (BP)"),
    ("dbp", "Bottom (BP)"),
    ("note", "Symptoms"),
)
POSITION_LABELS = {Position.SUPINE: "Lying down", Position.STANDING: "Standing"}


def stand_test_rows() -> list[tuple[int, Position, int]]:
    """(test minute, position, minute within that position) for every row of the form."""
    rows = [(m, Position.SUPINE, m + 1) for m in range(SUPINE_MINUTES)]
    last_supine = SUPINE_MINUTES - 1
    rows += [(last_supine + m, Position.STANDING, m) for m in range(1, STANDING_WINDOW_MIN + 1)]
    return rows


def _reading_field(label: str, low: int, high: int) -> forms.IntegerField:
    # the core refuses implausible values with its own message; these bounds only stop nonsense
    return forms.IntegerField(
        required=False,
        label=label,
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": low, "max": high}),
    )


class StandTestForm(forms.Form):
    """Heart rate and blood pressure each minute: lying down, then standing minutes 1-10."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Test date")
    symptoms = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="How did you feel while standing? (optional)",
    )

    def __init__(self, *args, today: dt.date, age_on: Callable[[dt.date], int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.age_on = age_on  # the age that counts is the age on the day of the test
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        for minute, _, _ in stand_test_rows():
            self.fields[f"hr_{minute}"] = _reading_field("Heart rate", 20, 250)
            self.fields[f"sbp_{minute}"] = _reading_field("Systolic", 50, 300)
            self.fields[f"dbp_{minute}"] = _reading_field("Diastolic", 20, 200)
            self.fields[f"note_{minute}"] = forms.CharField(
                required=False, max_length=200, label="Symptoms"
            )
        self.readings: list[Reading] = []
        self.result: StandTestResult | None = None

    def rows(self):
        return [
            {
                "minute": minute,
                "position": POSITION_LABELS[position],
                "standing": position is Position.STANDING,
                "number": number,
                "fields": [(self[f"{key}_{minute}"], short) for key, short in READING_COLUMNS],
            }
            for minute, position, number in stand_test_rows()
        ]

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        _not_in_future(day, self.today)
        return day

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        readings = [
            Reading(
                minute=minute,
                position=position,
                hr=data.get(f"hr_{minute}"),
                sbp=data.get(f"sbp_{minute}"),
                dbp=data.get(f"dbp_{minute}"),
                symptoms=data.get(f"note_{minute}", ""),
            )
            for minute, position, _ in stand_test_rows()
        ]
        readings = [r for r in readings if (r.hr, r.sbp, r.dbp) != (None, None, None) or r.symptoms]
        try:
            self.result = analyse_stand_test(readings, self.age_on(data["date"]))
        except LowdoseError as exc:
            self._show(exc)
            return data
        self.readings = readings
        return data

    def _show(self, exc: LowdoseError) -> None:
        minute = _minute_named(exc.message)
        name = {"hr": "hr", "sbp": "sbp", "dbp": "dbp"}.get(exc.field or "")
        if minute is not None and name and f"{name}_{minute}" in self.fields:
            self.add_error(f"{name}_{minute}", exc.message)
        else:
            self.add_error(None, exc.message)


def _minute_named(message: str) -> int | None:
    """The test minute a core message starts with ("Minute 7: ..."), if any."""
    head = message.split(":", 1)[0]
    if head.startswith("Minute "):
        number = head.removeprefix("Minute ").strip()
        return int(number) if number.isdigit() else None
    return None
