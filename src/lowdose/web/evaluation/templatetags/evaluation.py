"""Sections other apps' pages include: a link to "Is it working?" with the main outcome's status."""

from __future__ import annotations

from django import template

from lowdose.web.evaluation.dashboard import main_outcome_estimates

register = template.Library()


@register.inclusion_tag("evaluation/_patient_home.html", takes_context=True)
def patient_evaluation(context, patient) -> dict:
    return _section(context, patient)


@register.inclusion_tag("evaluation/_clinician_panel.html", takes_context=True)
def clinician_evaluation(context, patient) -> dict:
    return _section(context, patient)


def _section(context, patient) -> dict:
    request = context.get("request")
    estimate = None
    if request is not None:
        estimate = main_outcome_estimates(request.user, [patient.pk]).get(patient.pk)
    return {"patient": patient, "estimate": estimate}


@register.filter
def signed(value, digits: int = 1) -> str:
    """``-1.234`` → ``"−1.2"``; ``0.5`` → ``"+0.5"``; a dash for no value."""
    if value is None:
        return "–"
    text = f"{value:+.{int(digits)}f}"
    return text.replace("-", "−")


@register.filter
def number(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{int(digits)}f}"


@register.filter
def abs_number(value, digits: int = 1) -> str:
    return "–" if value is None else f"{abs(value):.{int(digits)}f}"


@register.filter
def pct(value) -> str:
    """A probability as a whole percentage: ``0.834`` → ``"83%"``."""
    if value is None:
        return "–"
    return f"{100 * value:.0f}%"


RESPONDER_WORDS = {
    "substantial": "Substantial improvement (50% or more)",
    "moderate": "Moderate improvement (30% or more)",
    "none": "No meaningful improvement",
    "inconclusive": "Cannot tell yet",
}


@register.filter
def responder_words(value) -> str:
    return RESPONDER_WORDS.get(getattr(value, "value", value), "–")


@register.filter
def level_range(result) -> str:
    """The model's 95% interval for the level on treatment: comparison mean + effect interval."""
    low = result.comparison_mean + result.effect.ci_low
    high = result.comparison_mean + result.effect.ci_high
    return f"{low:.1f} to {high:.1f}"
