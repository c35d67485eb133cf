"""`claimdiff serve` as a child process on a free loopback port, for the PostgreSQL serve test and
the load benchmark: stopped when the block ends (terminated, then killed if it lingers), also on an
error or Ctrl-C."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CLAIMDIFF = ("-c", "from extractor.cli import main; main()")
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: str, log: Path, reviewer: str) -> Iterator[str]:
    """Yields the server's base URL once it answers; its output goes to `log`."""
    port = free_port()
    cmd = [sys.executable, *CLAIMDIFF, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen([*cmd, "--reviewer", reviewer], stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_answering(proc, base, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_answering(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"claimdiff serve exited ({proc.returncode}):\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/static/style.css", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"claimdiff serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-2000:]}"
    )
