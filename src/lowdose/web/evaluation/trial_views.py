"""Blinded trials: the pharmacist creates them and dispenses packs; the prescriber may break
the blind in an emergency; the clinician unblinds at the end."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from lowdose.errors import LowdoseError
from lowdose.web.access import role_required, visible_course
from lowdose.web.accounts import audit
from lowdose.web.courses.models import Patient
from lowdose.web.evaluation import services, trials
from lowdose.web.evaluation.forms import ReasonForm, TrialForm
from lowdose.web.evaluation.models import EmergencyUnblinding, Trial
from lowdose.web.evaluation.views import patient as patient_page


@role_required("pharmacist")
def pharmacy_trials(request: HttpRequest) -> HttpResponse:
    """The clinic's courses, with each one's trial (if any)."""
    patients = (
        Patient.objects.visible_to(request.user)
        .select_related("user")
        .prefetch_related("courses__trial")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    rows = []
    for person in patients:
        courses = sorted(person.courses.all(), key=lambda c: (c.start_date, c.pk), reverse=True)
        if courses:
            rows.append({"patient": person, "trial": services.course_trial(courses[0])})
    audit.record_list(request, (row["patient"] for row in rows))
    return render(request, "evaluation/pharmacy_trials.html", {"rows": rows})


@role_required("pharmacist")
@require_http_methods(["GET", "POST"])
def pharmacy_trial(request: HttpRequest, pk: int) -> HttpResponse:
    person, course = visible_course(request, pk)
    trial = services.course_trial(course)
    form = None
    if trial is None:
        main = services.main_outcome(course, person.conditions.values_list("condition", flat=True))
        initial = {"outcomes": [main.outcome], "start_date": person.local_today()}
        form = TrialForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            outcomes = sorted(data["outcomes"], key=lambda n: n != main.outcome)
            try:
                trial = trials.create_trial(
                    course, request.user, start_date=data["start_date"], pairs=data["pairs"],
                    block_days=data["block_days"], washout_days=data["washout_days"],
                    seed=data["seed"], outcomes=outcomes,
                )  # fmt: skip
            except LowdoseError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                audit.record(request, "create", trial, patient_id=person.pk)
                messages.success(request, "Trial created; the allocation is shown below.")
                return redirect("evaluation:pharmacy_trial", pk=person.pk)
    elif request.method == "POST":
        raise Http404
    if trial is not None:
        audit.record(request, "view", trial, patient_id=person.pk)
    rows = services.checkin_rows([person.pk]).get(person.pk, [])
    series = services.build_series(course, rows, trial) if trial else None
    return render(request, "evaluation/pharmacy_trial.html", {
        "patient": person, "course": course, "trial": trial, "form": form,
        "design": services.trial_design(trial) if trial else None,
        "periods": trials.period_rows(trial, series, show_arm=True) if trial else [],
        "trial_end": trials.end_date(trial) if trial else None,
        "min_p_denominator": 2 ** trial.pairs if trial else None,
    })  # fmt: skip


@role_required("pharmacist")
@require_POST
def dispense_pack(request: HttpRequest, pk: int) -> HttpResponse:
    person, course = visible_course(request, pk)
    trial = services.course_trial(course)
    if trial is None:
        raise Http404
    try:
        pack = trials.dispense_pack(trial, int(request.POST.get("period", "0") or 0), request.user)
    except (LowdoseError, ValueError) as error:
        messages.error(request, getattr(error, "message", "Choose a period."))
    else:
        audit.record(request, "create", pack, patient_id=person.pk)
        messages.success(request, f"Pack for period {pack.period} recorded as dispensed.")
    return redirect("evaluation:pharmacy_trial", pk=person.pk)


@role_required("pharmacist")
def pack_label(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    """The printable label of one period's pack: the period and its dates, never the arm."""
    person, course = visible_course(request, pk)
    trial = services.course_trial(course)
    if trial is None:
        raise Http404
    rows = [r for r in trials.period_rows(trial, None, show_arm=False) if r.number == period]
    if not rows:
        raise Http404
    audit.record(request, "view", trial, patient_id=person.pk)
    return render(request, "evaluation/pack_label.html", {
        "patient": person, "course": course, "trial": trial, "period": rows[0],
        "periods": trial.pairs * 2,
        "time": getattr(getattr(course, "plan", None), "get_time_display", lambda: "")(),
    })  # fmt: skip


@role_required("clinician")
@require_POST
def emergency_unblind(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the course's prescriber, with a written reason."""
    person, course = visible_course(request, pk)
    trial = services.course_trial(course)
    if trial is None or course.prescriber_id != request.user.pk:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return patient_page(request, pk, reason_form=form)
    event = EmergencyUnblinding.objects.create(
        trial=trial, by=request.user, reason=form.cleaned_data["reason"]
    )
    audit.record(request, "create", event, patient_id=person.pk)
    messages.warning(request, "The blind is broken for this trial; this is shown on its report.")
    return redirect("evaluation:patient", pk=person.pk)


@role_required("clinician")
@require_POST
def unblind(request: HttpRequest, pk: int) -> HttpResponse:
    """The final unblinding, once the last period is over."""
    person, course = visible_course(request, pk)
    trial = services.course_trial(course)
    if trial is None:
        raise Http404
    if trial.unblinded_at is not None:
        messages.info(request, "This trial is already unblinded.")
    elif person.local_today() <= trials.end_date(trial):
        messages.error(request, f"The trial runs until {trials.end_date(trial):%-d %B %Y}; "
                                "unblind after its last day.")  # fmt: skip
    else:
        Trial.objects.filter(pk=trial.pk, unblinded_at__isnull=True).update(
            unblinded_at=timezone.now(), unblinded_by=request.user
        )
        audit.record(request, "update", trial, patient_id=person.pk)
        messages.success(request, "Trial unblinded: the full analysis is below.")
    return redirect("evaluation:patient", pk=person.pk)
