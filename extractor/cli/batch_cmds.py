"""`claimdiff batch submit|status|collect`: large runs through the OpenAI Batch API (24 h window)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from extractor.cli.app import Problems, cli, fail_loudly
from extractor.cli.inputs import load_inputs
from extractor.cli.options import db_option, format_option, provider_options
from extractor.cli.output import emit, err
from extractor.errors import ConfigError
from extractor.store import Store
from extractor.store.batches import OPEN_STATES

if TYPE_CHECKING:
    from extractor.batchapi import BatchRunner
    from extractor.batchapi.runner import CollectSummary

STATUS_COLUMNS = [
    "id",
    "provider_id",
    "status",
    "requests",
    "bytes",
    "model",
    "created_at",
    "updated_at",
    "error",
]


def runner_for(store: Store, opts: dict[str, Any]) -> BatchRunner:
    # The model client (openai, instructor) is imported by the commands that call a model, not by every
    # command: `claimdiff --help` and the listings start in a fraction of the time.
    from extractor.batchapi import BatchRunner
    from extractor.wiring import make_extractor, provider_for

    config, mode, _ = provider_for("batch", opts)
    if mode != "live":
        raise ConfigError(
            "the Batch API needs an endpoint: set OPENAI_BASE_URL and OPENAI_API_KEY (or --base-url)"
        )
    extractor = make_extractor(store, config, mode, opts)
    return BatchRunner(extractor)


@cli.group()
def batch() -> None:
    """Extract through the OpenAI Batch API: submit, then follow and collect within 24 hours.

    Requests are the exact bodies a live run would send, and results are stored exactly as a live
    call's, so a later `claimdiff extract` finds batch-extracted articles cached. A restart resumes
    where it stopped and never submits the same article twice.
    """


@batch.command("submit")
@click.argument("paths", nargs=-1, required=True)
@db_option
@provider_options
@click.option("--max-bytes", default=2_000_000, show_default=True, help="Refuse larger input files.")
@fail_loudly
def batch_submit(paths: tuple[str, ...], db_path: Path, max_bytes: int, **opts: Any) -> None:
    """Submit the articles that are neither extracted nor already in a batch (same as `extract --batch`)."""
    submit_paths(paths, db_path, max_bytes, opts)


def submit_paths(paths: tuple[str, ...], db_path: Path, max_bytes: int, opts: dict[str, Any]) -> None:
    store = Store(db_path)
    problems = Problems()
    articles = load_inputs(paths, store, problems, max_bytes)
    runner = runner_for(store, opts)
    ids, skipped = runner.submit(articles)
    for source, why in skipped.items():
        err.print(f"{source}: skipped, {why}", markup=False)
    rows = [r for r in store.batches() if r["id"] in ids]
    emit(rows, "table", STATUS_COLUMNS, title=f"{len(ids)} batch(es) submitted")
    err.print("follow with: claimdiff batch status; then: claimdiff batch collect", markup=False)
    problems.report()
    sys.exit(1 if problems.items else 0)


@batch.command("status")
@db_option
@provider_options
@format_option
@click.option("--offline", is_flag=True, help="Show what the database knows without asking the API.")
@fail_loudly
def batch_status(db_path: Path, fmt: str, offline: bool, **opts: Any) -> None:
    """Each batch: its API id, status, size and any error (asks the API about open batches)."""
    store = Store(db_path, create=False)
    rows = store.batches() if offline else runner_for(store, opts).refresh()
    emit(rows, fmt, STATUS_COLUMNS, title="batches")


@batch.command("collect")
@db_option
@provider_options
@click.option("--wait", is_flag=True, help="Poll until every open batch has finished, then collect.")
@click.option("--poll", default=60.0, show_default=True, help="Seconds between polls with --wait.")
@fail_loudly
def batch_collect(db_path: Path, wait: bool, poll: float, **opts: Any) -> None:
    """Download finished batches' output and error files and store each result as a live call would.

    Articles whose lines all came back are extracted; the rest (failed lines, missing lines, an
    expired batch) go back to pending for the next submission or a live run.
    """
    store = Store(db_path, create=False)
    runner = runner_for(store, opts)
    summaries: list[CollectSummary] = []
    while True:
        summaries += runner.collect()
        still_open = [r for r in store.batches() if r["status"] in OPEN_STATES]
        if not wait or not still_open:
            break
        err.print(f"{len(still_open)} batch(es) still running; next poll in {poll:.0f} s", markup=False)
        time.sleep(poll)
    names = {a.id: Path(a.source).name for a in store.articles()}
    rows = []
    for s in summaries:
        for o in s.extracted:
            rows.append(
                {
                    "batch": s.batch_id,
                    "article": names.get(o.article_id, o.article_id),
                    "result": o.status,
                    "claims": o.claims,
                    "why": o.error or "",
                }
            )
        for article_id, why in s.pending.items():
            rows.append(
                {
                    "batch": s.batch_id,
                    "article": names.get(article_id, article_id),
                    "result": "pending",
                    "claims": 0,
                    "why": why,
                }
            )
    emit(
        rows,
        "table",
        ["batch", "article", "result", "claims", "why"],
        title=f"{len(summaries)} batch(es) collected",
    )
    failed = [r for r in rows if r["result"] == "failed"]
    sys.exit(1 if failed else 0)
