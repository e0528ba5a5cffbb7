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

    if patient.current_course() is None:
        raise LowdoseError(
            f"{patient} has no LDN course, so there is no opioid-alert card to print.",
            field="patient",
        )
    _pdf_path(target).write_bytes(render_pdf("reports/card.html", card_context(patient)))
    return target


def _pdf_path(target: Path) -> Path:
    if target.suffix.lower() != ".pdf":
        raise LowdoseError(f"{target} does not end in .pdf.", field="pdf")
    return target


def write_report(patient: Patient, target: Path) -> Path:
    """The course report of ``patient`` as a PDF file."""
    from lowdose.web.reports.report import report_context
    from lowdose.web.reports.views import REPORT_STYLESHEETS

    data = render_pdf(
        "reports/report.html", report_context(patient, None), stylesheets=REPORT_STYLESHEETS
    )
    _pdf_path(target).write_bytes(data)
    return target


def write_clinic_reports(clinic_slug: str | None, folder: Path, *, progress: bool) -> list[Path]:
    """One report per patient of the clinic, named by record number, with a progress bar."""
    from lowdose.web.accounts.models import Clinic

    clinics = (
        Clinic.objects.all() if clinic_slug is None else Clinic.objects.filter(slug=clinic_slug)
    )
    if clinics.count() != 1:
        names = ", ".join(Clinic.objects.values_list("slug", flat=True)) or "none"
        raise LowdoseError(
            f"Name one clinic with --clinic-slug (clinics: {names}).", field="clinic_slug"
        )
    folder.mkdir(parents=True, exist_ok=True)
    patients = list(
        Patient.objects.filter(clinic=clinics.get())
        .select_related("user", "clinic")
        .order_by("record_number")
    )
    written = []
    for patient in _with_progress(patients, progress):
        written.append(write_report(patient, folder / f"{patient.record_number}.pdf"))
    return written


def _with_progress(items: list, enabled: bool):
    if not enabled:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description="Writing reports")
