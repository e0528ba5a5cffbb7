"""The pharmacist's forms: the liquid formula for a worksheet and the record of a dispensing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from lowdose.dispensing import Dispensing, make_dispensing
from lowdose.dosing import DoseForm
from lowdose.errors import LowdoseError

DATE = forms.DateInput(attrs={"type": "date"})

#: lowdose defaults for the liquid worksheet, not a clinical recommendation: one 50 mg tablet
#: in 50 mL gives 1 mg/mL; the pharmacist changes them to the formula actually used.
DEFAULT_FORMULA = {"tablet_mg": 50, "tablet_count": 1, "volume_ml": 50, "graduation_ml": "0.1"}


def _attach(form: forms.Form, error: LowdoseError, fallback: str) -> None:
    field = error.field if error.field in form.fields else fallback
    form.add_error(field, error.message)


class LiquidFormulaForm(forms.Form):
    tablet_mg = forms.DecimalField(label="Tablet strength (mg)", min_value=Decimal("0.001"))
    tablet_count = forms.IntegerField(label="Tablets", min_value=1)
    volume_ml = forms.DecimalField(label="Final volume (mL)", min_value=Decimal("0.01"))
    graduation_ml = forms.DecimalField(label="Syringe graduation (mL)", min_value=Decimal("0.001"))
    preserved = forms.BooleanField(label="Preserved vehicle", required=False)


class DispensingForm(forms.Form):
    lot = forms.CharField(label="Lot or batch number", max_length=64)
    strength_mg = forms.DecimalField(
        label="Strength (mg per capsule, or mg per mL)",
        min_value=Decimal("0.0001"),
        max_digits=9,
        decimal_places=4,
    )
    quantity = forms.DecimalField(
        label="Quantity (capsules or mL)",
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
    )
    prepared_on = forms.DateField(label="Prepared on", widget=DATE)
    component_expiry = forms.DateField(
        label="Earliest component expiry",
        required=False,
        widget=DATE,
        help_text="If known: the beyond-use date never goes past it.",
    )
    preserved = forms.BooleanField(label="Preserved liquid", required=False)

    def __init__(self, *args, form: DoseForm, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dose_form, self.today = form, today
        self.dispensing: Dispensing | None = None
        if form is DoseForm.CAPSULE:
            del self.fields["preserved"]

    def clean_prepared_on(self) -> dt.date:
        day = self.cleaned_data["prepared_on"]
        if day > self.today:
            raise forms.ValidationError("The preparation date cannot be in the future.")
        return day

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.dispensing = make_dispensing(
                lot=data["lot"],
                form=self.dose_form,
                strength_mg=data["strength_mg"],
                quantity=data["quantity"],
                prepared_on=data["prepared_on"],
                preserved=data.get("preserved", False),
                earliest_component_expiry=data.get("component_expiry"),
            )
        except LowdoseError as error:
            _attach(self, error, "lot")
        return data
