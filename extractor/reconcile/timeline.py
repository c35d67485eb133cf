"""Timelines: dated contacts per participant and per pair, and series queries over them.

Ordinals and counts are checked against these ("the sixth call this year"), so a query always names
its participants and a window: nothing here compares unrelated events with each other.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Generic, Protocol, TypeVar

from extractor.reconcile.result import ReconcileResult, Timeline, TimelineEntry
from extractor.records import Channel, Event


class Dated(Protocol):
    @property
    def participants(self) -> list[str]: ...
    @property
    def channel(self) -> Channel: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def date_end(self) -> dt.date | None: ...


T = TypeVar("T", bound=Dated)


def is_day(item: Dated) -> bool:
    """A single known day; month or year events are shown but never counted or ranked."""
    return item.date is not None and (item.date_end is None or item.date_end == item.date)


# A model often labels a readout or a list item "statement" or "other": such a label fits any channel.
_LOOSE_CHANNELS = (Channel.UNKNOWN, Channel.STATEMENT, Channel.OTHER)


def channels_compatible(a: Channel, b: Channel) -> bool:
    return a == b or a in _LOOSE_CHANNELS or b in _LOOSE_CHANNELS


class _Lane(Generic[T]):
    """One participant's or one pair's dated events, sorted, with a parallel list of dates to bisect."""

    def __init__(self, items: list[T]) -> None:
        # only dated items reach a lane, so the `or dt.date.min` never applies
        self.items = sorted(items, key=lambda i: (i.date or dt.date.min, i.date_end or i.date or dt.date.min))
        self.dates = [i.date or dt.date.min for i in self.items]


class TimelineIndex(Generic[T]):
    def __init__(self, items: Iterable[T]) -> None:
        by_pair: dict[tuple[str, ...], list[T]] = defaultdict(list)
        by_person: dict[tuple[str, ...], list[T]] = defaultdict(list)
        for item in items:
            if item.date is None or item.channel == Channel.STATEMENT:
                continue  # undated events have no place on a timeline; statements are not contacts
            people = sorted(set(item.participants))
            for p in people:
                by_person[(p,)].append(item)
            for pair in combinations(people, 2):
                by_pair[pair].append(item)
        self._lanes: dict[tuple[str, ...], _Lane[T]] = {k: _Lane(v) for k, v in (by_person | by_pair).items()}

    def keys(self) -> list[tuple[str, ...]]:
        return sorted(self._lanes)

    def events_with(self, participants: Sequence[str]) -> list[T]:
        """Dated events whose participants include all of `participants`, in date order."""
        people = sorted(set(participants))
        if not people:
            return []
        lane = self._lanes.get(tuple(people[:2]))
        if lane is None:
            return []
        if len(people) <= 2:
            return list(lane.items)
        wanted = set(people)
        return [i for i in lane.items if wanted <= set(i.participants)]

    def series(
        self,
        participants: Sequence[str],
        channel: Channel,
        start: dt.date | None,
        end: dt.date | None = None,
    ) -> list[T]:
        """Single-day events of a series: the same people, the same known channel, within [start, end].

        An unknown channel on the query matches every channel; events of unknown channel never join
        a series of known channel, because counting them could only invent disagreements.
        """
        people = sorted(set(participants))
        lane = self._lanes.get(tuple(people[:2])) if people else None
        if lane is None:
            return []
        lo = 0 if start is None else bisect.bisect_left(lane.dates, start)
        hi = len(lane.items) if end is None else bisect.bisect_right(lane.dates, end)
        wanted = set(people)
        out = []
        for item in lane.items[lo:hi]:
            if not is_day(item) or not wanted <= set(item.participants):
                continue
            if channel != Channel.UNKNOWN and item.channel != channel:
                continue
            out.append(item)
        return out


def build_timelines(index: TimelineIndex[Event]) -> list[Timeline]:
    # one entry per event, shared by its people's and pairs' lanes
    entries: dict[str, TimelineEntry] = {}

    def entry(e: Event) -> TimelineEntry:
        if e.id not in entries:
            assert e.date is not None
            entries[e.id] = TimelineEntry(
                event_id=e.id,
                date=e.date,
                date_end=e.date_end,
                channel=e.channel,
                participants=e.participants,
                article_ids=e.article_ids,
                sides=e.sides,
            )
        return entries[e.id]

    return [
        Timeline(participants=list(key), entries=[entry(e) for e in index.events_with(key)])
        for key in index.keys()
    ]


def timeline_for(result: ReconcileResult, participants: Sequence[str]) -> list[Event]:
    """Dated events involving all of `participants` (one name, a pair, or more), in date order."""
    people = sorted(set(participants))
    by_id = {e.id: e for e in result.events}
    lane_key = people[:2]
    for timeline in result.timelines:
        if timeline.participants == lane_key:
            events = [by_id[entry.event_id] for entry in timeline.entries]
            return [e for e in events if set(people) <= set(e.participants)]
    return []
