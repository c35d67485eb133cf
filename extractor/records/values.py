"""Typed, normalised values a claim can carry. Code computes them from the quoted text."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"


class DateValue(BaseModel):
    """A date or date range as stated; `start`/`end` are None when it could not be resolved."""

    model_config = ConfigDict(frozen=True)

    type: Literal["date"] = "date"
    text: str
    start: dt.date | None = None
    end: dt.date | None = None
    precision: DatePrecision | None = None
    resolved: bool = False
    basis: str = ""
    weekday_stated: str | None = None
    weekday_matches: bool | None = None


class DurationQualifier(StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    NEARLY = "nearly"
    OVER = "over"
    UNDER = "under"
    RANGE = "range"


class DurationValue(BaseModel):
    """A duration as an interval in minutes: "nearly an hour" is [45, 60)."""

    model_config = ConfigDict(frozen=True)

    type: Literal["duration"] = "duration"
    text: str
    minutes: float
    low: float
    high: float | None
    qualifier: DurationQualifier


class CountValue(BaseModel):
    """A count of events over a window, or a rate ("on average five times a year")."""

    model_config = ConfigDict(frozen=True)

    type: Literal["count"] = "count"
    text: str
    value: float
    low: float
    high: float
    approximate: bool = False
    unit: str = "events"
    per: str | None = None
    window_text: str | None = None
    window_start: dt.date | None = None
    window_end: dt.date | None = None


class OrdinalValue(BaseModel):
    """The rank of an event in a series ("the sixth publicly disclosed conversation")."""

    model_config = ConfigDict(frozen=True)

    type: Literal["ordinal"] = "ordinal"
    text: str
    rank: int
    series: str = ""
    series_start: dt.date | None = None
    series_start_text: str | None = None


class WordsValue(BaseModel):
    """How a side described talks, in the article's words ("frank and constructive")."""

    model_config = ConfigDict(frozen=True)

    type: Literal["words"] = "words"
    text: str


class InitiatorValue(BaseModel):
    """Who started a call or meeting: the words saying so, and whom they name (a person or side,
    canonical when the entity list knows them)."""

    model_config = ConfigDict(frozen=True)

    type: Literal["initiator"] = "initiator"
    text: str
    party: str | None = None


Value = Annotated[
    DateValue | DurationValue | CountValue | OrdinalValue | WordsValue | InitiatorValue,
    Field(discriminator="type"),
]
