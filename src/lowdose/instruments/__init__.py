"""Questionnaires: declarative definitions (data files) and the scoring engine.

>>> from lowdose.instruments import load_instrument, score_instrument
>>> fatigue = load_instrument("fatigue_vas")
>>> score_instrument(fatigue, {"fatigue": 62}).total
Decimal('62')
"""

from lowdose.instruments.definition import (
    DefinitionError,
    Domain,
    Instrument,
    InstrumentError,
    InvalidAnswerError,
    Item,
    ItemKind,
    MissingAnswersError,
    Option,
    ScoringMethod,
    UnknownInstrumentError,
    available_instruments,
    load_instrument,
    parse_instrument,
)
from lowdose.instruments.schedule import (
    DueState,
    QuestionnaireSchedule,
    ScheduleError,
    Timepoint,
    TimepointStatus,
    due_timepoints,
    schedule_status,
)
from lowdose.instruments.scoring import (
    ScoreResult,
    coerce_answer,
    describe_items,
    score_instrument,
    unanswered,
)

__all__ = [
    "DefinitionError",
    "Domain",
    "DueState",
    "Instrument",
    "InstrumentError",
    "InvalidAnswerError",
    "Item",
    "ItemKind",
    "MissingAnswersError",
    "Option",
    "QuestionnaireSchedule",
    "ScheduleError",
    "ScoreResult",
    "ScoringMethod",
    "Timepoint",
    "TimepointStatus",
    "UnknownInstrumentError",
    "available_instruments",
    "coerce_answer",
    "describe_items",
    "due_timepoints",
    "load_instrument",
    "parse_instrument",
    "schedule_status",
    "score_instrument",
    "unanswered",
]
