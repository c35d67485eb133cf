"""Who speaks and who took part: a model's claims against a gold set, sentence by sentence.

- **Sides.** For every gold claim, the model's claims whose quotes overlap it in the same article
  are its readings. A gold claim with an official speaker (the Kremlin, the Élysée, the White
  House ...) is *right* when every reading carries the gold side; one the article says in its own
  voice is *misattributed* when a reading credits it to an official side. Gold claims no reading
  covers are counted apart (that is recall, measured elsewhere).
- **Participants.** For every event the reconciler builds from the model's claims, the gold claims
  overlapping the event's claims give the participant sets the annotators wrote. The event is
  *right* when its participants are exactly one of those sets; events none of whose claims
  overlaps a gold claim with participants are not judged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from extractor.evaluate.match import spans_overlap
from extractor.records import Claim, Event, SideKind


@dataclass
class SideScore:
    official: int = 0  # gold claims with an official speaker that some model claim covers
    official_right: int = 0
    official_uncovered: int = 0
    outlet: int = 0  # gold claims in the outlet's voice that some model claim covers
    outlet_credited_official: int = 0
    wrong: list[tuple[Claim, list[str]]] = field(default_factory=list)  # (gold, sides the model gave)

    @property
    def official_share(self) -> float | None:
        return self.official_right / self.official if self.official else None


def _by_article(claims: list[Claim]) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        out[c.article_id].append(c)
    return out


def score_sides(run: list[Claim], gold: list[Claim]) -> SideScore:
    score = SideScore()
    mine = _by_article(run)
    for g in gold:
        readings = [r for r in mine.get(g.article_id, []) if spans_overlap(r, g)]
        official = g.attribution.side_kind is SideKind.OFFICIAL
        if not readings:
            score.official_uncovered += official
            continue
        sides = sorted({r.attribution.side for r in readings})
        if official:
            score.official += 1
            if sides == [g.attribution.side]:
                score.official_right += 1
            else:
                score.wrong.append((g, sides))
        elif g.attribution.speaker is None:
            score.outlet += 1
            if any(r.attribution.side_kind is SideKind.OFFICIAL for r in readings):
                score.outlet_credited_official += 1
                score.wrong.append((g, sides))
    return score


@dataclass
class ParticipantScore:
    judged: int = 0
    right: int = 0
    unjudged: int = 0
    wrong: list[tuple[Event, list[list[str]]]] = field(default_factory=list)  # (event, gold sets)

    @property
    def share(self) -> float | None:
        return self.right / self.judged if self.judged else None


def score_participants(events: list[Event], run: list[Claim], gold: list[Claim]) -> ParticipantScore:
    score = ParticipantScore()
    by_id = {c.id: c for c in run}
    golds = _by_article(gold)
    for e in events:
        sets: list[list[str]] = []
        for cid in e.claim_ids:
            c = by_id.get(cid)
            if c is None:
                continue
            for g in golds.get(c.article_id, []):
                names = sorted(g.event.participants)
                if names and spans_overlap(c, g) and names not in sets:
                    sets.append(names)
        if not sets:
            score.unjudged += 1
            continue
        score.judged += 1
        if sorted(e.participants) in sets:
            score.right += 1
        else:
            score.wrong.append((e, sets))
    return score
