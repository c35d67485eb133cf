"""render_report: one self-contained HTML file, both sides' evidence marked, article text kept as text."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import lxml.html
import pytest

from extractor.review import ConflictView, conflict_view, event_accounts
from extractor.review.html import render_report
from extractor.store import Store
from tests.review_data import HOSTILE_QUOTE, HOSTILE_TITLE, IMG, SCRIPT, ReviewData, build_review_db

EXTERNAL = re.compile(r"^\s*([a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


@pytest.fixture
def data(tmp_path: Path) -> ReviewData:
    return build_review_db(tmp_path / "data")


def views_of(db: Path) -> list[ConflictView]:
    """Every active conflict's view with its history, as `claimdiff report` passes them."""
    store = Store(db)
    try:
        return [conflict_view(store, c.id) for c in store.conflicts()]
    finally:
        store.close()


def report(db: Path) -> str:
    store = Store(db)
    try:
        accounts = event_accounts(store)
    finally:
        store.close()
    return render_report(views_of(db), accounts, title="claimdiff report", generated_at="now", source=db.name)


def one(doc: lxml.html.HtmlElement, xpath: str) -> lxml.html.HtmlElement:
    found = doc.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_report_needs_no_network(data: ReviewData) -> None:
    html = report(data.db)
    doc = lxml.html.fromstring(html)
    for el in doc.iter():
        for name, value in el.attrib.items():
            if name in {"src", "href", "action", "srcset", "poster", "data", "formaction", "manifest"}:
                assert not EXTERNAL.match(value), f"<{el.tag} {name}={value!r}> loads from elsewhere"
    assert not doc.xpath("//link"), "stylesheets must be inline"
    assert all(s.get("src") is None for s in doc.xpath("//script")), "scripts must be inline"
    style = one(doc, "//style").text
    assert "@import" not in style and "url(" not in style
    assert "@font-face" not in style


def test_only_the_shipped_script_and_stylesheet_may_run(data: ReviewData) -> None:
    doc = lxml.html.fromstring(report(data.db))
    policy = one(doc, "//meta[@http-equiv='Content-Security-Policy']").get("content")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        body = one(doc, f"//{tag}").text
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert directives[directive] == f"'sha256-{digest}'", f"the page's own <{tag}> would be blocked"


def test_everything_is_readable_without_scripts(data: ReviewData) -> None:
    views = views_of(data.db)
    doc = lxml.html.fromstring(report(data.db))
    cards = doc.xpath("//section[@id='conflicts']/article")
    assert [c.get("id") for c in cards] == [f"conflict-{v.id}" for v in views]
    assert not [c for c in cards if c.get("hidden") is not None]
    # the filter controls only do something with scripts on, so they start hidden
    assert one(doc, "//form[@id='filters']").get("hidden") is not None
    boxes = {(b.get("name"), b.get("value")) for b in doc.xpath("//form[@id='filters']//input")}
    assert {v.severity for v in views} <= {value for name, value in boxes if name == "severity"}
    assert {"open", "confirmed", "dismissed", "resolved"} == {v for n, v in boxes if n == "status"}
    for card, v in zip(cards, views, strict=True):
        assert (card.get("data-severity"), card.get("data-status")) == (v.severity, v.status.value)


def test_s1_shows_both_quotes_in_context_and_both_dates_marked(data: ReviewData) -> None:
    view = next(v for v in views_of(data.db) if v.id == data.s1)
    doc = lxml.html.fromstring(report(data.db))
    card = one(doc, f"//article[@id='conflict-{data.s1}']")
    text = squash(card.text_content())
    assert "high" in text and "open" in text
    for side in view.sides:
        assert side.located
        assert squash(side.quote) in text
        for context in (s.text for s in side.segments if s.role == "context"):
            assert squash(context) in text, "the sentences around the quote are shown"
    marked = ".//blockquote//*[@class='quote' or @class='key']"
    boxes = card.xpath(".//section[@class='side']")
    quotes = [squash("".join(q.text_content() for q in box.xpath(marked))) for box in boxes]
    assert quotes == [squash(s.quote) for s in view.sides]
    keys = [squash(m.text_content()) for m in card.xpath(".//blockquote//mark[@class='key']")]
    assert keys == [s.value_text for s in view.sides]
    assert "July 2, 2025" in keys, "002's date is the marked key phrase"
    # and each side's reading of its words: 2 July against 3 July (004's 'on Thursday', published 3 July)
    statements = [squash(one(box, ".//p[contains(@class, 'statement')]").text_content()) for box in boxes]
    assert statements == [s.statement for s in view.sides]
    assert len(set(statements)) == 2 and "3 July 2025" in statements[1]
    assert view.sides[1].published and view.sides[1].published in squash(boxes[1].text_content())


def test_article_and_model_text_stay_text(data: ReviewData) -> None:
    html = report(data.db)
    assert SCRIPT not in html and IMG not in html and HOSTILE_TITLE not in html
    doc = lxml.html.fromstring(html)
    assert len(doc.xpath("//script")) == 1, "only the report's own filter script"
    assert not doc.xpath("//img") and not doc.xpath("//*[@id='pwned-title']")
    card = one(doc, f"//article[@id='conflict-{data.hostile}']")
    text = card.text_content()
    assert HOSTILE_QUOTE in text, "the hostile quote is shown literally"
    assert HOSTILE_TITLE in text, "and so is the hostile article's title"


def test_decisions_and_reopen_reasons_are_shown(data: ReviewData) -> None:
    note = "Kremlin readout: 3 July & not 2"
    store = Store(data.db)
    try:
        store.decide(data.s1, "confirmed", reviewer="ana <i>", note=note, expect=0)
        store.decide(data.hostile, "dismissed", reviewer="ben", note="hostile test", expect=0)
        # the hostile conflict's evidence moves: the next reconciliation reopens it and says why
        conflicts = store.conflicts()
        moved = [
            c.model_copy(update={"sides": [s.model_copy(update={"start": 0}) for s in c.sides]})
            if c.id == data.hostile
            else c
            for c in conflicts
        ]
        store.save_reconciliation(store.events(), moved)
        reason = store.decision(data.hostile).reason
    finally:
        store.close()
    assert reason and reason.startswith("reopened:")
    doc = lxml.html.fromstring(report(data.db))
    s1 = squash(one(doc, f"//article[@id='conflict-{data.s1}']").text_content())
    assert "confirmed by ana <i>" in s1 and note in s1
    hostile = one(doc, f"//article[@id='conflict-{data.hostile}']")
    assert hostile.get("data-status") == "open"
    assert squash(reason) in squash(hostile.text_content())
    history = squash(one(hostile, ".//details[@class='history']").text_content())
    assert "ben" in history and "hostile test" in history


def test_each_events_accounts_are_side_by_side(data: ReviewData) -> None:
    store = Store(data.db)
    try:
        accounts = event_accounts(store)
    finally:
        store.close()
    doc = lxml.html.fromstring(report(data.db))
    timeline_dates = [
        squash(td.text_content()) for td in doc.xpath("//table[@class='timeline']/tbody/tr/td[1]")
    ]
    assert timeline_dates == [ea.event.date for ea in accounts]
    s1_event = next(ea for ea in accounts if data.s1 in ea.conflict_ids)
    block = one(doc, f"//details[@id='event-{s1_event.event.id}']")
    assert block.get("open") is not None, "events with conflicts are shown expanded"
    columns = block.xpath(".//section[@class='account']")
    assert [squash(one(c, "h3").text_content()) for c in columns] == list(s1_event.accounts)
    for column, lines in zip(columns, s1_event.accounts.values(), strict=True):
        text = squash(column.text_content())
        assert all(squash(line.quote) in text for line in lines)
    link = one(doc, f"//table[@class='timeline']//a[@href='#conflict-{data.s1}']")
    assert link.text_content() == data.s1
