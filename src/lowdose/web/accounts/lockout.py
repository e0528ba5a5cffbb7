"""What a locked-out log-in sees: a page for people, JSON for API clients."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MESSAGE = "Too many failed log-ins; try again in 15 minutes."


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGE, "field": "username"}, status=429)
    return render(request, "accounts/locked_out.html", status=429)
