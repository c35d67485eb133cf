"""`claimdiff serve`: the review page in a browser, over the same database as the CLI."""

from __future__ import annotations

from pathlib import Path

import click

from extractor.cli.app import cli, fail_loudly
from extractor.cli.options import db_option
from extractor.cli.output import err
from extractor.cli.review_cmds import reviewer_option


@cli.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: only you)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@reviewer_option
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="Also answer to this Host name (e.g. the machine's name when listening beyond loopback).",
)
@fail_loudly
def serve(db_path: Path, host: str, port: int, reviewer: str, allow_hosts: tuple[str, ...]) -> None:
    """Review conflicts in a browser: filter the list, read both quotes in their articles, and
    confirm, dismiss, resolve or reopen. Decisions land in the same database as `claimdiff review`'s."""
    import uvicorn

    from extractor.web import create_app
    from extractor.web.security import hosts_for, is_loopback

    app = create_app(db_path, reviewer, allowed_hosts=hosts_for(host, allow_hosts))
    if not is_loopback(host):
        err.print(
            f"warning: listening on {host}: anyone who can reach it can record decisions as {reviewer}",
            markup=False,
        )
    shown = f"[{host}]" if ":" in host else host
    err.print(f"reviewing {db_path} as {reviewer} at http://{shown}:{port}/  (Ctrl-C stops)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
