"""The JSON API (django-ninja): token log-in, the patient's course and check-ins.

OpenAPI document at ``/api/openapi.json``. Every error names the field at fault.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import Field

from lowdose.checkin import validate_checkin
from lowdose.dose import format_mg
from lowdose.errors import LowdoseError
from lowdose.web.accounts import audit, lockout, twofactor
from lowdose.web.accounts.models import ApiToken
from lowdose.web.api.schemas import (
    CheckinIn,
    CheckinOut,
    CourseOut,
    DoseStepOut,
    ErrorOut,
    IsoDate,
    TokenRequest,
    TokenResponse,
)
from lowdose.web.courses.models import Patient
from lowdose.web.diary.models import CheckIn
from lowdose.web.diary.services import record_checkin


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The browser's log-in session, with Django's CSRF check on writes. A request with no
    session is not checked for CSRF, so that it is told to log in (401) like one with a wrong
    token, rather than that a CSRF check failed (403)."""

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


#: Answers any operation may give besides its own, from the handlers below and django-ninja's:
#: (status, when it applies, description).
API_WIDE_ANSWERS = (
    (400, "input", "The body is not JSON, or a value holds a NUL character."),
    (401, "secured", "Log in or send a valid token."),
    (403, "secured write", "A write with the session but without its CSRF token."),
    (404, "secured", "Not found, or not the caller's to see."),
    (422, "input", "Invalid input; `field` names the first field at fault."),
)


class LowdoseAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The OpenAPI document, with the API-wide answers on every operation they apply to."""
        schema = super().get_openapi_schema(**kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                applies = _applies(method, operation)
                for status, when, text in API_WIDE_ANSWERS:
                    if when in applies:
                        answer = {"description": text, "content": error}
                        operation["responses"].setdefault(status, answer)
        return schema


def _applies(method: str, operation: dict) -> set[str]:
    applies = set()
    if operation.get("security"):
        applies.add("secured")
        if method.upper() not in ("GET", "HEAD", "OPTIONS"):
            applies.add("secured write")
    if "requestBody" in operation or operation.get("parameters"):
        applies.add("input")
    return applies


api = LowdoseAPI(
    title="lowdose API",
    version="1",
    description="Low-dose naltrexone courses and daily check-ins. Decision support only.",
    auth=[BearerToken(), Session()],
    urls_namespace="api",
)


@api.exception_handler(LowdoseError)
def lowdose_error(request, exc: LowdoseError):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    location = [
        str(part) for part in first.get("loc", ()) if part not in ("body", "payload", "query")
    ]
    field = ".".join(location) or None
    message = first.get("msg", "Invalid input")
    return api.create_response(
        request,
        {
            "detail": f"{field}: {message}" if field else message,
            "field": field,
            "errors": exc.errors,
        },
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Log in or send a valid token"}, status=401)


def _own_patient(request: HttpRequest) -> Patient:
    patient = Patient.objects.select_related("clinic", "user").filter(user=request.auth).first()
    if patient is None or request.auth.role != "patient":
        raise Http404
    return patient


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenResponse, 401: ErrorOut, 429: ErrorOut},
    tags=["auth"],
)
def create_token(request: HttpRequest, payload: TokenRequest):
    """Exchange a username and password for a bearer token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": lockout.MESSAGE, "field": "username"})
    if user is None:
        return Status(401, {"detail": "Wrong username or password", "field": "password"})
    if (
        settings.STAFF_2FA_REQUIRED
        and twofactor.is_staff_role(user)
        and twofactor.verify_code(user, payload.otp or "") is None
    ):
        return Status(
            401,
            {
                "detail": "Staff accounts need the current code from their authenticator app",
                "field": "otp",
            },
        )
    return Status(200, {"token": ApiToken.issue(user)})


@api.get("/course", response={200: CourseOut, 404: ErrorOut}, tags=["patient"])
def read_course(request: HttpRequest):
    """The logged-in patient's current LDN course with today's phase and dose."""
    patient = _own_patient(request)
    course = patient.current_course()
    if course is None:
        return Status(404, {"detail": "No LDN course yet"})
    audit.record(request, "view", course, patient_id=patient.pk)
    today = patient.local_today()
    phase = course.phase_on(today)
    dose = course.dose_on(today)
    return Status(
        200,
        CourseOut(
            patient=str(patient),
            prescriber=course.prescriber.display_name,
            baseline_start=course.baseline_start,
            start_date=course.start_date,
            maintenance_start=course.maintenance_start,
            stopped_on=course.stopped_on,
            phase_today=phase.value if phase else None,
            dose_today_mg=format_mg(dose) if dose is not None else None,
            dose_steps=[
                DoseStepOut(effective_on=d, dose_mg=format_mg(mg)) for d, mg in course.dose_steps()
            ],
        ),
    )


def _checkin_out(row: CheckIn) -> CheckinOut:
    return CheckinOut(
        date=row.date,
        late=row.late,
        dose_taken=row.dose_taken,
        dose_time=row.dose_time,
        ratings=row.ratings(),
        side_effects=row.side_effects,
        note=row.note,
        client_id=row.client_id,
    )


@api.post("/checkins", response={200: CheckinOut, 201: CheckinOut, 422: ErrorOut}, tags=["patient"])
def save_checkin(request: HttpRequest, payload: CheckinIn):
    """Create today's (or a past day's) check-in; 200 when an existing entry was edited."""
    patient = _own_patient(request)
    entry = validate_checkin(
        date=payload.date,
        today=patient.local_today(),
        dose_taken=payload.dose_taken,
        dose_time=payload.dose_time,
        ratings=payload.ratings,
        side_effects=[(s.name, s.severity) for s in payload.side_effects],
        note=payload.note,
        born=patient.date_of_birth,
    )
    row, created = record_checkin(
        patient, entry, client_id=payload.client_id, entered_by=request.auth
    )
    audit.record(request, "create" if created else "update", row, patient_id=patient.pk)
    return Status(201 if created else 200, _checkin_out(row))


class CheckinRange(Schema):
    from_: IsoDate | None = Field(None, alias="from", description="First date (YYYY-MM-DD).")
    to: IsoDate | None = Field(None, description="Last date (YYYY-MM-DD).")


@api.get("/checkins", response={200: list[CheckinOut], 422: ErrorOut}, tags=["patient"])
def list_checkins(request: HttpRequest, dates: Query[CheckinRange]):
    """The logged-in patient's check-ins, oldest first, optionally between two dates."""
    patient = _own_patient(request)
    if dates.from_ and dates.to and dates.from_ > dates.to:
        raise LowdoseError("'from' is after 'to'.", field="from")
    rows = CheckIn.objects.filter(patient=patient)
    if dates.from_:
        rows = rows.filter(date__gte=dates.from_)
    if dates.to:
        rows = rows.filter(date__lte=dates.to)
    audit.record(request, "view", patient, patient_id=patient.pk)
    return Status(200, [_checkin_out(row) for row in rows.order_by("date")])


api.add_router("/", "lowdose.web.safety.api.router")
api.add_router("/", "lowdose.web.evaluation.api.router")
api.add_router("/", "lowdose.web.outcomes.api.router")
