"""Screenshots of the review page and the report on the seeds, in docs/screenshots/ (for the docs).

    python docs/screenshots.py

Runs the main job on the seeds (replaying the recordings) into a temporary database, writes the
report, serves the review page on a free loopback port, and photographs the conflict list, the S1
date conflict and the report with Debian's Chromium (/usr/bin/chromium) through Playwright.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def claimdiff(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "extractor.cli", *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return done.stdout


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from extractor.web import create_app

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.db"
        claimdiff("run", "seeds/", "--db", str(db), "--quiet-claims")
        conflicts = json.loads(claimdiff("conflicts", "--db", str(db), "--format", "json"))
        s1 = next(c["id"] for c in conflicts if c["kind"] == "date" and c["severity"] == "high")
        claimdiff("report", "--db", str(db), "--out", tmp, "--format", "html")
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(db, "docs"), log_level="warning"))
        threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        while not server.started:
            threading.Event().wait(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, url in [
                ("page-list.png", f"http://127.0.0.1:{port}/"),
                ("page-s1.png", f"http://127.0.0.1:{port}/conflicts/{s1}"),
                ("report.png", (Path(tmp) / "report.html").as_uri() + f"#{s1}"),
            ]:
                page.goto(url)
                page.screenshot(path=str(OUT / name), full_page=False)
                print(OUT / name)
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
