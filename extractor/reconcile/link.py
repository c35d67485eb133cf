"""Linking an account to an event by evidence, not by equal dates.

An *account* is what one article says about one contact (participants and channel) when its date
cannot be read as a day: "on Thursday" in a page with no publication date, or no date at all. It is
scored against every resolved event of the same participants and a compatible channel (indexed by
participants, never all against all) on:

- dates: a stated weekday or month and day must fit the event's date (a hard constraint); an
  event after the article's anchor cannot be reported by it; nearness to the anchor counts, and so
  does being the first event after the latest day the article states for these participants;
- a previous contact the article names ("their previous call was on June 4") excludes events on or
  before that day and favours the first event after it;
- shared descriptors: an overlapping duration, the same rank in the same series ("the sixth call this
  year"), and distinctive words the two accounts share (topics, phrases such as "energy
  infrastructure" or "prisoner exchange").

The best candidate is linked when its score reaches `LINK_SCORE` and beats the next by `MARGIN`;
otherwise the account is *unplaced*, kept apart and listed with its candidates. Every link and every
refusal records its basis.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from extractor.normalise import durations_agree
from extractor.reconcile.readings import claim_date, ordinal_of
from extractor.reconcile.readings import month_days as stated_month_days
from extractor.records import Article, Claim, ClaimKind, DurationValue
from extractor.textnorm import normalise_for_match

LINK_SCORE = 2.0
MARGIN = 1.0
MAX_CANDIDATES = 3
WINDOW_DAYS = 3  # dated reports this far apart may be one event, when their descriptors agree
WEEKDAY_MISMATCH = 2.0
MONTH_DAY_MISMATCH = 2.0
MAX_WORDS_GAIN = 4.0
RECENT_DAYS = 7  # a dated report without a date of its own is about a contact this recent

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
# function words and the vocabulary every report of a contact shares: they say nothing about *which*
# contact it is
_STOP = frozenset(
    """the and for with that this was were are has have had his her their they them its from into
    about after before over under also said says told would will could should been being which while
    than then there these those when where what who whom whose not but all any each other more most
    such only own same very can just did does doing during between against again further once here
    why how both few some nor off out per via upon our your you she him he it we us one two three
    leaders leader president presidents phone call calls called conversation conversations talk talks
    talked spoke speak speaking discussed discuss discussion held hold telephone meeting meetings
    statement statements side sides country countries russian russia american united states kremlin
    white house press secretary spokesman spokesperson aide according reported report reports news
    agency readout official officials government minister ministry first second third last previous
    today yesterday monday tuesday wednesday thursday friday saturday sunday year years month months
    week weeks day days time times hour hours minutes""".split()
)


@dataclass
class Descriptors:
    """What an account or an event says about a contact, beyond its date and participants."""

    durations: list[DurationValue] = field(default_factory=list)
    ordinals: set[tuple[int, dt.date | str | None]] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    bigrams: set[tuple[str, str]] = field(default_factory=set)


def _content_words(text: str, names: set[str]) -> list[str]:
    return [w for w in _WORD.findall(normalise_for_match(text).lower()) if w not in _STOP and w not in names]


def descriptors(claims: list[Claim], articles: dict[str, Article]) -> Descriptors:
    out = Descriptors()
    names = {part.lower() for c in claims for p in c.event.participants for part in p.split()}
    for c in claims:
        if c.kind == ClaimKind.DURATION and isinstance(c.value, DurationValue):
            out.durations.append(c.value)
        if c.kind == ClaimKind.ORDINAL:
            v = ordinal_of(c, articles.get(c.article_id))
            if v is not None:
                gap = normalise_for_match(v.series_start_text or "").lower() or None
                out.ordinals.add((v.rank, v.series_start or gap))
        words = _content_words(c.evidence.quote + " " + (c.topic or ""), names)
        out.words.update(words)
        out.bigrams.update(itertools.pairwise(words))
    return out


@dataclass(frozen=True)
class DateConstraint:
    """What an account's words say about its day without resolving it."""

    weekdays: frozenset[int] = frozenset()
    month_days: frozenset[tuple[int, int]] = frozenset()
    after: dt.date | None = None  # a previous contact the article dates: the event is later
    after_text: str = ""


def date_constraint(claims: list[Claim], previous: dt.date | None, previous_text: str) -> DateConstraint:
    weekdays: set[int] = set()
    month_days: set[tuple[int, int]] = set()
    for c in claims:
        d = claim_date(c)
        text = d.text if d is not None else (c.event.date_text or "")
        if not text or (d is not None and d.resolved):
            continue
        low = normalise_for_match(text).lower()
        weekdays.update(i for i, w in enumerate(_WEEKDAYS) if re.search(rf"\b{w}\b", low))
        month_days.update(stated_month_days(text))
    return DateConstraint(frozenset(weekdays), frozenset(month_days), previous, previous_text)


@dataclass(frozen=True)
class Scored:
    score: float
    reasons: tuple[str, ...]


def score_candidate(
    *,
    account: Descriptors,
    event: Descriptors,
    event_date: dt.date,
    constraint: DateConstraint,
    anchor: dt.date | None,
    latest_stated: dt.date | None,
    first_after_latest: bool,
    first_after_previous: bool,
    rare: Counter[str],
) -> Scored | None:
    """The evidence that an account is about an event on `event_date`, or None when it cannot be."""
    reasons: list[str] = []
    score = 0.0
    # a stated day that does not fit costs more than a fitting one earns: only strong descriptors
    # link such an account, and the difference is then a date conflict, not a second event
    if constraint.weekdays:
        if event_date.weekday() in constraint.weekdays:
            score += 1
            reasons.append(f"the stated weekday fits ({_WEEKDAYS[event_date.weekday()].title()})")
        else:
            score -= WEEKDAY_MISMATCH
            said = "/".join(_WEEKDAYS[w].title() for w in sorted(constraint.weekdays))
            reasons.append(
                f"the stated weekday ({said}) does not fit {_WEEKDAYS[event_date.weekday()].title()}"
            )
    if constraint.month_days:
        if (event_date.month, event_date.day) in constraint.month_days:
            score += 1
            reasons.append("the stated month and day fit")
        else:
            score -= MONTH_DAY_MISMATCH
            reasons.append("the stated month and day do not fit")
    if constraint.after is not None:
        if event_date <= constraint.after:
            return None
        if first_after_previous:
            score += 2
            reasons.append(
                f"the first event after the previous contact it names ({constraint.after_text!r}, "
                f"{constraint.after.isoformat()})"
            )
    if anchor is not None:
        if event_date > anchor + dt.timedelta(days=1):
            return None
        days = (anchor - event_date).days
        if days <= 7:
            score += 2
            reasons.append(f"{days} days before the article's date ({anchor.isoformat()})")
        elif days <= 31:
            score += 1
            reasons.append(f"{days} days before the article's date ({anchor.isoformat()})")
    elif latest_stated is not None and event_date >= latest_stated and first_after_latest:
        score += 1
        reasons.append(f"the first event on or after the latest day its article states ({latest_stated})")
    if account.durations and event.durations:
        # a different length is a common discrepancy between reports of one event: no penalty
        if any(durations_agree(a, b) for a in account.durations for b in event.durations):
            score += 2
            reasons.append("the same duration")
    shared_ord = {o for o in account.ordinals & event.ordinals if o[1] is not None}
    if shared_ord:
        rank, since = sorted(shared_ord, key=lambda o: o[0])[0]
        score += 2
        reasons.append(f"the same rank ({rank}) in the same series ({since})")
    shared = sorted(w for w in account.words & event.words if rare[w] <= 2)
    pairs = account.bigrams & event.bigrams
    if shared or pairs:
        gain = min(MAX_WORDS_GAIN, 0.25 * len(shared) + 0.5 * len(pairs))
        if gain >= 0.5:
            score += gain
            phrase = " ".join(pairs.pop()) if pairs else shared[0]
            reasons.append(f"shared distinctive words ({len(shared)}, e.g. {phrase!r})")
    return Scored(score, tuple(reasons))


def decide(scored: list[Scored]) -> tuple[int | None, str]:
    """Index of the candidate to link, or None, and why."""
    if not scored:
        return None, "no resolved event of these participants fits its date"
    order = sorted(range(len(scored)), key=lambda i: -scored[i].score)
    best = scored[order[0]]
    if best.score < LINK_SCORE:
        return None, f"the best candidate scores {best.score:g}, under {LINK_SCORE:g}: too little evidence"
    if len(order) > 1 and best.score - scored[order[1]].score < MARGIN:
        return None, "several events fit about equally well"
    return order[0], ""
