"""Medication screening: find opioids and other conflicts with LDN in a medication list.

The knowledge lives in ``data/medications.yaml`` (ingredients with their brands, combination
products, and conditions, each with a severity, a reason and sources). Matching is built to be
trusted by a clinician:

* case, strength and form text are ignored ("Tramadol HCl 50mg tablets" is tramadol);
* a brand or combination product resolves to every ingredient ("Percocet" is oxycodone and
  paracetamol);
* a misspelling within a small edit distance is reported as a *probable* match with its
  confidence, never silently corrected, and it counts towards the verdict (a probable opioid is
  treated as an opioid until someone confirms otherwise);
* a name the file does not know is reported as unknown and makes the verdict at least
  "caution": unknown is never safe.

>>> result = screen_medications(["Percocet 5/325", "levothyroxine"])
>>> result.verdict.value
'contraindicated'
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from lowdose.errors import LowdoseError

__all__ = [
    "Finding",
    "IngredientFinding",
    "KnowledgeEntry",
    "MatchKind",
    "Product",
    "ScreeningError",
    "ScreeningResult",
    "Severity",
    "Verdict",
    "knowledge_base",
    "screen_medications",
]

#: Misspellings are only guessed for words at least this long; shorter words are too easy to
#: confuse (a 3-letter typo is within one edit of many names).
MIN_FUZZY_LENGTH = 4

#: Words that describe strength, form, salt or release and never name a medication.
_NOISE_TEXT = """
    tablet tablets tab tabs caplet caplets capsule capsules cap caps softgel softgels oral
    solution suspension syrup liquid elixir linctus mixture drops drop injection injectable inj
    patch patches transdermal film films buccal sublingual lozenge lozenges spray nasal powder
    extract tea leaf leaves gummies gummy shot resin granules sachet sachets vial ampoule
    extended release modified immediate controlled sustained delayed prolonged retard
    er sr xr xl cr ir la mr dr ec od
    hcl hydrochloride sulfate sulphate phosphate bitartrate tartrate citrate acetate sodium
    potassium mesylate maleate hydrobromide hbr succinate fumarate besylate base
    mg mcg ug µg μg ml g gram grams milligram milligrams microgram micrograms unit units iu
    daily once twice nightly bid tid qid qd qhs prn as needed at night morning bedtime
    take takes taking with and plus w of in for the a an or per each every day days week weekly
    generic brand strength extra maximum max regular original children childrens kids adult
    adults pm am no number
    """
_NOISE_WORDS = frozenset(_NOISE_TEXT.split())

_STRENGTH_RE = re.compile(r"^\d+(?:\.\d+)?(?:mg|mcg|ug|µg|μg|g|ml|%|iu|h|hr|hrs|x|d)?$")
_SPLIT_RE = re.compile(r"[\s/+,;&()\[\]:|*\"]+")


class ScreeningError(LowdoseError):
    """A medication list that cannot be screened (for example, an empty one)."""


class Severity(enum.Enum):
    """How much a knowledge-file entry matters for an LDN course."""

    CONTRAINDICATED = "contraindicated"
    CAUTION = "caution"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more serious: contraindicated 2, caution 1, info 0."""
        return {"contraindicated": 2, "caution": 1, "info": 0}[self.value]


class Verdict(enum.Enum):
    """The answer for a whole list: the worst severity found, unknown names counting as caution."""

    CONTRAINDICATED = "contraindicated"
    CAUTION = "caution"
    CLEAR = "clear"


class MatchKind(enum.Enum):
    """Whether a name matched exactly (after normalising) or only probably (a misspelling)."""

    EXACT = "exact"
    PROBABLE = "probable"


@dataclass(frozen=True)
class KnowledgeEntry:
    """One ingredient or condition in the knowledge file."""

    name: str
    kind: str  # "ingredient" or "condition"
    drug_class: str
    severity: Severity
    reason: str
    sources: tuple[str, ...]
    atc: tuple[str, ...] = ()
    atc_unverified: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    brands: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def brand_names(self) -> tuple[str, ...]:
        """Every brand name, all regions together, in file order."""
        return tuple(name for names in self.brands.values() for name in names)


@dataclass(frozen=True)
class Product:
    """A combination product: one name that stands for several ingredients."""

    name: str
    ingredients: tuple[str, ...]
    regions: tuple[str, ...]
    sources: tuple[str, ...]
    atc: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class IngredientFinding:
    """What the knowledge file says about one ingredient behind a matched name."""

    name: str
    drug_class: str
    severity: Severity
    reason: str
    source: str


@dataclass(frozen=True)
class Finding:
    """What one input line matched, resolved to its ingredients.

    ``severity``, ``drug_class``, ``reason`` and ``source`` are those of the most serious
    ingredient; ``details`` has every ingredient. ``confidence`` is 1 for exact matches and below 1
    for a probable match, which ``did_you_mean`` then names.
    """

    input: str
    matched: str
    ingredients: tuple[str, ...]
    drug_class: str
    severity: Severity
    reason: str
    source: str
    confidence: Decimal
    match: MatchKind
    did_you_mean: tuple[str, ...] = ()
    unrecognised: tuple[str, ...] = ()
    details: tuple[IngredientFinding, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The finding in the shape of ``lowdose screen --json``."""
        return {
            "input": self.input,
            "matched": self.matched,
            "ingredients": list(self.ingredients),
            "class": self.drug_class,
            "severity": self.severity.value,
            "reason": self.reason,
            "source": self.source,
            "confidence": self.confidence,
            "match": self.match.value,
            "did_you_mean": list(self.did_you_mean),
            "unrecognised": list(self.unrecognised),
        }


@dataclass(frozen=True)
class ScreeningResult:
    """The verdict for a medication list, its findings and the names nobody recognised."""

    verdict: Verdict
    findings: tuple[Finding, ...]
    unknown: tuple[str, ...]

    @property
    def contraindicated(self) -> tuple[Finding, ...]:
        """Findings that stop a course until a clinician overrides them."""
        return tuple(f for f in self.findings if f.severity is Severity.CONTRAINDICATED)

    def as_dict(self) -> dict[str, Any]:
        """The result in the shape of ``lowdose screen --json``."""
        return {
            "verdict": self.verdict.value,
            "findings": [f.as_dict() for f in self.findings],
            "unknown": list(self.unknown),
        }


@dataclass(frozen=True)
class _Target:
    """What an alias stands for: a display name and the entries behind it."""

    display: str
    entries: tuple[KnowledgeEntry, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    """The parsed knowledge file with an index from normalised alias to target."""

    entries: tuple[KnowledgeEntry, ...]
    products: tuple[Product, ...]
    sources: Mapping[str, str]
    index: Mapping[str, _Target]
    longest_alias: int

    def entry(self, name: str) -> KnowledgeEntry:
        """The entry called ``name`` (its generic name, exactly as in the file)."""
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise KeyError(name)


def normalise_tokens(text: str) -> tuple[str, ...]:
    """Split a medication name into lower-case words, the way both inputs and aliases are read.

    >>> normalise_tokens("Tylenol w/ Codeine No. 3")
    ('tylenol', 'with', 'codeine', '3')
    """
    text = text.lower().replace("’", "'").replace("'", "")
    text = re.sub(r"\bw/", " with ", text)
    text = re.sub(r"\bno\.?\s*#?\s*(\d)", r" \1", text)
    text = text.replace("#", " ").replace("-", " ")
    text = re.sub(r"\.(?!\d)|(?<!\d)\.", " ", text)
    return tuple(token for token in _SPLIT_RE.split(text) if token)


def _is_noise(token: str) -> bool:
    return token in _NOISE_WORDS or bool(_STRENGTH_RE.match(token)) or len(token) <= 2


@functools.cache
def knowledge_base() -> KnowledgeBase:
    """Load and index ``data/medications.yaml`` (once per process)."""
    text = resources.files("lowdose").joinpath("data/medications.yaml").read_text("utf-8")
    return _build_knowledge(yaml.safe_load(text))


def _build_knowledge(raw: Mapping[str, Any]) -> KnowledgeBase:
    sources = {key: value["citation"] for key, value in raw["sources"].items()}
    entries = tuple(_entry(row, "ingredient", sources) for row in raw["ingredients"]) + tuple(
        _entry(row, "condition", sources) for row in raw["conditions"]
    )
    by_name = {entry.name: entry for entry in entries}
    products = tuple(_product(row, by_name, sources) for row in raw["products"])
    index: dict[str, _Target] = {}
    for entry in entries:
        for alias in (entry.name, *entry.also, *entry.brand_names):
            _add_alias(index, alias, _Target(alias, (entry,)))
    for product in products:
        target_entries = tuple(by_name[name] for name in product.ingredients)
        for alias in (product.name, *product.also):
            _add_alias(index, alias, _Target(alias, target_entries))
    longest = max(len(key.split()) for key in index)
    return KnowledgeBase(entries, products, sources, index, longest)


def _check_sources(keys: Iterable[str], sources: Mapping[str, str], name: str) -> tuple[str, ...]:
    keys = tuple(keys)
    missing = [key for key in keys if key not in sources]
    if missing or not keys:
        raise ValueError(f"medications.yaml: {name} cites unknown or no sources {missing}")
    return keys


def _entry(row: Mapping[str, Any], kind: str, sources: Mapping[str, str]) -> KnowledgeEntry:
    brands = {region: tuple(names) for region, names in (row.get("brands") or {}).items()}
    return KnowledgeEntry(
        name=row["name"],
        kind=kind,
        drug_class=row.get("class", "condition"),
        severity=Severity(row["severity"]),
        reason=" ".join(row["reason"].split()),
        sources=_check_sources(row["sources"], sources, row["name"]),
        atc=tuple(row.get("atc", ())),
        atc_unverified=tuple(row.get("atc_unverified", ())),
        also=tuple(row.get("also", ())),
        brands=brands,
    )


def _product(
    row: Mapping[str, Any], by_name: Mapping[str, KnowledgeEntry], sources: Mapping[str, str]
) -> Product:
    unknown = [name for name in row["ingredients"] if name not in by_name]
    if unknown:
        raise ValueError(f"medications.yaml: {row['name']} lists unknown ingredients {unknown}")
    return Product(
        name=row["name"],
        ingredients=tuple(row["ingredients"]),
        regions=tuple(row["regions"]),
        sources=_check_sources(row["sources"], sources, row["name"]),
        atc=tuple(row.get("atc", ())),
        also=tuple(row.get("also", ())),
    )


def _add_alias(index: dict[str, _Target], alias: str, target: _Target) -> None:
    key = " ".join(normalise_tokens(alias))
    existing = index.get(key)
    if existing is not None and existing.entries != target.entries:
        raise ValueError(f"medications.yaml: '{alias}' names two different things")
    index.setdefault(key, target)


# ------------------------------------------------------------------------------------ matching


@dataclass(frozen=True)
class _Match:
    target: _Target
    confidence: Decimal
    alternatives: tuple[str, ...] = ()


def _max_edits(length: int) -> int:
    """Edits allowed for a probable match: none below 4 letters, 1 up to 5, 2 from 6."""
    if length < MIN_FUZZY_LENGTH:
        return 0
    return 1 if length < 6 else 2


def _fuzzy(query: str, kb: KnowledgeBase) -> _Match | None:
    """The closest alias within a few edits (transpositions count once), or ``None``."""
    limit = _max_edits(len(query))
    if limit == 0 or any(ch.isdigit() for ch in query):
        return None
    candidates = [
        key for key in kb.index if len(key) >= MIN_FUZZY_LENGTH and abs(len(key) - len(query)) <= 2
    ]
    hits = process.extract(query, candidates, scorer=OSA.distance, score_cutoff=limit, limit=8)
    if not hits:
        return None
    best = min(distance for _, distance, _ in hits)
    tied = [kb.index[key] for key, distance, _ in hits if distance == best]
    # Among equally close names, report the most serious: a false alarm is cheaper than a miss.
    tied.sort(
        key=lambda t: (
            -max(e.severity.rank for e in t.entries),
            t.display not in {e.name for e in t.entries},  # a generic name before a brand
            t.display.lower(),
        )
    )
    chosen = tied[0]
    similarity = 1 - Decimal(best) / max(len(query), len(_key(chosen.display)))
    alternatives = tuple(dict.fromkeys(t.display for t in tied))
    return _Match(chosen, similarity.quantize(Decimal("0.01")), alternatives)


def _key(alias: str) -> str:
    return " ".join(normalise_tokens(alias))


def _exact_phrases(
    tokens: Sequence[str], kb: KnowledgeBase
) -> tuple[list[_Match], list[list[str]]]:
    """Longest-first phrase matching; returns the matches and the runs of unmatched words."""
    matches: list[_Match] = []
    leftovers: list[list[str]] = [[]]
    i = 0
    while i < len(tokens):
        for length in range(min(kb.longest_alias, len(tokens) - i), 0, -1):
            target = kb.index.get(" ".join(tokens[i : i + length]))
            if target is not None:
                matches.append(_Match(target, Decimal(1)))
                leftovers.append([])
                i += length
                break
        else:
            if not _is_noise(tokens[i]):
                leftovers[-1].append(tokens[i])
            i += 1
    return matches, [run for run in leftovers if run]


def _match_input(text: str, kb: KnowledgeBase) -> tuple[list[_Match], list[str]]:
    """Every match in one input line, and the words that matched nothing."""
    matches, runs = _exact_phrases(normalise_tokens(text), kb)
    unrecognised: list[str] = []
    for run in runs:
        whole = _fuzzy(" ".join(run), kb) if len(run) > 1 else None
        if whole is not None:
            matches.append(whole)
            continue
        for word in run:
            guess = _fuzzy(word, kb)
            if guess is None:
                unrecognised.append(word)
            else:
                matches.append(guess)
    return matches, unrecognised


def _describe(entry: KnowledgeEntry, kb: KnowledgeBase) -> IngredientFinding:
    source = "; ".join(kb.sources[key].rstrip(".") for key in entry.sources) + "."
    return IngredientFinding(entry.name, entry.drug_class, entry.severity, entry.reason, source)


def _finding(
    text: str, matches: list[_Match], unrecognised: list[str], kb: KnowledgeBase
) -> Finding:
    entries = list(dict.fromkeys(e for m in matches for e in m.target.entries))
    details = tuple(_describe(entry, kb) for entry in entries)
    worst = max(details, key=lambda d: d.severity.rank)
    confidence = min(m.confidence for m in matches)
    probable = [m for m in matches if m.confidence < 1]
    return Finding(
        input=text,
        matched=" + ".join(dict.fromkeys(m.target.display for m in matches)),
        ingredients=tuple(entry.name for entry in entries),
        drug_class=worst.drug_class,
        severity=worst.severity,
        reason=worst.reason,
        source=worst.source,
        confidence=confidence,
        match=MatchKind.PROBABLE if probable else MatchKind.EXACT,
        did_you_mean=tuple(name for m in probable for name in m.alternatives),
        unrecognised=tuple(unrecognised),
        details=details,
    )


def screen_medications(names: Iterable[str]) -> ScreeningResult:
    """Screen a medication list against the knowledge file.

    Each name may be a generic or international name, a brand, a combination product or a
    condition, with or without strength and form ("oxycodone/APAP 5/325", "kratom powder").
    Returns one :class:`Finding` per recognised input, in input order, and lists in ``unknown``
    every input with a word that matched nothing (such an input may also have a finding for the
    part that did match).

    Raises :class:`ScreeningError` (field ``medications``) for an empty list.

    >>> screen_medications(["Tylenol with codeine #3"]).findings[0].ingredients
    ('codeine', 'paracetamol')
    >>> screen_medications(["oxycodon"]).findings[0].did_you_mean
    ('oxycodone',)
    >>> screen_medications(["vitamin d"]).verdict.value
    'caution'
    """
    cleaned = [name.strip() for name in names if name and name.strip()]
    if not cleaned:
        raise ScreeningError("Enter at least one medication to screen.", field="medications")
    kb = knowledge_base()
    findings: list[Finding] = []
    unknown: list[str] = []
    for text in cleaned:
        matches, unrecognised = _match_input(text, kb)
        if matches:
            findings.append(_finding(text, matches, unrecognised, kb))
        if unrecognised or not matches:
            unknown.append(text)
    return ScreeningResult(_verdict(findings, unknown), tuple(findings), tuple(unknown))


def _verdict(findings: Sequence[Finding], unknown: Sequence[str]) -> Verdict:
    worst = max((f.severity.rank for f in findings), default=0)
    if worst == Severity.CONTRAINDICATED.rank:
        return Verdict.CONTRAINDICATED
    if worst == Severity.CAUTION.rank or unknown:
        return Verdict.CAUTION
    return Verdict.CLEAR
