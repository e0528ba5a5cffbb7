"""The pharmacist's pages: the queue of new and changed plans, worksheets, labels, dispensing
and tracing a lot."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lowdose.compounding import (
    Preparation,
    beyond_use,
    liquid_for_steps,
    plan_capsules,
    plan_liquid,
)
from lowdose.dispensing import dose_from_batch
from lowdose.dosing import DoseForm, Step
from lowdose.errors import LowdoseError
from lowdose.web.access import role_required
from lowdose.web.accounts import audit
from lowdose.web.pharmacy.forms import DEFAULT_FORMULA, DispensingForm, LiquidFormulaForm, _attach
from lowdose.web.pharmacy.models import Batch
from lowdose.web.pharmacy.services import queue_for, trace_lot
from lowdose.web.safety.models import Plan


@role_required("pharmacist")
def queue(request: HttpRequest) -> HttpResponse:
    plans = queue_for(request.user.clinic)
    audit.record_list(request, (plan.course.patient for plan in plans))
    return render(request, "pharmacy/queue.html", {"plans": plans})


def _clinic_plan(request: HttpRequest, plan_id: int) -> Plan:
    plans = Plan.objects.select_related("course__patient__user", "created_by")
    return get_object_or_404(plans, pk=plan_id, course__patient__clinic=request.user.clinic)


def remaining_steps(plan: Plan, today: dt.date) -> tuple[Step, ...]:
    """The schedule's steps from ``today`` on (the first one cut to start today)."""
    steps = [s for s in plan.schedule().steps if s.last_day >= today]
    if not steps:  # past the schedule: the course continues at its last dose
        last = plan.schedule().steps[-1]
        return (Step(today, today + dt.timedelta(days=last.days - 1), last.dose),)
    first = steps[0]
    return (Step(max(first.first_day, today), first.last_day, first.dose), *steps[1:])


def _worksheet(plan: Plan, steps, formula: LiquidFormulaForm | None) -> dict:
    if plan.form == DoseForm.CAPSULE.value:
        return {"capsules": plan_capsules(steps)}
    if formula is None or not formula.is_valid():
        return {}
    data = formula.cleaned_data
    try:
        sheet = plan_liquid(
            steps[0].dose,
            volume_ml=data["volume_ml"],
            tablet_mg=data["tablet_mg"],
            tablet_count=data["tablet_count"],
            graduation_ml=data["graduation_ml"],
            preserved=data["preserved"],
        )
        supply = liquid_for_steps(
            steps,
            total_mg=sheet.total_mg,
            volume_ml=sheet.volume_ml,
            graduation_ml=data["graduation_ml"],
            preserved=data["preserved"],
        )
    except LowdoseError as error:
        _attach(formula, error, "volume_ml")
        return {}
    return {"liquid": sheet, "supply": supply}


def render_worksheet(request, plan: Plan, *, dispense_form=None, status=200) -> HttpResponse:
    patient = plan.course.patient
    today = patient.local_today()
    steps = remaining_steps(plan, today)
    formula = None
    if plan.form == DoseForm.LIQUID.value:
        formula = LiquidFormulaForm(request.GET if "volume_ml" in request.GET else DEFAULT_FORMULA)
    sheet = _worksheet(plan, steps, formula)
    if dispense_form is None:
        strength = steps[0].dose.mg
        if "liquid" in sheet:
            strength = sheet["liquid"].concentration_mg_per_ml
        quantity = None
        if "capsules" in sheet:
            quantity = sum(n for _, n in sheet["capsules"].totals)
        dispense_form = DispensingForm(
            form=DoseForm(plan.form),
            today=today,
            initial={"prepared_on": today, "strength_mg": strength, "quantity": quantity},
        )
    context = {
        "plan": plan,
        "patient": patient,
        "steps": steps,
        "formula": formula,
        "dispense_form": dispense_form,
        "batches": list(plan.batches.select_related("dispensed_by")),
        **sheet,
    }
    return render(request, "pharmacy/worksheet.html", context, status=status)


@role_required("pharmacist")
def worksheet(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _clinic_plan(request, plan_id)
    audit.record(request, "view", plan, patient_id=plan.course.patient_id)
    return render_worksheet(request, plan)


@role_required("pharmacist")
@require_POST
def dispense(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _clinic_plan(request, plan_id)
    today = plan.course.patient.local_today()
    form = DispensingForm(request.POST, form=DoseForm(plan.form), today=today)
    if not form.is_valid():
        return render_worksheet(request, plan, dispense_form=form, status=422)
    made = form.dispensing
    assert made is not None
    batch = Batch.objects.create(
        plan=plan,
        lot=made.lot,
        form=made.form.value,
        strength_mg=made.strength_mg,
        quantity=made.quantity,
        prepared_on=made.prepared_on,
        beyond_use=made.beyond_use,
        preserved=form.cleaned_data.get("preserved", False),
        dispensed_by=request.user,
    )
    audit.record(request, "create", batch, patient_id=plan.course.patient_id)
    messages.success(
        request, f"Lot {batch.lot} dispensed; beyond-use date {batch.beyond_use:%-d %B %Y}."
    )
    return redirect("pharmacy:label", batch_id=batch.pk)


def _preparation(batch: Batch) -> Preparation:
    if batch.form == DoseForm.CAPSULE.value:
        return Preparation.SOLID
    return Preparation.AQUEOUS_PRESERVED if batch.preserved else Preparation.AQUEOUS_NON_PRESERVED


@role_required("pharmacist")
def label(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(
        Batch.objects.select_related("plan__course__patient__user", "plan__course__prescriber"),
        pk=batch_id,
        plan__course__patient__clinic=request.user.clinic,
    )
    plan = batch.plan
    patient = plan.course.patient
    audit.record(request, "view", batch, patient_id=patient.pk)
    dose = remaining_steps(plan, batch.prepared_on)[0].dose
    try:
        how = dose_from_batch(dose, batch.as_core()).text
    except LowdoseError:
        how = None
    context = {
        "batch": batch,
        "plan": plan,
        "patient": patient,
        "dose": dose,
        "how": how,
        "storage": beyond_use(_preparation(batch)).storage,
    }
    return render(request, "pharmacy/label.html", context)


@role_required("pharmacist")
def lot(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("lot", "").strip()[:64]
    results = trace_lot(request.user.clinic, query) if query else []
    for result in results:
        audit.record(request, "view", result.batch, patient_id=result.patient.pk)
    return render(request, "pharmacy/lot.html", {"lot": query, "results": results})
