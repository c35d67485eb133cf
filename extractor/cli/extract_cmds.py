"""`claimdiff extract` and `claimdiff record`: articles in, claims stored."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from extractor.cli.app import Problems, cli, fail_loudly
from extractor.cli.inputs import load_inputs
from extractor.cli.options import compare_option, db_option, provider_options
from extractor.cli.output import emit, err
from extractor.errors import ProviderError
from extractor.jobs import extract_batch
from extractor.records import Article
from extractor.store import Store
from extractor.wiring import make_comparer

if TYPE_CHECKING:
    from extractor.extract.pipeline import ArticleOutcome


def extract_articles(
    articles: list[Article],
    store: Store,
    opts: dict[str, Any],
    problems: Problems,
    *,
    force: bool,
    concurrency: int,
    record: bool = False,
) -> list[ArticleOutcome]:
    # The model client (openai, instructor) loads with the commands that call a model.
    from extractor.wiring import make_extractor, provider_for

    config, mode, where = provider_for("extract", opts, record=record)
    err.print(where, markup=False)
    extractor = make_extractor(store, config, mode, opts)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False, disable=not articles) as bar:
        task = bar.add_task("extracting", total=len(articles))
        outcomes = extract_batch(
            store,
            extractor,
            articles,
            problems,
            force=force,
            concurrency=concurrency,
            record=record,
            on_done=lambda _: bar.advance(task),
        )
    if outcomes:
        _outcome_table(outcomes)
    return outcomes


def _outcome_table(outcomes: list[ArticleOutcome]) -> None:
    emit(
        [
            {
                "article": Path(o.source).name,
                "status": o.status,
                "claims": o.claims,
                "verified": o.verified,
                "calls": o.calls,
                "tokens in/out": f"{o.prompt_tokens}/{o.completion_tokens}",
                "seconds": f"{o.seconds:.1f}",
            }
            for o in outcomes
        ],
        "table",
        ["article", "status", "claims", "verified", "calls", "tokens in/out", "seconds"],
        title="extraction",
    )


def summary_line(outcomes: list[ArticleOutcome], problems: Problems) -> str:
    """One line that says what was done and what failed, by class."""
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    classes: dict[str, int] = {}
    for o in outcomes:
        if o.status == "failed":
            classes[o.failure_class or "unknown"] = classes.get(o.failure_class or "unknown", 0) + 1
    bad = sum(1 for _, what in problems.items if what.startswith("bad_input:"))
    if bad:
        classes["bad_input"] = classes.get("bad_input", 0) + bad
    parts = [f"{counts.get(k, 0)} {label}" for k, label in _LABELS if counts.get(k, 0) or k == "done"]
    failed = sum(classes.values())
    by_class = ", ".join(f"{k} {v}" for k, v in sorted(classes.items()))
    return "summary: " + ", ".join(parts) + f", {failed} failed" + (f" ({by_class})" if by_class else "")


_LABELS = (
    ("done", "extracted"),
    ("needs_review", "extracted but flagged for review"),
    ("cached", "already extracted"),
    ("busy", "in flight in another process"),
    ("skipped", "not attempted"),
)


def batch_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--force", is_flag=True, help="Extract again even when a cached result exists.")(fn)
    fn = click.option(
        "--concurrency", default=4, show_default=True, help="Articles in flight at once (live)."
    )(fn)
    fn = click.option(
        "--strategy",
        type=click.Choice(["batches", "sentences", "single"]),
        default="batches",
        show_default=True,
        help="batches: code finds candidate sentences, the model labels several a call (numbered); "
        "sentences: the same, one sentence a call; "
        "single: the model proposes claims and quotes in one pass.",
    )(fn)
    fn = click.option(
        "--batch-size",
        type=click.IntRange(1, 32),
        default=None,
        help="Sentences per call for --strategy batches (default 8, chosen by measurement).",
    )(fn)
    fn = click.option("--max-bytes", default=2_000_000, show_default=True, help="Refuse larger input files.")(
        fn
    )
    return fn


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@provider_options
@batch_options
@click.option(
    "--batch",
    "batch_api",
    is_flag=True,
    help="Submit through the OpenAI Batch API instead of calling live (then: claimdiff batch collect).",
)
@fail_loudly
def extract(
    paths: tuple[str, ...],
    db_path: Path,
    force: bool,
    concurrency: int,
    max_bytes: int,
    batch_api: bool,
    **opts: Any,
) -> None:
    """Extract claims from articles: files, folders, globs, or JSONL on stdin ('-')."""
    if batch_api:
        from extractor.cli.batch_cmds import submit_paths

        submit_paths(paths, db_path, max_bytes, opts)
        return
    _batch(paths, db_path, max_bytes, opts, force=force, concurrency=concurrency, record=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--max-bytes", default=2_000_000, show_default=True, help="Refuse larger input files.")
@fail_loudly
def add(paths: tuple[str, ...], db_path: Path, max_bytes: int) -> None:
    """Store articles without extracting anything (no model, no recordings): for claims you bring
    yourself with `claimdiff import`. Reads files, folders, globs or JSONL on stdin ('-') as extract does."""
    _store, problems, articles = _open_batch(paths, db_path, max_bytes)
    err.print(
        f"stored {len(articles)} article(s) in {db_path}, no claims extracted "
        f"(add yours: claimdiff import FILE.jsonl --db {db_path}; the schema: claimdiff schema import)",
        markup=False,
    )
    problems.report()
    sys.exit(1 if problems.items else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@provider_options
@batch_options
@compare_option
@fail_loudly
def record(
    paths: tuple[str, ...], db_path: Path, force: bool, concurrency: int, max_bytes: int, **opts: Any
) -> None:
    """Record a real server's answers for these articles into fixtures/ (needs OPENAI_BASE_URL): the
    extraction of each article, then the statement comparisons of the events they report."""
    _batch(paths, db_path, max_bytes, opts, force=True, concurrency=1, record=True)


def _record_comparisons(store: Store, opts: dict[str, Any]) -> None:
    from extractor.cli.reconcile_cmds import comparer_line
    from extractor.jobs import reconcile_store

    comparer = make_comparer(store, opts, record=True)
    counts = reconcile_store(store, comparer)
    err.print(comparer_line(comparer, counts) or "no comparisons", markup=False)


def _open_batch(
    paths: tuple[str, ...], db_path: Path, max_bytes: int
) -> tuple[Store, Problems, list[Article]]:
    store = Store(db_path)
    problems = Problems()
    return store, problems, load_inputs(paths, store, problems, max_bytes)


def _batch(
    paths: tuple[str, ...],
    db_path: Path,
    max_bytes: int,
    opts: dict[str, Any],
    *,
    force: bool,
    concurrency: int,
    record: bool,
) -> None:
    store, problems, articles = _open_batch(paths, db_path, max_bytes)
    try:
        outcomes = extract_articles(
            articles, store, opts, problems, force=force, concurrency=concurrency, record=record
        )
    except ProviderError:
        problems.report()
        raise
    _finish(outcomes, problems)
    if record and not opts.get("no_compare"):
        _record_comparisons(store, opts)
    sys.exit(1 if problems.items else 0)


def _finish(outcomes: list[ArticleOutcome], problems: Problems) -> None:
    flagged = [o for o in outcomes if o.status == "needs_review" or (o.status == "cached" and o.flags)]
    for o in flagged:
        err.print(
            f"needs review: {Path(o.source).name}: the article addresses the model ({', '.join(o.flags)})",
            markup=False,
        )
    err.print(summary_line(outcomes, problems), markup=False)
    problems.report()


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@provider_options
@batch_options
@compare_option
@click.option(
    "--claims", "show_claims", is_flag=True, help="Also print the claims table (or: claimdiff claims)."
)
@click.option(
    "--quiet-claims", is_flag=True, hidden=True, help="Kept for old scripts: claims are not printed."
)
@fail_loudly
def run(
    paths: tuple[str, ...],
    db_path: Path,
    force: bool,
    concurrency: int,
    max_bytes: int,
    show_claims: bool,
    quiet_claims: bool,
    **opts: Any,
) -> None:
    """The main job: extract claims from articles, reconcile them, and list the conflicts in one line each
    (the claims with --claims)."""
    from extractor.cli.reconcile_cmds import comparer_line
    from extractor.jobs import reconcile_store

    store, problems, articles = _open_batch(paths, db_path, max_bytes)
    try:
        outcomes = extract_articles(articles, store, opts, problems, force=force, concurrency=concurrency)
    except ProviderError:
        problems.report()
        raise
    names = {a.id: Path(a.source).name for a in store.articles()}
    if show_claims and not quiet_claims:
        _print_claims(store, {a.id for a in articles}, names)
    comparer = make_comparer(store, opts)
    counts = reconcile_store(store, comparer)
    _print_conflicts(store, names, counts)
    line = comparer_line(comparer, counts)
    if line:
        err.print(line, markup=False)
    _finish(outcomes, problems)
    err.print(
        f"next: claimdiff conflicts --db {db_path}   (all of each explanation: claimdiff review show ID)\n"
        f"      claimdiff review --db {db_path}      (decide on each conflict)\n"
        f"      claimdiff report --db {db_path}      (HTML, Markdown, JSON and CSV in claimdiff-report/)",
        markup=False,
    )
    sys.exit(1 if problems.items else 0)


def _print_claims(store: Store, ids: set[str], names: dict[str, str]) -> None:
    from extractor.cli.claims_cmds import claim_row

    claims = [c for c in store.current_claims() if c.article_id in ids]
    rows = [claim_row(c, names) for c in claims]
    for r in rows:
        r["quote"] = r["quote"][:100] + ("…" if len(r["quote"]) > 100 else "")
    columns = ["article", "kind", "side", "participants", "event_date", "value", "quote"]
    emit(rows, "table", columns, title=f"{len(claims)} claims")


def _print_conflicts(store: Store, names: dict[str, str], counts: dict[str, int]) -> None:
    """The conflicts in one line each: severity, kind, id, what is wrong."""
    from extractor.cli.conflict_view import conflict_lines, print_lines
    from extractor.cli.output import width
    from extractor.cli.reconcile_cmds import conflict_row, filter_conflicts

    decided = {cid: d.status.value for cid, d in store.current_decisions().items()}
    rows = [conflict_row(c, names, decided.get(c.id, "open")) for c in filter_conflicts(store.conflicts())]
    print_lines([f"{counts['conflicts']} conflicts across {counts['events']} events:"])
    print_lines(conflict_lines(rows, width()))
