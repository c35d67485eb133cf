"""Detectors: each finds one kind of disagreement between accounts, given the resolved events.

A detector is a module with `detect(ctx) -> list[Conflict]`. It looks within one event, or within
one participant pair's timeline, never across unrelated events. This package holds the shared
context and the small helpers every detector uses to word its findings the same way; it imports no
detector at module level, so detectors can import it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from extractor.reconcile.result import PairJudgement, Placement, StatementComparer
from extractor.reconcile.timeline import TimelineIndex
from extractor.records import (
    Article,
    Channel,
    Claim,
    ClaimKind,
    Conflict,
    ConflictKind,
    ConflictSide,
    Event,
    Severity,
    conflict_id_for,
)


@dataclass
class DetectorContext:
    events: dict[str, Event]
    claims_by_event: dict[str, list[Claim]]
    series_claims: list[Claim]
    placements: dict[str, Placement]
    articles: dict[str, Article]
    timeline: TimelineIndex[Event]
    comparer: StatementComparer | None = None
    judgements: list[PairJudgement] = field(default_factory=list)
    _reps: dict[str, Claim | None] = field(default_factory=dict)
    _by_kind: dict[str, dict[ClaimKind, list[Claim]]] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)

    def claims_of(self, event_id: str, *kinds: ClaimKind) -> list[Claim]:
        claims = self.claims_by_event.get(event_id, [])
        if not kinds:
            return list(claims)
        if event_id not in self._by_kind:  # every detector asks every event: split it once
            split: dict[ClaimKind, list[Claim]] = {}
            for c in claims:
                split.setdefault(c.kind, []).append(c)
            self._by_kind[event_id] = split
        split = self._by_kind[event_id]
        return [c for kind in kinds for c in split.get(kind, [])]

    def representative(self, event_id: str) -> Claim | None:
        """The claim that best states the event: an event claim with its own date, else the first."""
        if event_id not in self._reps:
            claims = first_in_text(self.claims_by_event.get(event_id, []))
            dated = [c for c in claims if c.kind == ClaimKind.EVENT and c.event.date is not None]
            best = dated or claims
            self._reps[event_id] = best[0] if best else None
        return self._reps[event_id]

    def label(self, article_id: str) -> str:
        if article_id not in self._labels:
            self._labels[article_id] = article_label(self.articles.get(article_id), article_id)
        return self._labels[article_id]

    def published(self, article_id: str) -> dt.date | None:
        art = self.articles.get(article_id)
        return art.published if art is not None else None


def article_label(article: Article | None, article_id: str) -> str:
    """A short name reviewers recognise: '002' for seeds named '002_<hash>.txt', else outlet or file."""
    if article is None:
        return article_id[:8]
    stem = PurePath(article.source).stem
    m = re.fullmatch(r"(\d+)_[0-9a-f]{8,}", stem)
    if m:
        return m.group(1)
    return article.outlet or stem or article_id[:8]


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def fmt_date(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"  # not strftime: locale-free, and called often


def channel_noun(channel: Channel) -> str:
    return {Channel.PHONE_CALL: "call", Channel.MEETING: "meeting", Channel.VISIT: "visit"}.get(
        channel, "event"
    )


def event_name(event: Event) -> str:
    who = "–".join(surname(p) for p in event.participants) or "unnamed participants"
    when = fmt_date(event.date) if event.date is not None else "undated"
    return f"the {who} {channel_noun(event.channel)} ({when})"


def cap(text: str) -> str:
    """Capitalise the first letter only: names and months inside keep their case."""
    return text[:1].upper() + text[1:]


def surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def side_of(claim: Claim, statement: str = "") -> ConflictSide:
    ev = claim.evidence
    return ConflictSide(
        claim_id=claim.id,
        article_id=claim.article_id,
        side=claim.attribution.side,
        speaker=claim.attribution.speaker,
        quote=ev.quote,
        start=ev.start,
        end=ev.end,
        statement=statement or claim.summary,
    )


def make_conflict(
    kind: ConflictKind,
    severity: Severity,
    event_id: str | None,
    sides: Sequence[ConflictSide],
    explanation: str,
    detector: str,
) -> Conflict:
    return Conflict(
        id=conflict_id_for(kind.value, event_id, [s.claim_id for s in sides]),
        kind=kind,
        severity=severity,
        event_id=event_id,
        sides=list(sides),
        explanation=explanation,
        detector=detector,
    )


def first_in_text(claims: Iterable[Claim]) -> list[Claim]:
    return sorted(claims, key=lambda c: (c.evidence.start is None, c.evidence.start or 0, c.id))


def quoted(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}'"


# Word overlap for topics and statements. Deliberately crude and explainable: two words match when
# equal or sharing a prefix of five letters ("Ukraine"/"Ukrainian", "escalation"/"escalating").
_STOP = frozenset(
    "a an the of on in at to for from by with and or but about over into as its it their his her "
    "this that these those is was were be been being are has have had will would could should also "
    "between among after before during some certain any all both other such than then there which "
    "who whom what when where while not no nor only very more most two leaders leader presidents "
    "president side sides said says say".split()
)
_GENERIC = frozenset(
    "situation situations issue issues question questions matter matters development developments "
    "conflict war topic topics discussion discussions prospects prospect possibility possible state "
    "current ongoing need importance further continuing efforts".split()
)


def words(text: str | None, drop: Iterable[str] = ()) -> frozenset[str]:
    # topics and names repeat across thousands of claims: the pure computation is cached
    return _words(text or "", tuple(drop))


@functools.lru_cache(maxsize=1 << 16)
def _words(text: str, drop: tuple[str, ...]) -> frozenset[str]:
    if not text:
        return frozenset()
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"['’]s\b", "", plain)
    dropped = {w for name in drop for w in words_raw(name)}
    return frozenset(
        w for w in re.findall(r"[a-z0-9]+", plain) if w not in _STOP and len(w) > 1 and w not in dropped
    )


def words_raw(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", plain)


def content(ws: frozenset[str]) -> frozenset[str]:
    """Without generic words ('situation', 'issue'), unless nothing else is left."""
    rest = ws - _GENERIC
    return rest or ws


def same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    n = min(len(a), len(b))
    if n < 4:
        return False
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k >= min(5, n)


def _hits(a: frozenset[str], b: frozenset[str]) -> int:
    return sum(1 for w in a if any(same_word(w, x) for x in b))


@functools.lru_cache(maxsize=1 << 16)
def covers(a: frozenset[str], b: frozenset[str]) -> bool:
    """Lenient: half of the shorter side's content words appear in the other (used to avoid flooding)."""
    a, b = content(a), content(b)
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return _hits(short, long_) * 2 >= len(short)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Strict: Dice overlap of content words, for claims whose disagreement would be flagged."""
    a, b = content(a), content(b)
    if not a or not b:
        return 0.0
    return (_hits(a, b) + _hits(b, a)) / (len(a) + len(b))


def topic_position(claim: Claim) -> tuple[bool, int, str]:
    """Where the claim's topic is first mentioned: its quote's offset plus the topic's first word in it.

    Several topics often share one quote ("to address the escalation in the Middle East, the exchange
    of prisoners ..."); their order in the sentence is the article's order of emphasis.
    """
    start = claim.evidence.start
    quote = claim.evidence.quote.lower()
    hits = [quote.find(w) for w in words_raw(claim.topic or "") if len(w) > 2 and quote.find(w) >= 0]
    # a topic the quote does not word the same way comes after those it does
    return (start is None, (start or 0) + (min(hits) if hits else len(quote)), claim.id)


def topic_words(claim: Claim, drop: Iterable[str] = ()) -> frozenset[str]:
    return words(claim.topic or claim.summary or claim.evidence.quote, drop)


MAX_SIDES = 12  # a conflict against the timeline names at most this many events as sides
# Conflicts are per disagreeing value (a date, an interval, a rank), never per pair of articles: a
# call reported by two hundred articles gives one conflict per disagreement, and each value keeps
# at most this many sides (one per article); the explanation counts the rest.
MAX_PER_VALUE = 6


def one_per_article(claims: Iterable[Claim]) -> list[Claim]:
    """The first claim of each article, in text order."""
    seen: dict[str, Claim] = {}
    for c in first_in_text(claims):
        seen.setdefault(c.article_id, c)
    return list(seen.values())


def who(ctx: DetectorContext, claims: Sequence[Claim]) -> str:
    """'004', '004 and 002', or '004, 002 and 5 more articles' for the articles of `claims`."""
    names = list(dict.fromkeys(ctx.label(c.article_id) for c in claims))
    if len(names) <= 2:
        return " and ".join(names)
    if len(names) <= 3:
        return f"{names[0]}, {names[1]} and {names[2]}"
    return f"{names[0]}, {names[1]} and {len(names) - 2} more articles"


def run_detectors(ctx: DetectorContext) -> list[Conflict]:
    from extractor.reconcile.detectors import (
        competing_accounts,
        count_conflicts,
        date_conflicts,
        duration_conflicts,
        emphasis,
        initiator_conflicts,
        internal_consistency,
        ordinal_conflicts,
        previous_contact,
        recency,
        statements,
        topic_polarity,
        windows,
    )

    found: dict[str, Conflict] = {}
    for module in (
        date_conflicts,
        duration_conflicts,
        count_conflicts,
        ordinal_conflicts,
        previous_contact,
        recency,
        windows,
        topic_polarity,
        initiator_conflicts,
        internal_consistency,
        competing_accounts,
        emphasis,
    ):
        for conflict in module.detect(ctx):
            found.setdefault(conflict.id, conflict)
    # last: a pair the deterministic detectors already set against each other is not asked again
    compared, ctx.judgements = statements.detect(ctx, list(found.values()))
    for conflict in compared:
        found.setdefault(conflict.id, conflict)
    return sorted(found.values(), key=lambda c: (c.severity.rank, c.kind.value, c.id))
