"""Fill in "the two leaders" and "the presidents" from the article's own main participants.

Small models often copy the phrase instead of naming the people. The article usually says who
they are elsewhere: the pair of known people its claims name most often. Claims whose participants
are only generic phrases get that pair, and a note saying so; anything else is left as it was.
"""

from __future__ import annotations

import re
from collections import Counter

from extractor.entities import Entities
from extractor.records import Claim, EventRef

_GENERIC = re.compile(
    r"^(?:the\s+)?(?:two|both)?\s*(?:leaders|presidents|heads of state|sides|countries|two)"
    r"(?:\s+of\s+.+)?$",
    re.IGNORECASE,
)


def is_generic(name: str) -> bool:
    return bool(_GENERIC.match(name.strip()))


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
        if names and all(is_generic(n) for n in names):
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
