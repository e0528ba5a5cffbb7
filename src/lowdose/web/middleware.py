"""Response headers that every page carries, and the one rule every request's text follows."""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

#: Only our own scripts, styles and images; no framing; forms post only to us.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if getattr(getattr(request, "user", None), "is_authenticated", False):
            # Pages with health data must not be kept by shared caches or the back button.
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response

    return middleware


NUL_REFUSED = "Text may not contain a NUL character."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul(get_response: Callable[[HttpRequest], HttpResponse]):
    """Refuse (400) a request with a NUL character in its path, query, form or JSON body.

    PostgreSQL can neither store text holding NUL nor compare it in a query, so such a value would
    end in a server error wherever it reaches the database; no field of lowdose has a use for it.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if not _carries_nul(request):
            return get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": NUL_REFUSED, "field": None}, status=400)
        return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain")

    return middleware


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    if any(_has_nul(dict(form.lists())) for form in forms):
        return True
    if request.content_type not in FORM_TYPES and request.body:  # the API reads any as JSON
        try:
            return _has_nul(json.loads(request.body))
        except ValueError:
            return False  # not JSON: the API says so itself
    return False


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False
