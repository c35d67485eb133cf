"""A canary key, debug logging on, every command that talks to a server or writes a file: the key
appears in no log line, database row, recording, report, export or error message.

claimdiff runs in subprocesses against the FAKE loopback server of tests/fake_server.py, which
checks that the canary really was sent (so this test can fail), and answers, refuses (401) or is
unreachable (a transport error).
"""

from __future__ import annotations

import logging
import secrets
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from extractor.logsetup import REDACTED, RedactSecrets
from tests.fake_server import CLAIMDIFF, FakeOpenAIServer, env_for

ARTICLE = (
    "Russian President Vladimir Putin and US President Donald Trump spoke by phone on July 3, 2025, "
    "for nearly an hour, Kremlin aide Yuri Ushakov said.\n"
)


def claimdiff(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *CLAIMDIFF, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def every_row(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [repr(row) for t in tables for row in con.execute(f"SELECT * FROM {t}")]
    finally:
        con.close()


def test_a_canary_key_leaks_nowhere(tmp_path: Path) -> None:
    canary = "sk-canary-" + secrets.token_hex(16)
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE.replace("July 3", "July 4"))
    (tmp_path / "no-retries.toml").write_text("[provider]\ntransport_retries = 0\n")
    log = tmp_path / "debug.log"
    outputs: list[str] = []
    good = FakeOpenAIServer()
    refusing = FakeOpenAIServer(
        labeller=lambda s: (
            401,
            {},
            {"error": {"message": "bad key", "type": "auth", "code": "invalid_api_key"}},
        )
    )
    with good.running(), refusing.running():
        env = env_for(
            good, str(tmp_path), OPENAI_API_KEY=canary, CLAIMDIFF_LOG="debug", CLAIMDIFF_LOG_FILE=str(log)
        )
        runs = [
            claimdiff(["extract", "a.txt", "--db", "t.db"], env, tmp_path),
            claimdiff(
                ["-v", "record", "b.txt", "--db", "r.db", "--recordings", "recs"],
                {**env, "CLAIMDIFF_LOG_FILE": ""},
                tmp_path,
            ),
            claimdiff(["run", "a.txt", "b.txt", "--db", "t.db"], env, tmp_path),
            claimdiff(
                ["extract", "b.txt", "--db", "auth.db", "--force"],
                env_for(refusing, str(tmp_path), OPENAI_API_KEY=canary, CLAIMDIFF_LOG="debug"),
                tmp_path,
            ),
            claimdiff(
                [
                    "extract",
                    "a.txt",
                    "--db",
                    "down.db",
                    "--base-url",
                    f"http://127.0.0.1:{closed_port()}/v1",
                    "--config",
                    "no-retries.toml",
                ],
                {**env, "CLAIMDIFF_LOG": "", "CLAIMDIFF_LOG_FILE": ""},
                tmp_path,
            ),
            claimdiff(["status", "--db", "t.db", "--format", "json"], env, tmp_path),
            claimdiff(["claims", "--db", "t.db", "--format", "json"], env, tmp_path),
            claimdiff(["report", "--db", "t.db", "--out", "report"], env, tmp_path),
        ]
    for r in runs:
        outputs += [r.stdout, r.stderr]
    extract, record, run, auth, down = runs[:5]
    assert extract.returncode == 0 and run.returncode == 0, extract.stderr + run.stderr
    assert record.returncode == 0, record.stderr
    assert auth.returncode == 1 and "refused the credentials (HTTP 401)" in auth.stderr
    assert down.returncode == 1 and "cannot reach the model server" in down.stderr
    # The canary was live: the servers received it, and debug logging did write request logs.
    assert {r.authorization for r in good.requests + refusing.requests} == {f"Bearer {canary}"}
    assert "HTTP Request: POST" in log.read_text() and "HTTP Request: POST" in record.stderr + auth.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith((".db-wal", ".db-shm"))]
    written = [p for p in files if p.suffix in (".json", ".md", ".html", ".csv", ".log")]
    assert any(p.parent.name == "report" for p in written) and any("recs" in p.parts for p in written)
    for db in ("t.db", "r.db", "auth.db", "down.db"):
        rows = every_row(tmp_path / db)
        assert rows and not [r for r in rows if canary in r], db
    leaks = [str(p) for p in files if canary.encode() in p.read_bytes()]
    assert not leaks
    assert not [o for o in outputs if canary in o]


def test_the_log_filter_redacts_keys_in_messages_arguments_and_tracebacks(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    canary = "sk-canary-" + secrets.token_hex(8)
    monkeypatch.setenv("OPENAI_API_KEY", canary)
    record = logging.LogRecord(
        "openai",
        logging.DEBUG,
        __file__,
        1,
        "options %s",
        ({"headers": {"Authorization": f"Bearer {canary}"}},),
        None,
    )
    try:
        raise RuntimeError(f"failed with api_key={canary}")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert RedactSecrets().filter(record)
    text = record.getMessage() + (record.exc_text or "")
    assert canary not in text and REDACTED in record.getMessage() and REDACTED in (record.exc_text or "")
    other = logging.LogRecord(
        "httpx", logging.DEBUG, __file__, 1, "token sk-other-0123456789 x-api-key: abc123", None, None
    )
    RedactSecrets().filter(other)
    assert "sk-other" not in other.getMessage() and "abc123" not in other.getMessage()
