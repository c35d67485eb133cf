"""The review app through Starlette's TestClient: filters, decisions, stale versions, and its guards."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from extractor.cli import cli
from extractor.records import Conflict
from extractor.store import Store
from extractor.web import create_app
from extractor.web.security import hosts_for
from tests.review_data import HOSTILE_QUOTE, HOSTILE_TITLE, IMG, SCRIPT, ReviewData, build_review_db

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def data(tmp_path: Path) -> ReviewData:
    return build_review_db(tmp_path / "data")


@pytest.fixture
def client(data: ReviewData) -> TestClient:
    return TestClient(create_app(data.db, "ana"), base_url=BASE)


def doc_of(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def listed(client: TestClient, query: str = "") -> list[str]:
    response = client.get("/" + query)
    assert response.status_code == 200
    return [
        row.xpath(".//span[@class='id']")[0].text
        for row in doc_of(response.text).xpath("//tr[@class='conflict-row']")
    ]


def form_of(client: TestClient, conflict_id: str) -> dict[str, str]:
    response = client.get(f"/conflicts/{conflict_id}")
    assert response.status_code == 200
    form = doc_of(response.text).xpath("//form[@class='decide']")[0]
    return {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}


def conflicts(db: Path) -> list[Conflict]:
    store = Store(db)
    try:
        return store.conflicts()
    finally:
        store.close()


def history(db: Path, conflict_id: str) -> list[tuple[str, str, str | None]]:
    store = Store(db)
    try:
        return [(d.reviewer, d.status.value, d.note) for d in store.history(conflict_id)]
    finally:
        store.close()


def message(html: str) -> str:
    found = doc_of(html).xpath("//p[contains(@class, 'message')]")
    return " ".join(found[0].text_content().split()) if found else ""


def test_the_list_shows_every_conflict_and_each_filter_narrows_it(
    data: ReviewData, client: TestClient
) -> None:
    every = conflicts(data.db)
    assert sorted(listed(client)) == sorted(c.id for c in every)
    for severity in {c.severity.value for c in every}:
        assert sorted(listed(client, f"?severity={severity}")) == sorted(
            c.id for c in every if c.severity.value == severity
        )
    for kind in {c.kind.value for c in every}:
        assert sorted(listed(client, f"?kind={kind}")) == sorted(c.id for c in every if c.kind.value == kind)
    s1 = next(c for c in every if c.id == data.s1)
    assert s1.event_id
    by_event = listed(client, f"?event={s1.event_id}")
    assert data.s1 in by_event and sorted(by_event) == sorted(
        c.id for c in every if c.event_id == s1.event_id
    )
    assert listed(client, "?severity=high&kind=date") == [data.s1]

    store = Store(data.db)
    store.decide(data.s1, "confirmed", reviewer="ben", expect=0)
    store.close()
    assert listed(client, "?status=confirmed") == [data.s1]
    assert sorted(listed(client, "?status=open")) == sorted(c.id for c in every if c.id != data.s1)
    page = doc_of(client.get("/?status=confirmed&severity=high").text)
    chosen = {
        s.get("name"): s.xpath("./option[@selected]/@value")
        for s in page.xpath("//form[@class='filters']//select")
    }
    assert chosen == {"severity": ["high"], "kind": [], "status": ["confirmed"], "event": []}


def test_a_decision_is_stored_and_shown_after_a_reload(data: ReviewData, client: TestClient) -> None:
    form = form_of(client, data.s1)
    assert form["version"] == "0"
    response = client.post(
        f"/conflicts/{data.s1}/decide",
        data={**form, "status": "confirmed", "note": "Kremlin readout says 3 July"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert history(data.db, data.s1) == [("ana", "confirmed", "Kremlin readout says 3 July")]
    page = client.get(response.headers["location"])
    assert "Recorded: confirmed by ana" in message(page.text)
    card = " ".join(doc_of(page.text).xpath("//article")[0].text_content().split())
    assert "confirmed by ana" in card and "Kremlin readout says 3 July" in card
    assert form_of(client, data.s1)["version"] != "0", "the next decision is made on the new version"


def test_page_and_cli_decide_in_the_same_store(data: ReviewData, client: TestClient) -> None:
    form = form_of(client, data.s1)
    client.post(f"/conflicts/{data.s1}/decide", data={**form, "status": "confirmed", "note": ""})
    version = form_of(client, data.s1)["version"]
    result = CliRunner().invoke(
        cli,
        [
            "review",
            "--db",
            str(data.db),
            "set",
            data.s1,
            "--status",
            "dismissed",
            "--note",
            "same day in Moscow",
            "--reviewer",
            "ben",
            "--expect",
            version,
        ],
    )
    assert result.exit_code == 0, result.output
    page = doc_of(client.get(f"/conflicts/{data.s1}").text)
    rows = [
        [td.text_content().strip() for td in tr.xpath("./td")]
        for tr in page.xpath("//table[@class='history']/tbody/tr")
    ]
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("ana", "confirmed", ""),
        ("ben", "dismissed", "same day in Moscow"),
    ]


def test_a_stale_decision_is_refused_with_the_current_state(data: ReviewData, client: TestClient) -> None:
    form = form_of(client, data.s1)  # ana opens the page ...
    store = Store(data.db)  # ... ben decides from his terminal meanwhile
    store.decide(data.s1, "dismissed", reviewer="ben", note="same event", expect=0)
    store.close()
    response = client.post(
        f"/conflicts/{data.s1}/decide", data={**form, "status": "confirmed", "note": "my careful note"}
    )
    assert response.status_code == 409
    assert "ben set it to dismissed" in message(response.text)
    page = doc_of(response.text)
    assert page.xpath("//article")[0].get("data-status") == "dismissed"
    assert page.xpath("//textarea[@name='note']")[0].text == "my careful note", "the note is not lost"
    assert history(data.db, data.s1) == [("ben", "dismissed", "same event")]


def test_resolved_needs_a_note(data: ReviewData, client: TestClient) -> None:
    form = form_of(client, data.s1)
    response = client.post(f"/conflicts/{data.s1}/decide", data={**form, "status": "resolved", "note": "  "})
    assert response.status_code == 400
    assert "needs a note" in message(response.text)
    assert history(data.db, data.s1) == []


def test_a_post_without_the_token_is_refused(data: ReviewData, client: TestClient) -> None:
    form = form_of(client, data.s1)
    for token in (None, "", "forged" + form["csrf"][6:]):
        fields = {"version": "0", "status": "confirmed"} | ({} if token is None else {"csrf": token})
        response = client.post(f"/conflicts/{data.s1}/decide", data=fields)
        assert response.status_code == 403
        assert "token" in message(response.text)
    other = TestClient(create_app(data.db, "ana"), base_url=BASE)  # another server process
    assert other.post(f"/conflicts/{data.s1}/decide", data={**form, "status": "confirmed"}).status_code == 403
    assert history(data.db, data.s1) == []


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1.evil.example:8000", "null"])
def test_a_post_from_another_site_is_refused(data: ReviewData, client: TestClient, origin: str) -> None:
    form = form_of(client, data.s1)
    response = client.post(
        f"/conflicts/{data.s1}/decide", data={**form, "status": "confirmed"}, headers={"origin": origin}
    )
    assert response.status_code == 403
    assert history(data.db, data.s1) == []
    own = client.post(
        f"/conflicts/{data.s1}/decide",
        data={**form, "status": "confirmed"},
        headers={"origin": BASE},
        follow_redirects=False,
    )
    assert own.status_code == 303 and [s for _, s, _ in history(data.db, data.s1)] == ["confirmed"]


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "10.0.0.5:8000"]
)
def test_requests_for_another_host_are_refused(data: ReviewData, client: TestClient, host: str) -> None:
    form = form_of(client, data.s1)
    assert client.get("/", headers={"host": host}).status_code == 400
    posted = client.post(
        f"/conflicts/{data.s1}/decide", data={**form, "status": "confirmed"}, headers={"host": host}
    )
    assert posted.status_code == 400 and "DNS rebinding" in posted.text
    assert history(data.db, data.s1) == []
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_hosts_a_server_answers_to() -> None:
    assert hosts_for("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert hosts_for("192.168.1.20", ["review.lan"]) == {"192.168.1.20", "review.lan"}
    assert "0.0.0.0" not in hosts_for("0.0.0.0", ["box"])


def test_pages_carry_a_policy_without_scripts(client: TestClient, data: ReviewData) -> None:
    for path in ("/", f"/conflicts/{data.s1}", "/static/style.css"):
        response = client.get(path)
        assert response.status_code == 200
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
    assert not doc_of(client.get("/").text).xpath("//script")


def test_hostile_article_text_is_shown_as_text(data: ReviewData, client: TestClient) -> None:
    for path in ("/", f"/conflicts/{data.hostile}"):
        html = client.get(path).text
        assert SCRIPT not in html and IMG not in html
        page = doc_of(html)
        assert (
            not page.xpath("//script")
            and not page.xpath("//img")
            and not page.xpath("//*[@id='pwned-title']")
        )
        assert SCRIPT in page.text_content() and IMG in page.text_content()
    page = doc_of(client.get(f"/conflicts/{data.hostile}").text)
    card = page.xpath("//article")[0].text_content()
    assert HOSTILE_QUOTE in card and HOSTILE_TITLE in card


def test_the_whole_article_is_one_click_away_with_the_quote_marked(
    data: ReviewData, client: TestClient
) -> None:
    store = Store(data.db)
    conflict = store.conflict(data.hostile)
    article = store.article(conflict.sides[0].article_id)
    store.close()
    assert article is not None
    page = doc_of(client.get(f"/conflicts/{data.hostile}").text)
    full = page.xpath("//details[@class='full-article']/div")[0]
    assert full.text_content() == article.text
    marked = "".join(e.text_content() for e in full.xpath("./*[@class='quote' or @class='key']"))
    assert marked == conflict.sides[0].quote


def test_unknown_conflicts_and_decisions_are_clear_errors(data: ReviewData, client: TestClient) -> None:
    assert client.get("/conflicts/nope-not-here").status_code == 404
    form = form_of(client, data.s1)
    response = client.post(f"/conflicts/{data.s1}/decide", data={**form, "status": "maybe"})
    assert response.status_code == 400 and "unknown decision" in message(response.text)
    assert history(data.db, data.s1) == []


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no such database" in result.output
    assert not (tmp_path / "none.db").exists()


def test_the_list_says_what_is_wrong_and_names_articles_by_outlet_and_title_first(
    data: ReviewData, client: TestClient
) -> None:
    """Each row leads with the explanation's first sentence; a side's article is its outlet and
    title, with the file name after them."""
    from extractor.review import conflict_view
    from extractor.review.view import first_sentence

    page = doc_of(client.get("/").text)
    store = Store(data.db, create=False)
    view = conflict_view(store, data.s1)
    row = page.xpath(f"//tr[.//a[@href='/conflicts/{data.s1}']]")[0]
    assert row.xpath("string(.//p[@class='what'])").strip() == first_sentence(view.explanation).strip()
    for side in view.sides:
        shown = [" ".join(s.text_content().split()) for s in row.xpath(".//span[@class='source']")]
        named = next(s for s in shown if side.article_name in s)
        if side.outlet and side.outlet != side.side:  # an outlet speaking for itself is named once
            assert named.index(side.outlet) < named.index(side.article_name)
        if side.title:
            assert named.index(side.title[:20]) < named.index(side.article_name)
    assert any(s.outlet for s in view.sides), "the seeds name their outlets"
