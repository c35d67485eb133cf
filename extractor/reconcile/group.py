"""An event while it is being resolved, and the stable id it gets as an `Event`."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from extractor.reconcile.readings import date_key
from extractor.records import Channel, Claim


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
    unplaced: bool = False
    soft_date: bool = False  # dated by its article's date, not by any stated date
    unplaced_reason: str = ""
    candidates: list[tuple[Group, Any]] = field(default_factory=list)  # (event, link.Scored)
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

    def describe(self) -> str:
        if self.date is not None:
            return f"event of {self.date.isoformat()}"
        return f"undated event {self.date_text!r}" if self.date_text else "undated event"


def event_id_for(group: Group) -> str:
    parts = [*sorted(group.participants), "|", group.channel.value]
    if group.date is not None:
        parts += [group.date.isoformat(), group.date_end.isoformat() if group.date_end else ""]
    else:  # undated events are their article's own: two articles' undated mentions never share an id
        parts += ["undated", group.article_id or "", date_key(group.date_text)]
    return "ev-" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
