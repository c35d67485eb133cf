"""Linking accounts to events by evidence: anchors for undated pages, scores over dates and
descriptors, previous-contact references and recency windows.

The texts here are short synthetic reports written for these tests (the real reports are in
fixtures/corpus, measured by tests/test_corpus.py). Claims go through the same `build_claim` as a
model's or an import's, so dates, durations and ordinals are read by the normaliser.
"""

from __future__ import annotations

import datetime as dt

from extractor.entities import default_entities
from extractor.extract.build import build_claim
from extractor.reconcile import PlacementMethod, ReconcileResult, reconcile
from extractor.reconcile.anchors import from_dateline, from_page, from_url, infer_anchor
from extractor.records import Article, Claim, ConflictKind, ImportedClaim, Origin, Severity

TP = ["Donald Trump", "Vladimir Putin"]
ORIGIN = Origin(source="gold")


def art(name: str, text: str, *, published: dt.date | None = None, url: str | None = None) -> Article:
    return Article.from_text(
        text,
        f"{name}.txt",
        published=published,
        url=url,
        published_basis="front matter" if published else None,
    )


def claim(a: Article, kind: str, quote: str, **fields: object) -> Claim:
    item = ImportedClaim.model_validate(
        {
            "article": a.source,
            "kind": kind,
            "quote": quote,
            "participants": fields.pop("participants", TP),
            "channel": fields.pop("channel", "phone_call"),
            **fields,
        }
    )
    return build_claim(a, item, origin=ORIGIN, entities=default_entities())


def event_of(result: ReconcileResult, c: Claim) -> str:
    p = result.placement(c.id)
    assert p is not None and p.event_id is not None, p
    return p.event_id


# -- anchors -----------------------------------------------------------------------------------


def test_anchors_come_from_the_address_the_page_and_the_dateline() -> None:
    assert from_url("https://example.org/world/2025/05/19/56609.html").date == dt.date(2025, 5, 19)  # type: ignore[union-attr]
    assert from_url("https://example.org/20241115/story-1069252365.html").date == dt.date(2024, 11, 15)  # type: ignore[union-attr]
    assert from_url("https://example.org/story-1069252365") is None
    page = from_page("Biden and Xi meet\nUpdated Nov. 16, 2023, 4:15 a.m. ET\nThe two leaders met.")
    assert page is not None and page.date == dt.date(2023, 11, 16) and "updated" in page.basis
    stamp = from_page(
        "Putin-Trump Phone Call Has Started\n14:34 GMT 19.05.2025 (Updated: 15:19 GMT 19.05.2025)\n"
    )
    assert stamp is not None and stamp.date == dt.date(2025, 5, 19)
    # a bare date line is often the site's header on the day the page was stored: not an anchor
    assert from_page("Wednesday, July 24, 2024\n\nXi and Biden agree to resume contacts.") is None
    text = "MOSCOW, July 3. /TASS/. The presidents spoke. Their first call was on February 12, 2025."
    line = from_dateline(text, None)
    assert line is not None and line.date == dt.date(2025, 7, 3) and "dateline" in line.basis


def test_relative_dates_of_an_undated_page_are_read_against_its_address() -> None:
    a = art("r", "Trump and Putin spoke by phone on Monday.", url="https://example.org/2025/05/19/x.html")
    anchor = infer_anchor(a)
    assert anchor is not None and anchor.date == dt.date(2025, 5, 19)
    c = claim(a, "event", "Trump and Putin spoke by phone on Monday", event_date="on Monday")
    result = reconcile([c], [a])
    (event,) = result.events
    assert event.date == dt.date(2025, 5, 19)


# -- linking by evidence ----------------------------------------------------------------------------


def _dated_call() -> tuple[Article, list[Claim]]:
    a = art(
        "dated",
        "On July 3, 2025, Trump and Putin spoke by phone for nearly an hour about Iran and a "
        "prisoner exchange.",
    )
    return a, [
        claim(a, "event", "On July 3, 2025, Trump and Putin spoke by phone", event_date="July 3, 2025"),
        claim(a, "duration", "for nearly an hour", value_text="nearly an hour", event_date="July 3, 2025"),
        claim(
            a,
            "topic_discussed",
            "about Iran and a prisoner exchange",
            topic="Iran and a prisoner exchange",
            event_date="July 3, 2025",
        ),
    ]


def _weekday_account(name: str, weekday: str, more: str = "") -> tuple[Article, list[Claim]]:
    """An undated report of the same call as `_dated_call`, "On <weekday>", with its descriptors."""
    day = f"On {weekday}"
    b = art(
        name, f"{day} Trump and Putin talked for nearly an hour about Iran and a prisoner exchange.{more}"
    )
    return b, [
        claim(b, "event", f"{day} Trump and Putin talked", event_date=day),
        claim(b, "duration", "for nearly an hour", value_text="nearly an hour", event_date=day),
        claim(
            b,
            "topic_discussed",
            "about Iran and a prisoner exchange",
            topic="Iran and a prisoner exchange",
            event_date=day,
        ),
    ]


def test_an_undated_report_links_by_its_weekday_and_descriptors() -> None:
    a, dated = _dated_call()
    b, mine = _weekday_account("b", "Thursday")
    result = reconcile(dated + mine, [a, b])
    assert event_of(result, mine[0]) == event_of(result, dated[0])
    placement = result.placement(mine[0].id)
    # linked by evidence, then read as the Thursday of the week it placed (the basis keeps both)
    assert placement is not None and placement.method in (
        PlacementMethod.EVIDENCE,
        PlacementMethod.STATED_DATE,
    )
    assert "weekday fits" in placement.basis and "the same duration" in placement.basis
    assert not [c for c in result.conflicts if c.severity != Severity.LOW]


def test_a_weekday_that_does_not_fit_is_a_date_conflict_when_the_rest_agrees() -> None:
    a, dated = _dated_call()
    b, mine = _weekday_account("b", "Friday")
    result = reconcile(dated + mine, [a, b])
    assert event_of(result, mine[0]) == event_of(result, dated[0])
    (conflict,) = [c for c in result.conflicts if c.kind == ConflictKind.DATE]
    assert conflict.severity == Severity.HIGH
    assert "it was a Thursday" in conflict.explanation
    assert {s.article_id for s in conflict.sides} == {a.id, b.id}


def test_a_weekday_alone_is_too_little_evidence_and_the_account_stays_unplaced() -> None:
    a, dated = _dated_call()
    b = art("b", "Trump and Putin spoke on Thursday.")
    mine = claim(b, "event", "Trump and Putin spoke on Thursday", event_date="on Thursday")
    result = reconcile([*dated, mine], [a, b])
    event = result.event(event_of(result, mine))
    assert event is not None and event.unplaced and event.date is None
    assert [c.date for c in event.candidates] == [dt.date(2025, 7, 3)]
    assert "too little evidence" in event.unplaced_reason


def test_a_dated_report_without_a_date_of_its_own_is_dated_by_its_article() -> None:
    a = art("a", "The call lasted two hours.", url="https://example.org/2025/05/19/x.html")
    c = claim(a, "duration", "The call lasted two hours", value_text="two hours")
    result = reconcile([c], [a])
    (event,) = result.events
    assert event.date == dt.date(2025, 5, 19)
    placement = result.placement(c.id)
    assert placement is not None and placement.method == PlacementMethod.ARTICLE_DATE


# -- previous contacts and recency --------------------------------------------------------------------


def test_two_reports_date_the_previous_call_differently() -> None:
    a = art("a", "Trump and Putin spoke on July 3, 2025. Their previous call was on June 14, 2025.")
    b = art("b", "Trump and Putin spoke on July 3, 2025. The two leaders last spoke on June 4, 2025.")
    claims = [
        claim(a, "event", "Trump and Putin spoke on July 3, 2025", event_date="July 3, 2025"),
        claim(a, "event", "Their previous call was on June 14, 2025", event_date="June 14, 2025"),
        claim(b, "event", "Trump and Putin spoke on July 3, 2025", event_date="July 3, 2025"),
        claim(b, "event", "The two leaders last spoke on June 4, 2025", event_date="June 4, 2025"),
    ]
    result = reconcile(claims, [a, b])
    found = [c for c in result.conflicts if c.detector == "previous_contact"]
    assert any(
        c.kind == ConflictKind.DATE and "14 June 2025" in c.explanation and "4 June 2025" in c.explanation
        for c in found
    ), [c.explanation for c in found]
    # b's "last spoke on June 4" is also contradicted by a's 14 June call in the timeline: the same
    # two claims, so one conflict, not two
    assert len(found) == 1


def test_the_same_previous_call_named_at_two_precisions_agrees() -> None:
    a = art("a", "Scholz and Putin spoke on November 15, 2024. They last spoke on December 2, 2022.")
    b = art("b", "Scholz and Putin spoke on November 15, 2024. They last spoke in December 2022.")
    sp = ["Olaf Scholz", "Vladimir Putin"]
    claims = [
        claim(
            a,
            "event",
            "Scholz and Putin spoke on November 15, 2024",
            event_date="November 15, 2024",
            participants=sp,
        ),
        claim(
            a, "event", "They last spoke on December 2, 2022", event_date="December 2, 2022", participants=sp
        ),
        claim(
            b,
            "event",
            "Scholz and Putin spoke on November 15, 2024",
            event_date="November 15, 2024",
            participants=sp,
        ),
        claim(b, "event", "They last spoke in December 2022", event_date="December 2022", participants=sp),
    ]
    result = reconcile(claims, [a, b])
    assert not [c for c in result.conflicts if c.detector == "previous_contact"]


def test_a_gap_and_a_named_start_that_disagree_in_one_report() -> None:
    text = (
        "Macron and Putin spoke by phone on July 1, 2025, their first call in nearly two years. "
        "It was the first call since September 2022."
    )
    a = art("a", text)
    mp = ["Emmanuel Macron", "Vladimir Putin"]
    claims = [
        claim(
            a,
            "event",
            "Macron and Putin spoke by phone on July 1, 2025",
            event_date="July 1, 2025",
            participants=mp,
        ),
        claim(
            a,
            "ordinal",
            "their first call in nearly two years",
            value_text="first call in nearly two years",
            event_date="July 1, 2025",
            participants=mp,
        ),
        claim(
            a,
            "ordinal",
            "It was the first call since September 2022",
            value_text="first call since September 2022",
            event_date="July 1, 2025",
            participants=mp,
        ),
    ]
    result = reconcile(claims, [a])
    (conflict,) = [c for c in result.conflicts if c.detector == "recency"]
    assert conflict.kind == ConflictKind.INTERNAL and conflict.severity == Severity.MEDIUM
    assert "September 2022" in conflict.explanation and "nearly two years" in conflict.explanation


def test_first_since_x_excludes_the_event_x_names() -> None:
    a = art("a", "Macron and Putin spoke on September 11, 2022.")
    b = art("b", "Macron and Putin spoke on July 1, 2025, the first call since September 2022.")
    mp = ["Emmanuel Macron", "Vladimir Putin"]
    claims = [
        claim(
            a,
            "event",
            "Macron and Putin spoke on September 11, 2022",
            event_date="September 11, 2022",
            participants=mp,
        ),
        claim(
            b, "event", "Macron and Putin spoke on July 1, 2025", event_date="July 1, 2025", participants=mp
        ),
        claim(
            b,
            "ordinal",
            "the first call since September 2022",
            value_text="first call since September 2022",
            event_date="July 1, 2025",
            participants=mp,
        ),
    ]
    result = reconcile(claims, [a, b])
    assert not [c for c in result.conflicts if c.kind == ConflictKind.ORDINAL], [
        c.explanation for c in result.conflicts
    ]


def test_an_event_the_text_places_fixes_the_week_of_its_other_relative_days() -> None:
    a, dated = _dated_call()  # a call on Thursday 3 July 2025, nearly an hour, Iran and prisoners
    b, mine = _weekday_account("b", "Thursday", " Today the Kremlin said the two would speak again.")
    mine.append(claim(b, "outcome", "Today the Kremlin said the two would speak again", event_date="Today"))
    result = reconcile(dated + mine, [a, b])
    today = result.placement(mine[3].id)
    assert today is not None and today.event_id is not None
    event = result.event(today.event_id)
    # "today" is 3 July or one of the six days after: it joins the call of 3 July, within that span
    assert event is not None and event.date == dt.date(2025, 7, 3), (today.basis, event)
    assert "the week of the event it places" in today.basis


def test_ten_days_before_that_is_counted_from_the_date_given_just_before() -> None:
    a = art("a", "Trump and Putin spoke on June 14, 2025. Ten days before that, they spoke as well.")
    claims = [
        claim(a, "event", "Trump and Putin spoke on June 14, 2025", event_date="June 14, 2025"),
        claim(a, "event", "Ten days before that, they spoke as well", event_date="Ten days before that"),
    ]
    result = reconcile(claims, [a])
    event = result.event(event_of(result, claims[1]))
    assert event is not None and event.date == dt.date(2025, 6, 4)


def test_a_window_over_a_subject_that_a_start_date_rules_out() -> None:
    bx = ["Joe Biden", "Xi Jinping"]
    a = art(
        "a",
        "Biden and Xi met on November 15, 2023. Biden said the lack of talks between the militaries "
        "over the past three years was dangerous.",
    )
    b = art(
        "b",
        "Biden and Xi met on November 15, 2023. They will resume military talks that were suspended "
        "after August 2022.",
    )
    c = art("c", "Biden and Xi met on November 15, 2023. Trade talks stalled over the past three years.")
    claims = [
        claim(
            a,
            "event",
            "Biden and Xi met on November 15, 2023",
            event_date="November 15, 2023",
            participants=bx,
            channel="meeting",
        ),
        claim(
            a,
            "statement",
            "the lack of talks between the militaries over the past three years was dangerous",
            event_date="November 15, 2023",
            participants=bx,
            channel="meeting",
        ),
        claim(
            b,
            "event",
            "Biden and Xi met on November 15, 2023",
            event_date="November 15, 2023",
            participants=bx,
            channel="meeting",
        ),
        claim(
            b,
            "outcome",
            "They will resume military talks that were suspended after August 2022",
            event_date="November 15, 2023",
            participants=bx,
            channel="meeting",
        ),
        claim(
            c,
            "event",
            "Biden and Xi met on November 15, 2023",
            event_date="November 15, 2023",
            participants=bx,
            channel="meeting",
        ),
        claim(
            c,
            "statement",
            "Trade talks stalled over the past three years",
            event_date="November 15, 2023",
            participants=bx,
            channel="meeting",
        ),
    ]
    result = reconcile(claims, [a, b, c])
    (conflict,) = [x for x in result.conflicts if x.detector == "windows"]
    # the militaries' window against the military talks' start; trade talks share no subject with it
    assert {s.article_id for s in conflict.sides} == {a.id, b.id}
    assert conflict.severity == Severity.MEDIUM and "August 2022" in conflict.explanation


def test_a_call_one_report_labels_a_meeting_is_the_same_days_call() -> None:
    a = art("a", "Trump and Putin spoke by phone on February 12, 2025.")
    b = art("b", "Trump and Putin held a phone call on February 12, 2025.")
    c = art("c", "On February 12, 2025, the first official conversation took place between Putin and Trump.")
    claims = [
        claim(
            a, "event", "Trump and Putin spoke by phone on February 12, 2025", event_date="February 12, 2025"
        ),
        claim(
            b,
            "event",
            "Trump and Putin held a phone call on February 12, 2025",
            event_date="February 12, 2025",
        ),
        claim(
            c,
            "event",
            "the first official conversation took place between Putin and Trump",
            event_date="February 12, 2025",
            channel="meeting",
        ),
    ]
    result = reconcile(claims, [a, b, c])
    (event,) = result.events
    assert event.channel.value == "phone_call" and "a report calls it a meeting" in event.date_basis


def test_a_gap_is_not_contradicted_by_a_contact_one_report_dates_in_passing() -> None:
    mp = ["Emmanuel Macron", "Vladimir Putin"]
    a = art("a", "Macron and Putin spoke on July 1, 2025, their first call in nearly three years.")
    b = art("b", "Macron and Putin spoke by phone on December 22, 2024, the report said in passing.")
    claims = [
        claim(
            a, "event", "Macron and Putin spoke on July 1, 2025", event_date="July 1, 2025", participants=mp
        ),
        claim(
            a,
            "ordinal",
            "their first call in nearly three years",
            value_text="first call in nearly three years",
            event_date="July 1, 2025",
            participants=mp,
        ),
        claim(
            b,
            "event",
            "Macron and Putin spoke by phone on December 22, 2024",
            event_date="December 22, 2024",
            participants=mp,
        ),
    ]
    assert not [x for x in reconcile(claims, [a, b]).conflicts if x.detector == "recency"]
    # dated by two reports, the same contact does contradict the gap
    c = art("c", "Macron and Putin spoke by phone on December 22, 2024.")
    claims.append(
        claim(
            c,
            "event",
            "Macron and Putin spoke by phone on December 22, 2024",
            event_date="December 22, 2024",
            participants=mp,
        )
    )
    (found,) = [x for x in reconcile(claims, [a, b, c]).conflicts if x.detector == "recency"]
    assert found.kind.value == "ordinal" and "nearly three years" in found.explanation
