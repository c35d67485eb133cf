"""When a flagged conflict is a gold discrepancy (S1...) or a look-alike that must not be flagged (N1...).

A flagged conflict matches a gold item when
- it is of the same kind (`ConflictKind`);
- every article of the item is among its sides, and for each of them at least one side from that
  article quotes one of the item's passages: after normalisation one text contains the other, or
  they share a run of at least four words (gold passages are clauses, a side quotes its claim's
  whole sentence, and an article may say "nearly three years" in two sentences). The passages pin
  down *which* discrepancy it is; resolved event ids differ between runs, and an event's date is
  what a date conflict disputes, so neither is required.
  Whether the flagged event's date equals the gold event's is reported beside each match;
- and, for a discrepancy, it has the gold severity: S1 flagged as medium is a miss in `high` and a
  false alarm in `medium`. A look-alike is falsely flagged whatever the severity.

Matching is one-to-one: a second conflict flagging the same discrepancy is a false alarm.
A look-alike is checked against the conflicts left over once the discrepancies are matched: a
conflict that is S2 is not also a false N3 because it quotes a sentence both mention.
Only conflicts whose sides all come from annotated articles are counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.evaluate.gold import GoldConflict
from extractor.evaluate.match import max_matching
from extractor.records import Conflict, Event
from extractor.textnorm import normalise_for_match

SHARED_WORDS = 4
_WORD = re.compile(r"\w+")


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHARED_WORDS]) for i in range(len(words) - SHARED_WORDS + 1)}


def passages_overlap(a: str, b: str) -> bool:
    x, y = normalise_for_match(a).lower(), normalise_for_match(b).lower()
    if not (x and y):
        return False
    if x in y or y in x:
        return True
    return bool(_grams(_WORD.findall(x)) & _grams(_WORD.findall(y)))


def quotes_item(conflict: Conflict, item: GoldConflict) -> bool:
    """Same kind, and each of the item's articles has a side quoting one of its passages."""
    if conflict.kind != item.kind:
        return False
    for article_id in item.article_ids:
        sides = [s for s in conflict.sides if s.article_id == article_id]
        if not any(passages_overlap(q, s.quote) for q in item.quotes for s in sides):
            return False
    return True


def flags(conflict: Conflict, item: GoldConflict) -> bool:
    return conflict.severity == item.severity and quotes_item(conflict, item)


@dataclass(frozen=True)
class ConflictOutcome:
    item: GoldConflict
    conflict: Conflict | None  # the flagged conflict matched to it, if any
    event_date: str | None = None  # the flagged conflict's event date, as stored
    note: str = ""

    @property
    def found(self) -> bool:
        return self.conflict is not None


def match_conflicts(
    flagged: list[Conflict], gold: list[GoldConflict], events: dict[str, Event]
) -> list[ConflictOutcome]:
    """One outcome per gold discrepancy, with the conflict matched to it (one-to-one) or a note why not."""
    matching = max_matching(flagged, gold, flags, lambda c, g: (0,))
    by_gold = {j: flagged[i] for i, j in matching.items()}
    out = []
    for j, item in enumerate(gold):
        hit = by_gold.get(j)
        if hit is not None:
            event = events.get(hit.event_id or "")
            when = str(event.date) if event is not None and event.date else None
            agrees = (
                ""
                if item.date is None or when is None
                else (
                    "event date agrees" if when == str(item.date) else f"event dated {when}, gold {item.date}"
                )
            )
            out.append(ConflictOutcome(item, hit, when, agrees))
            continue
        near = [c for c in flagged if quotes_item(c, item)]
        severities = ", ".join(sorted({c.severity.value for c in near}))
        note = (
            f"flagged with severity {severities}, not {item.severity}"
            if near and all(c.severity != item.severity for c in near)
            else "not flagged"
        )
        out.append(ConflictOutcome(item, None, None, note))
    return out


def false_alarms(
    flagged: list[Conflict], look_alikes: list[GoldConflict]
) -> list[tuple[GoldConflict, Conflict]]:
    """Look-alikes (N1...) that some flagged conflict matches: of its kind, quoting its passages."""
    return [(item, c) for item in look_alikes for c in flagged if quotes_item(c, item)]
