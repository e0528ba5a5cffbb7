"""Dispensed batches of a titration plan: lot, quantity, preparation and beyond-use dates.

Every dispensing is kept so that each diary day can name the batch its dose most likely came
from (``lowdose.dispensing.batch_for_day``) and a bad lot can be traced to patients and days.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lowdose.dispensing import Dispensing
from lowdose.dosing import DoseForm
from lowdose.web.safety.models import Plan


class Batch(models.Model):
    """One dispensing of a plan: ``quantity`` capsules or mL of ``strength_mg`` per capsule/mL."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="batches")
    lot = models.CharField(max_length=64, db_index=True)
    form = models.CharField(max_length=16, choices=Plan.FORM_CHOICES)
    strength_mg = models.DecimalField(max_digits=9, decimal_places=4)
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    prepared_on = models.DateField()
    beyond_use = models.DateField()
    preserved = models.BooleanField(default=False)
    dispensed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dispensed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-dispensed_at", "-pk"]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return f"Lot {self.lot} for {self.plan.course.patient}"

    def as_core(self) -> Dispensing:
        return Dispensing(
            lot=self.lot,
            form=DoseForm(self.form),
            strength_mg=self.strength_mg.normalize(),
            quantity=self.quantity.normalize(),
            prepared_on=self.prepared_on,
            beyond_use=self.beyond_use,
        )

    @property
    def unit(self) -> str:
        return "capsules" if self.form == DoseForm.CAPSULE.value else "mL"
