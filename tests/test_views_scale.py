"""Views that cost what they show: the list is paged with counts, a conflict's view reads only its
own rows, filters run in the store, and a large report is an index with pages.

The store holds the synthetic workload of the scale tests (unrelated events, two reports each), made
into events and conflicts by the real reconciler; on PostgreSQL in the suite's PostgreSQL pass.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from extractor.cli import cli
from extractor.reconcile import reconcile
from extractor.review import conflict_view, conflict_views
from extractor.review.view import conflict_filter, conflict_page
from extractor.store import Store
from extractor.web import create_app
from tests.test_reconcile_scale import _workload

EVENTS = 90  # enough conflicts for more than one page of the list (50)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("views") / "views.db"
    claims, arts = _workload(events=EVENTS, reports=2)
    store = Store(path)
    for a in arts:
        store.add_article(a)
    for a in arts:
        mine = [c for c in claims if c.article_id == a.id]
        store.save_claims(a.id, "import:test", None, mine, model="import", prompt="import:test")
    result = reconcile(store.current_claims(), store.articles())
    store.save_reconciliation(result.events, result.conflicts)
    ids = sorted(c.id for c in result.conflicts)
    store.decide(ids[0], "confirmed", reviewer="ana")
    store.decide(ids[1], "dismissed", reviewer="ana")
    store.close()
    return path


def everything(db: Path) -> list[str]:
    """Every listed conflict in list order, computed the slow way (all views, sorted in Python)."""
    store = Store(db, create=False)
    order = {"high": 0, "medium": 1, "low": 2}
    views = conflict_views(store)
    return [
        v.id
        for v in sorted(
            views, key=lambda v: (order[v.severity], v.kind, (v.event.date or "") if v.event else "", v.id)
        )
    ]


def test_the_store_has_more_conflicts_than_a_page(db: Path) -> None:
    assert len(everything(db)) > 50


def test_pages_of_the_list_cover_every_conflict_once_in_a_stable_order(db: Path) -> None:
    store = Store(db, create=False)
    where = conflict_filter()
    first = conflict_page(store, where, page=1, per_page=50)
    second = conflict_page(store, where, page=2, per_page=50)
    assert first.total == second.total == len(everything(db))
    assert first.pages == second.pages == 2
    assert len(first.views) == 50 and len(second.views) == first.total - 50
    assert [v.id for v in first.views + second.views] == everything(db)
    # past the end: the last page, not an empty one
    assert [v.id for v in conflict_page(store, where, page=9, per_page=50).views] == [
        v.id for v in second.views
    ]


def test_counts_per_filter_value_are_what_choosing_it_shows(db: Path) -> None:
    store = Store(db, create=False)
    views = conflict_views(store)
    counts = conflict_page(store, conflict_filter(), per_page=5).counts
    assert counts["severity"] == dict(Counter(v.severity for v in views))
    assert counts["kind"] == dict(Counter(v.kind for v in views))
    assert counts["status"] == dict(Counter(v.status.value for v in views))
    assert counts["event"] == dict(Counter(v.event.id for v in views if v.event))
    # with a status chosen, the other facets count within it; its own facet still counts every status
    narrowed = conflict_page(store, conflict_filter(status=["open"]), per_page=5).counts
    open_views = [v for v in views if v.status.value == "open"]
    assert narrowed["severity"] == dict(Counter(v.severity for v in open_views))
    assert narrowed["status"] == counts["status"]


def test_filters_run_in_the_store_and_match_the_views(db: Path) -> None:
    store = Store(db, create=False)
    views = conflict_views(store)
    for where, keep in [
        (conflict_filter(status=["confirmed"]), lambda v: v.status.value == "confirmed"),
        (
            conflict_filter(status=["open"], severity=["low"]),
            lambda v: v.status.value == "open" and v.severity == "low",
        ),
        (conflict_filter(kind=[views[0].kind]), lambda v: v.kind == views[0].kind),
    ]:
        expected = [v.id for v in views if keep(v)]
        assert expected, where
        assert store.conflict_index(where).ids == expected


def test_one_conflicts_view_reads_only_its_own_rows(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the list page nor a conflict's page, `review show` or `review set` reads every article,
    claim, event or conflict of the store."""
    store = Store(db, create=False)
    target = everything(db)[3]
    whole = {name: getattr(Store, name) for name in ("articles", "current_claims", "events", "conflicts")}

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def reads_everything(self: Store, *args: object, **kwargs: object) -> object:
            if name == "current_claims" and args and args[0] is not None:
                return whole[name](self, *args, **kwargs)  # a given set of articles' claims
            raise AssertionError(f"Store.{name}() read the whole store")

        return reads_everything

    for name in whole:
        monkeypatch.setattr(Store, name, refuse(name))
    view = conflict_view(store, target[:8])
    assert view.id == target and view.sides and all(s.claim_kind for s in view.sides)
    client = TestClient(create_app(db, "ana"), base_url="http://127.0.0.1")
    assert client.get("/").status_code == 200
    assert client.get(f"/conflicts/{target}").status_code == 200
    runner = CliRunner()
    shown = runner.invoke(cli, ["review", "show", target, "--db", str(db), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["id"] == target


def test_the_list_page_is_paged_with_links_and_counts(db: Path) -> None:
    client = TestClient(create_app(db, "ana"), base_url="http://127.0.0.1")
    order = everything(db)
    page1 = lxml.html.fromstring(client.get("/").text)
    rows = [a.get("href").rsplit("/", 1)[-1] for a in page1.xpath("//table[@class='conflicts']//a[@href]")]
    assert list(dict.fromkeys(rows)) == order[:50]
    assert f"1–50 of {len(order)} conflicts" in page1.xpath("string(//p[@id='count'])")
    next_link = page1.xpath("//nav[@class='pager']//a[@rel='next']/@href")
    assert next_link == ["/?page=2"]
    page2 = lxml.html.fromstring(client.get(next_link[0]).text)
    rows2 = [a.get("href").rsplit("/", 1)[-1] for a in page2.xpath("//table[@class='conflicts']//a[@href]")]
    assert list(dict.fromkeys(rows2)) == order[50:]
    labels = page1.xpath("//select[@name='status']/option/text()")
    assert "confirmed (1)" in labels and "dismissed (1)" in labels
    filtered = lxml.html.fromstring(client.get("/?status=confirmed").text)
    assert "1–1 of 1 conflicts matching" in filtered.xpath("string(//p[@id='count'])")
    assert client.get("/?page=x").status_code == 400


def test_a_large_report_is_an_index_with_pages(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    runner = CliRunner()
    done = runner.invoke(cli, ["report", "--db", str(db), "--out", str(out), "--page-size", "20"])
    assert done.exit_code == 0, done.output
    order = everything(db)
    pages = sorted((out / "report-pages").glob("page-*.html"))
    assert len(pages) == -(-len(order) // 20)
    index = lxml.html.fromstring((out / "report.html").read_text())
    assert index.xpath("//section[@id='pages']//a/@href") == [f"report-pages/{p.name}" for p in pages]
    shown = []
    for page in pages:
        doc = lxml.html.fromstring(page.read_text())
        shown += [
            a.get("id").removeprefix("conflict-")
            for a in doc.xpath("//article[starts-with(@id,'conflict-')]")
        ]
        assert doc.xpath("//nav[@class='pager']/a[1]/@href") == ["../report.html"]
    assert shown == order
    assert [c["id"] for c in json.loads((out / "conflicts.json").read_text())] == order
    # a shorter report later leaves no page of the longer one behind
    again = runner.invoke(cli, ["report", "--db", str(db), "--out", str(out), "--page-size", "40"])
    assert again.exit_code == 0, again.output
    assert len(list((out / "report-pages").glob("page-*.html"))) == -(-len(order) // 40)


def test_a_filtered_report_holds_only_what_matches(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "open-low"
    args = ["report", "--db", str(db), "--out", str(out), "--severity", "low", "--status", "open"]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    store = Store(db, create=False)
    expected = [v.id for v in conflict_views(store, severity=["low"], status=["open"])]
    with (out / "conflicts.csv").open(newline="") as fh:
        listed = [row["id"] for row in csv.DictReader(fh)]
    assert listed == expected
    html = (out / "report.html").read_text()
    assert set(re.findall(r'id="conflict-([0-9a-f]+)"', html)) == set(expected)
