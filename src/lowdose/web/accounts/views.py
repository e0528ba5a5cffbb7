"""Log-in, log-out and the role-based home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

HOME_BY_ROLE = {
    "patient": "diary:home",
    "clinician": "dashboard:dashboard",
    "pharmacist": "courses:pharmacy",
    "researcher": "courses:research",
    "admin": "admin:index",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(HOME_BY_ROLE[request.user.role])


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and start-up scripts; says nothing about data."""
    return HttpResponse("ok", content_type="text/plain")
