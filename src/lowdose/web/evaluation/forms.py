from __future__ import annotations

from django import forms

from lowdose.web.evaluation.models import OUTCOME_CHOICES


class MainOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=OUTCOME_CHOICES,
        label="Main outcome",
        help_text="The daily rating that decides whether this course is working.",
    )


class TrialForm(forms.Form):
    start_date = forms.DateField(
        label="First day of period 1",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    pairs = forms.IntegerField(
        min_value=1, max_value=12, initial=5, help_text="Each pair: one LDN and one placebo period."
    )
    block_days = forms.IntegerField(min_value=7, max_value=56, initial=14, label="Days per period")
    washout_days = forms.IntegerField(
        min_value=0,
        max_value=28,
        initial=3,
        help_text="Days at the start of each period left out of the analysis.",
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="Leave empty to draw one; it is recorded either way.",
    )
    outcomes = forms.MultipleChoiceField(
        choices=OUTCOME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="The course's main outcome is analysed first.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=2000,
        help_text="Why the blind must be broken now (kept with the trial and shown on the report).",
    )
