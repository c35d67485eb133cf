"""Attaching claims that carry no usable date: steps 4 to 6 of resolution (see `resolve`).

4. an undated claim joins the mention of its participants nearest before it in its own article;
5. an undated event is placed by its ordinal against the timeline of the dated events;
6. a claim naming no participants joins its article's main event when it has a clear one.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from extractor.reconcile.group import Group
from extractor.reconcile.readings import (
    is_firm,
    names_a_series_start,
    offset,
    ordinal_of,
    pkey,
    previous_reference,
)
from extractor.reconcile.result import PlacementMethod
from extractor.reconcile.timeline import TimelineIndex, channels_compatible
from extractor.records import Article, Channel, Claim, ClaimKind, DateValue, OrdinalValue
from extractor.textnorm import normalise_for_match

_DAY = dt.timedelta(days=1)
BACKGROUND_DAYS = 7
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Attacher:
    """The resolver's state and its steps for claims without a usable date."""

    claims: list[Claim]
    articles: dict[str, Article]
    place: dict[str, tuple[Group | None, PlacementMethod, str]]
    groups: list[Group]
    _dates: dict[str, DateValue | None]

    def _date(self, claim: Claim) -> DateValue | None:
        return self._dates[claim.id]

    def _new(self, g: Group) -> Group:
        self.groups.append(g)
        return g

    def _anchors(self) -> dict[tuple[str, str], list[tuple[int, Claim]]]:
        """Claims with a date, by article and by each participant of their event, in text order.

        Indexed by participant so that an undated claim looks only at mentions that can hold it, not
        at every mention in a long article.
        """
        out: dict[tuple[str, str], list[tuple[int, Claim]]] = defaultdict(list)
        for c in self.claims:
            # "their previous call was on June 4" or "the first call since December 2022" names an
            # earlier contact: what follows is not about it
            if c.id in self.place and previous_reference(c) is None and not names_a_series_start(c):
                for person in self._group_of(c).participants:
                    out[(c.article_id, person)].append((offset(c), c))
        for v in out.values():
            v.sort(key=lambda t: t[0])
        return out

    def _group_of(self, claim: Claim) -> Group:
        g = self.place[claim.id][0]
        assert g is not None
        return g.live()

    # 4: an undated claim is about the mention of its participants nearest before it in its article
    def _place_undated(self, claims: list[Claim]) -> None:
        anchors = self._anchors()
        for c in sorted(claims, key=lambda c: (c.article_id, offset(c))):
            cands = self._candidates(c, anchors.get((c.article_id, pkey(c)[0]), []))
            if not cands:
                self._own_undated(c, anchors)
                continue
            first = cands[0]
            if c.evidence.start is None:
                target, method = first, PlacementMethod.MAIN_EVENT
                basis = "no date stated: the article's first-mentioned event of these participants"
            else:
                positions = [p for p, _ in cands]
                i = bisect.bisect_right(positions, offset(c)) - 1
                if i < 0 and self._background(c.article_id, self._group_of(first[1])):
                    cands = []  # what opens a report is its news, not the history it recalls later
                    self._own_undated(c, anchors)
                    continue
                target, method = (cands[i] if i >= 0 else first), PlacementMethod.NEAREST_MENTION
                where = "before it" if i >= 0 else "after it (none before)"
                basis = f"no date stated: the nearest mention of these participants {where} in the article"
            g = self._group_of(target[1])
            g.add([c])
            self.place[c.id] = (g, method, f"{basis} ({g.describe()})")

    def _own_undated(self, c: Claim, anchors: dict[tuple[str, str], list[tuple[int, Claim]]]) -> None:
        g = self._new(
            Group(
                list(pkey(c)),
                c.event.channel,
                None,
                article_id=c.article_id,
                date_basis="no date stated and no dated mention of these participants before it",
            )
        )
        g.add([c])
        self.place[c.id] = (g, PlacementMethod.UNRESOLVED_DATE, "no date stated; an event of its own")
        for person in g.participants:
            bisect.insort(anchors[(c.article_id, person)], (offset(c), c), key=lambda t: t[0])

    def _background(self, article_id: str, g: Group) -> bool:
        """An event well before its article's date: history the article recalls, not its news."""
        art = self.articles.get(article_id)
        if art is None or art.published is None or g.date is None:
            return False
        return (art.published - (g.date_end or g.date)).days > BACKGROUND_DAYS

    def _candidates(self, c: Claim, lane: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
        """Mentions whose event holds all of the claim's participants; the same set exactly, if any."""
        want = set(pkey(c))
        fits = []
        for p, a in lane:
            g = self._group_of(a)
            if channels_compatible(c.event.channel, g.channel) and want <= set(g.participants):
                fits.append((p, a, len(g.participants) == len(want)))
        exact = [(p, a) for p, a, same in fits if same]
        return exact or [(p, a) for p, a, _ in fits]

    # 5: "the second exchange since January 2025" on an undated event, against the dated timeline
    def _place_by_ordinal(self) -> None:
        live = [g for g in self.groups if g.merged_into is None]
        index: TimelineIndex[Group] = TimelineIndex(g for g in live if g.date is not None)
        for g in live:
            if g.date is not None or not g.claims:
                continue
            targets: dict[int, tuple[Group, Claim, OrdinalValue]] = {}
            for c in g.claims:
                v = ordinal_of(c, self.articles.get(c.article_id))
                if c.kind != ClaimKind.ORDINAL or v is None or v.series_start is None:
                    continue
                channel = g.channel if g.channel != Channel.UNKNOWN else c.event.channel
                if channel == Channel.UNKNOWN:
                    continue  # a series of "contacts" of any kind is too loose to place by
                series = index.series(g.participants, channel, v.series_start)
                if 1 <= v.rank <= len(series):
                    targets[id(series[v.rank - 1])] = (series[v.rank - 1], c, v)
            if len(targets) != 1:
                continue  # none, or ordinals pointing at different events: leave it undated
            target, _, v = next(iter(targets.values()))
            if self._ordinal_target_ok(g, target):
                self._merge_by_ordinal(g, target, v)

    def _ordinal_target_ok(self, g: Group, target: Group) -> bool:
        assert target.date is not None
        words = normalise_for_match(g.date_text).lower().split()
        stated = [i for i, w in enumerate(_WEEKDAYS) if w in words]
        if stated and target.date.weekday() not in stated:
            return False  # "on Friday" cannot be a Wednesday event
        art = self.articles.get(g.article_id or "")
        return not (art is not None and art.published is not None and target.date > art.published + _DAY)

    def _merge_by_ordinal(self, g: Group, target: Group, v: OrdinalValue) -> None:
        assert target.date is not None and v.series_start is not None
        basis = (
            f"ordinal {v.rank} in series since {_iso(v.series_start)} against the timeline "
            f"({_iso(target.date)})"
        )
        for c in g.claims:
            before = self.place[c.id][2]
            self.place[c.id] = (target, PlacementMethod.ORDINAL, f"{basis}; in its article: {before}")
        target.add(g.claims)
        target.date_basis += f"; an undated account ({g.date_text or 'no date'!r}) placed here by {basis}"
        g.merged_into = target

    # 6: claims naming nobody ("the call was frank") belong to the article's main event, if clear
    def _place_orphans(self, claims: list[Claim]) -> None:
        per_article: dict[str, dict[int, tuple[Group, int, int]]] = defaultdict(dict)
        for c in self.claims:
            if c.id in self.place and self.place[c.id][0] is not None:
                g = self._group_of(c)
                count, first = per_article[c.article_id].get(id(g), (g, 0, 1 << 41))[1:]
                per_article[c.article_id][id(g)] = (g, count + 1, min(first, offset(c)))
        ranked = {a: sorted(groups.values(), key=lambda t: t[2]) for a, groups in per_article.items()}
        for c in claims:
            stats = ranked.get(c.article_id, [])
            d = self._date(c)
            same_day = [t for t in stats if is_firm(d) and d is not None and t[0].date == d.start]
            if len(same_day) == 1:
                g = same_day[0][0]
                basis = "no participants stated; its date matches the article's only event on that day"
                g.add([c])
                self.place[c.id] = (g, PlacementMethod.MAIN_EVENT, basis)
                continue
            main = stats[0] if stats else None
            if main is not None and all(main[1] > t[1] for t in stats[1:]):
                main[0].add([c])
                self.place[c.id] = (
                    main[0],
                    PlacementMethod.MAIN_EVENT,
                    f"no participants stated: the article's main event ({main[0].describe()}, "
                    "first mentioned and most claimed)",
                )
            else:
                self.place[c.id] = (
                    None,
                    PlacementMethod.UNPLACED,
                    "no participants stated and no clear main event in the article",
                )


def _iso(d: dt.date) -> str:
    return d.isoformat()
