"""Bad input in a live batch: every bad file named with its problem, the batch goes on, the exit status
and the final summary say what failed, and `claimdiff status` keeps the list.

Answers come from the FAKE loopback server of tests/fake_server.py (no model, no recording); the
test process may connect to 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from tests.conftest import SEEDS
from tests.fake_server import FAKE_KEY, FakeOpenAIServer

LOOPBACK = pytest.mark.block_network(allowed_hosts=[r"^127\.0\.0\.1$"])
FRENCH = (
    "Le président Emmanuel Macron a parlé avec Vladimir Poutine pendant plus de deux heures mardi, "
    "a déclaré l'Élysée.\n"
)
RUSSIAN = "Кремль заявил, что Путин и Трамп говорили по телефону почти час в четверг.\n"
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Talks</title></head><body><article>"
    "<p>Russian President Vladimir Putin and US President Donald Trump spoke by phone on Thursday for "
    "nearly an hour, Kremlin aide Yuri Ushakov told reporters after the call ended in Moscow.</p>"
    "<p>The two leaders agreed to keep talking, Ushakov said, and discussed Ukraine and Iran.</p>"
    "</article></body></html>"
)
GOOD = "Putin and Trump spoke by phone for nearly an hour on Thursday, the Kremlin said.\n"


def make_batch(root: Path) -> tuple[Path, dict[str, str], list[str]]:
    """A folder of good and bad files: {bad file name: the words its problem must contain}, good names."""
    batch = root / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(GOOD)
    shutil.copy(batch / "good.txt", batch / "same-again.txt")
    (batch / "latin1.txt").write_bytes(FRENCH.encode("latin-1"))
    (batch / "cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (batch / "page.html").write_text(PAGE)
    (batch / "empty.txt").write_text("")
    (batch / "blank.txt").write_text("  \n\t \n")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (batch / "undecodable.txt").write_bytes(b"Le pr\xe9sident " + b"\x81\x8d\x8f\x90\x9d" * 3 + b" fin.")
    (batch / "navigation.html").write_text(
        "<html><body><nav>"
        + "".join(f"<a href='/{i}'>Section {i}</a>" for i in range(20))
        + "</nav></body></html>"
    )
    (batch / "huge.txt").write_bytes(b"word " * 1_000_000)  # 5 MB
    (batch / "broken-link.txt").symlink_to(root / "nowhere.txt")
    os.mkfifo(batch / "pipe.txt")
    folder_like = root / "folder.txt"
    folder_like.mkdir()
    bad = {
        "same-again.txt": "duplicate",
        "empty.txt": "empty",
        "blank.txt": "whitespace",
        "binary.txt": "binary",
        "undecodable.txt": "encoding",
        "navigation.html": "no article text",
        "huge.txt": "--max-bytes",
        "broken-link.txt": "broken symbolic link",
        "pipe.txt": "not a regular file",
        "folder.txt": "directory",
        "missing.txt": "not found",
    }
    return batch, bad, ["good.txt", "latin1.txt", "cp1251.txt", "page.html"]


@LOOPBACK
def test_a_batch_with_every_kind_of_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch, bad, good = make_batch(tmp_path)
    monkeypatch.chdir(tmp_path)
    server = FakeOpenAIServer()
    with server.running():
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
        args = ["extract", str(batch), str(tmp_path / "folder.txt"), str(tmp_path / "missing.txt")]
        result = CliRunner().invoke(cli, [*args, "--db", "t.db", "--concurrency", "1"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    problems = lines[next(i for i, ln in enumerate(lines) if "problem(s):" in ln) + 1 :]
    for name, words in bad.items():
        line = next((ln for ln in problems if f"{name}:" in ln), "")
        assert words in line.lower() or words in line, f"{name}: {line!r}"
    assert len([ln for ln in problems if ln.startswith("  - ")]) == len(bad)
    summary = next(ln for ln in lines if ln.startswith("summary:"))
    failures = len(bad) - 1  # the duplicate is named, but it is extracted once, not failed
    assert summary == f"summary: {len(good)} extracted, {failures} failed (bad_input {failures})"
    # The batch went on: every good file was extracted, whatever its encoding or format.
    status = json.loads(CliRunner().invoke(cli, ["status", "--db", "t.db", "--format", "json"]).output)
    states = {Path(r["article"]).name: r for r in status["articles"]}
    assert {n for n, r in states.items() if r["state"] == "done"} == set(good)
    failed = {n for n, r in states.items() if r["state"] == "failed"}
    assert failed == set(bad) - {"same-again.txt"}  # a duplicate is extracted once, not failed
    assert status["failure_classes"] == {"bad_input": len(failed)}
    assert all(states[n]["failure_class"] == "bad_input" and states[n]["reason"] for n in failed)


@LOOPBACK
def test_a_fixed_file_leaves_the_failed_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "story.txt").write_text("")
    server = FakeOpenAIServer()
    with server.running():
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
        first = CliRunner().invoke(cli, ["extract", "story.txt", "--db", "t.db"])
        assert first.exit_code == 1 and "story.txt: bad_input: file is empty" in first.output
        (tmp_path / "story.txt").write_text(GOOD)
        second = CliRunner().invoke(cli, ["extract", "story.txt", "--db", "t.db"])
    assert second.exit_code == 0, second.output
    status = json.loads(CliRunner().invoke(cli, ["status", "--db", "t.db", "--format", "json"]).output)
    assert status["states"]["failed"] == 0 and status["states"]["done"] == 1


def test_status_names_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "none.db: no database yet" in result.output


def test_status_lists_failures_by_class_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMDIFF_RECORDINGS", str(tmp_path / "no-recordings"))
    shutil.copy(next(SEEDS.glob("004_*.txt")), tmp_path / "seed.txt")
    (tmp_path / "empty.txt").write_text("")
    CliRunner().invoke(cli, ["extract", "seed.txt", "empty.txt", "--db", "t.db"])
    table = CliRunner().invoke(cli, ["status", "--db", "t.db"])
    assert table.exit_code == 0 and "bad_input" in table.output and "empty.txt" in table.output
    rows = [
        json.loads(ln)
        for ln in CliRunner().invoke(cli, ["status", "--db", "t.db", "--format", "jsonl"]).output.splitlines()
    ]
    # seed.txt has no recording: failed, as extract said, not pending
    assert {(Path(r["article"]).name, r["state"], r["failure_class"]) for r in rows} == {
        ("seed.txt", "failed", "recording"),
        ("empty.txt", "failed", "bad_input"),
    }
    csv = CliRunner().invoke(cli, ["status", "--db", "t.db", "--format", "csv"]).output.splitlines()
    assert csv[0] == "article,state,failure_class,reason,flags,copy_of" and len(csv) == 3
