"""The use-cases below the command line: load inputs, extract a batch (with its run's lifecycle),
reconcile a store. Commands, the review page, benchmarks and tests call these; they print nothing
and return what happened, so each caller says it in its own way.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Protocol

from extractor.errors import BadInputError
from extractor.perf import without_cyclic_gc
from extractor.records import Article, CopyRelation
from extractor.store import Store

if TYPE_CHECKING:
    from extractor.compare import ModelComparer
    from extractor.extract.pipeline import ArticleOutcome, Extractor


class ProblemSink(Protocol):
    """Where a batch's problems go, to be reported together at the end."""

    def add(self, where: str, what: str) -> None: ...


def load_inputs(
    paths: Iterable[str],
    store: Store,
    problems: ProblemSink,
    max_bytes: int,
    stdin: IO[str] | None = None,
) -> tuple[list[Article], list[CopyRelation]]:
    """Read files, folders and JSONL on stdin ('-') into stored articles; a bad input or a duplicate
    is a problem, and the batch goes on. Also returns the republished copies found among them."""
    from extractor.ingest import iter_paths, read_article, read_jsonl  # HTML extraction: loaded when used

    paths = list(paths)
    candidates: list[Article | BadInputError] = []
    for p in iter_paths([x for x in paths if x != "-"]):
        try:
            candidates.append(read_article(p, max_bytes=max_bytes))
        except BadInputError as e:
            candidates.append(e)
    if "-" in paths:
        candidates.extend(read_jsonl(stdin or sys.stdin, "<stdin>"))
    articles: list[Article] = []
    seen: dict[str, str] = {}
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
    copies: list[CopyRelation] = []
    if articles:
        from extractor.copies import find_copies  # datasketch and numpy: loaded when articles come in

        copies = list(find_copies(store, articles))
    return articles, copies


def extract_batch(
    store: Store,
    extractor: Extractor,
    articles: list[Article],
    problems: ProblemSink,
    *,
    force: bool,
    concurrency: int,
    record: bool = False,
    on_done: Callable[[ArticleOutcome], None] | None = None,
) -> list[ArticleOutcome]:
    """Extract the articles (originals before their copies) as one run: the run is written only when
    there is something to do, and closed with its totals whatever happens. Failed articles are
    problems; a stop (no quota, refused key) says how many articles stay pending."""
    from extractor.extract.pipeline import STOP_BATCH

    todo = (
        force
        or record
        or any(store.extraction_status(a.id, extractor.cache_key(a)) != "done" for a in articles)
    )
    if todo:
        config = extractor.llm.config
        extractor.run_id = store.start_run(
            "extract",
            extractor.mode,
            model=config.model,
            endpoint=config.endpoint_label,
            prompt=extractor.prompt.key,
            schema=extractor.schema,
        )
    outcomes: list[ArticleOutcome] = []

    def done(o: ArticleOutcome) -> None:
        outcomes.append(o)
        if on_done is not None:
            on_done(o)

    # copies after their originals: a copy's claims are carried over from its original's
    copies = set(store.copies())
    parts = ([a for a in articles if a.id not in copies], [a for a in articles if a.id in copies])
    try:
        for part in parts:
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
        _close_run(store, extractor, outcomes, problems)
    return outcomes


def _close_run(
    store: Store, extractor: Extractor, outcomes: list[ArticleOutcome], problems: ProblemSink
) -> None:
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        problems.add(o.source, f"{o.failure_class}: {o.error}")
    if extractor.run_id:
        store.finish_run(
            extractor.run_id,
            articles=len(outcomes),
            failed=len(failed),
            prompt_tokens=sum(o.prompt_tokens for o in outcomes),
            completion_tokens=sum(o.completion_tokens for o in outcomes),
            seconds=sum(o.seconds for o in outcomes),
        )


def reconcile_store(store: Store, comparer: ModelComparer | None = None) -> dict[str, int]:
    """Reconcile every current claim and store events, conflicts and the comparer's judgements;
    returns what changed (new, kept, changed, gone), and how many events, conflicts and pairs."""
    from extractor.reconcile import reconcile

    with without_cyclic_gc():
        result = reconcile(store.current_claims(), store.articles(), copies=store.copies(), comparer=comparer)
        counts = store.save_reconciliation(result.events, result.conflicts, result.comparisons)
    counts["events"] = len(result.events)
    counts["conflicts"] = len(result.conflicts)
    counts["compared"] = len(result.comparisons)
    return counts
