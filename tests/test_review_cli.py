"""`claimdiff review` and `claimdiff report` on the seeds, replaying the recorded model's answers."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.records import ReviewStatus
from extractor.review.export import csv_cell, md_escape
from extractor.store import Store
from tests.conftest import ENV_VARS, PG_URL, RECORDINGS, SEEDS


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The main job run once on the seeds; each test works on its own copy."""
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    if PG_URL:
        yield path
        return
    with pytest.MonkeyPatch.context() as mp:
        for var in ENV_VARS:
            mp.delenv(var, raising=False)
        mp.setenv("CLAIMDIFF_RECORDINGS", str(RECORDINGS))
        result = CliRunner().invoke(cli, ["run", str(SEEDS), "--db", str(path), "--quiet-claims"])
    assert result.exit_code == 0, result.output
    yield path


@pytest.fixture
def db(seeds_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMDIFF_RECORDINGS", str(RECORDINGS))
    monkeypatch.setenv("CLAIMDIFF_REVIEWER", "ana")
    copy = tmp_path / "seeds.db"
    if PG_URL:  # a database per test: run the main job again
        result = CliRunner().invoke(cli, ["run", str(SEEDS), "--db", str(copy), "--quiet-claims"])
        assert result.exit_code == 0, result.output
        return copy
    # The database is in WAL mode and its writer may still be open: copy through SQLite's backup API.
    with sqlite3.connect(seeds_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return copy


def s1_id(db: Path) -> str:
    """The high date conflict between 002 (July 2) and the Kremlin via 004 (July 3)."""
    rows = json.loads(
        CliRunner().invoke(cli, ["conflicts", "--db", str(db), "--kind", "date", "--format", "json"]).output
    )
    (s1,) = [r for r in rows if r["severity"] == "high"]
    return str(s1["id"])


def test_review_set_by_prefix_then_show_and_history(db: Path) -> None:
    cid = s1_id(db)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["review", "set", "--db", str(db), cid[:6], "--status", "confirmed", "--note", "readouts differ"]
    )
    assert result.exit_code == 0, result.output
    assert f"{cid}: confirmed by ana" in result.output
    shown = json.loads(
        runner.invoke(cli, ["review", "--db", str(db), "show", cid, "--format", "json"]).output
    )
    assert shown["status"] == "confirmed" and shown["version"] >= 1
    quotes = " ".join(s["quote"] for s in shown["sides"])
    keys = {seg["text"] for s in shown["sides"] for seg in s["segments"] if seg["role"] == "key"}
    assert "July 2, 2025" in quotes and "2025-07-03" in quotes
    assert keys == {"July 2, 2025", "2025-07-03"}
    text = runner.invoke(cli, ["review", "--db", str(db), "show", cid]).output
    assert "July 2, 2025" in text and "2025-07-03" in text and "readouts differ" in text
    history = json.loads(
        runner.invoke(cli, ["review", "--db", str(db), "history", cid, "--format", "json"]).output
    )
    assert [(h["reviewer"], h["status"], h["note"]) for h in history] == [
        ("ana", "confirmed", "readouts differ")
    ]
    listed = runner.invoke(cli, ["conflicts", "--db", str(db), "--status", "confirmed", "--format", "json"])
    assert [(c["id"], c["status"]) for c in json.loads(listed.output)] == [(cid, "confirmed")]
    still_open = runner.invoke(cli, ["conflicts", "--db", str(db), "--status", "open", "--format", "json"])
    assert cid not in {c["id"] for c in json.loads(still_open.output)}
    assert len(json.loads(still_open.output)) == len(Store(db).conflicts()) - 1


def test_review_set_refuses_a_stale_version_and_resolved_without_note(db: Path) -> None:
    cid = s1_id(db)
    runner = CliRunner()
    ok = runner.invoke(cli, ["review", "--db", str(db), "set", cid, "--status", "dismissed", "--expect", "0"])
    assert ok.exit_code == 0, ok.output
    stale = runner.invoke(
        cli,
        [
            "review",
            "--db",
            str(db),
            "set",
            cid,
            "--status",
            "confirmed",
            "--expect",
            "0",
            "--reviewer",
            "ben",
        ],
    )
    assert stale.exit_code == 1 and "changed since you looked" in stale.output
    bare = runner.invoke(cli, ["review", "--db", str(db), "set", cid, "--status", "resolved"])
    assert bare.exit_code == 1 and "needs a note" in bare.output
    missing = runner.invoke(cli, ["review", "--db", str(db), "set", "zzzzzz", "--status", "confirmed"])
    assert missing.exit_code == 1 and "no conflict 'zzzzzz'" in missing.output
    assert Store(db).status_of(cid) is ReviewStatus.DISMISSED


def test_interactive_review_walks_open_conflicts_with_one_key_per_action(db: Path) -> None:
    store = Store(db)
    open_ids = [c.id for c in store.conflicts()]
    assert len(open_ids) >= 3
    # confirm the first, skip the second, resolve the third with a note, then quit.
    result = CliRunner().invoke(
        cli, ["review", "--db", str(db), "--reviewer", "ben"], input="cnrsettled by the transcript\nq"
    )
    assert result.exit_code == 0, result.output
    assert "2 decision(s) recorded by ben" in result.output
    decided = store.current_decisions()
    statuses = sorted((d.status.value, d.note or "") for d in decided.values())
    assert statuses == [("confirmed", ""), ("resolved", "settled by the transcript")]
    assert all(d.reviewer == "ben" for d in decided.values())
    # The walk starts with open conflicts only: the two decided ones are not shown again.
    again = CliRunner().invoke(cli, ["review", "--db", str(db)], input="q")
    first_shown = next(i for i in open_ids if i in again.output)
    assert first_shown not in decided


def test_interactive_resolve_without_note_records_nothing(db: Path) -> None:
    result = CliRunner().invoke(cli, ["review", "--db", str(db)], input="r\nq")
    assert result.exit_code == 0 and "resolved needs a note" in result.output
    assert Store(db).current_decisions() == {}


def test_a_decision_survives_rerunning_the_main_job(db: Path) -> None:
    cid = s1_id(db)
    runner = CliRunner()
    assert runner.invoke(cli, ["review", "--db", str(db), "set", cid, "--status", "confirmed"]).exit_code == 0
    again = runner.invoke(cli, ["run", str(SEEDS), "--db", str(db), "--quiet-claims", "--force"])
    assert again.exit_code == 0, again.output
    store = Store(db)
    assert cid in {c.id for c in store.conflicts()}
    assert [(d.reviewer, d.status.value) for d in store.history(cid)] == [("ana", "confirmed")]


def test_report_writes_markdown_json_and_csv_with_decisions(db: Path, tmp_path: Path) -> None:
    cid = s1_id(db)
    CliRunner().invoke(cli, ["review", "--db", str(db), "set", cid, "--status", "confirmed", "--note", "n1"])
    out = tmp_path / "rep"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--db",
            str(db),
            "--out",
            str(out),
            *("--format", "md", "--format", "json"),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["conflicts.csv", "conflicts.json", "report.md"]
    md = (out / "report.md").read_text()
    s1 = md[md.index(f"`{cid}`") :].split("\n### ")[0]
    assert "**July 2, 2025**" in s1 and "**2025-07-03**" in s1 and "confirmed** by ana" in s1
    data = {c["id"]: c for c in json.loads((out / "conflicts.json").read_text())}
    assert data[cid]["status"] == "confirmed" and data[cid]["decision"]["note"] == "n1"
    assert len(data) == len(Store(db).conflicts())
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "conflicts.csv").read_text()))}
    assert rows[cid]["status"] == "confirmed" and rows[cid]["reviewer"] == "ana"
    assert "July 2, 2025" in rows[cid]["accounts"] and "2025-07-03" in rows[cid]["accounts"]
    confirmed_only = CliRunner().invoke(
        cli, ["report", "--db", str(db), "--out", str(out), "--format", "json", "--status", "confirmed"]
    )
    assert confirmed_only.exit_code == 0
    assert [c["id"] for c in json.loads((out / "conflicts.json").read_text())] == [cid]


def test_report_on_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "none.db: no such database" in result.output
    assert not (tmp_path / "none.db").exists()


def test_exports_keep_untrusted_text_inert() -> None:
    assert csv_cell('=HYPERLINK("http://x")').startswith("'=")
    assert csv_cell("-2+3") == "'-2+3" and csv_cell("Kremlin") == "Kremlin"
    escaped = md_escape("<script>alert(1)</script> [click](http://x) **bold**\n# heading")
    assert "<script>" not in escaped and "&lt;script&gt;" in escaped
    assert "\\[click\\]" in escaped and "\\*\\*bold\\*\\*" in escaped and "\n" not in escaped


def test_a_decision_made_in_the_page_survives_rerunning_the_main_job(db: Path) -> None:
    import lxml.html
    from starlette.testclient import TestClient

    from extractor.web import create_app

    cid = s1_id(db)
    client = TestClient(create_app(db, "ana"), base_url="http://127.0.0.1:8000")
    page = lxml.html.fromstring(client.get(f"/conflicts/{cid}").text)
    form = page.xpath("//form[@class='decide']")[0]
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    posted = client.post(
        f"/conflicts/{cid}/decide",
        data={**fields, "status": "confirmed", "note": "Kremlin readout: 3 July"},
        headers={"origin": "http://127.0.0.1:8000"},
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    again = CliRunner().invoke(cli, ["run", str(SEEDS), "--db", str(db), "--quiet-claims", "--force"])
    assert again.exit_code == 0, again.output
    store = Store(db)
    assert [(d.reviewer, d.status.value, d.note) for d in store.history(cid)] == [
        ("ana", "confirmed", "Kremlin readout: 3 July")
    ]
    shown = client.get(f"/conflicts/{cid}").text
    assert "confirmed by ana" in " ".join(lxml.html.fromstring(shown).text_content().split())


@pytest.fixture
def read_only(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds' database as a user without write permission sees it. Root writes through chmod 444,
    so the file is opened the way SQLite opens an unwritable one: read-only (mode=ro)."""
    if PG_URL:
        pytest.skip("a SQLite file's permissions")
    connect = sqlite3.connect

    def read_only_connect(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if Path(target) == db:
            return connect(f"file:{db}?mode=ro", *args, uri=True, **kwargs)  # type: ignore[arg-type]
        return connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("extractor.store.db.sqlite3.connect", read_only_connect)
    return db


@pytest.mark.parametrize(
    "command",
    [["review", "set", "PREFIX", "--status", "confirmed"], ["run", str(SEEDS), "--force"]],
    ids=["review-set", "run"],
)
def test_a_read_only_database_is_a_clear_error(read_only: Path, command: list[str]) -> None:
    command = [s1_id(read_only) if part == "PREFIX" else part for part in command]
    result = CliRunner().invoke(cli, [*command, "--db", str(read_only)])
    assert result.exit_code != 0 and not isinstance(result.exception, sqlite3.Error), result.output
    last = result.output.strip().splitlines()[-1]
    assert str(read_only) in last and "read-only" in last and "--db COPY" in last, result.output


def test_a_chmod_444_database_is_a_clear_error(db: Path) -> None:
    if PG_URL:
        pytest.skip("a SQLite file's permissions")
    db.chmod(0o444)
    if os.access(db, os.W_OK):
        pytest.skip("this user (root) writes to read-only files: see the mode=ro test")
    result = CliRunner().invoke(cli, ["review", "set", s1_id(db), "--status", "confirmed", "--db", str(db)])
    assert result.exit_code != 0 and "read-only" in result.output, result.output


def test_interactive_review_says_c_moves_on_and_counts_what_it_showed(db: Path) -> None:
    open_ids = [c.id for c in Store(db).conflicts()]
    assert len(open_ids) > 3
    result = CliRunner().invoke(cli, ["review", "--db", str(db)], input="nnq")
    assert result.exit_code == 0, result.output
    assert "[c]onfirm, [d]ismiss or [r]esolve and go on to the next" in result.output
    assert f"0 decision(s) recorded by ana; 3 of {len(open_ids)} conflict(s) shown" in result.output


def test_interactive_review_without_a_terminal_points_to_review_set(db: Path) -> None:
    if PG_URL:
        pytest.skip("the terminal, not the store")
    # A new session has no controlling terminal, as under cron or CI: /dev/tty cannot be opened.
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    done = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "review", "--db", str(db)],
        input="c",
        capture_output=True,
        text=True,
        env=env,
        start_new_session=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "needs a terminal" in done.stderr and "claimdiff review set" in done.stderr, done.stderr


def test_two_claims_from_one_sentence_show_the_sentence_once(db: Path) -> None:
    """The count conflict of the seeds: TASS's 'six meetings' and 'two dozen times' are one sentence."""
    runner = CliRunner()
    rows = json.loads(
        runner.invoke(cli, ["conflicts", "--db", str(db), "--kind", "count", "--format", "json"]).output
    )
    for row in rows:
        view = json.loads(
            runner.invoke(cli, ["review", "show", row["id"], "--db", str(db), "--format", "json"]).output
        )
        quotes = [(s["article_id"], s["quote"]) for s in view["sides"]]
        if len(set(quotes)) < len(quotes):
            break
    else:
        pytest.fail("no conflict with two claims from one sentence in the seeds")
    twice = next(q for q in quotes if quotes.count(q) > 1)[1]
    shown = runner.invoke(cli, ["review", "show", row["id"], "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.count(twice) == 1 and "2 claims of this conflict" in shown.output, shown.output


def test_review_set_with_a_one_letter_id_says_it_is_too_short(db: Path) -> None:
    result = CliRunner().invoke(cli, ["review", "set", "c", "--status", "confirmed", "--db", str(db)])
    assert result.exit_code == 1
    assert "prefix 'c' is too short: give at least 4 characters" in result.output, result.output
    assert Store(db).current_decisions() == {}
