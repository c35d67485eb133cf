"""The resolver's steps that link by evidence (see `link` for the score):

- dated reports of one contact a few days apart are one event when nothing says they are two
  (`_merge_within_window`): the difference is a date conflict, not a second event;
- an account whose date is not a day is linked to the resolved event its evidence points at, or
  kept apart as *unplaced* with its candidates (`_link_accounts`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable

from extractor.reconcile.group import Group
from extractor.reconcile.link import (
    MAX_CANDIDATES,
    RECENT_DAYS,
    WINDOW_DAYS,
    Descriptors,
    Scored,
    date_constraint,
    decide,
    descriptors,
    score_candidate,
)
from extractor.reconcile.readings import is_firm, previous_reference
from extractor.reconcile.result import PlacementMethod
from extractor.reconcile.timeline import channels_compatible
from extractor.records import Article, Channel, Claim, ClaimKind, DateValue

_DAY = dt.timedelta(days=1)


def _reports_occurrence(g: Group, article_id: str) -> bool:
    return any(c.kind == ClaimKind.EVENT for c in g.claims if c.article_id == article_id)


class _Descs:
    """Descriptors of groups, computed when first asked for (most lanes never need them)."""

    def __init__(self, make: Callable[[Group], Descriptors]) -> None:
        self._make = make
        self._known: dict[int, Descriptors] = {}

    def __getitem__(self, g: Group) -> Descriptors:
        found = self._known.get(id(g))
        if found is None:
            found = self._known[id(g)] = self._make(g)
        return found

    def refresh(self, g: Group) -> None:
        self._known[id(g)] = self._make(g)


class AccountLinker:
    claims: list[Claim]
    articles: dict[str, Article]
    place: dict[str, tuple[Group | None, PlacementMethod, str]]
    groups: list[Group]
    _dates: dict[str, DateValue | None]
    weekday_links: dict[str, tuple[dt.date, str]]

    def _date_strength(self, g: Group) -> tuple[int, bool, int, dt.date]:
        raise NotImplementedError  # the resolver's: which of two dates of one event is kept

    def _why_kept(self, g: Group, other: Group) -> str:
        raise NotImplementedError

    def _desc(self, g: Group) -> Descriptors:
        return descriptors(g.claims, self.articles)

    @staticmethod
    def _rare(groups: list[Group], descs: _Descs) -> Counter[str]:
        """In how many of these groups each word occurs: a word in few of them is distinctive."""
        rare: Counter[str] = Counter()
        for g in groups:
            rare.update(descs[g].words)
        return rare

    # -- dated reports a few days apart ---------------------------------------------------------
    def _merge_within_window(self) -> None:
        lanes: dict[tuple[str, ...], list[Group]] = defaultdict(list)
        for g in self.groups:
            if g.merged_into is None and g.date is not None and g.date_end is None:
                lanes[tuple(g.participants)].append(g)
        for lane in lanes.values():
            if len(lane) > 1:
                self._merge_lane(sorted(lane, key=lambda g: g.date or dt.date.min))

    def _merge_lane(self, lane: list[Group]) -> None:
        descs = _Descs(self._desc)
        rares: list[Counter[str]] = []  # computed once, only for a lane with reports days apart
        for i, g in enumerate(lane):
            if g.merged_into is not None:
                continue
            assert g.date is not None
            for h in lane[i + 1 :]:
                assert h.date is not None
                if (h.date - g.date).days > WINDOW_DAYS:
                    break
                if h.merged_into is not None:
                    continue
                # a meeting and a call of one pair on the same day, from reports that never give
                # both, is one contact one report mislabelled: the channel most reports give is kept
                same_day = h.date == g.live().date and not (g.live().articles() & h.articles())
                if not channels_compatible(g.channel, h.channel) and not same_day:
                    continue
                if not rares:
                    rares.append(self._rare(lane, descs))
                why = self._same_event(g, h, lane, descs, rares[0])
                if why is not None:
                    self._merge_dated(g.live(), h, why)

    def _same_event(
        self, g: Group, h: Group, lane: list[Group], descs: _Descs, rare: Counter[str]
    ) -> str | None:
        """Why two dated groups a few days apart are one event, or None when they may be two."""
        live = g.live()
        for a in live.articles() & h.articles():
            # an article reporting both dates says they are two events, unless one of them holds no
            # report of an occurrence from it, only what was agreed or said (its own inconsistency)
            if _reports_occurrence(live, a) and _reports_occurrence(h, a):
                return None
        assert live.date is not None and h.date is not None
        days = abs((h.date - live.date).days)
        for x in lane:
            x_live = x.live()
            if x_live in (live, h) or x_live.date is None:
                continue
            # another event of the pair between them, reported by one of their articles, keeps them apart
            if min(live.date, h.date) <= x_live.date <= max(live.date, h.date) and (
                x_live.articles() & (live.articles() | h.articles())
            ):
                return None
            # a report as near another event that an article says is a different one: it joins neither
            if abs((x_live.date - h.date).days) <= days and x_live.articles() & live.articles():
                return None
            if abs((x_live.date - live.date).days) <= days and x_live.articles() & h.articles():
                return None
        evidence = score_candidate(
            account=descs[h],
            event=self._desc(live),
            event_date=live.date,
            constraint=date_constraint([], None, ""),
            anchor=None,
            latest_stated=None,
            first_after_latest=False,
            first_after_previous=False,
            rare=rare,
        )
        got = evidence.score if evidence is not None else 0.0
        shared = "; ".join(evidence.reasons) if evidence is not None else ""
        if days <= 1 and got >= 0:
            return "within 1 day and no other event of these participants between them" + (
                f"; {shared}" if shared else ""
            )
        if got >= 2:
            return f"within {days} days, with agreeing descriptors ({shared})"
        return None

    def _merge_dated(self, keep: Group, drop: Group, why: str) -> None:
        keep, drop = sorted((keep, drop), key=self._date_strength, reverse=True)
        assert keep.date is not None and drop.date is not None
        kept_because = self._why_kept(keep, drop)
        for c in drop.claims:
            prev = self.place[c.id][2]
            self.place[c.id] = (
                keep,
                PlacementMethod.DATE_TOLERANCE,
                f"{prev}; placed on the event dated {keep.date.isoformat()}: {why}",
            )
        keep.add(drop.claims)
        keep.date_basis += (
            f"; other reports date it {drop.date.isoformat()} ({why}); "
            f"{keep.date.isoformat()} kept because {kept_because}"
        )
        if keep.channel == Channel.UNKNOWN:
            keep.channel = drop.channel
        elif not channels_compatible(keep.channel, drop.channel):
            keep.date_basis += f"; a report calls it a {drop.channel.value.replace('_', ' ')}"
        drop.merged_into = keep

    # -- accounts without a day ---------------------------------------------------------------
    def _previous_contacts(self) -> dict[tuple[str, tuple[str, ...]], tuple[dt.date, str]]:
        """Per article and participants: the latest previous contact the article dates ("their
        previous call was on June 4"): the contact it reports came after it."""
        out: dict[tuple[str, tuple[str, ...]], tuple[dt.date, str]] = {}
        for c in self.claims:
            words = previous_reference(c)
            d = self._dates.get(c.id)
            if words is None or not is_firm(d) or d is None or d.end is None:
                continue
            key = (c.article_id, tuple(sorted(set(c.event.participants))))
            if key not in out or out[key][0] < d.end:
                out[key] = (d.end, d.text)
        return out

    def _latest_stated(self) -> dict[tuple[str, tuple[str, ...]], dt.date]:
        out: dict[tuple[str, tuple[str, ...]], dt.date] = {}
        for c in self.claims:
            d = self._dates.get(c.id)
            if is_firm(d) and d is not None and d.end is not None:
                key = (c.article_id, tuple(sorted(set(c.event.participants))))
                out[key] = max(out.get(key, d.end), d.end)
        return out

    def _link_accounts(self) -> None:
        live = [g for g in self.groups if g.merged_into is None and g.claims]
        dated: dict[tuple[str, ...], list[Group]] = defaultdict(list)
        for g in live:
            if g.date is not None and g.date_end is None:
                dated[tuple(g.participants)].append(g)
        previous = self._previous_contacts()
        latest = self._latest_stated()
        descs = _Descs(self._desc)
        rares: dict[tuple[str, ...], Counter[str]] = {}
        for lane in dated.values():
            lane.sort(key=lambda g: g.date or dt.date.min)

        def rare(key: tuple[str, ...]) -> Counter[str]:
            if key not in rares:
                rares[key] = self._rare(dated.get(key, []), descs)
            return rares[key]

        accounts = [g for g in live if g.date is None and g.article_id is not None]
        # first the accounts of dated articles: a report is about a recent contact, so each links to
        # an event of the days before its date, or stands for one, dated (softly) by its article
        for g in sorted(accounts, key=lambda g: g.article_id or ""):
            art = self.articles.get(g.article_id or "")
            if art is None or art.published is None or self._states_a_day(g):
                continue
            key = tuple(g.participants)
            lane = dated.setdefault(key, [])
            recent = [x for x in lane if x.date and 0 <= (art.published - x.date).days <= RECENT_DAYS]
            if recent:
                self._link_one(g, recent, descs, rare(key), previous, latest)
            if g.merged_into is None and not g.unplaced:
                self._date_by_article(g, art)
                lane.append(g)
                lane.sort(key=lambda x: x.date or dt.date.min)
                rares.pop(key, None)
        # then the others, twice: an event that gained accounts in the first round has more
        # descriptors to recognise the rest by
        for _round in range(2):
            for g in accounts:
                if g.merged_into is not None or g.date is not None:
                    continue
                key = tuple(g.participants)
                lane = dated.get(key, [])
                if not lane:
                    g.unplaced = True
                    g.unplaced_reason = "no resolved event of these participants to link it to"
                    continue
                g.unplaced, g.unplaced_reason, g.candidates = False, "", []
                self._link_one(g, lane, descs, rare(key), previous, latest)

    def _states_a_day(self, g: Group) -> bool:
        """Whether the account names its day in words that did not resolve ("on Friday" in a page
        whose date is known would have resolved; an unparsed phrase stays the account's own)."""
        return any(c.event.date_text for c in g.claims)

    def _date_by_article(self, g: Group, art: Article) -> None:
        assert art.published is not None
        g.date = art.published
        g.soft_date = True
        g.date_basis = (
            f"no date stated: dated by its article ({art.published_basis or 'publication date'}), "
            "the latest day the contact can have been"
        )
        for c in g.claims:
            before = self.place[c.id][2]
            self.place[c.id] = (g, PlacementMethod.ARTICLE_DATE, f"{g.date_basis}; in its article: {before}")

    def _link_one(
        self,
        g: Group,
        lane: list[Group],
        descs: _Descs,
        rare: Counter[str],
        previous: dict[tuple[str, tuple[str, ...]], tuple[dt.date, str]],
        latest: dict[tuple[str, tuple[str, ...]], dt.date],
    ) -> None:
        assert g.article_id is not None
        key = (g.article_id, tuple(g.participants))
        prev = previous.get(key)
        constraint = date_constraint(g.claims, prev[0] if prev else None, prev[1] if prev else "")
        art = self.articles.get(g.article_id)
        anchor = art.published if art is not None else None
        account = self._desc(g)
        stated = latest.get(key)
        first_after_stated = next(
            (x for x in lane if stated is not None and x.date and x.date >= stated), None
        )
        first_after_prev = next((x for x in lane if prev is not None and x.date and x.date > prev[0]), None)
        scored: list[tuple[Group, Scored]] = []
        for h in lane:
            if h.merged_into is not None or not channels_compatible(g.channel, h.channel):
                continue
            if g.article_id in h.articles():
                continue  # its own article dates that event: this account is another one
            assert h.date is not None
            s = score_candidate(
                account=account,
                event=descs[h],
                event_date=h.date,
                constraint=constraint,
                anchor=anchor,
                latest_stated=stated,
                first_after_latest=h is first_after_stated,
                first_after_previous=h is first_after_prev,
                rare=rare,
            )
            if s is not None:
                scored.append((h, s))
        pick, why = decide([s for _, s in scored])
        if pick is None:
            g.unplaced = True
            g.unplaced_reason = why
            g.candidates = sorted(scored, key=lambda t: -t[1].score)[:MAX_CANDIDATES]
            return
        target, s = scored[pick]
        basis = f"linked by evidence (score {s.score:g}): " + "; ".join(s.reasons)
        if constraint.weekdays and target.date is not None and target.date.weekday() in constraint.weekdays:
            for c in g.claims:
                d = self._dates.get(c.id)
                if d is not None and d.weekday_stated and not d.resolved:
                    self.weekday_links[c.id] = (
                        target.date,
                        f"{d.text!r} {basis}, to the {target.describe()}",
                    )
        for c in g.claims:
            before = self.place[c.id][2]
            self.place[c.id] = (target, PlacementMethod.EVIDENCE, f"{basis}; in its article: {before}")
        target.add(g.claims)
        descs.refresh(target)
        assert target.date is not None
        target.date_basis += f"; an account without a day ({g.date_text or 'no date'!r}) {basis}"
        g.merged_into = target
