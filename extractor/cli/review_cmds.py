"""`claimdiff review` (walk open conflicts and decide) and `claimdiff report` (HTML, Markdown, JSON, CSV)."""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.panel import Panel
from rich.text import Text

from extractor.cli.app import cli, fail_loudly
from extractor.cli.options import db_option, format_option
from extractor.cli.output import emit, err, out
from extractor.errors import UserError
from extractor.records import ReviewStatus
from extractor.review import ConflictView, conflict_view
from extractor.review.publish import FORMATS, PAGE_SIZE, write_report
from extractor.review.view import Segment, SideView, conflict_filter
from extractor.store import Store
from extractor.timeutil import utc_stamp

F = TypeVar("F", bound=Callable[..., Any])
STATUSES = [s.value for s in ReviewStatus]
STYLES = {"context": "dim", "quote": "bold", "key": "bold black on yellow"}


def default_reviewer() -> str:
    name = os.environ.get("CLAIMDIFF_REVIEWER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def reviewer_option(fn: F) -> F:
    return click.option(
        "--reviewer",
        default=default_reviewer,
        show_default="$CLAIMDIFF_REVIEWER or your login name",
        help="Who is deciding (kept in the history).",
    )(fn)


def filter_options(fn: F) -> F:
    for opt in reversed(
        [
            click.option("--severity", multiple=True, type=click.Choice(["high", "medium", "low"])),
            click.option(
                "--kind", multiple=True, help="Conflict kind, e.g. date, count, competing_accounts."
            ),
            click.option("--event", help="Only conflicts about this event id."),
        ]
    ):
        fn = opt(fn)
    return fn


# -- rendering one conflict in the terminal ---------------------------------------------------------
def render(view: ConflictView, position: str = "") -> None:
    head = Text()
    head.append(f"{position}  " if position else "")
    head.append(f"{view.severity.upper()} ", style="bold red" if view.severity == "high" else "bold")
    head.append(f"{view.kind}  {view.id}  ")
    head.append(f"[{view.status.value}]", style="bold cyan")
    if view.event:
        head.append(f"  event {view.event.date or 'undated'} · {', '.join(view.event.participants)}")
    out.print(head)
    out.print(Text(view.explanation))
    for s, claims in _distinct_passages(view):
        body = Text()
        for seg in s.segments:
            body.append(seg.text, style=STYLES[seg.role])
        if claims > 1:
            body.append(f"\n({claims} claims of this conflict come from this passage)", style="dim")
        if not s.located:
            body.append("\n(quote not found in the stored article text)", style="red")
        if s.article_flags:
            body.append(f"\narticle flagged for review: {', '.join(s.article_flags)}", style="red")
        title = Text(s.side + (f" — {s.speaker}" if s.speaker else ""))
        where = Text(" · ".join(x for x in (s.article_name, s.outlet, s.published) if x))
        out.print(Panel(body, title=title, subtitle=where, title_align="left", subtitle_align="right"))
    for d in view.history:
        line = Text(f"  {d.decided_at:%Y-%m-%d %H:%M} {d.reviewer}: {d.status.value}", style="dim")
        for extra in (d.note, d.reason):
            if extra:
                line.append(f" — {extra}", style="dim")
        out.print(line)


def _distinct_passages(view: ConflictView) -> list[tuple[SideView, int]]:
    """Each side once per passage of its article: two claims from one sentence show it once, with the
    key phrases of both marked, and how many claims it holds."""
    groups: dict[tuple[str, str, str], list[SideView]] = {}
    for s in view.sides:
        text = "".join(seg.text for seg in s.segments)
        groups.setdefault((s.article_id, s.side, text), []).append(s)
    out_: list[tuple[SideView, int]] = []
    for same in groups.values():
        keys = {seg.text for s in same for seg in s.segments if seg.role == "key" and seg.text.strip()}
        first = same[0]
        segments = [piece for seg in first.segments for piece in _mark(seg, keys)]
        out_.append((first.model_copy(update={"segments": segments}), len(same)))
    return out_


def _mark(seg: Segment, keys: set[str]) -> list[Segment]:
    """A quote segment split so that every key phrase in it is marked."""
    if seg.role != "quote" or not keys:
        return [seg]
    pattern = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    pieces = [p for p in re.split(f"({pattern})", seg.text) if p]
    return [Segment(text=p, role="key" if p in keys else "quote") for p in pieces]


# -- claimdiff review ---------------------------------------------------------------------------------
KEYS = (
    "[c]onfirm, [d]ismiss or [r]esolve and go on to the next  [o]pen again  [e] note  "
    "[n]ext  [p]revious  [q]uit"
)
NO_TERMINAL = (
    "claimdiff review reads one key at a time and needs a terminal (stdin is a pipe, cron or CI): "
    "use `claimdiff review show ID` to see a conflict and `claimdiff review set ID --status ...` to decide"
)
ACTIONS = {"c": ReviewStatus.CONFIRMED, "d": ReviewStatus.DISMISSED, "r": ReviewStatus.RESOLVED}


@cli.group(invoke_without_command=True)
@db_option
@filter_options
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Conflicts with this status (default: open).",
)
@reviewer_option
@click.pass_context
@fail_loudly
def review(
    ctx: click.Context,
    db_path: Path,
    severity: tuple[str, ...],
    kind: tuple[str, ...],
    event: str | None,
    statuses: tuple[str, ...],
    reviewer: str,
) -> None:
    """Walk conflicts in the terminal and decide: one key per action.

    \b
    Keys: c confirm, d dismiss, r resolve (asks for a note), o open again,
          e add a note, n / space / enter next, p previous, q quit.
    Subcommands do the same without a terminal: review set, review show, review history.
    """
    if ctx.invoked_subcommand is not None:
        ctx.ensure_object(dict)["db_path"] = db_path
        return
    store = Store(db_path, create=False)
    where = conflict_filter(severity=severity, kind=kind, event=event, status=statuses or ("open",))
    ids = store.conflict_index(where).ids
    if not ids:
        err.print("nothing to review: no conflicts match", markup=False)
        return
    decided, shown = _walk(store, ids, reviewer)
    err.print(
        f"{decided} decision(s) recorded by {reviewer}; {shown} of {len(ids)} conflict(s) shown",
        markup=False,
    )


def _key() -> str:
    """One key press; without a terminal, click cannot open /dev/tty: say what to use instead."""
    try:
        return click.getchar().lower()
    except OSError:
        raise UserError(NO_TERMINAL) from None


def _walk(store: Store, ids: list[str], reviewer: str) -> tuple[int, int]:
    """(decisions recorded, distinct conflicts shown)."""
    i, decided = 0, 0
    shown: set[int] = set()
    while 0 <= i < len(ids):
        view = conflict_view(store, ids[i])
        shown.add(i)
        out.print()
        render(view, f"{i + 1}/{len(ids)}")
        out.print(Text(KEYS, style="dim"))
        key = _key()
        if key in ("q", "\x03", "\x04", ""):
            break
        if key in ("n", " ", "\r", "\n"):
            i += 1
        elif key == "p":
            i = max(i - 1, 0)
        elif key in ACTIONS or key in ("o", "e"):
            status = ACTIONS.get(key) or (ReviewStatus.OPEN if key == "o" else view.status)
            note = click.prompt("note", default="", show_default=False) if key in ("r", "e") else ""
            if key == "r" and not note.strip():
                err.print("resolved needs a note: nothing recorded", markup=False)
                continue
            try:
                d = store.decide(view.id, status, reviewer=reviewer, note=note or None, expect=view.version)
            except UserError as e:
                err.print(str(e), markup=False)
                continue
            decided += 1
            err.print(f"{view.id}: {d.status.value}", markup=False)
            if key != "e":
                i += 1
    return decided, len(shown)


def _store(ctx: click.Context, db_path: Path) -> Store:
    """`--db` may come before or after the subcommand: `review --db X set ...` or `review set ... --db X`."""
    if ctx.get_parameter_source("db_path") is click.core.ParameterSource.DEFAULT:
        db_path = ctx.obj["db_path"]
    return Store(db_path, create=False)


@review.command("set")
@click.argument("conflict_id")
@click.option("--status", required=True, type=click.Choice(STATUSES))
@click.option("--note", help="Why; required for 'resolved'.")
@click.option(
    "--expect",
    type=int,
    help="The history version you decided on (from `review show`); refuse if someone decided since.",
)
@reviewer_option
@db_option
@click.pass_context
@fail_loudly
def review_set(
    ctx: click.Context,
    db_path: Path,
    conflict_id: str,
    status: str,
    note: str | None,
    expect: int | None,
    reviewer: str,
) -> None:
    """Decide on one conflict (id or unique prefix), for scripts."""
    store = _store(ctx, db_path)
    conflict = store.conflict(conflict_id)
    d = store.decide(conflict.id, status, reviewer=reviewer, note=note, expect=expect)
    err.print(f"{conflict.id}: {d.status.value} by {d.reviewer} (version {d.id})", markup=False)


@review.command("show")
@click.argument("conflict_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
@click.pass_context
@fail_loudly
def review_show(ctx: click.Context, db_path: Path, conflict_id: str, fmt: str) -> None:
    """One conflict with both sides' quotes in context and its decision history."""
    view = conflict_view(_store(ctx, db_path), conflict_id)
    if fmt == "json":
        sys.stdout.write(view.model_dump_json(indent=2) + "\n")
    else:
        render(view)


@review.command("history")
@click.argument("conflict_id")
@format_option
@db_option
@click.pass_context
@fail_loudly
def review_history(ctx: click.Context, db_path: Path, conflict_id: str, fmt: str) -> None:
    """Every decision on one conflict, oldest first."""
    store = _store(ctx, db_path)
    conflict = store.conflict(conflict_id)
    rows = [d.model_dump(mode="json") for d in store.history(conflict.id)]
    emit(rows, fmt, ["id", "decided_at", "reviewer", "status", "note", "reason"], title=conflict.id)


# -- claimdiff report ---------------------------------------------------------------------------------


@cli.command()
@db_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("claimdiff-report"),
    show_default=True,
    help="Folder to write the report files into.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Only these files (repeat; default: all of html, md, json, csv).",
)
@filter_options
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES))
@click.option("--title", default="claimdiff report", show_default=True)
@click.option(
    "--page-size",
    default=PAGE_SIZE,
    show_default=True,
    type=click.IntRange(1),
    help="More conflicts than this: report.html is an index of pages of this many.",
)
@fail_loudly
def report(
    db_path: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    severity: tuple[str, ...],
    kind: tuple[str, ...],
    event: str | None,
    statuses: tuple[str, ...],
    title: str,
    page_size: int,
) -> None:
    """Write the conflicts, their evidence and decisions as HTML, Markdown, JSON and CSV.

    Up to --page-size conflicts make one self-contained report.html; more make report.html an index
    with counts and the pages in report-pages/. Each file is replaced atomically: a reader never sees
    half a report."""
    store = Store(db_path, create=False)
    where = conflict_filter(severity=severity, kind=kind, event=event, status=statuses)
    stamp = utc_stamp()
    done = write_report(
        store,
        out_dir,
        where,
        formats=formats,
        title=title,
        source=db_path.name,
        generated_at=stamp,
        page_size=page_size,
    )
    pages = f" on {done.pages} pages" if done.pages > 1 else ""
    err.print(f"{done.conflicts} conflicts reported{pages}", markup=False)
    for path in done.paths:
        if path.parent == out_dir:
            sys.stdout.write(f"{path}\n")
