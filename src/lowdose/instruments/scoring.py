"""The scoring engine: answers in, domain and total scores out, exactly as each definition says.

Arithmetic is done in exact fractions (COMPASS-31 weights such as 5/6 and 15/7 are not
decimals) and rounded once, half up, to the instrument's number of decimals at the end. Skipped
items (a "No" that skips the follow-up questions) score 0 and are not missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from lowdose.instruments.definition import (
    Aggregate,
    AllOf,
    AnyOf,
    Condition,
    Domain,
    Instrument,
    InvalidAnswerError,
    Item,
    ItemIn,
    ItemKind,
    MissingAnswersError,
    ScoringMethod,
)

Answer = int | list[int] | tuple[int, ...] | None


@dataclass(frozen=True)
class ScoreResult:
    """The scores of one completed questionnaire.

    ``total`` is ``None`` for instruments without a total (the daily ratings). ``domains`` maps
    domain ids (or, for a profile, item ids) to scores. ``findings`` holds yes/no results such as
    ``acr_2016_criteria_met``. ``missing`` lists unanswered items the missing-item rule allowed;
    ``skipped`` lists items that did not apply.
    """

    instrument: str
    definition_version: str
    total: Decimal | None
    domains: dict[str, Decimal] = field(default_factory=dict)
    findings: dict[str, bool] = field(default_factory=dict)
    interpretation: str | None = None
    missing: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()


def score_instrument(instrument: Instrument, answers: Mapping[str, Any]) -> ScoreResult:
    """Score ``answers`` (item id → value; a list of values for tick-all items).

    Raises :class:`InvalidAnswerError` for unknown item ids and answers outside an item's options,
    and :class:`MissingAnswersError` when more items are unanswered than the rule allows; both
    name every offending item.

    >>> from lowdose.instruments import load_instrument
    >>> pgic = load_instrument("pgic")
    >>> score_instrument(pgic, {"change": 2}).interpretation
    'much improved (IMMPACT - moderately important improvement)'
    """
    _check_answers(instrument, answers)
    skipped = _skipped_items(instrument, answers)
    points = {
        item.id: _points(item, answers[item.id])
        for item in instrument.items
        if item.id not in skipped and answers.get(item.id) is not None
    }
    points.update(dict.fromkeys(skipped, 0))
    missing = _check_missing(instrument, answers, skipped)
    domains = {d.id: _domain_score(d, points) for d in instrument.domains}
    total = _total(instrument, domains, points)
    findings = {c.id: _holds(c.condition, domains, answers) for c in instrument.criteria}
    places = instrument.decimals
    if instrument.method is ScoringMethod.PROFILE:
        shown = {item_id: _round(Fraction(p), places) for item_id, p in points.items()}
    else:
        shown = {key: _round(value, places) for key, value in domains.items()}
    return ScoreResult(
        instrument=instrument.id,
        definition_version=instrument.definition_version,
        total=None if total is None else _round(total, places),
        domains=shown,
        findings=findings,
        interpretation=_interpret(instrument, total, findings),
        missing=missing,
        skipped=tuple(i.id for i in instrument.items if i.id in skipped),
    )


def coerce_answer(item: Item, raw: str | Sequence[str] | None) -> Answer:
    """Turn form text (``"3"``, or ``["1", "2"]`` for tick-all items) into an answer value.

    Blank text means unanswered. Text that is not a whole number is left as it is, so that
    :func:`score_instrument` reports it against the item.

    >>> from lowdose.instruments import load_instrument
    >>> coerce_answer(load_instrument("compass31").item("q06"), ["1", "2"])
    [1, 2]
    """
    if raw is None:
        return None
    if item.kind is ItemKind.MULTI:
        texts = [raw] if isinstance(raw, str) else list(raw)
        return [_to_int(t) for t in texts if t.strip()]  # type: ignore[misc]
    text = raw if isinstance(raw, str) else ",".join(raw)
    return None if not text.strip() else _to_int(text)  # type: ignore[return-value]


def _to_int(text: str) -> int | str:
    stripped = text.strip()
    return int(stripped) if stripped.lstrip("-").isdigit() else stripped


# --- checking -----------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    # bool is an int subclass; True must not pass for 1
    return isinstance(value, int) and not isinstance(value, bool)


def _answer_problem(item: Item, value: Any) -> str | None:
    """Why ``value`` is not an allowed answer to ``item``, or ``None`` if it is."""
    # the allowed values are put into words only for a message: most answers are fine
    if item.kind is ItemKind.MULTI:
        if not isinstance(value, list | tuple) or not all(_is_int(v) for v in value):
            return f"{item.id}: expected a list of {_allowed_text(item)}, got {value!r}"
        if len(set(value)) != len(value) or any(item.option_for(v) is None for v in value):
            return f"{item.id}: {list(value)!r} is not a list of distinct {_allowed_text(item)}"
        return None
    if not _is_int(value) or item.option_for(value) is None:
        return f"{item.id}: {value!r} is not one of {_allowed_text(item)}"
    return None


def _allowed_text(item: Item) -> str:
    values = item.values
    if item.kind is ItemKind.SCALE:
        return f"the whole numbers {values[0]}–{values[-1]}"
    return ", ".join(str(v) for v in values)


def _check_answers(instrument: Instrument, answers: Mapping[str, Any]) -> None:
    known = set(instrument.item_ids)
    unknown = sorted(str(k) for k in answers if k not in known)
    problems = [f"{key}: not an item of {instrument.id}" for key in unknown]
    bad = list(unknown)
    for item in instrument.items:
        value = answers.get(item.id)
        problem = None if value is None else _answer_problem(item, value)
        if problem:
            problems.append(problem)
            bad.append(item.id)
    if problems:
        raise InvalidAnswerError(
            f"{instrument.name}: answers that cannot be scored — " + "; ".join(problems) + ".",
            items=bad,
        )


def _skipped_items(instrument: Instrument, answers: Mapping[str, Any]) -> set[str]:
    """Items whose skip rule fires; an item skipped by a skipped item is skipped too."""
    skipped: set[str] = set()
    for item in instrument.items:  # definition order: a controlling item comes first
        rule = item.skip_if
        if rule is None:
            continue
        if rule.item in skipped or answers.get(rule.item) in rule.values:
            skipped.add(item.id)
    return skipped


def _check_missing(
    instrument: Instrument, answers: Mapping[str, Any], skipped: set[str]
) -> tuple[str, ...]:
    """The unanswered items the rule allows; raises when the rule is broken."""
    unanswered = [
        i.id for i in instrument.items if i.id not in skipped and answers.get(i.id) is None
    ]
    if instrument.method is ScoringMethod.PROFILE:
        if len(unanswered) == len(instrument.items):
            raise MissingAnswersError(
                f"{instrument.name}: answer at least one item.", items=unanswered
            )
        return tuple(unanswered)
    too_many: list[str] = []
    allowed: list[str] = []
    in_domain: set[str] = set()
    for domain in instrument.domains:
        in_domain.update(domain.items)
        gaps = [i for i in domain.items if i in unanswered]
        (too_many if len(gaps) > domain.max_missing else allowed).extend(gaps)
    optional = {i.id for i in instrument.items if i.optional}
    too_many += [i for i in unanswered if i not in in_domain and i not in optional]
    if too_many:
        names = ", ".join(dict.fromkeys(too_many))
        raise MissingAnswersError(
            f"{instrument.name}: too many unanswered items to score ({names}). "
            f"Rule: {instrument.missing_rule}",
            items=list(dict.fromkeys(too_many)),
        )
    return tuple(dict.fromkeys(allowed))


# --- arithmetic ---------------------------------------------------------------------------------


def _points(item: Item, value: Answer) -> int:
    if isinstance(value, list | tuple):
        return sum(item.option_for(v).points for v in value)  # type: ignore[union-attr]
    option = item.option_for(value)  # type: ignore[arg-type]
    assert option is not None  # checked by _check_answers
    return option.points


def _domain_score(domain: Domain, points: Mapping[str, int]) -> Fraction:
    if domain.aggregate is Aggregate.COUNT_GROUPS:
        return Fraction(
            sum(1 for _, group in domain.groups if any(points.get(i, 0) > 0 for i in group))
        )
    # skipped items are in ``points`` with 0 points: they count as accounted for, not missing
    answered = [i for i in domain.items if i in points]
    raw = Fraction(sum(points[i] for i in answered))
    if domain.prorate and answered and len(answered) < len(domain.items):
        # published rule (FIQR): weight the sum by items in the domain / items answered
        raw = raw * len(domain.items) / len(answered)
    return raw * domain.weight


def _total(
    instrument: Instrument, domains: Mapping[str, Fraction], points: Mapping[str, int]
) -> Fraction | None:
    method = instrument.method
    if method is ScoringMethod.WEIGHTED_DOMAIN_SUM:
        return sum(domains.values(), Fraction(0))
    if method is ScoringMethod.SUM_OF_DOMAINS:
        return sum((domains[d] for d in instrument.total_of), Fraction(0))
    if method is ScoringMethod.MEAN:
        return Fraction(sum(points.values()), len(points))
    if method is ScoringMethod.SINGLE:
        return Fraction(points[instrument.items[0].id])
    return None


def _round(value: Fraction, places: int) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _holds(
    condition: Condition, domains: Mapping[str, Fraction], answers: Mapping[str, Any]
) -> bool:
    if isinstance(condition, AllOf):
        return all(_holds(part, domains, answers) for part in condition.parts)
    if isinstance(condition, AnyOf):
        return any(_holds(part, domains, answers) for part in condition.parts)
    if isinstance(condition, ItemIn):
        return answers.get(condition.item) in condition.values
    score = domains[condition.score]
    low_ok = condition.minimum is None or score >= condition.minimum
    return low_ok and (condition.maximum is None or score <= condition.maximum)


def _interpret(
    instrument: Instrument, total: Fraction | None, findings: Mapping[str, bool]
) -> str | None:
    for criterion_id, flag, text in instrument.by_criteria:
        if findings.get(criterion_id) is flag:
            return text
    if total is not None:
        for value, text in instrument.by_value:
            if total == value:
                return text
        for band in instrument.bands:
            if band.contains(total):
                return band.label
    return None


def describe_items(instrument: Instrument) -> list[dict[str, Any]]:
    """The items and their options as plain data (for ``lowdose score --list`` and the API)."""
    return [
        {
            "id": item.id,
            "label": item.label,
            "kind": item.kind.value,
            "options": [{"value": o.value, "points": o.points} for o in item.options],
        }
        for item in instrument.items
    ]


def unanswered(instrument: Instrument, answers: Mapping[str, Any]) -> Iterable[str]:
    """Ids of applicable items with no answer yet (to show a person what is left to fill in)."""
    skipped = _skipped_items(instrument, answers)
    return [i.id for i in instrument.items if i.id not in skipped and answers.get(i.id) is None]
