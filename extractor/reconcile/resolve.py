"""Same-event resolution: which claims, across articles, are about one real event.

Claims are indexed by participant set first and compared only within it, so the cost grows with the
number of claims, not with their pairs. Every placement keeps its basis for reviewers.

Order matters and is deliberate:
1. claims with a resolved date form events keyed by (participants, channel, date);
2. two events one day apart merge only when the match is unambiguous (the difference is kept, and
   the date detector flags it);
3. claims with an unresolved date ("on Friday" with no publication date) form events of their own
   article: they are never merged into a dated event, which could silently invent a year;
4. undated claims join a mention of the same participants in their own article;
5. an undated event is placed by its ordinal against the timeline of the dated events;
6. claims naming no participants join their article's main event when it has a clear one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from itertools import combinations

from extractor.normalise import find_ordinals
from extractor.reconcile.result import Placement, PlacementMethod
from extractor.reconcile.timeline import TimelineIndex, channels_compatible
from extractor.records import (
    Article,
    Channel,
    Claim,
    ClaimKind,
    DateValue,
    Event,
    OrdinalValue,
)
from extractor.textnorm import normalise_for_match

_DAY = dt.timedelta(days=1)
# a claim of unknown channel, or a statement made that day about the same people, belongs to the
# one contact they had that day; it is an event of its own only when there is none or several
_LOOSE = (Channel.UNKNOWN, Channel.STATEMENT)
_MAX_NESTED = 6
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass(eq=False)
class Group:
    """An event being resolved; becomes an `Event` record at the end."""

    participants: list[str]
    channel: Channel
    date: dt.date | None
    date_end: dt.date | None = None
    article_id: str | None = None  # set for events known from one article only (no usable date)
    date_text: str = ""
    date_basis: str = ""
    claims: list[Claim] = field(default_factory=list)
    merged_into: Group | None = None
    _articles: set[str] = field(default_factory=set)

    def add(self, claims: list[Claim]) -> None:
        self.claims.extend(claims)
        self._articles.update(c.article_id for c in claims)

    def live(self) -> Group:
        g = self
        while g.merged_into is not None:
            g = g.merged_into
        return g

    def articles(self) -> set[str]:
        return self._articles


@dataclass
class Resolution:
    events: list[Event]
    claims_by_event: dict[str, list[Claim]]
    placements: list[Placement]
    series_claims: list[Claim]  # counts over a window: about many events at once


def claim_date(claim: Claim) -> DateValue | None:
    date = claim.event.date if claim.event.date is not None else claim.value
    if not isinstance(date, DateValue):
        return None
    v = claim.value
    if isinstance(v, OrdinalValue) and (
        (date.start is not None and date.start == v.series_start)
        or (v.series_start_text and _same_text(date.text, v.series_start_text))
    ):
        # "the second exchange since ... January 2025": the date read from the quote is where the
        # series starts, not when this event took place
        return None
    return date


def _same_text(a: str, b: str) -> bool:
    return normalise_for_match(a).lower() == normalise_for_match(b).lower()


_LEADING = re.compile(r"^(?:(?:on|in|at|during|by|the|of)\s+)+")


def date_key(text: str) -> str:
    """'On Friday', 'on Friday' and 'Friday' name one day: the key an unresolved date is grouped by."""
    return _LEADING.sub("", normalise_for_match(text).lower())


def date_text(claim: Claim) -> str | None:
    """The date phrase a claim states for its event, resolved or not."""
    date = claim_date(claim)
    if date is not None:
        return date.text
    # a date text with no value is an unparsed phrase; one whose value was set aside is not a date
    return claim.event.date_text if claim.event.date is None else None


def ordinal_of(claim: Claim, article: Article | None) -> OrdinalValue | None:
    """The claim's ordinal, with a relative series start ("this year", "since January") resolved.

    A value read from the ordinal phrase alone, without the publication date, leaves "this year"
    unresolved; the quote is read again against the publication date, or failing that against the
    claim's own resolved date ("sixth call since January" in a report of a 2 July 2025 call).
    """
    v = claim.value
    if not isinstance(v, OrdinalValue) or v.series_start is not None or not v.series_start_text:
        return v if isinstance(v, OrdinalValue) else None
    own = claim_date(claim)
    anchor = article.published if article is not None and article.published else (own.start if own else None)
    if anchor is None:
        return v
    for text in (claim.evidence.quote, v.text):
        for _s, _e, found in find_ordinals(text, anchor):
            if found.rank == v.rank and found.series_start is not None:
                return v.model_copy(update={"series_start": found.series_start})
    return v


def is_firm(date: DateValue | None) -> bool:
    return date is not None and date.resolved and date.start is not None


def offset(claim: Claim) -> int:
    """Position in the article; unknown offsets sort last so grounded evidence decides first."""
    return claim.evidence.start if claim.evidence.start is not None else 1 << 40


def event_id_for(group: Group) -> str:
    parts = [*sorted(group.participants), "|", group.channel.value]
    if group.date is not None:
        parts += [group.date.isoformat(), group.date_end.isoformat() if group.date_end else ""]
    else:  # undated events are their article's own: two articles' undated mentions never share an id
        parts += ["undated", group.article_id or "", date_key(group.date_text)]
    return "ev-" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _inner_sets(people: list[str]) -> list[tuple[str, ...]]:
    """Every smaller non-empty set of the (sorted) participants; none for crowds, where nesting
    says little and the sets would be many."""
    if len(people) > _MAX_NESTED:
        return []
    return [sub for k in range(1, len(people)) for sub in combinations(people, k)]


def _pkey(claim: Claim) -> tuple[str, ...]:
    return tuple(sorted(set(claim.event.participants)))


def _day_text(d: dt.date) -> str:
    return d.isoformat()


def _stated_basis(date: DateValue) -> str:
    assert date.start is not None
    span = _day_text(date.start)
    if date.end is not None and date.end != date.start:
        span += f"..{_day_text(date.end)}"
    extra = f"; {date.basis}" if date.basis else ""
    return f"stated date {span} ({date.text!r}{extra})"


class _Resolver:
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

    def _date(self, claim: Claim) -> DateValue | None:
        return self._dates[claim.id]

    # 1 and 3: clusters keyed without channel; unknown channels join the one known channel there
    def _cluster(
        self, claims: list[Claim], base: Callable[[Claim], Hashable], make: Callable[[Claim], Group]
    ) -> list[tuple[Claim, Group]]:
        known: dict[Hashable, dict[Channel, Group]] = defaultdict(dict)
        loose: dict[tuple[Hashable, Channel], Group] = {}
        out = []
        for c in sorted(claims, key=lambda c: c.event.channel in _LOOSE):
            key, ch = base(c), c.event.channel
            if ch in _LOOSE and len(known[key]) == 1:
                g = next(iter(known[key].values()))
            elif ch in _LOOSE:
                g = loose.get((key, ch)) or loose.setdefault((key, ch), self._new(make(c)))
            else:
                g = known[key].get(ch) or known[key].setdefault(ch, self._new(make(c)))
            g.add([c])
            out.append((c, g))
        return out

    def _new(self, g: Group) -> Group:
        self.groups.append(g)
        return g

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
        self._merge_adjacent_days()
        self._place_unresolved(unresolved)
        self._place_undated(undated)
        self._place_by_ordinal()
        self._place_orphans(orphans)
        return self._finish()

    def _place_firm(self, claims: list[Claim]) -> None:
        def base(c: Claim) -> Hashable:
            d = self._date(c)
            assert d is not None and d.start is not None
            return (_pkey(c), d.start, d.end if d.end != d.start else None)

        def make(c: Claim) -> Group:
            d = self._date(c)
            assert d is not None and d.start is not None
            end = d.end if d.end is not None and d.end != d.start else None
            return Group(list(_pkey(c)), c.event.channel, d.start, end, date_basis="stated")

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

    # 2: one day apart, the same participants, no other candidate and no article reporting both
    def _merge_adjacent_days(self) -> None:
        by_pkey: dict[tuple[str, ...], dict[dt.date, list[Group]]] = defaultdict(lambda: defaultdict(list))
        for g in self.groups:
            if g.date is not None and g.date_end is None:
                by_pkey[tuple(g.participants)][g.date].append(g)
        for by_date in by_pkey.values():
            for day in sorted(by_date):
                for g in by_date[day]:
                    if g.merged_into is None:
                        self._try_merge(g, by_date)

    def _try_merge(self, g: Group, by_date: dict[dt.date, list[Group]]) -> None:
        assert g.date is not None

        def near(x: Group) -> list[Group]:
            assert x.date is not None
            return [
                y
                for d in (x.date - _DAY, x.date, x.date + _DAY)
                for y in by_date.get(d, [])
                if y is not x and y.merged_into is None and channels_compatible(x.channel, y.channel)
            ]

        nxt = [h for h in near(g) if h.date == g.date + _DAY]
        if len(nxt) != 1 or len(near(g)) != 1 or len(near(nxt[0])) != 1:
            return  # ambiguous: another event of the pair lies within a day
        h = nxt[0]
        if g.articles() & h.articles():
            return  # an article reporting both dates says they are two events
        keep, drop = sorted((g, h), key=self._date_strength, reverse=True)
        assert keep.date is not None and drop.date is not None
        why = self._why_kept(keep, drop)
        for c in drop.claims:
            d = self._date(c)
            assert d is not None
            self.place[c.id] = (
                keep,
                PlacementMethod.DATE_TOLERANCE,
                f"{_stated_basis(d)} is within 1 day of the event dated {_day_text(keep.date)}; "
                "no other event of these participants lies within a day",
            )
        keep.add(drop.claims)
        keep.date_basis += (
            f"; other reports date it {_day_text(drop.date)} (within 1 day); "
            f"{_day_text(keep.date)} kept because {why}"
        )
        if keep.channel == Channel.UNKNOWN:
            keep.channel = drop.channel
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
            return (c.article_id, _pkey(c), date_key(text(c)))

        def make(c: Claim) -> Group:
            return Group(
                list(_pkey(c)),
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

    def _anchors(self) -> dict[tuple[str, str], list[tuple[int, Claim]]]:
        """Claims with a date, by article and by each participant of their event, in text order.

        Indexed by participant so that an undated claim looks only at mentions that can hold it, not
        at every mention in a long article.
        """
        out: dict[tuple[str, str], list[tuple[int, Claim]]] = defaultdict(list)
        for c in self.claims:
            if c.id in self.place:
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
            cands = self._candidates(c, anchors.get((c.article_id, _pkey(c)[0]), []))
            if not cands:
                g = self._new(
                    Group(
                        list(_pkey(c)),
                        c.event.channel,
                        None,
                        article_id=c.article_id,
                        date_basis="no date stated and no dated mention of these participants in the article",
                    )
                )
                g.add([c])
                self.place[c.id] = (g, PlacementMethod.UNRESOLVED_DATE, "no date stated; an event of its own")
                for person in g.participants:
                    bisect.insort(anchors[(c.article_id, person)], (offset(c), c), key=lambda t: t[0])
                continue
            first = cands[0]
            if c.evidence.start is None:
                target, method = first, PlacementMethod.MAIN_EVENT
                basis = "no date stated: the article's first-mentioned event of these participants"
            else:
                positions = [p for p, _ in cands]
                i = bisect.bisect_right(positions, offset(c)) - 1
                target, method = (cands[i] if i >= 0 else first), PlacementMethod.NEAREST_MENTION
                where = "before it" if i >= 0 else "after it (none before)"
                basis = f"no date stated: the nearest mention of these participants {where} in the article"
            g = self._group_of(target[1])
            g.add([c])
            self.place[c.id] = (g, method, f"{basis} ({self._describe(g)})")

    def _candidates(self, c: Claim, lane: list[tuple[int, Claim]]) -> list[tuple[int, Claim]]:
        """Mentions whose event holds all of the claim's participants; the same set exactly, if any."""
        want = set(_pkey(c))
        fits = []
        for p, a in lane:
            g = self._group_of(a)
            if channels_compatible(c.event.channel, g.channel) and want <= set(g.participants):
                fits.append((p, a, len(g.participants) == len(want)))
        exact = [(p, a) for p, a, same in fits if same]
        return exact or [(p, a) for p, a, _ in fits]

    @staticmethod
    def _describe(g: Group) -> str:
        if g.date is not None:
            return f"event of {_day_text(g.date)}"
        return f"undated event {g.date_text!r}" if g.date_text else "undated event"

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
            f"ordinal {v.rank} in series since {_day_text(v.series_start)} against the timeline "
            f"({_day_text(target.date)})"
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
                    f"no participants stated: the article's main event ({self._describe(main[0])}, "
                    "first mentioned and most claimed)",
                )
            else:
                self.place[c.id] = (
                    None,
                    PlacementMethod.UNPLACED,
                    "no participants stated and no clear main event in the article",
                )

    def _finish(self) -> Resolution:
        events: list[Event] = []
        by_event: dict[str, list[Claim]] = {}
        ids: dict[int, str] = {}
        for g in self.groups:
            if g.merged_into is not None or not g.claims:
                continue
            claims = sorted(g.claims, key=lambda c: (c.article_id, offset(c), c.id))
            eid = ids[id(g)] = event_id_for(g)
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
        return Resolution(events, by_event, placements, self.series)


def resolve(claims: list[Claim], articles: list[Article]) -> Resolution:
    return _Resolver(claims, {a.id: a for a in articles}).run()
