"""One entry per claim kind: how the labelling prompt names it, the value it carries, and the code
that finds and reads that value in an article's words.

A new kind is a `ClaimKind` member and one `KindSpec` here; `extract/build.py` (from a proposal to a
Claim) and `extract/strategies.py` (from a label to proposals) read this table rather than listing
kinds themselves, and `tests/test_prompts.py` checks that the labelling prompt names every kind with
its label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extractor.extract.describe import find_characterisations, find_initiators, parse_initiator, parse_words
from extractor.extract.eventdates import event_dates
from extractor.normalise import (
    find_counts,
    find_durations,
    find_ordinals,
    parse_count,
    parse_date,
    parse_duration,
    parse_ordinal,
)
from extractor.records import (
    ClaimKind,
    CountValue,
    DateValue,
    DurationValue,
    InitiatorValue,
    OrdinalValue,
    Value,
    WordsValue,
)

Finder = Callable[[str, dt.date | None], Sequence[tuple[int, int, Value]]]
Parser = Callable[[str, dt.date | None], Value | None]


@dataclass(frozen=True)
class KindSpec:
    kind: ClaimKind
    label: str  # what the labelling prompt says of it, after the kind's name
    value_type: type[Value] | None = None
    find: Finder | None = None  # every (start, end, value) of this kind in a text
    parse: Parser | None = None  # the value of one phrase
    value_required: bool = False  # a claim of this kind that code cannot read a value for is reviewed
    found_by_code: bool = False  # code adds these from any candidate sentence, whatever the label
    per_topic: bool = False  # one claim per topic the sentence names


KINDS: dict[ClaimKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            ClaimKind.EVENT,
            "a call, meeting or visit took place",
            DateValue,
            find=event_dates,
            parse=parse_date,
        ),
        KindSpec(
            ClaimKind.DURATION,
            "how long it lasted",
            DurationValue,
            find=lambda text, anchor: find_durations(text),
            parse=lambda text, anchor: parse_duration(text),
            value_required=True,
            found_by_code=True,
        ),
        KindSpec(
            ClaimKind.COUNT,
            "how many calls or meetings over a period",
            CountValue,
            find=find_counts,
            parse=parse_count,
            value_required=True,
            found_by_code=True,
        ),
        KindSpec(
            ClaimKind.ORDINAL,
            "first, second, sixth ... in a series",
            OrdinalValue,
            find=find_ordinals,
            parse=parse_ordinal,
            value_required=True,
            found_by_code=True,
        ),
        KindSpec(ClaimKind.TOPIC_DISCUSSED, "", per_topic=True),
        KindSpec(
            ClaimKind.TOPIC_NOT_DISCUSSED, "the sentence says a topic was NOT discussed", per_topic=True
        ),
        KindSpec(
            ClaimKind.INITIATOR,
            "who started the call",
            InitiatorValue,
            find=find_initiators,
            parse=parse_initiator,
            found_by_code=True,
        ),
        KindSpec(
            ClaimKind.CHARACTERISATION,
            "how a side described the talks",
            WordsValue,
            find=find_characterisations,
            parse=parse_words,
            found_by_code=True,
        ),
        KindSpec(ClaimKind.STATEMENT, "a position someone stated"),
        KindSpec(ClaimKind.OUTCOME, "an agreement or result"),
    )
}
VALUED = frozenset(k for k, spec in KINDS.items() if spec.find is not None)
VALUE_REQUIRED = frozenset(k for k, spec in KINDS.items() if spec.value_required)
PER_TOPIC = frozenset(k for k, spec in KINDS.items() if spec.per_topic)
FOUND_BY_CODE = tuple(spec for spec in KINDS.values() if spec.found_by_code)
