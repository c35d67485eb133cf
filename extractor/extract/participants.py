"""Each claim's speaker and participants as its sentence says them (rules in extract/attribution.py),
and `is_generic`: a proposed name that names no one ("the two leaders")."""

from __future__ import annotations

import re

from extractor.entities import Entities
from extractor.extract.attribution import ArticleReader, Reading
from extractor.records import CARRIED, Article, Claim, EventRef, SideKind

_GENERIC = re.compile(
    r"^(?:the\s+)?(?:two|both)?\s*(?:leaders|presidents|heads of state|sides|countries|two)"
    r"(?:\s+of\s+.+)?$",
    re.IGNORECASE,
)


def is_generic(name: str) -> bool:
    return bool(_GENERIC.match(name.strip()))


def read_from_text(claims: list[Claim], article: Article, entities: Entities) -> list[Claim]:
    """Each claim's speaker and participants as its sentence says them (`extract/attribution.py`).

    The model's proposals give way to the text; a change is noted on the claim. A claim carried
    over from a republished copy's original keeps its side when its sentence names no speaker (the
    copy speaks with its original's voice). Claims without a located quote are left as they are.
    """
    reader = ArticleReader(article.text, entities)
    # A government's own release (a readout on its site) is its side's account, line by line: who
    # it quotes is part of that account.
    own_release = entities.kind_of(article.outlet) is SideKind.OFFICIAL if article.outlet else False
    out = []
    for c in claims:
        i = reader.index_at(c.evidence.start) if c.evidence.start is not None else None
        if i is None:
            out.append(c)
            continue
        reading = reader.read(i)
        if own_release:
            reading = Reading(None, reading.participants, reading.how)
        notes = list(c.notes)
        attribution = c.attribution
        if not (reading.speaker is None and c.origin.source == CARRIED):
            attribution = entities.attribute(reading.speaker, outlet=article.outlet)
            if attribution != c.attribution and c.attribution.speaker:
                notes.append(
                    f"speaker {c.attribution.speaker!r} read from the sentence as "
                    f"{reading.speaker or 'the outlet'!r}"
                )
        event = c.event
        if list(c.event.participants) != reading.participants:
            if c.event.participants:
                notes.append(
                    f"participants {c.event.participants} read as {reading.participants}: {reading.how}"
                )
            event = EventRef(**{**c.event.model_dump(), "participants": reading.participants})
        out.append(c.model_copy(update={"attribution": attribution, "event": event, "notes": notes}))
    return out
