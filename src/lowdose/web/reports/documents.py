"""Finding a patient from the command line and writing their documents to files."""

from __future__ import annotations

from pathlib import Path

from lowdose.errors import LowdoseError
from lowdose.web.courses.models import Patient
from lowdose.web.reports.pdf import render_pdf


class PatientNotFound(LowdoseError):
    """No single patient matches what was typed."""


def find_patient(key: str, clinic_slug: str | None = None) -> Patient:
    """The patient whose username or record number is ``key`` (within one clinic if given)."""
    patients = Patient.objects.select_related("user", "clinic")
    if clinic_slug:
        patients = patients.filter(clinic__slug=clinic_slug)
    by_username = list(patients.filter(user__username=key))
    matches = by_username or list(patients.filter(record_number=key))
    if not matches:
        raise PatientNotFound(
            f"No patient has the username or record number '{key}'.", field="patient"
        )
    if len(matches) > 1:
        clinics = ", ".join(sorted(p.clinic.slug for p in matches))
        raise PatientNotFound(
            f"Record number '{key}' exists in several clinics ({clinics}); add --clinic.",
            field="patient",
        )
    return matches[0]


def write_card(patient: Patient, target: Path) -> Path:
    from lowdose.web.reports.views import card_context

    target.write_bytes(render_pdf("reports/card.html", card_context(patient)))
    return target
