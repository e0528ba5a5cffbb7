"""Questionnaire definitions: the value types and the loader for ``lowdose/data/instruments``.

Each instrument lives in one YAML file with its items, options and points, domains and weights,
missing-item rule, interpretation, citation, licensing note and a record of what was checked.
The loader turns a file into a frozen :class:`Instrument`; scoring lives in
:mod:`lowdose.instruments.scoring`. A malformed file is a bug (:class:`DefinitionError`), not a
user error.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from typing import Any, TypeAlias

import yaml

from lowdose.errors import LowdoseError

#: Package path (inside ``lowdose``) of the instrument definition files.
DEFINITIONS_DIR = "data/instruments"
#: The longest ``short_name`` a definition may give: it must fit a chart's legend.
SHORT_NAME_MAX = 12


class DefinitionError(Exception):
    """A definition file that does not follow the schema: a bug in the data, not in the input."""


class InstrumentError(LowdoseError):
    """A questionnaire request lowdose refuses (unknown instrument, bad or missing answers)."""


class UnknownInstrumentError(InstrumentError):
    """No instrument has the requested id."""


class InvalidAnswerError(InstrumentError):
    """Answers that are not among an item's options, or name no item; ``items`` lists them."""

    def __init__(self, message: str, *, items: Sequence[str]) -> None:
        super().__init__(message, field=items[0] if len(items) == 1 else "answers")
        self.items = tuple(items)


class MissingAnswersError(InstrumentError):
    """More unanswered items than the missing-item rule allows; ``items`` lists them."""

    def __init__(self, message: str, *, items: Sequence[str]) -> None:
        super().__init__(message, field=items[0] if len(items) == 1 else "answers")
        self.items = tuple(items)


class ItemKind(enum.Enum):
    """How an item is answered."""

    CHOICE = "choice"  # one option
    MULTI = "multi"  # any number of options ("tick all that apply"); points add up
    SCALE = "scale"  # a whole number from ``minimum`` to ``maximum``; points = the number


class ScoringMethod(enum.Enum):
    """How the total is formed from the domains and items."""

    WEIGHTED_DOMAIN_SUM = "weighted_domain_sum"  # total = sum of (domain sum x weight)
    SUM_OF_DOMAINS = "sum_of_domains"  # total = sum of the domains named in ``total_of``
    MEAN = "mean"  # total = mean points of all items
    SINGLE = "single"  # one item; total = its points
    PROFILE = "profile"  # no total; each item is reported on its own


class Aggregate(enum.Enum):
    """How a domain combines its items."""

    SUM = "sum"
    COUNT_GROUPS = "count_groups"  # number of groups with at least one item scoring above 0


@dataclass(frozen=True)
class Option:
    """One allowed answer: the ``value`` a person gives and the ``points`` it scores."""

    value: int
    label: str
    points: int


@dataclass(frozen=True)
class SkipRule:
    """The item does not apply when ``item`` was answered with one of ``values``."""

    item: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Item:
    """One question, with its options (a scale's options are generated from its range)."""

    id: str
    label: str
    kind: ItemKind
    options: tuple[Option, ...]
    anchors: tuple[tuple[int, str], ...] = ()
    skip_if: SkipRule | None = None
    optional: bool = False

    def option_for(self, value: int) -> Option | None:
        """The option with this value, or ``None``."""
        try:
            return self._by_value.get(value)
        except TypeError:  # unhashable, so not the value of any option
            return None

    @functools.cached_property
    def _by_value(self) -> dict[int, Option]:
        # scoring looks every answer up twice; a scale has up to 101 options
        return {option.value: option for option in self.options}

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Domain:
    """A group of items scored together; ``weight`` is an exact fraction."""

    id: str
    label: str
    items: tuple[str, ...]
    weight: Fraction = Fraction(1)
    max_missing: int = 0
    prorate: bool = False
    aggregate: Aggregate = Aggregate.SUM
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Band:
    """An interpretation band on the total: ``minimum <= total < maximum`` (or ``<=``)."""

    minimum: Decimal
    maximum: Decimal
    label: str
    max_inclusive: bool = True

    def contains(self, value: Fraction) -> bool:
        low, high = Fraction(self.minimum), Fraction(self.maximum)
        return low <= value and (value <= high if self.max_inclusive else value < high)


@dataclass(frozen=True)
class ScoreAtLeast:
    """A condition on a domain score: ``minimum <= score <= maximum`` (either bound optional)."""

    score: str
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class ItemIn:
    """A condition on an item's answer."""

    item: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


Condition: TypeAlias = ScoreAtLeast | ItemIn | AllOf | AnyOf


@dataclass(frozen=True)
class Criterion:
    """A named yes/no finding computed from scores and answers (e.g. the ACR 2016 criteria)."""

    id: str
    label: str
    condition: Condition


@dataclass(frozen=True)
class Instrument:
    """A questionnaire definition, read from its data file."""

    id: str
    name: str
    #: At most 12 characters, for where there is no room for the name (a chart's legend).
    short_name: str
    definition_version: str
    recall: str
    citation: str
    licence: str
    verification: tuple[str, ...]
    missing_rule: str
    method: ScoringMethod
    items: tuple[Item, ...]
    domains: tuple[Domain, ...] = ()
    total_of: tuple[str, ...] = ()
    total_range: tuple[int, int] | None = None
    decimals: int = 0
    criteria: tuple[Criterion, ...] = ()
    bands: tuple[Band, ...] = ()
    by_value: tuple[tuple[int, str], ...] = ()
    by_criteria: tuple[tuple[str, bool, str], ...] = ()
    higher_is_worse: bool | None = None
    loinc: tuple[tuple[str, str], ...] = field(default=())

    def item(self, item_id: str) -> Item:
        """The item with this id (``KeyError`` if none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)


# --- loading ------------------------------------------------------------------------------------


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise DefinitionError(f"{where}: '{key}' is required")
    return mapping[key]


def _parse_item(raw: Mapping[str, Any]) -> Item:
    item_id = str(_require(raw, "id", "item"))
    kind = ItemKind(raw.get("kind", "choice"))
    if kind is ItemKind.SCALE:
        low, high = int(_require(raw, "min", item_id)), int(_require(raw, "max", item_id))
        options = tuple(Option(v, str(v), v) for v in range(low, high + 1))
    else:
        options = tuple(
            Option(int(o["value"]), str(o["label"]), int(o["points"]))
            for o in _require(raw, "options", item_id)
        )
    if len({o.value for o in options}) != len(options):
        raise DefinitionError(f"{item_id}: option values repeat")
    skip = raw.get("skip_if")
    return Item(
        id=item_id,
        label=str(_require(raw, "label", item_id)),
        kind=kind,
        options=options,
        anchors=tuple((int(k), str(v)) for k, v in (raw.get("anchors") or {}).items()),
        skip_if=SkipRule(str(skip["item"]), tuple(int(v) for v in skip["in"])) if skip else None,
        optional=bool(raw.get("optional", False)),
    )


def _parse_domain(raw: Mapping[str, Any]) -> Domain:
    groups = raw.get("groups") or {}
    # a counted-groups domain covers the items of its groups
    members = [i for group in groups.values() for i in group] or _require(raw, "items", raw["id"])
    return Domain(
        id=str(_require(raw, "id", "domain")),
        label=str(raw.get("label", raw["id"])),
        items=tuple(str(i) for i in members),
        weight=Fraction(str(raw.get("weight", "1"))),
        max_missing=int(raw.get("max_missing", 0)),
        prorate=bool(raw.get("prorate", False)),
        aggregate=Aggregate(raw.get("aggregate", "sum")),
        groups=tuple((str(k), tuple(str(i) for i in v)) for k, v in groups.items()),
    )


def _parse_condition(raw: Mapping[str, Any]) -> Condition:
    if "all" in raw:
        return AllOf(tuple(_parse_condition(part) for part in raw["all"]))
    if "any" in raw:
        return AnyOf(tuple(_parse_condition(part) for part in raw["any"]))
    if "score" in raw:
        return ScoreAtLeast(str(raw["score"]), raw.get("min"), raw.get("max"))
    if "item" in raw:
        return ItemIn(str(raw["item"]), tuple(int(v) for v in raw["in"]))
    raise DefinitionError(f"unknown condition {dict(raw)!r}")


def _parse_bands(raw: Sequence[Mapping[str, Any]]) -> tuple[Band, ...]:
    return tuple(
        Band(
            Decimal(str(b["min"])),
            Decimal(str(b["max"])),
            str(b["label"]),
            bool(b.get("max_inclusive", True)),
        )
        for b in raw
    )


def _short_name(raw: Mapping[str, Any]) -> str:
    short = str(_require(raw, "short_name", raw["id"])).strip()
    if not short or len(short) > SHORT_NAME_MAX:
        raise DefinitionError(
            f"{raw['id']}: 'short_name' must be 1 to {SHORT_NAME_MAX} characters, not {short!r}"
        )
    return short


def parse_instrument(raw: Mapping[str, Any]) -> Instrument:
    """Build an :class:`Instrument` from a parsed definition mapping; checks its references."""
    scoring = _require(raw, "scoring", "instrument")
    interpretation = raw.get("interpretation") or {}
    total_range = scoring.get("total_range")
    instrument = Instrument(
        id=str(_require(raw, "id", "instrument")),
        name=str(_require(raw, "name", raw["id"])),
        short_name=_short_name(raw),
        definition_version=str(_require(raw, "definition_version", raw["id"])),
        recall=str(raw.get("recall", "")),
        citation=str(_require(raw, "citation", raw["id"])).strip(),
        licence=str(_require(raw, "licence", raw["id"])).strip(),
        verification=tuple(str(v).strip() for v in raw.get("verification") or ()),
        missing_rule=str(_require(raw, "missing_rule", raw["id"])).strip(),
        method=ScoringMethod(scoring["method"]),
        items=tuple(_parse_item(i) for i in _require(raw, "items", raw["id"])),
        domains=tuple(_parse_domain(d) for d in raw.get("domains") or ()),
        total_of=tuple(str(d) for d in scoring.get("total_of") or ()),
        total_range=(int(total_range[0]), int(total_range[1])) if total_range else None,
        decimals=int(scoring.get("decimals", 0)),
        criteria=tuple(
            Criterion(str(c["id"]), str(c["label"]), _parse_condition(c))
            for c in raw.get("criteria") or ()
        ),
        bands=_parse_bands(interpretation.get("bands") or ()),
        by_value=tuple((int(k), str(v)) for k, v in (interpretation.get("by_value") or {}).items()),
        by_criteria=tuple(
            (str(cid), bool(flag), str(text))
            for cid, texts in (interpretation.get("by_criteria") or {}).items()
            for flag, text in texts.items()
        ),
        higher_is_worse=interpretation.get("higher_is_worse"),
        loinc=tuple((str(k), str(v)) for k, v in (raw.get("loinc") or {}).items()),
    )
    _check_references(instrument)
    return instrument


def _check_references(instrument: Instrument) -> None:
    """Every id a domain, skip rule or criterion names must be an item or domain of the file."""
    items = set(instrument.item_ids)
    if len(items) != len(instrument.items):
        raise DefinitionError(f"{instrument.id}: item ids repeat")
    domains = {d.id for d in instrument.domains}
    named = [i for d in instrument.domains for i in d.items]
    named += [i for d in instrument.domains for _, group in d.groups for i in group]
    named += [item.skip_if.item for item in instrument.items if item.skip_if]
    unknown = sorted(set(named) - items)
    unknown += sorted(set(instrument.total_of) - domains)
    if unknown:
        raise DefinitionError(f"{instrument.id}: unknown ids {unknown}")


@functools.cache
def _load_all() -> dict[str, Instrument]:
    folder = resources.files("lowdose").joinpath(DEFINITIONS_DIR)
    found: dict[str, Instrument] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            instrument = parse_instrument(yaml.safe_load(entry.read_text(encoding="utf-8")))
            found[instrument.id] = instrument
    return found


def available_instruments() -> tuple[Instrument, ...]:
    """Every shipped instrument, sorted by id.

    >>> [i.id for i in available_instruments()][:2]
    ['acr2016', 'compass31']
    """
    return tuple(_load_all().values())


def load_instrument(instrument_id: str) -> Instrument:
    """The shipped instrument with this id; :class:`UnknownInstrumentError` names the known ones.

    >>> load_instrument("compass31").name
    'COMPASS-31 (Composite Autonomic Symptom Score)'
    """
    instruments = _load_all()
    key = instrument_id.strip().lower().replace("-", "")
    if key not in instruments:
        known = ", ".join(instruments)
        raise UnknownInstrumentError(
            f"There is no questionnaire called '{instrument_id}'. Known: {known}.",
            field="instrument",
        )
    return instruments[key]
