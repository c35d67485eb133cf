"""Crash and resume, several processes on one database, atomic exports: real processes, real kills.

`claimdiff extract` runs in subprocesses against the FAKE OpenAI-compatible server of
tests/fake_server.py on loopback (no model, no recording). Nothing here measures time: the test
polls the database for progress and kills the process with SIGKILL when it gets there.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from extractor.ingest import read_article
from tests.fake_server import CLAIMDIFF, FakeOpenAIServer, env_for

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def write_articles(folder: Path, n: int) -> dict[str, str]:
    """n distinct articles with three labelled sentences each; returns {article id: file name}."""
    folder.mkdir()
    ids = {}
    for i in range(n):
        path = folder / f"a{i:02d}.txt"
        path.write_text(
            f"Russian President Vladimir Putin and US President Donald Trump spoke by phone on "
            f"July {i + 1}, 2025, the Kremlin said in statement number {100 + i}.\n\n"
            f"The call lasted nearly an hour, aide Yuri Ushakov said of conversation {i}.\n\n"
            f"It was their {ORDINALS[i % len(ORDINALS)]} conversation since January.\n"
        )
        ids[read_article(path).id] = path.name
    return ids


def start(folder: Path, db: Path, server: FakeOpenAIServer, home: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *CLAIMDIFF, "extract", str(folder), "--db", str(db), *extra],
        env=env_for(server, str(home)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def query(db: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def done_ids(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        return {r[0] for r in query(db, "SELECT article_id FROM extractions WHERE status='done'")}
    except sqlite3.OperationalError:  # not migrated yet
        return set()


def row_counts(db: Path) -> dict[str, int]:
    tables = [r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: query(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}


def claims_per_article(db: Path) -> dict[str, int]:
    return dict(query(db, "SELECT article_id, COUNT(*) FROM claims GROUP BY article_id"))


def article_of(sentence: str, texts: dict[str, str]) -> str:
    owners = [aid for aid, text in texts.items() if sentence and sentence in text]
    assert len(owners) == 1, sentence
    return owners[0]


def clean_run(folder: Path, tmp_path: Path) -> tuple[dict[str, int], list[str]]:
    """Claims per article and the sentences asked in one uninterrupted run: what others must match."""
    server = FakeOpenAIServer()
    with server.running():
        proc = start(folder, tmp_path / "clean.db", server, tmp_path, "--concurrency", "1")
        _out, errs = proc.communicate(timeout=300)
    assert proc.returncode == 0, errs
    return claims_per_article(tmp_path / "clean.db"), server.sentences()


def wait_for(proc: subprocess.Popen[str], db: Path, done_at_least: int) -> None:
    deadline = time.monotonic() + 120  # a guard against a hang, not a measurement
    while len(done_ids(db)) < done_at_least:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.02)


def test_sigkill_mid_batch_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    names = write_articles(folder, 8)
    texts = {aid: (folder / name).read_text() for aid, name in names.items()}
    expected_claims, clean_sentences = clean_run(folder, tmp_path)
    assert set(expected_claims) == set(names) and all(expected_claims.values())
    calls_per_article = Counter(article_of(s, texts) for s in clean_sentences)

    db = tmp_path / "crash.db"
    server = FakeOpenAIServer(latency=0.05)
    kills = 0
    with server.running():
        for k, concurrency in ((2, "1"), (5, "2")):  # two crash/resume cycles, one with threads
            proc = start(folder, db, server, tmp_path, "--concurrency", concurrency)
            wait_for(proc, db, k)
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            kills += 1
            finished = done_ids(db)
            assert len(finished) >= k and len(finished) < len(names)
            # No half-written claim set: claims exist only for articles marked done, and whole.
            stored = claims_per_article(db)
            assert set(stored) <= finished
            assert all(stored[a] == expected_claims[a] for a in stored)
            assert query(db, "PRAGMA integrity_check") == [("ok",)]
            before = server.calls
            proc = start(folder, db, server, tmp_path, "--concurrency", concurrency)
            _out, errs = proc.communicate(timeout=300)
            assert proc.returncode == 0, errs
            # After the restart, finished articles cost no call; the others are asked whole, once.
            asked = Counter(article_of(s, texts) for s in server.sentences()[before:])
            assert asked == Counter({a: n for a, n in calls_per_article.items() if a not in finished})
            # Every article done exactly once, with the claims a clean run gives.
            rows = query(db, "SELECT article_id, status FROM extractions")
            assert Counter(a for a, s in rows if s == "done") == Counter(dict.fromkeys(names, 1))
            assert claims_per_article(db) == expected_claims
            assert query(db, "PRAGMA integrity_check") == [("ok",)]
            if k == 2:
                # Start the next cycle from nothing extracted, with the database kept.
                query_rw(db, "DELETE FROM claims")
                query_rw(db, "DELETE FROM extractions")
    assert kills == 2
    # Every answered call is logged with its raw answer; only calls in flight at a kill (one per
    # thread) went unlogged.
    logged = query(db, "SELECT COUNT(*), SUM(raw IS NOT NULL) FROM calls")[0]
    assert logged[0] == logged[1]
    assert 0 <= server.calls - logged[0] <= 3


def query_rw(db: Path, sql: str) -> None:
    con = sqlite3.connect(db, timeout=30)
    try:
        with con:
            con.execute(sql)
    finally:
        con.close()


def test_rerunning_a_completed_batch_makes_no_call_and_writes_no_row(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    write_articles(folder, 3)
    db = tmp_path / "t.db"
    server = FakeOpenAIServer()
    with server.running():
        first = start(folder, db, server, tmp_path)
        assert first.communicate(timeout=300) and first.returncode == 0
        calls, rows = server.calls, row_counts(db)
        assert calls > 0 and rows["claims"] > 0
        again = start(folder, db, server, tmp_path)
        _out, errs = again.communicate(timeout=300)
    assert again.returncode == 0, errs
    assert server.calls == calls
    assert row_counts(db) == rows
    assert "3 already extracted" in errs


def test_three_processes_on_one_database_share_the_work(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    names = write_articles(folder, 12)
    _, clean_sentences = clean_run(folder, tmp_path)
    clean_calls = len(clean_sentences)
    db = tmp_path / "shared.db"  # new: the three processes also race to create and migrate it
    server = FakeOpenAIServer(latency=0.03)
    with server.running():
        procs = [start(folder, db, server, tmp_path, "--concurrency", "2") for _ in range(3)]
        results = [p.communicate(timeout=300) for p in procs]
    for proc, (_, errs) in zip(procs, results, strict=True):
        assert proc.returncode == 0, errs
        assert "locked" not in errs.lower()
    rows = query(db, "SELECT article_id, status FROM extractions")
    assert Counter(a for a, s in rows if s == "done") == Counter(dict.fromkeys(names, 1))
    assert len(rows) == len(names)
    # In-flight marks kept any two processes from extracting one article: one clean run's calls.
    assert server.calls == clean_calls
    assert query(db, "SELECT COUNT(*) FROM calls")[0][0] == clean_calls
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


_SLOW_EXPORT = """
import sys, time
from extractor.fsutil import atomic_write
with atomic_write(sys.argv[1]) as fh:
    fh.write("new report, half written\\n" * 10000)
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)
    fh.write("end\\n")
"""


def test_an_export_killed_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "conflicts.json"
    target.write_text('{"old": "report"}\n')
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_EXPORT, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    partial = [p for p in tmp_path.iterdir() if p.name.startswith(".conflicts.json.")]
    assert partial and partial[0].stat().st_size > 0  # the new content exists, beside the file
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert target.read_text() == '{"old": "report"}\n'


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_an_interrupted_batch_leaves_its_article_pending(tmp_path: Path, signal_name: str) -> None:
    folder = tmp_path / "batch"
    names = write_articles(folder, 4)
    db = tmp_path / "t.db"
    server = FakeOpenAIServer(latency=0.05)
    with server.running():
        proc = start(folder, db, server, tmp_path, "--concurrency", "1")
        wait_for(proc, db, 1)
        proc.send_signal(getattr(signal, signal_name))
        proc.communicate(timeout=60)
        finished = done_ids(db)
        again = start(folder, db, server, tmp_path, "--concurrency", "1")
        _, errs = again.communicate(timeout=300)
    assert again.returncode == 0, errs
    assert done_ids(db) == set(names) and len(finished) < len(names)
