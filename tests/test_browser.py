"""A real browser on the review page and the report: Debian's Chromium driven by Playwright.

The app runs under uvicorn on 127.0.0.1 (a free port) in a thread; the browser may reach that address
and file:// only: every other request is aborted and fails the test. Screenshots of the list, the
conflict page and the report are saved under test-artifacts/browser/ (git-ignored).

Locally the test skips when Chromium or Playwright is missing; in CI (CI=true) it fails instead.
Never `playwright install`: the browser is the system's /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from extractor.review import conflict_view, event_accounts
from extractor.review.html import render_report
from extractor.store import Store
from extractor.web import create_app
from tests.conftest import ROOT
from tests.review_data import HOSTILE_QUOTE, IMG, SCRIPT, ReviewData, build_review_db

pytestmark = [
    pytest.mark.browser,
    # the test process itself only listens; this lets nothing but the loopback server through
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"]),
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
NOTE = "Kremlin readout and 004 both say Thursday, 3 July"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"browser test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def chromium() -> str:
    path = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if not path:
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    assert path is not None
    return path


@pytest.fixture
def data(tmp_path: Path) -> ReviewData:
    return build_review_db(tmp_path / "data")


@pytest.fixture
def server(data: ReviewData) -> Iterator[str]:
    """The review app on a free loopback port, served from a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(data.db, "ana"), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    ready = threading.Event()
    for _ in range(200):  # until uvicorn says it is serving (at most ~10 s)
        if srv.started or not thread.is_alive():
            break
        ready.wait(0.05)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def browser(chromium: str, tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    """A fresh Chromium profile; (context, requests that tried to leave loopback or file://)."""
    from playwright.sync_api import sync_playwright

    escaped: list[str] = []

    def only_local(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"file", "data", "about"} or (
            parts.scheme == "http" and parts.hostname == "127.0.0.1"
        ):
            route.continue_()
        else:
            escaped.append(url)
            route.abort()

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=chromium,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=True,
        )
        context.route("**/*", only_local)
        try:
            yield context, escaped
        finally:
            context.close()


def watch(page: Any) -> dict[str, list[str]]:
    """Collect what a page must never do: open dialogs, throw, or trip its security policy."""
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "console": []}

    def on_dialog(dialog: Any) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}") if m.type == "error" else None)
    return seen


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def history(db: Path, conflict_id: str) -> list[tuple[str, str, str | None]]:
    store = Store(db)
    try:
        return [(d.reviewer, d.status.value, d.note) for d in store.history(conflict_id)]
    finally:
        store.close()


def test_review_in_a_real_browser(data: ReviewData, server: str, browser: tuple[Any, list[str]]) -> None:
    context, escaped = browser
    page = context.new_page()
    seen = watch(page)

    # the list: every conflict, then the high ones through the plain GET form
    page.goto(server + "/")
    store = Store(data.db)
    total = len(store.conflicts())
    store.close()
    assert page.locator("tr.conflict-row").count() == total
    assert page.get_by_text(SCRIPT, exact=False).count() >= 1, "the hostile quote is listed as text"
    shot(page, "list.png")
    page.select_option("select[name=severity]", "high")
    page.select_option("select[name=kind]", "date")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "severity=high" in page.url and "kind=date" in page.url
    assert page.locator("tr.conflict-row .id").all_inner_texts() == [data.s1]

    # S1: both quotes marked in context, the whole article one click away
    page.locator(f"a[href='/conflicts/{data.s1}']").click()
    page.wait_for_url(f"**/conflicts/{data.s1}")
    card = page.locator(f"#conflict-{data.s1}")
    assert card.get_attribute("data-status") == "open"
    keys = card.locator(".side blockquote mark.key").all_inner_texts()
    assert len(keys) == 2 and "July 2, 2025" in keys
    assert card.locator(".side blockquote .quote").count() >= 2
    whole = card.locator("details.full-article").first
    assert not whole.locator("div").is_visible()
    whole.locator("summary").click()
    assert whole.locator("div").is_visible()
    assert whole.locator("mark.key").inner_text() == "July 2, 2025"

    # confirm with a note, reload, and the decision is there, and in the store
    page.fill("textarea[name=note]", NOTE)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: f"/conflicts/{data.s1}?decided=" in url)
    assert "Recorded: confirmed by ana" in page.locator(".message").inner_text()
    page.reload()
    card = page.locator(f"#conflict-{data.s1}")
    assert card.get_attribute("data-status") == "confirmed"
    assert NOTE in card.locator(".decision").inner_text()
    assert NOTE in page.locator("table.history").inner_text()
    shot(page, "conflict.png")
    assert history(data.db, data.s1) == [("ana", "confirmed", NOTE)]

    # two tabs on one conflict: the second decision made on an old version is refused, not applied
    other = context.new_page()
    other.goto(f"{server}/conflicts/{data.s1}")
    other.fill("textarea[name=note]", "settled: the readout is dated 3 July")
    other.get_by_role("button", name="Resolve").click()
    other.wait_for_url(lambda url: f"/conflicts/{data.s1}?decided=" in url)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Dismiss").click()
    assert posted.value.status == 409
    assert "changed since you looked at it" in page.locator(".message").inner_text()
    assert page.locator(f"#conflict-{data.s1}").get_attribute("data-status") == "resolved"
    assert [s for _, s, _ in history(data.db, data.s1)] == ["confirmed", "resolved"]

    # the hostile article: shown literally, nothing ran
    page.goto(f"{server}/conflicts/{data.hostile}")
    assert HOSTILE_QUOTE in page.locator(f"#conflict-{data.hostile}").inner_text()
    assert page.locator("img").count() == 0 and page.locator("script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    shot(page, "hostile.png")

    # the report, opened from disk: self-contained, its filter script runs, the hostile text does not
    store = Store(data.db)
    try:
        views = [conflict_view(store, c.id) for c in store.conflicts()]
        accounts = event_accounts(store)
    finally:
        store.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = ARTIFACTS / "report.html"
    report.write_text(
        render_report(views, accounts, title="claimdiff report", generated_at="test", source=data.db.name),
        encoding="utf-8",
    )
    print(f"report: {report}")
    page.goto(report.as_uri())
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    assert SCRIPT in page.locator(f"#conflict-{data.hostile}").inner_text()
    assert IMG in page.locator(f"#conflict-{data.hostile}").inner_text()
    assert page.locator("#filters").is_visible(), "the filter script ran (allowed by its hash)"
    cards = page.locator("#conflicts > article")
    assert cards.count() == len(views) and all(cards.nth(i).is_visible() for i in range(len(views)))
    assert page.locator(f"#conflict-{data.s1}").get_attribute("data-status") == "resolved"
    shot(page, "report.png")
    page.locator("#filters input[name=status][value=resolved]").uncheck()
    assert not page.locator(f"#conflict-{data.s1}").is_visible()
    visible = [cards.nth(i).get_attribute("id") for i in range(len(views)) if cards.nth(i).is_visible()]
    assert visible == [f"conflict-{v.id}" for v in views if v.status.value != "resolved"]
    assert page.locator("#shown").inner_text() == f"{len(visible)} of {len(views)} conflicts shown"

    assert escaped == [], f"the browser tried to leave loopback: {escaped}"
    # the one error a console may show: the refused stale decision's 409
    seen["console"] = [m for m in seen["console"] if "409" not in m]
    assert seen == {"dialogs": [], "errors": [], "console": []}, seen
