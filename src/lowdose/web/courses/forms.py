"""Forms for staff: changing a course's dose."""

from __future__ import annotations

from django import forms

from lowdose.dose import DoseError, check_low_dose, parse_dose


class DoseChangeForm(forms.Form):
    effective_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    dose = forms.CharField(
        label="Daily dose", max_length=32, help_text="With its unit, for example 3 mg or 1500 mcg."
    )
    note = forms.CharField(label="Reason", max_length=200, required=False)

    def __init__(self, *args, course, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course = course

    def clean_dose(self):
        try:
            dose = parse_dose(self.cleaned_data["dose"], default_unit=None)
            check_low_dose(dose)
        except DoseError as error:
            raise forms.ValidationError(error.message) from None
        if dose.mg <= 0:
            raise forms.ValidationError(
                "A dose change needs a dose above 0 mg; stop the course instead to end LDN."
            )
        return dose.mg

    def clean_effective_on(self):
        day = self.cleaned_data["effective_on"]
        if day < self.course.start_date:
            raise forms.ValidationError(
                f"The course's first dose is on {self.course.start_date:%-d %B %Y}; "
                "a dose change cannot come before it."
            )
        if self.course.stopped_on and day >= self.course.stopped_on:
            raise forms.ValidationError("The course was stopped before that day.")
        return day
