"""Forms for the clinician: medications, overrides, planned events, the titration plan and its
revisions. Each calls the pure core to validate, and shows its errors on the field they name."""

from __future__ import annotations

import datetime as dt

from django import forms

from lowdose.dose import Dose, DoseError, check_low_dose, parse_dose
from lowdose.dosing import (
    DEFAULT_CEILING_MG,
    PlanSpec,
    Revision,
    RevisionKind,
    Schedule,
    apply_revision,
    make_plan_spec,
    plan_titration,
)
from lowdose.errors import LowdoseError
from lowdose.holds import HoldError, OpioidExposure, plan_hold
from lowdose.web.safety.models import Plan, PlannedEvent, PlanRevision

#: The shortest override reason accepted: a product rule so that "ok" is not a reason.
MIN_REASON_CHARS = 10

DATE = forms.DateInput(attrs={"type": "date"})


def _attach(form: forms.Form, error: LowdoseError, fallback: str) -> None:
    """Show a core error on the field it names (or on ``fallback``)."""
    field = error.field if error.field in form.fields else fallback
    form.add_error(field, error.message)


class MedicationForm(forms.Form):
    name = forms.CharField(
        label="Medication",
        max_length=200,
        help_text="As the patient says it, with strength if known: “Tramadol 50 mg”.",
    )
    started_on = forms.DateField(label="Started", required=False, widget=DATE)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the medication's name.")
        return name


class StopMedicationForm(forms.Form):
    stopped_on = forms.DateField(label="Stopped on", widget=DATE)

    def __init__(self, *args, medication, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.medication, self.today = medication, today

    def clean_stopped_on(self) -> dt.date:
        day = self.cleaned_data["stopped_on"]
        if self.medication.started_on and day < self.medication.started_on:
            raise forms.ValidationError("A medication cannot stop before it started.")
        if day > self.today + dt.timedelta(days=366):
            raise forms.ValidationError("Enter a stop date within the next year.")
        return day


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why LDN may start despite this",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your clinical reason, kept with your name and the time.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < MIN_REASON_CHARS:
            raise forms.ValidationError(
                f"Write the reason in at least {MIN_REASON_CHARS} characters."
            )
        return reason


class PlannedEventForm(forms.Form):
    kind = forms.ChoiceField(label="What is planned", choices=PlannedEvent.Kind.choices)
    description = forms.CharField(label="Details", max_length=200)
    event_on = forms.DateField(label="Day of surgery or first opioid dose", widget=DATE)
    exposure = forms.ChoiceField(label="Opioid planned", choices=PlannedEvent.EXPOSURE_CHOICES)
    last_opioid_on = forms.DateField(
        label="Last opioid day", required=False, widget=DATE, help_text="If known."
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            plan_hold(
                data["event_on"],
                exposure=OpioidExposure(data["exposure"]),
                last_opioid_on=data.get("last_opioid_on"),
            )
        except HoldError as error:
            _attach(self, error, "last_opioid_on")
        return data


class PlanForm(forms.Form):
    """The titration plan. Doses accept 1.5, 1.5 mg or 1500 mcg (a bare number is mg)."""

    start = forms.CharField(label="Start dose", max_length=32)
    step = forms.CharField(label="Step", max_length=32)
    every = forms.IntegerField(label="Step up every (days)")
    target = forms.CharField(label="Target dose", max_length=32)
    ceiling = forms.CharField(
        label="Ceiling",
        max_length=32,
        initial=f"{DEFAULT_CEILING_MG} mg",
        help_text="lowdose's default: the FINAL fibromyalgia trial titrated to 6 mg (Bruun et al., "
        "Lancet Rheumatol 2024). Doses above the ceiling are refused unless allowed below.",
    )
    allow_above_ceiling = forms.BooleanField(
        label="Allow a target above the ceiling", required=False
    )
    form = forms.ChoiceField(label="Dispensed as", choices=Plan.FORM_CHOICES)
    time = forms.ChoiceField(label="Time of day", choices=Plan.TIME_CHOICES)
    start_date = forms.CharField(
        label="First dose on", max_length=10, widget=forms.DateInput(attrs={"type": "date"})
    )
    baseline_start = forms.DateField(
        label="Baseline diary from",
        widget=DATE,
        help_text="Daily check-ins before the first dose show how the patient was without LDN.",
    )

    spec: PlanSpec | None = None
    schedule: Schedule | None = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.spec = make_plan_spec(
                start=data["start"],
                step=data["step"],
                every=data["every"],
                target=data["target"],
                ceiling=data["ceiling"],
                start_date=data["start_date"],
                form=data["form"],
                time=data["time"],
                allow_above_ceiling=data["allow_above_ceiling"],
            )
            self.schedule = plan_titration(self.spec)
        except LowdoseError as error:
            _attach(self, error, "start")
            return data
        if data["baseline_start"] > self.spec.start_date:
            self.add_error("baseline_start", "The baseline must begin on or before the first dose.")
        return data

    def plan_fields(self) -> dict:
        spec = self.spec
        assert spec is not None
        return {
            "start_mg": spec.start.mg,
            "step_mg": spec.step.mg,
            "interval_days": spec.interval_days,
            "target_mg": spec.target.mg,
            "ceiling_mg": spec.ceiling.mg,
            "allow_above_ceiling": spec.allow_above_ceiling,
            "form": spec.form.value,
            "time": spec.time.value,
            "start_date": spec.start_date,
        }


class RevisionForm(forms.Form):
    kind = forms.ChoiceField(label="Change", choices=PlanRevision.KIND_CHOICES)
    effective = forms.DateField(label="From", widget=DATE)
    dose = forms.CharField(
        label="Step back to",
        max_length=32,
        required=False,
        help_text="Step back only; blank: the previous dose on the plan.",
    )
    days = forms.IntegerField(
        label="Days",
        required=False,
        min_value=1,
        help_text="Hold: how many days (blank: until resumed). Interval: the new interval.",
    )
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: Plan, today: dt.date, by: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan, self.today, self.by = plan, today, by
        self.schedule: Schedule | None = None

    def clean_effective(self) -> dt.date:
        day = self.cleaned_data["effective"]
        if day < self.today:
            raise forms.ValidationError("A revision cannot change a day that has passed.")
        return day

    def clean_dose(self) -> Dose | None:
        text = self.cleaned_data["dose"].strip()
        if not text:
            return None
        try:
            dose = parse_dose(text)
            check_low_dose(dose)
        except DoseError as error:
            raise forms.ValidationError(error.message) from None
        return dose

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            kind = RevisionKind(data["kind"])
            revision = Revision(
                kind=kind,
                effective=data["effective"],
                by=self.by,
                at=dt.datetime.now(dt.UTC),
                reason=data["reason"],
                dose=data["dose"] if kind is RevisionKind.STEP_BACK else None,
                days=data["days"]
                if kind in (RevisionKind.HOLD, RevisionKind.CHANGE_INTERVAL)
                else None,
            )
            self.schedule = apply_revision(self.plan.spec, self.plan.core_revisions(), revision)
        except LowdoseError as error:
            _attach(self, error, "kind")
        return data
