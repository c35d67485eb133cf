"""`claimdiff extract` and `claimdiff record`: articles in, claims stored."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from extractor.cli.app import Problems, cli, fail_loudly
from extractor.cli.context import make_comparer
from extractor.cli.options import compare_option, db_option, provider_options
from extractor.cli.output import emit, err
from extractor.errors import BadInputError, ProviderError
from extractor.records import Article
from extractor.store import Store

if TYPE_CHECKING:
    from extractor.extract.pipeline import ArticleOutcome, Extractor


def load_inputs(paths: tuple[str, ...], store: Store, problems: Problems, max_bytes: int) -> list[Article]:
    articles: list[Article] = []
    seen: dict[str, str] = {}
    from extractor.ingest import iter_paths, read_article, read_jsonl  # HTML extraction: loaded when used

    candidates: list[Article | BadInputError] = []
    found = iter_paths([x for x in paths if x != "-"])
    for p in found:
        try:
            candidates.append(read_article(p, max_bytes=max_bytes))
        except BadInputError as e:
            candidates.append(e)
    _say_skipped(paths, found, problems)
    if "-" in paths:
        candidates.extend(read_jsonl(sys.stdin, "<stdin>"))
    for item in candidates:
        if isinstance(item, BadInputError):
            problems.add(item.path, f"bad_input: {item.problem}")
            store.note_input_problem(item.path, item.problem)
            continue
        store.clear_input_problem(item.source)
        if item.id in seen:
            problems.add(item.source, f"duplicate of {seen[item.id]} (same text): extracted once")
            continue
        seen[item.id] = item.source
        store.add_article(item)
        articles.append(item)
    if articles:
        from extractor.copies import find_copies  # datasketch and numpy: loaded when articles come in

        for r in find_copies(store, articles):
            names = {a.id: Path(a.source).name for a in articles}
            what = "an edited copy" if r.edited else "a copy"
            err.print(
                f"{names.get(r.article_id, r.article_id)} is {what} of "
                f"{names.get(r.original_id, r.original_id)} (similarity {r.similarity:.2f}; "
                "its claims are carried over, not extracted again)",
                markup=False,
            )
    return articles


def _say_skipped(paths: tuple[str, ...], found: list[Path], problems: Problems) -> None:
    """Files a folder holds that are not read, named with why; a folder with no article is a problem."""
    from extractor.ingest import skipped_in_folder

    for folder in (Path(p) for p in paths if p != "-" and Path(p).is_dir()):
        skipped = skipped_in_folder(folder)
        named = ", ".join(f"{p.relative_to(folder)} ({why})" for p, why in skipped[:5])
        named += f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        if any(f == folder or folder in f.parents for f in found):
            if skipped:
                err.print(f"{folder}: skipped {len(skipped)} file(s): {named}", markup=False)
        elif skipped:
            problems.add(str(folder), f"no article in it: skipped {len(skipped)} file(s): {named}")
        else:
            problems.add(
                str(folder), "no article in it: the folder is empty (articles: .txt, .md, .html, .htm)"
            )


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
    from extractor.cli.context import make_extractor, provider_for
    from extractor.extract.pipeline import STOP_BATCH

    config, mode, where = provider_for("extract", opts, record=record)
    err.print(where, markup=False)
    extractor = make_extractor(store, config, mode, opts)
    _start_run(store, extractor, articles, force=force or record)
    outcomes: list[ArticleOutcome] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not articles,
    ) as bar:
        task = bar.add_task("extracting", total=len(articles))

        def done(o: ArticleOutcome) -> None:
            outcomes.append(o)
            bar.advance(task)

        # copies after their originals: a copy's claims are carried over from its original's
        copies = set(store.copies())
        first = [a for a in articles if a.id not in copies]
        then = [a for a in articles if a.id in copies]
        try:
            for part in (first, then):
                if part:
                    extractor.run(part, force=force or record, concurrency=concurrency, on_done=done)
        except STOP_BATCH as e:
            untouched = sum(store.extraction_status(a.id, extractor.cache_key(a)) is None for a in articles)
            raise type(e)(
                f"batch stopped: {e}; {untouched} article(s) not attempted stay pending "
                "(fix the key or quota, then run the same command again)",
                original=e.original,
            ) from e
        finally:
            _close_run(store, extractor.run_id, outcomes, problems)
    if outcomes:
        _outcome_table(outcomes)
    return outcomes


def _start_run(store: Store, extractor: Extractor, articles: list[Article], *, force: bool) -> None:
    """A batch whose articles are all extracted already writes nothing, not even a run."""
    if force or any(store.extraction_status(a.id, extractor.cache_key(a)) != "done" for a in articles):
        config = extractor.llm.config
        extractor.run_id = store.start_run(
            "extract",
            extractor.mode,
            model=config.model,
            endpoint=config.endpoint_label,
            prompt=extractor.prompt.key,
            schema=extractor.schema,
        )


def _close_run(store: Store, run_id: str | None, outcomes: list[ArticleOutcome], problems: Problems) -> None:
    """Failures become problems; the run, if one was started, is closed with its totals."""
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        problems.add(o.source, f"{o.failure_class}: {o.error}")
    if run_id:
        store.finish_run(
            run_id,
            articles=len(outcomes),
            failed=len(failed),
            prompt_tokens=sum(o.prompt_tokens for o in outcomes),
            completion_tokens=sum(o.completion_tokens for o in outcomes),
            seconds=sum(o.seconds for o in outcomes),
        )


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
        type=click.Choice(["sentences", "single"]),
        default="sentences",
        show_default=True,
        help="sentences: code finds candidate sentences, the model labels them; "
        "single: the model proposes claims and quotes in one pass.",
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
    from extractor.cli.reconcile_cmds import comparer_line, reconcile_store

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
    from extractor.cli.reconcile_cmds import comparer_line, reconcile_store

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
