"""Same-event resolution: which claims, across articles, are about one real event.

Claims are indexed by participant set first and compared only within it, so the cost grows with the
number of claims, not with their pairs. Every placement keeps its basis for reviewers.

Order matters and is deliberate:
1. claims with a resolved date form events keyed by (participants, channel, date); dates relative to
   an article without a publication date were first read against the day its page or address gives
   (`anchors`);
2. dated events a few days apart merge when nothing says they are two (`accounts`): the difference
   is kept, and the date detector flags it;
3. claims with an unresolved date ("on Friday" in an undated page) form events of their own article;
4. undated claims join a mention of the same participants in their own article (not a previous
   contact it recalls);
5. an undated event is placed by its ordinal against the timeline of the dated events;
6. an account still without a day is linked to the event its evidence points at, or kept apart as
   unplaced with its candidates (`accounts`, `link`);
7. claims naming no participants join their article's main event when it has a clear one.
Steps 4, 5 and 7 are in `attach`; how a claim's date and ordinal are read is in `readings`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from itertools import combinations

from extractor.reconcile.accounts import AccountLinker
from extractor.reconcile.attach import Attacher
from extractor.reconcile.group import Group, event_id_for
from extractor.reconcile.readings import claim_date, date_key, date_text, is_firm, offset, pkey
from extractor.reconcile.result import Placement, PlacementMethod
from extractor.reconcile.timeline import channels_compatible
from extractor.records import (
    Article,
    Channel,
    Claim,
    ClaimKind,
    DateValue,
    Event,
    EventCandidate,
)

_DAY = dt.timedelta(days=1)
# a claim of unknown or "other" channel, or a statement made that day about the same people, belongs
# to the one contact they had that day; it is an event of its own only when there is none or several
_LOOSE = (Channel.UNKNOWN, Channel.STATEMENT, Channel.OTHER)
_MAX_NESTED = 6


@dataclass
class Resolution:
    events: list[Event]
    claims_by_event: dict[str, list[Claim]]
    placements: list[Placement]
    series_claims: list[Claim]  # counts over a window: about many events at once
    # claims linked by evidence whose stated weekday fits the event: claim id -> (its date, why)
    weekday_links: dict[str, tuple[dt.date, str]] = field(default_factory=dict)


def _inner_sets(people: list[str]) -> list[tuple[str, ...]]:
    """Every smaller non-empty set of the (sorted) participants; none for crowds, where nesting
    says little and the sets would be many."""
    if len(people) > _MAX_NESTED:
        return []
    return [sub for k in range(1, len(people)) for sub in combinations(people, k)]


def _day_text(d: dt.date) -> str:
    return d.isoformat()


def _stated_basis(date: DateValue) -> str:
    assert date.start is not None
    span = _day_text(date.start)
    if date.end is not None and date.end != date.start:
        span += f"..{_day_text(date.end)}"
    extra = f"; {date.basis}" if date.basis else ""
    return f"stated date {span} ({date.text!r}{extra})"


class _Resolver(Attacher, AccountLinker):
    def __init__(self, claims: list[Claim], articles: dict[str, Article]) -> None:
        seen: dict[str, Claim] = {}
        for c in claims:
            seen.setdefault(c.id, c)  # one claim id, one placement
        self.claims = list(seen.values())
        self.articles = articles
        self.place: dict[str, tuple[Group | None, PlacementMethod, str]] = {}
        self.groups: list[Group] = []
        self.series: list[Claim] = []
        self._dates = {c.id: claim_date(c) for c in self.claims}
        self.weekday_links: dict[str, tuple[dt.date, str]] = {}

    # 1 and 3: clusters keyed without channel; a loose channel joins the one contact there
    def _cluster(
        self, claims: list[Claim], base: Callable[[Claim], Hashable], make: Callable[[Claim], Group]
    ) -> list[tuple[Claim, Group]]:
        known: dict[Hashable, dict[Channel, Group]] = defaultdict(dict)
        loose: dict[Hashable, Group] = {}
        out = []
        for c in sorted(claims, key=lambda c: c.event.channel in _LOOSE):
            key, ch = base(c), c.event.channel
            if ch in _LOOSE and len(known[key]) == 1:
                g = next(iter(known[key].values()))
            elif ch in _LOOSE:
                # loosely labelled reports of one day and people are one event, whatever the label
                g = loose.get(key) or loose.setdefault(key, self._new(make(c)))
            else:
                g = known[key].get(ch) or known[key].setdefault(ch, self._new(make(c)))
            g.add([c])
            out.append((c, g))
        return out

    def run(self) -> Resolution:
        firm, unresolved, undated, orphans = [], [], [], []
        for c in self.claims:
            date = self._date(c)
            if c.kind == ClaimKind.COUNT:
                self.series.append(c)
            elif not c.event.participants:
                orphans.append(c)
            elif is_firm(date):
                firm.append(c)
            elif date_text(c):
                unresolved.append(c)
            else:
                undated.append(c)
        self._place_firm(firm)
        self._merge_nested_participants()
        self._merge_within_window()
        self._place_unresolved(unresolved)
        self._place_undated(undated)
        self._place_by_ordinal()
        self._link_accounts()
        self._place_orphans(orphans)
        return self._finish()

    def _place_firm(self, claims: list[Claim]) -> None:
        def base(c: Claim) -> Hashable:
            d = self._date(c)
            assert d is not None and d.start is not None
            return (pkey(c), d.start, d.end if d.end != d.start else None)

        def make(c: Claim) -> Group:
            d = self._date(c)
            assert d is not None and d.start is not None
            end = d.end if d.end is not None and d.end != d.start else None
            return Group(list(pkey(c)), c.event.channel, d.start, end, date_basis="stated")

        for c, g in self._cluster(claims, base, make):
            d = self._date(c)
            assert d is not None
            self.place[c.id] = (g, PlacementMethod.STATED_DATE, _stated_basis(d))

    # 1b: one report's Trump–Putin call and another's Trump–Putin–Salman call of the same day are one
    # call, when neither has another match. Within one article they stay apart: 003 reports a
    # three-way call and "a separate conversation" of the two on 12 April 2020.
    def _merge_nested_participants(self) -> None:
        # each group is indexed under its own participants and under every smaller set inside them, so
        # the groups nested in it or around it are found by lookup, not by comparing a day's groups
        own: dict[tuple[object, ...], list[Group]] = defaultdict(list)
        around: dict[tuple[object, ...], list[Group]] = defaultdict(list)
        dated = [g for g in self.groups if g.date is not None]
        for g in dated:
            own[(g.date, g.date_end, *g.participants)].append(g)
            for sub in _inner_sets(g.participants):
                around[(g.date, g.date_end, *sub)].append(g)

        def partners(g: Group) -> list[Group]:
            day = (g.date, g.date_end)
            inside = [h for sub in _inner_sets(g.participants) for h in own.get((*day, *sub), [])]
            return [
                h
                for h in inside + around.get((g.date, g.date_end, *g.participants), [])
                if h.merged_into is None
                and channels_compatible(g.channel, h.channel)
                and not g.articles() & h.articles()
            ]

        for g in sorted(dated, key=lambda g: -len(g.participants)):
            found = partners(g) if g.merged_into is None else []
            if len(found) != 1 or partners(found[0]) != [g]:
                continue
            keep, drop = sorted((g, found[0]), key=lambda x: (-len(x.claims), len(x.participants)))
            how = "include" if len(drop.participants) > len(keep.participants) else "are among"
            for c in drop.claims:
                _, method, basis = self.place[c.id]
                who = ", ".join(keep.participants)
                note = f"; its participants {how} those of the same day's event ({who})"
                self.place[c.id] = (keep, method, basis + note)
            keep.add(drop.claims)
            drop.merged_into = keep

    def _contemporaneous(self, g: Group) -> bool:
        """Reported by an article published within a week after the date: a same-week report."""
        assert g.date is not None
        for a in g.articles():
            art = self.articles.get(a)
            if art is not None and art.published is not None and 0 <= (art.published - g.date).days <= 7:
                return True
        return False

    def _date_strength(self, g: Group) -> tuple[int, bool, int, dt.date]:
        # more articles first; then a same-week report; then more claims; then the later date, only
        # so that the choice (and the event id built from it) never depends on input order
        assert g.date is not None
        return (len(g.articles()), self._contemporaneous(g), len(g.claims), g.date)

    def _why_kept(self, g: Group, other: Group) -> str:
        if len(g.articles()) > len(other.articles()):
            return "more articles report it"
        if self._contemporaneous(g) and not self._contemporaneous(other):
            return "an article published within a week of it reports it"
        return "more claims state it" if len(g.claims) > len(other.claims) else "the later of two equal dates"

    def _place_unresolved(self, claims: list[Claim]) -> None:
        def text(c: Claim) -> str:
            return date_text(c) or ""

        def base(c: Claim) -> Hashable:
            return (c.article_id, pkey(c), date_key(text(c)))

        def make(c: Claim) -> Group:
            return Group(
                list(pkey(c)),
                c.event.channel,
                None,
                article_id=c.article_id,
                date_text=text(c),
                date_basis=f"unresolved date {text(c)!r}: kept apart from every dated event",
            )

        for c, g in self._cluster(claims, base, make):
            d = self._date(c)
            note = f"; {d.basis}" if d is not None and d.basis else ""
            self.place[c.id] = (g, PlacementMethod.UNRESOLVED_DATE, f"unresolved date {text(c)!r}{note}")

    def _finish(self) -> Resolution:
        events: list[Event] = []
        by_event: dict[str, list[Claim]] = {}
        live = [g for g in self.groups if g.merged_into is None and g.claims]
        ids: dict[int, str] = {id(g): event_id_for(g) for g in live}
        for g in live:
            claims = sorted(g.claims, key=lambda c: (c.article_id, offset(c), c.id))
            eid = ids[id(g)]
            by_event[eid] = claims
            events.append(
                Event(
                    id=eid,
                    participants=sorted(g.participants),
                    channel=g.channel,
                    date=g.date,
                    date_end=g.date_end,
                    date_basis=g.date_basis,
                    claim_ids=[c.id for c in claims],
                    article_ids=sorted(g.articles()),
                    sides=sorted({c.attribution.side for c in claims}),
                    unplaced=g.unplaced,
                    unplaced_reason=g.unplaced_reason,
                    candidates=[
                        EventCandidate(
                            event_id=ids[id(h.live())],
                            date=h.live().date,
                            score=sc.score,
                            basis="; ".join(sc.reasons) or "participants and channel only",
                        )
                        for h, sc in g.candidates
                        if id(h.live()) in ids
                    ],
                )
            )
        placements = []
        for c in self.claims:
            if c.kind == ClaimKind.COUNT:
                placements.append(
                    Placement(
                        claim_id=c.id,
                        article_id=c.article_id,
                        method=PlacementMethod.SERIES,
                        basis="a count over a window: checked against other counts and the timeline",
                    )
                )
                continue
            placed, method, basis = self.place[c.id]
            event_id = ids[id(placed.live())] if placed is not None else None
            placements.append(
                Placement(
                    claim_id=c.id,
                    article_id=c.article_id,
                    event_id=event_id,
                    method=method,
                    basis=basis,
                )
            )
        events.sort(key=lambda e: (e.date is None, e.date or dt.date.min, e.participants, e.id))
        return Resolution(events, by_event, placements, self.series, self.weekday_links)


def resolve(claims: list[Claim], articles: list[Article]) -> Resolution:
    return _Resolver(claims, {a.id: a for a in articles}).run()
