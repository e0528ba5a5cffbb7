"""Plain-language summary for the patient and a methods paragraph for the clinician."""

from __future__ import annotations

from lowdose.analysis.outcomes import OutcomeSpec, load_thresholds
from lowdose.analysis.results import Design, OutcomeResult, Responder


def chance_phrase(p: float) -> str:
    """``0.004`` → "less than 1 time in 100"; ``0.23`` → "about 23 times in 100"."""
    if p < 0.01:
        return "less than 1 time in 100"
    if p >= 0.995:
        return "almost every time"
    count = round(p * 100)
    return f"about {count} time{'s' if count != 1 else ''} in 100"


def _arms(result: OutcomeResult) -> tuple[str, str]:
    if result.design is Design.OPEN:
        weeks = max(1, round(result.n_treatment_days / 7))
        plural = "s" if weeks != 1 else ""
        return "before LDN", f"in the {weeks} week{plural} on your maintenance dose"
    return "in the placebo periods", "in the LDN periods"


_RESPONDER_TEXT = {
    Responder.SUBSTANTIAL: "This counts as a substantial improvement (50% or more).",
    Responder.MODERATE: "This counts as a moderate, meaningful improvement (30% or more).",
    Responder.NONE: (
        "This is less than the 30% improvement usually counted as a meaningful response."
    ),
    Responder.INCONCLUSIVE: (
        "The data are too variable, or too few so far, to tell a real improvement from chance."
    ),
}


def _first_sentence(result: OutcomeResult) -> str:
    before, after = _arms(result)
    text = (
        f"Your {result.label.lower()} averaged {result.comparison_mean:.1f} {before} and "
        f"{result.treatment_mean:.1f} {after}."
    )
    pct = result.percent_improvement
    if pct is None:
        return text
    # The percentage is the model's (it allows for the day-to-day ups and downs the plain
    # averages ignore), so it can differ a little from the averages: say which it is.
    change = "improvement" if pct >= 0 else "worsening"
    return text + (
        f" Allowing for day-to-day ups and downs, that is an estimated {abs(pct):.0f}% {change}."
    )


def patient_summary(result: OutcomeResult) -> str:
    """A few short sentences in plain words, e.g. "Your pain averaged 6.1 before LDN and 4.3 in
    the 6 weeks on your maintenance dose. Allowing for day-to-day ups and downs, that is an
    estimated 30% improvement. If LDN did nothing, …"."""
    parts = [_first_sentence(result)]
    estimate = result.effect.estimate
    improved = estimate != 0 and (estimate < 0) == result.lower_is_better
    if improved:
        p = result.p_randomization if result.p_randomization is not None else result.p_model
        parts.append(
            "If LDN did nothing, a difference this large would happen by chance "
            f"{chance_phrase(p)}."
        )
        parts.append(
            f"The chance that the real improvement is at least {result.probability.mcid:.1f} "
            "points (the smallest change people usually notice) is about "
            f"{result.probability.sceptical:.0%}, starting from the cautious assumption that LDN "
            "does nothing."
        )
    else:
        parts.append(f"There is no sign that your {result.label.lower()} improved.")
    parts.append(_RESPONDER_TEXT[result.responder])
    if result.design is Design.OPEN and improved:
        parts.append("Part of it may be the placebo effect, because you knew you were taking LDN.")
    return " ".join(parts)


def _model_sentences(result: OutcomeResult, spec: OutcomeSpec) -> str:
    e, t = result.effect, result.effect_with_trend
    if result.design is Design.OPEN:
        arms = ("baseline", "maintenance (titration excluded)")
    else:
        arms = ("placebo-period", "LDN-period (washout days excluded)")
    return (
        f"{result.n_comparison_days} {arms[0]} and {result.n_treatment_days} {arms[1]} daily "
        f"{spec.label.lower()} ratings were compared by generalised least squares with AR(1) "
        "errors in calendar days (correlation φ^|Δdays|, missing days not imputed), fitted by REML "
        "as nlme::gls with corAR1(form = ~day). "
        f"Estimated φ = {e.phi:.2f}. Difference (treatment − comparison) {e.estimate:+.2f} "
        f"(SE {e.se:.2f}; 95% CI {e.ci_low:+.2f} to {e.ci_high:+.2f}, Kenward–Roger small-sample "
        f"interval, {e.df:.1f} df). With a linear time trend: {t.estimate:+.2f} "
        f"({t.ci_low:+.2f} to {t.ci_high:+.2f})."
    )


def _decision_sentences(result: OutcomeResult, spec: OutcomeSpec) -> str:
    th = load_thresholds()
    n, prob = result.nap, result.probability
    basis = (
        "as given"
        if spec.mcid is not None
        else f"{th.minimal_important_percent:.0f}% of the comparison mean, IMMPACT"
    )
    return (
        f"NAP {n.value:.2f} (95% CI {n.ci_low:.2f} to {n.ci_high:.2f}, Newcombe method 5; this "
        "interval assumes independent days and is too narrow when φ > 0). "
        f"Probability that the improvement exceeds the MCID of {prob.mcid:.2f} ({basis}): "
        f"{prob.sceptical:.2f} under a sceptical prior ({prob.prior}); {prob.flat:.2f} under a "
        f"flat prior. Responder class '{result.responder.value}' (IMMPACT: "
        f"≥{th.moderate_percent:.0f}% moderate, ≥{th.substantial_percent:.0f}% substantial "
        "improvement from the comparison mean, declared only when the 95% CI excludes no change; "
        "Dworkin et al. J Pain 2008)."
    )


def methods_paragraph(result: OutcomeResult, spec: OutcomeSpec) -> str:
    """What was done, with every number a clinician needs to judge it."""
    text = _model_sentences(result, spec) + " " + _decision_sentences(result, spec)
    if result.p_randomization is not None:
        text += (
            " Randomization test over every within-pair order the design allowed (one-sided, "
            f"difference in means): p = {result.p_randomization:.3g}."
        )
    return text
