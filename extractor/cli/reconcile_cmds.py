"""`claimdiff reconcile`, `claimdiff events`, `claimdiff conflicts`: from claims to flagged conflicts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from extractor.cli.app import cli, fail_loudly
from extractor.cli.conflict_view import emit_conflicts
from extractor.cli.options import compare_option, db_option, format_option, provider_options
from extractor.cli.output import emit, err
from extractor.compare import ModelComparer
from extractor.entities import default_entities
from extractor.jobs import reconcile_store
from extractor.reconcile.result import Verdict
from extractor.records import Conflict, ReviewStatus
from extractor.store import Store
from extractor.wiring import make_comparer


def comparer_line(comparer: ModelComparer | None, counts: dict[str, int]) -> str | None:
    """What the statement comparer did, in one line (None when it was not used)."""
    if comparer is None:
        return None
    s = comparer.stats
    judged = counts["compared"] - s.skipped
    line = f"{judged} statement pairs compared ({s.cached} from the cache, {s.calls} model calls"
    line += f", {s.unjudged} unjudged)" if s.unjudged else ")"
    if s.skipped:
        why = "; ".join(f"{n} {reason}" for reason, n in sorted(s.skip_reasons.items()))
        line += f"; {s.skipped} comparisons skipped ({why})"
    return line


@cli.command()
@db_option
@provider_options
@compare_option
@click.option(
    "--record",
    is_flag=True,
    help="Record the comparer's answers from a live server (OPENAI_BASE_URL) into the recordings folder.",
)
@fail_loudly
def reconcile(db_path: Path, record: bool, **opts: Any) -> None:
    """Resolve events across articles and flag discrepancies (stable ids: re-runs never duplicate).
    Statements on the same point are compared by the recorded (or a live) model unless --no-compare."""
    store = Store(db_path, create=False)
    comparer = make_comparer(store, opts, record=record)
    counts = reconcile_store(store, comparer)
    err.print(
        f"{counts['events']} events, {counts['conflicts']} conflicts "
        f"({counts['new']} new, {counts['changed']} with changed evidence, {counts['gone']} no longer found)",
        markup=False,
    )
    line = comparer_line(comparer, counts)
    if line:
        err.print(line, markup=False)


@cli.command()
@db_option
@format_option
@click.option("--with", "with_", multiple=True, help="Only events with this participant (repeat for a pair).")
@click.option("--year", type=int, help="Only events in this year.")
@click.option("--all", "show_all", is_flag=True, help="Also events dated only to a month, year or range.")
@click.option(
    "--unplaced",
    is_flag=True,
    help="Only accounts that fit no event, or several equally well, with their candidate events.",
)
@fail_loudly
def events(
    db_path: Path, fmt: str, with_: tuple[str, ...], year: int | None, show_all: bool, unplaced: bool
) -> None:
    """The timeline: resolved events in date order, with the sources that report each."""
    store = Store(db_path, create=False)
    names = {a.id: Path(a.source).name for a in store.articles()}
    entities = default_entities()
    wanted = set(entities.participants(list(with_)))
    if unplaced:
        _unplaced(store, names, wanted, fmt)
        return
    rows: list[dict[str, Any]] = []
    compared = _compared_by_event(store)
    hidden = 0
    for e in sorted(store.events(), key=lambda e: (e.date is None, e.date or "", e.id)):
        if wanted and not wanted <= set(e.participants):
            continue
        if year and (e.date is None or e.date.year != year):
            continue
        if not show_all and (e.date is None or (e.date_end is not None and e.date_end != e.date)):
            hidden += 1
            continue  # a timeline is of days; "in 2025" or "between May and June" is not a day
        rows.append(
            {
                "id": e.id,
                "date": str(e.date) if e.date else "undated",
                "channel": e.channel.value,
                "participants": ", ".join(e.participants),
                "sources": ", ".join(names.get(a, a) for a in e.article_ids)
                + (
                    f" (republished by {', '.join(names.get(a, a) for a in e.republished_by)})"
                    if e.republished_by
                    else ""
                ),
                "sides": ", ".join(e.sides),
                "basis": e.date_basis,
                "claims": len(e.claim_ids),
                "compared": compared.get(e.id, ""),
            }
        )
    columns = ["date", "channel", "participants", "sources", "sides", "basis", "compared", "id"]
    emit(rows, fmt, columns, title="events")
    if hidden:
        err.print(
            f"{hidden} more event(s) not dated to a day (a month, a year, a range or undated): "
            "--all shows them",
            markup=False,
        )


def _compared_by_event(store: Store) -> dict[str, str]:
    """Per event, what the statement comparer judged: '2 consistent, 1 contradicts'."""
    counts: dict[str, Counter[str]] = {}
    for j in store.comparisons():
        verdict = "consistent" if j.comparison.verdict is Verdict.SAME else j.comparison.verdict.value
        counts.setdefault(j.event_id, Counter())[verdict.replace("_", " ")] += 1
    return {e: ", ".join(f"{n} {v}" for v, n in sorted(c.items())) for e, c in counts.items()}


def _unplaced(store: Store, names: dict[str, str], wanted: set[str], fmt: str) -> None:
    known = {e.id: e for e in store.events()}
    rows: list[dict[str, Any]] = []
    for e in sorted(known.values(), key=lambda e: (e.article_ids, e.id)):
        if not e.unplaced or (wanted and not wanted <= set(e.participants)):
            continue
        cands = []
        for c in e.candidates:
            date = str(c.date) if c.date else "undated"
            sources = (
                ", ".join(names.get(a, a) for a in known[c.event_id].article_ids)
                if c.event_id in known
                else ""
            )
            cands.append(f"{date} [{c.event_id}] score {c.score:g} ({c.basis}; reported by {sources})")
        rows.append(
            {
                "id": e.id,
                "article": ", ".join(names.get(a, a) for a in e.article_ids),
                "channel": e.channel.value,
                "participants": ", ".join(e.participants),
                "why": e.unplaced_reason,
                "candidates": "; ".join(cands) or "none",
                "claims": len(e.claim_ids),
            }
        )
    emit(
        rows,
        fmt,
        ["article", "participants", "channel", "why", "candidates", "id"],
        title="unplaced accounts",
    )


def conflict_row(c: Conflict, names: dict[str, str], status: str = "open") -> dict[str, Any]:
    return {
        "id": c.id,
        "severity": c.severity.value,
        "kind": c.kind.value,
        "status": status,
        "event": c.event_id or "",
        "sides": "; ".join(
            f"{name} ({', '.join(sorted(sides))})" for name, sides in _sides_by_article(c, names).items()
        ),
        "explanation": c.explanation,
    }


def _sides_by_article(c: Conflict, names: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in c.sides:
        out.setdefault(names.get(s.article_id, s.article_id), set()).add(s.side)
    return out


def filter_conflicts(
    conflicts: list[Conflict],
    *,
    severity: tuple[str, ...] = (),
    kind: tuple[str, ...] = (),
    event: str | None = None,
    side: str | None = None,
) -> list[Conflict]:
    out = [
        c
        for c in conflicts
        if (not severity or c.severity.value in severity)
        and (not kind or c.kind.value in kind)
        and (not event or c.event_id == event)
        and (not side or any(s.side.lower() == side.lower() for s in c.sides))
    ]
    return sorted(out, key=lambda c: (c.severity.rank, c.kind.value, c.id))


@cli.command()
@db_option
@format_option
@click.option("--severity", multiple=True, type=click.Choice(["high", "medium", "low"]))
@click.option("--kind", multiple=True, help="Conflict kind, e.g. date, count, competing_accounts.")
@click.option("--event", help="Only conflicts about this event id.")
@click.option("--side", help="Only conflicts with this side among the accounts.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in ReviewStatus]),
    help="Only conflicts with this review status.",
)
@fail_loudly
def conflicts(
    db_path: Path,
    fmt: str,
    severity: tuple[str, ...],
    kind: tuple[str, ...],
    event: str | None,
    side: str | None,
    statuses: tuple[str, ...],
) -> None:
    """List flagged conflicts, most severe first, with their review status."""
    store = Store(db_path, create=False)
    decided = {cid: d.status.value for cid, d in store.current_decisions().items()}
    # a decided conflict the latest reconcile no longer finds stays listed, marked, with why
    gone = store.gone_conflicts()
    every = store.conflicts(decided_gone=True)
    chosen = filter_conflicts(every, severity=severity, kind=kind, event=event, side=side)
    chosen = [c for c in chosen if not statuses or decided.get(c.id, "open") in statuses]
    sources = store.article_sources(s.article_id for c in chosen for s in c.sides)
    names = {i: Path(src).name for i, src in sources.items()}

    def status(cid: str) -> str:
        return decided.get(cid, "open") + (" (no longer found)" if cid in gone else "")

    if fmt in ("json", "jsonl"):
        emit(
            [
                c.model_dump(mode="json")
                | {"status": decided.get(c.id, "open"), "no_longer_found": gone.get(c.id, (None,))[0]}
                for c in chosen
            ],
            fmt,
            [],
        )
    else:
        rows = [conflict_row(c, names, status(c.id)) for c in chosen]
        columns = ["id", "severity", "kind", "status", "event", "sides", "explanation"]
        if emit_conflicts(rows, fmt, "conflicts"):
            return  # narrow: each block's status says "(no longer found)"
        for r in rows:
            if r["id"] in gone:
                r["explanation"] = f"NO LONGER FOUND ({gone[r['id']][0]}). {r['explanation']}"
        emit(rows, fmt, columns, title="conflicts")
