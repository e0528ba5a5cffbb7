"""Recording who touched which patient's data."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from lowdose.web.accounts.models import AuditEvent


def record(request: HttpRequest, action: str, obj, *, patient_id: int | None = None) -> None:
    """Append an audit event for ``obj`` (a model instance) done by the request's user."""
    user = request.user if request.user.is_authenticated else None
    AuditEvent.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        patient_id=patient_id,
        ip=request.META.get("REMOTE_ADDR") or None,
        path=request.path[:300],
    )


def record_list(request: HttpRequest, patients: Iterable) -> None:
    """One "view" event per patient shown on a list page (dashboard, queues), in one insert, so
    that "who has seen this patient's data" is answered for lists as for single records."""
    user = request.user if request.user.is_authenticated else None
    ip = request.META.get("REMOTE_ADDR") or None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            action=AuditEvent.Action.VIEW,
            object_type=patient._meta.label_lower,
            object_id=str(patient.pk),
            patient_id=patient.pk,
            ip=ip,
            path=request.path[:300],
        )
        for patient in {p.pk: p for p in patients}.values()
    )
