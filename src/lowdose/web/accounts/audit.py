"""Recording who touched which patient's data."""

from __future__ import annotations

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
