"""Fill in "the two leaders" and "the presidents" from the article's own main participants.

Small models often copy the phrase instead of naming the people. The article usually says who
they are elsewhere: the pair of known people its claims name most often. Claims whose participants
are only generic phrases get that pair, and a note saying so; anything else is left as it was.
"""

from __future__ import annotations

import re
from collections import Counter

from extractor.entities import Entities
from extractor.extract.attribution import ArticleReader, Reading
from extractor.records import CARRIED, Article, Claim, ClaimKind, EventRef, SideKind

_GENERIC = re.compile(
    r"^(?:the\s+)?(?:two|both)?\s*(?:leaders|presidents|heads of state|sides|countries|two)"
    r"(?:\s+of\s+.+)?$",
    re.IGNORECASE,
)


_GENERIC_IN_TEXT = re.compile(
    r"\b(?:the two leaders|both leaders|the heads of state|the two presidents|the presidents"
    r"|the leaders of)\b",
    re.IGNORECASE,
)


_BILATERAL = (ClaimKind.EVENT, ClaimKind.DURATION, ClaimKind.ORDINAL, ClaimKind.COUNT)


def is_generic(name: str) -> bool:
    return bool(_GENERIC.match(name.strip()))


def _people_before(text: str, start: int, entities: Entities, limit: int = 2000) -> list[str]:
    """People named going back from `start`, nearest sentence first (within `limit` characters)."""
    found: list[str] = []
    window = text[max(0, start - limit) : start]
    for sentence in reversed(re.split(r"(?<=[.!?:])\s+|\n+", window)):
        found += [n for n in entities.mentions(sentence) if n not in found]
    return found


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
        import os

        if os.environ.get("X_SPK_ONLY"):
            out.append(c.model_copy(update={"attribution": attribution, "notes": notes}))
            continue
        if os.environ.get("X_PART_ONLY"):
            attribution = c.attribution
        if list(c.event.participants) != reading.participants:
            if c.event.participants:
                notes.append(
                    f"participants {c.event.participants} read as {reading.participants}: {reading.how}"
                )
            event = EventRef(**{**c.event.model_dump(), "participants": reading.participants})
        out.append(c.model_copy(update={"attribution": attribution, "event": event, "notes": notes}))
    return out


def fill_from_context(claims: list[Claim], text: str, entities: Entities) -> list[Claim]:
    """Participants the model guessed from elsewhere give way to what the text says around the claim.

    A sentence that names nobody ("June 14 - Another call took place") is about the people named just
    before it; a sentence that names someone the model left out ("Trump initiated a discussion", the
    model saying Macron and Putin) is about that person and whoever was named with them just before.
    """
    out = []
    for c in claims:
        start, names = c.evidence.start, c.event.participants
        if start is None or not names:
            out.append(c)
            continue
        named = entities.mentions(c.evidence.quote)
        if named and set(named) & set(names):
            out.append(c)
            continue
        people = named + [p for p in _people_before(text, start, entities) if p not in named]
        pair = sorted(people[:2]) if len(people) >= 2 else []
        if pair and pair != names:
            note = f"participants {names} read as {pair}, the people the text names at and before the claim"
            c = c.model_copy(
                update={
                    "event": EventRef(**{**c.event.model_dump(), "participants": pair}),
                    "notes": [*c.notes, note],
                }
            )
        out.append(c)
    return out


def fill_generic_participants(claims: list[Claim], entities: Entities) -> list[Claim]:
    pairs: Counter[tuple[str, ...]] = Counter()
    for c in claims:
        known = tuple(p for p in c.event.participants if entities.person(p))
        if len(known) >= 2:
            pairs[known] += 1
    if not pairs:
        return claims
    main = list(pairs.most_common(1)[0][0])
    out = []
    for c in claims:
        names = c.event.participants
        only_generic = bool(names) and all(is_generic(n) for n in names)
        # "The heads of state talked..." names nobody: the model's guess gives way to the article's pair.
        unnamed = bool(_GENERIC_IN_TEXT.search(c.evidence.quote)) and not entities.mentions(c.evidence.quote)
        # A call or meeting has two sides: one of the main pair alone means the pair.
        half_pair = c.kind in _BILATERAL and len(names) == 1 and names[0] in main
        if only_generic or half_pair or (unnamed and set(names) != set(main)):
            out.append(
                c.model_copy(
                    update={
                        "event": EventRef(**{**c.event.model_dump(), "participants": main}),
                        "notes": [*c.notes, f"participants {names} read as the article's main pair {main}"],
                    }
                )
            )
        else:
            out.append(c)
    return out
