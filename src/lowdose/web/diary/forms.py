"""The daily check-in form: Django handles the shapes, the core decides what is allowed."""

from __future__ import annotations

import datetime as dt

from django import forms

from lowdose.checkin import Checkin, CheckinError, validate_checkin
from lowdose.ratings import DAILY_RATINGS, Severity, SideEffect

RATING_CHOICES = [("", "Skip")] + [(str(n), str(n)) for n in range(11)]
SEVERITY_CHOICES = [("", "None")] + [(s.name.lower(), s.label) for s in Severity]
DOSE_CHOICES = [("yes", "Yes"), ("no", "No")]


class CheckinForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    dose_taken = forms.ChoiceField(
        choices=DOSE_CHOICES, widget=forms.RadioSelect, required=False, label="Took my LDN dose"
    )
    dose_time = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}), label="At"
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label="Anything else (optional)",
    )

    def __init__(
        self,
        *args,
        today: dt.date,
        born: dt.date | None = None,
        expects_dose: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.born = born
        self.expects_dose = expects_dose
        for rating in DAILY_RATINGS:
            self.fields[rating.name] = forms.ChoiceField(
                choices=RATING_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                label=rating.question,
            )
            self.fields[rating.name].rating = rating
        for effect in SideEffect:
            self.fields[f"se_{effect.value}"] = forms.ChoiceField(
                choices=SEVERITY_CHOICES, required=False, label=effect.label
            )
        self.entry: Checkin | None = None

    def rating_fields(self):
        return [self[rating.name] for rating in DAILY_RATINGS]

    def side_effect_fields(self):
        return [self[f"se_{effect.value}"] for effect in SideEffect]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        dose_taken = {"yes": True, "no": False}.get(data.get("dose_taken") or "")
        try:
            self.entry = validate_checkin(
                date=data["date"],
                today=self.today,
                dose_taken=dose_taken,
                dose_time=data.get("dose_time"),
                ratings={r.name: data.get(r.name) for r in DAILY_RATINGS},
                side_effects=[
                    (effect.value, data[f"se_{effect.value}"])
                    for effect in SideEffect
                    if data.get(f"se_{effect.value}")
                ],
                note=data.get("note", ""),
                born=self.born,
            )
        except CheckinError as error:
            field = (error.field or "").removeprefix("ratings.")
            self.add_error(field if field in self.fields else None, error.message)
        return data

    @classmethod
    def initial_from(cls, row) -> dict:
        """Initial values that show an existing entry in the form."""
        initial = {
            "date": row.date,
            "dose_taken": {True: "yes", False: "no"}.get(row.dose_taken, ""),
            "dose_time": row.dose_time,
            "note": row.note,
        }
        for rating in DAILY_RATINGS:
            value = getattr(row, rating.name)
            initial[rating.name] = "" if value is None else str(value)
        for item in row.side_effects:
            initial[f"se_{item['name']}"] = item["severity"]
        return initial
