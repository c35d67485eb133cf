"""Writing a report folder: HTML, Markdown, JSON and CSV, from a store of any size.

Conflicts are read a page at a time and each page is written to every format at once, so memory holds
one page, not the store. Up to `page_size` conflicts make one self-contained `report.html`; more make
`report.html` an index (counts, and a line per page) with the pages in `report-pages/`, each holding
its conflicts and the accounts of their events. Every file is written whole or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from extractor.errors import UserError
from extractor.fsutil import atomic_write, write_text_atomic
from extractor.review.export import (
    MARKDOWN_TIMELINE,
    CsvWriter,
    JsonWriter,
    markdown_conflict,
    markdown_event,
    markdown_head,
)
from extractor.review.html import (
    PageEntry,
    PageNav,
    render_report,
    render_report_index,
    severity_status_counts,
)
from extractor.review.view import ConflictView, EventAccounts, event_accounts, unplaced_accounts, views_of
from extractor.store import Store
from extractor.store.lookup import ConflictFilter

FORMATS = ("html", "md", "json", "csv")
FILES = {"html": "report.html", "md": "report.md", "json": "conflicts.json", "csv": "conflicts.csv"}
PAGE_SIZE = 200  # conflicts per HTML page (and per read from the store)
PAGES_DIR = "report-pages"
EVENT_CHUNK = 500  # events read at a time for the Markdown timeline
UNPLACED_ON_INDEX = 50


@dataclass
class Report:
    conflicts: int
    paths: list[Path]
    pages: int


def write_report(
    store: Store,
    out_dir: Path,
    where: ConflictFilter,
    *,
    formats: tuple[str, ...] = FORMATS,
    title: str,
    source: str,
    generated_at: str,
    page_size: int = PAGE_SIZE,
) -> Report:
    """Write the report files for the conflicts matching `where` into `out_dir`."""
    formats = tuple(f for f in FORMATS if f in (formats or FORMATS))
    ids = store.conflict_index(where).ids
    filtered = bool(where.severity or where.kind or where.status or where.event)
    tally = store.conflict_tally(where)
    chunks = [ids[i : i + page_size] for i in range(0, len(ids), page_size)] or [[]]
    paged = "html" in formats and len(ids) > page_size
    paths: list[Path] = []
    try:
        with ExitStack() as stack:
            files: dict[str, IO[str]] = {
                fmt: stack.enter_context(atomic_write(out_dir / FILES[fmt]))
                for fmt in ("md", "json", "csv")
                if fmt in formats
            }
            streams = _Streams(files, title=title, source=source, generated_at=generated_at, tally=tally)
            single: list[ConflictView] = []
            entries: list[PageEntry] = []
            event_ids: list[str] = []
            for number, chunk in enumerate(chunks, start=1):
                views = views_of(store, chunk, with_history=True)
                streams.add(views)
                event_ids += [v.event.id for v in views if v.event and v.event.id not in event_ids]
                if paged:
                    where_page = (number, len(chunks), len(ids), page_size)
                    entries.append(
                        _write_page(store, out_dir, views, where_page, title, generated_at, source)
                    )
                    paths.append(out_dir / PAGES_DIR / _page_name(number))
                elif "html" in formats:
                    single += views
            timeline = None if filtered else store.dated_event_ids()
            streams.finish(store, event_ids if timeline is None else timeline)
            paths += [out_dir / FILES[fmt] for fmt in files]
        if "html" in formats:
            text = (
                _index(store, entries, tally, len(ids), page_size, where, title, source, generated_at)
                if paged
                else render_report(
                    single,
                    event_accounts(store) if not filtered else event_accounts(store, event_ids=event_ids),
                    unplaced=unplaced_accounts(store),
                    title=title,
                    generated_at=generated_at,
                    source=source,
                )
            )
            write_text_atomic(out_dir / FILES["html"], text)
            paths.insert(0, out_dir / FILES["html"])
            _remove_stale_pages(out_dir, len(chunks) if paged else 0)
    except OSError as e:
        raise UserError(f"{out_dir}: cannot write the report: {e.strerror or e}") from None
    return Report(conflicts=len(ids), paths=paths, pages=len(chunks) if paged else 1)


class _Streams:
    """The Markdown, JSON and CSV files, fed a page of views at a time."""

    def __init__(
        self,
        files: dict[str, IO[str]],
        *,
        title: str,
        source: str,
        generated_at: str,
        tally: list[tuple[str, str, str, int]],
    ) -> None:
        self.md = files.get("md")
        self.json = JsonWriter(files["json"]) if "json" in files else None
        self.csv = CsvWriter(files["csv"]) if "csv" in files else None
        if self.md is not None:
            by_status: Counter[str] = Counter()
            for _, _, status, n in tally:
                by_status[status] += n
            head = markdown_head(title=title, generated_at=generated_at, source=source, by_status=by_status)
            self.md.write("\n".join(head) + "\n")

    def add(self, views: list[ConflictView]) -> None:
        for v in views:
            if self.md is not None:
                self.md.write("\n".join(markdown_conflict(v)) + "\n")
            if self.json is not None:
                self.json.add(v)
            if self.csv is not None:
                self.csv.add(v)

    def finish(self, store: Store, event_ids: list[str]) -> None:
        if self.json is not None:
            self.json.close()
        if self.md is None:
            return
        lines = list(MARKDOWN_TIMELINE)
        self.md.write("\n".join(lines))
        for accounts in _accounts_in_chunks(store, event_ids):
            for ea in accounts:
                self.md.write("\n" + "\n".join(markdown_event(ea)))


def _accounts_in_chunks(store: Store, event_ids: list[str]) -> Iterator[list[EventAccounts]]:
    """Event accounts in date order, EVENT_CHUNK events read at a time."""
    ordered = {e: i for i, e in enumerate(store.dated_event_ids())}
    wanted = sorted((e for e in set(event_ids) if e in ordered), key=ordered.__getitem__)
    for i in range(0, len(wanted), EVENT_CHUNK):
        yield event_accounts(store, event_ids=wanted[i : i + EVENT_CHUNK])


def _page_name(number: int) -> str:
    return f"page-{number:04d}.html"


def _write_page(
    store: Store,
    out_dir: Path,
    views: list[ConflictView],
    where: tuple[int, int, int, int],
    title: str,
    generated_at: str,
    source: str,
) -> PageEntry:
    """One page of a paged report; `where` is (page number, pages, conflicts in all, page size)."""
    number, pages, total, size = where
    first = (number - 1) * size + 1
    nav = PageNav(
        index=f"../{FILES['html']}",
        page=number,
        pages=pages,
        first=first,
        last=first + len(views) - 1,
        total=total,
        prev=_page_name(number - 1) if number > 1 else None,
        next=_page_name(number + 1) if number < pages else None,
    )
    events = list(dict.fromkeys(v.event.id for v in views if v.event))
    text = render_report(
        views,
        event_accounts(store, event_ids=events),
        title=f"{title}: conflicts {nav.first}–{nav.last} of {total}",
        generated_at=generated_at,
        source=source,
        nav=nav,
    )
    write_text_atomic(out_dir / PAGES_DIR / _page_name(number), text)
    severities = Counter(v.severity for v in views)
    return PageEntry(
        href=f"{PAGES_DIR}/{_page_name(number)}",
        number=number,
        first=nav.first,
        last=nav.last,
        severities=[(s, severities[s]) for s in ("high", "medium", "low") if severities[s]],
        kinds=sorted({v.kind.replace("_", " ") for v in views}),
    )


def _index(
    store: Store,
    entries: list[PageEntry],
    tally: list[tuple[str, str, str, int]],
    total: int,
    page_size: int,
    where: ConflictFilter,
    title: str,
    source: str,
    generated_at: str,
) -> str:
    kinds: Counter[str] = Counter()
    for _, kind, _, n in tally:
        kinds[kind] += n
    chosen = [
        f"{name} {', '.join(values)}"
        for name, values in (("severity", where.severity), ("kind", where.kind), ("status", where.status))
        if values
    ] + ([f"event {where.event}"] if where.event else [])
    return render_report_index(
        entries,
        counts=severity_status_counts((sev, status, n) for sev, _, status, n in tally),
        kinds=kinds.most_common(),
        total=total,
        per_page=page_size,
        filters="; ".join(chosen),
        unplaced=unplaced_accounts(store, limit=UNPLACED_ON_INDEX),
        unplaced_total=store.unplaced_count(),
        title=title,
        generated_at=generated_at,
        source=source,
    )


def _remove_stale_pages(out_dir: Path, keep: int) -> None:
    """Pages a previous, longer report left behind (only claimdiff's own page files)."""
    folder = out_dir / PAGES_DIR
    if not folder.is_dir():
        return
    for path in folder.glob("page-[0-9][0-9][0-9][0-9].html"):
        if int(path.stem.split("-")[1]) > keep:
            path.unlink()
