"""Who may see what. Anything a person may not see answers 404: its existence is not leaked."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from lowdose.web.courses.models import Course, Patient


def role_required(*roles: str) -> Callable:
    """Log-in required; then a 404 for anyone whose role is not listed."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_role(*roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def visible_patient(request: HttpRequest, pk: int) -> Patient:
    """The patient ``pk`` if the request's user may see them, else 404."""
    queryset = Patient.objects.visible_to(request.user).select_related("user", "clinic")
    return get_object_or_404(queryset, pk=pk)


def own_patient(request: HttpRequest) -> Patient:
    """The logged-in patient's own record (404 for anyone without one)."""
    try:
        return Patient.objects.select_related("user", "clinic").get(user=request.user)
    except Patient.DoesNotExist:
        raise Http404 from None


def course_or_404(patient: Patient) -> Course:
    """The patient's current LDN course; 404 when there is none yet."""
    course = patient.current_course()
    if course is None:
        raise Http404
    return course


def visible_course(request: HttpRequest, pk: int) -> tuple[Patient, Course]:
    """The patient ``pk`` (404 for anyone who may not see them) and their current course."""
    patient = visible_patient(request, pk)
    return patient, course_or_404(patient)
