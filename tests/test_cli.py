"""The CLI as a user runs it: offline, replaying recordings, with bad input in the batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.cli.conflict_view import first_sentence
from extractor.store import Store
from tests.conftest import RECORDINGS, ROOT, SEEDS

SEED_004 = SEEDS / "004_a44e26b8cb7867dd.txt"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMDIFF_RECORDINGS", str(RECORDINGS))
    return CliRunner()


def test_batch_goes_on_past_bad_input_and_names_each_file(runner: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(SEED_004, batch / "good.txt")
    shutil.copy(SEED_004, batch / "same-again.txt")
    (batch / "empty.txt").write_text("")
    (batch / "blank.txt").write_text("   \n\t\n")
    (batch / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (batch / "big.txt").write_text("word " * 500_000)
    result = runner.invoke(cli, ["extract", str(batch), str(tmp_path / "missing.txt"), "--db", "t.db"])
    assert result.exit_code == 1, result.output
    out = result.output
    for name, problem in [
        ("empty.txt", "empty"),
        ("blank.txt", "whitespace"),
        ("binary.txt", "binary"),
        ("big.txt", "--max-bytes"),
        ("missing.txt", "not found"),
        ("same-again.txt", "duplicate"),
    ]:
        line = next((ln for ln in out.splitlines() if name in ln), "")
        assert problem in line.lower(), f"{name}: {line!r}"
    assert "replaying recorded answers of qwen" in out
    listed = runner.invoke(cli, ["claims", "--db", "t.db", "--format", "json"])
    claims = json.loads(listed.output)
    assert claims and {c["article_id"] for c in claims} == {claims[0]["article_id"]}


def test_no_recording_and_no_endpoint_is_a_clear_failure(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "new.txt").write_text("Putin and Macron spoke by phone on Tuesday for two hours.")
    result = runner.invoke(cli, ["extract", "new.txt", "--db", "t.db"])
    assert result.exit_code == 1
    assert "new.txt" in result.output and "OPENAI_BASE_URL" in result.output


def test_status_agrees_with_extract_about_a_missing_recording(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "new.txt").write_text("Putin and Macron spoke by phone on Tuesday for two hours.")
    assert runner.invoke(cli, ["extract", "new.txt", "--db", "t.db"]).exit_code == 1
    report = json.loads(runner.invoke(cli, ["status", "--db", "t.db", "--format", "json"]).stdout)
    (article,) = report["articles"]
    assert (article["state"], article["failure_class"]) == ("failed", "recording"), article
    assert "no recording" in article["reason"] and report["states"]["pending"] == 0


def test_run_on_the_seeds_prints_a_summary_and_one_line_per_conflict(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["run", str(SEEDS), "--db", "seeds.db"])
    assert result.exit_code == 0, result.output
    assert "replaying recorded answers of qwen2.5-coder-1.5b-instruct" in result.output
    stored = len(Store("seeds.db").current_claims())
    assert "conflicts across" in result.output and f"{stored} claims" not in result.output
    assert len(result.output.splitlines()) <= 60, result.output
    date = next(ln for ln in result.output.splitlines() if "cf59f13875de0" in ln)
    assert date.startswith("high") and " date " in date and "2 July 2025" in date
    assert "claimdiff review --db seeds.db" in result.output
    with_claims = runner.invoke(cli, ["run", str(SEEDS), "--db", "seeds.db", "--claims"])
    assert with_claims.exit_code == 0 and f"{stored} claims" in with_claims.output
    again = runner.invoke(cli, ["run", str(SEEDS), "--db", "seeds.db", "--quiet-claims"])
    assert again.exit_code == 0 and again.output.count("cached") == 5
    listed = runner.invoke(cli, ["conflicts", "--db", "seeds.db", "--format", "json"])
    assert listed.exit_code == 0 and isinstance(json.loads(listed.output), list)


def test_conflicts_fit_an_80_column_terminal(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["run", str(SEEDS), "--db", "seeds.db"]).exit_code == 0
    listed = runner.invoke(cli, ["conflicts", "--db", "seeds.db"], env={"COLUMNS": "80"})
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert len(lines) <= 90 and max(len(ln) for ln in lines) <= 80, listed.output
    date = lines.index(next(ln for ln in lines if ln.startswith("cf59f13875de0")))
    assert "high date" in lines[date] and "002 (The National Interest)" in lines[date + 1]
    assert "002 dates the call 2 July 2025" in lines[date + 2]


def test_import_gold_claims_then_reconcile(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["extract", str(SEEDS), "--db", "g.db"]).exit_code == 0
    extracted = len(Store("g.db").current_claims())
    imported = runner.invoke(
        cli, ["import", str(ROOT / "fixtures" / "gold" / "claims.jsonl"), "--db", "g.db", "--replace"]
    )
    assert imported.exit_code == 0, imported.output
    assert "imported" in imported.output and f"replaced their {extracted} earlier claims" in imported.output
    assert runner.invoke(cli, ["reconcile", "--db", "g.db"]).exit_code == 0
    rows = json.loads(
        runner.invoke(cli, ["conflicts", "--db", "g.db", "--severity", "high", "--format", "json"]).output
    )
    assert any(c["kind"] == "date" for c in rows)
    events = runner.invoke(
        cli,
        [
            "events",
            "--db",
            "g.db",
            "--with",
            "Trump",
            "--with",
            "Putin",
            "--year",
            "2025",
            "--format",
            "json",
        ],
    )
    dates = [e["date"] for e in json.loads(events.output)]
    assert dates == ["2025-02-12", "2025-03-18", "2025-05-19", "2025-06-04", "2025-06-14", "2025-07-03"]


def test_import_adds_to_the_current_claims_unless_told_to_replace(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["extract", str(SEED_004), "--db", "i.db"]).exit_code == 0
    model = json.loads(runner.invoke(cli, ["claims", "--db", "i.db", "--format", "json"]).stdout)
    mine = tmp_path / "mine.jsonl"
    lines = [
        {
            "article": SEED_004.name,
            "kind": "event",
            "side": "Kremlin",
            "quote": "Russian President Vladimir Putin",
        },
        {"article": SEED_004.name, "kind": "event", "side": "Kremlin", "quote": "US President Donald Trump"},
    ]
    mine.write_text("".join(json.dumps(x) + "\n" for x in lines))
    added = runner.invoke(cli, ["import", str(mine), "--db", "i.db"])
    assert added.exit_code == 0, added.output
    assert (
        "imported 2 claims for 1 articles" in added.output
        and f"added to their {len(model)} current" in added.output
    )
    both = json.loads(runner.invoke(cli, ["claims", "--db", "i.db", "--format", "json"]).stdout)
    assert len(both) == len(model) + 2 and {c["id"] for c in model} < {c["id"] for c in both}
    again = runner.invoke(cli, ["import", str(mine), "--db", "i.db"])
    assert again.exit_code == 0 and "imported 0 claims" in again.output, again.output
    replaced = runner.invoke(cli, ["import", str(mine), "--db", "i.db", "--replace"])
    assert replaced.exit_code == 0 and f"replaced their {len(model) + 2} earlier claims" in replaced.output
    assert len(json.loads(runner.invoke(cli, ["claims", "--db", "i.db", "--format", "json"]).stdout)) == 2


def test_bad_import_line_is_reported_with_its_number(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["extract", str(SEED_004), "--db", "i.db"]).exit_code == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"article": "004_a44e26b8cb7867dd.txt", "kind": "event", "quote": "x"}\n{"kind": "nope"}\n'
    )
    result = runner.invoke(cli, ["import", str(bad), "--db", "i.db"])
    assert result.exit_code == 1 and "bad.jsonl:2" in result.output


def test_events_says_how_many_more_all_would_show(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["run", str(SEEDS), "--db", "seeds.db"]).exit_code == 0
    days = json.loads(runner.invoke(cli, ["events", "--db", "seeds.db", "--format", "json"]).stdout)
    every = json.loads(runner.invoke(cli, ["events", "--db", "seeds.db", "--all", "--format", "json"]).stdout)
    assert len(every) > len(days)
    listed = runner.invoke(cli, ["events", "--db", "seeds.db"])
    assert f"{len(every) - len(days)} more event(s) not dated to a day" in listed.output
    assert "--all shows them" in listed.output


@pytest.mark.parametrize("command", ["extract", "run"])
def test_a_folder_with_no_article_is_a_problem_naming_what_was_skipped(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "story.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "other" / ".notes.txt").write_text("mine")
    result = runner.invoke(cli, [command, "empty", "other", "--db", "t.db"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    empty = next(ln for ln in lines if ln.strip().startswith("- empty:"))
    assert "no article in it: the folder is empty" in empty
    other = next(ln for ln in lines if ln.strip().startswith("- other:"))
    assert "story.pdf (not .htm, .html, .md, .txt)" in other and ".notes.txt (hidden)" in other


def test_files_skipped_beside_articles_are_named(runner: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(SEED_004, batch / "good.txt")
    (batch / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(cli, ["extract", str(batch), "--db", "t.db"])
    assert result.exit_code == 0, result.output
    assert "skipped 1 file(s): scan.pdf (not .htm, .html, .md, .txt)" in result.output


def test_add_then_import_needs_no_model_and_no_recordings(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing = tmp_path / "no-recordings"
    nothing.mkdir()
    monkeypatch.setenv("CLAIMDIFF_RECORDINGS", str(nothing))
    added = runner.invoke(cli, ["add", str(SEED_004), "--db", "a.db"])
    assert added.exit_code == 0, added.output
    assert "stored 1 article(s) in a.db, no claims extracted" in added.output
    assert "replaying" not in added.output and "recording" not in added.output
    mine = tmp_path / "mine.jsonl"
    mine.write_text(
        json.dumps(
            {
                "article": SEED_004.name,
                "kind": "event",
                "side": "Kremlin",
                "quote": "Russian President Vladimir Putin",
            }
        )
        + "\n"
    )
    imported = runner.invoke(cli, ["import", str(mine), "--db", "a.db"])
    assert (
        imported.exit_code == 0 and "imported 1 claims for 1 articles (1 quotes verified)" in imported.output
    )
    claims = json.loads(runner.invoke(cli, ["claims", "--db", "a.db", "--format", "json"]).stdout)
    assert [c["evidence"]["quote"] for c in claims] == ["Russian President Vladimir Putin"]
    assert runner.invoke(cli, ["reconcile", "--db", "a.db", "--no-compare"]).exit_code == 0


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "000 writes 'Monday, July 1, 2025', but it was a Tuesday. The rest.",
            "000 writes 'Monday, July 1, 2025', but it was a Tuesday.",
        ),
        (
            "The U.S. President and Mr. Ushakov agree. They spoke.",
            "The U.S. President and Mr. Ushakov agree.",
        ),
        (
            "only the Kremlin reports: 'on this matter.'; 'According to' it. Then",
            "only the Kremlin reports: 'on this matter.'; 'According to' it.",
        ),
        ("no full stop at all", "no full stop at all"),
    ],
)
def test_a_conflict_line_shows_the_explanations_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first
