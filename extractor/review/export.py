"""Conflicts with their decisions as JSON, CSV and Markdown: for scripts, spreadsheets and notes.

Article and model text is data. In CSV, a cell that a spreadsheet would run as a formula gets a
leading apostrophe; in Markdown, characters that would become markup or HTML are escaped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import IO

from extractor.review.view import ConflictView, EventAccounts, Segment

CSV_COLUMNS = [
    "id",
    "severity",
    "kind",
    "status",
    "reviewer",
    "decided_at",
    "note",
    "reason",
    "event_date",
    "participants",
    "explanation",
    "accounts",
    "first_seen",
    "last_seen",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def conflicts_json(views: Iterable[ConflictView]) -> str:
    buf = io.StringIO()
    writer = JsonWriter(buf)
    for v in views:
        writer.add(v)
    writer.close()
    return buf.getvalue()


class JsonWriter:
    """A JSON array of views written one element at a time (the same text as json.dumps(indent=2))."""

    def __init__(self, fh: IO[str]) -> None:
        self.fh, self.first = fh, True

    def add(self, v: ConflictView) -> None:
        item = json.dumps(v.model_dump(mode="json"), indent=2, ensure_ascii=False)
        self.fh.write(("[\n  " if self.first else ",\n  ") + item.replace("\n", "\n  "))
        self.first = False

    def close(self) -> None:
        self.fh.write("[]\n" if self.first else "\n]\n")


def _account(v: ConflictView) -> str:
    return "\n".join(
        f"{s.side}{f' ({s.speaker})' if s.speaker else ''}, {s.article_name}: {s.quote}" for s in v.sides
    )


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def conflicts_csv(views: Iterable[ConflictView]) -> str:
    buf = io.StringIO()
    writer = CsvWriter(buf)
    for v in views:
        writer.add(v)
    return buf.getvalue()


class CsvWriter:
    """The CSV header, then a row per view as it comes."""

    def __init__(self, fh: IO[str]) -> None:
        self.w = csv.writer(fh)
        self.w.writerow(CSV_COLUMNS)

    def add(self, v: ConflictView) -> None:
        d = v.decision
        row = [
            v.id,
            v.severity,
            v.kind,
            v.status.value,
            d.reviewer if d else "",
            d.decided_at.isoformat() if d else "",
            d.note if d else "",
            d.reason if d else "",
            v.event.date if v.event else "",
            ", ".join(v.event.participants) if v.event else "",
            v.explanation,
            _account(v),
            v.first_seen,
            v.last_seen,
        ]
        self.w.writerow([csv_cell(x) for x in row])


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """Literal text in Markdown: HTML characters as entities, markup characters backslashed.

    Whitespace runs (newlines included) become one space, so text cannot start a heading or a list
    item, and square brackets are escaped, so it cannot make a link.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def _md_segments(segments: list[Segment]) -> str:
    """Context as plain text, the quote between « », its key phrase in bold."""
    out, inside = "", False
    for s in segments:
        if s.role != "context" and not inside:
            out, inside = out + " «", True
        elif s.role == "context" and inside:
            out, inside = out + "» ", False
        text = md_escape(s.text)
        if s.role == "key" and text:
            lead = " " if s.text[:1].isspace() else ""
            trail = " " if s.text[-1:].isspace() else ""
            text = f"{lead}**{text}**{trail}"
        elif text:
            text = (" " if s.text[:1].isspace() else "") + text + (" " if s.text[-1:].isspace() else "")
        out += text
    if inside:
        out += "»"
    return " ".join(out.split()).replace("« ", "«").replace(" »", "»")


def conflicts_markdown(
    views: list[ConflictView], accounts: list[EventAccounts], *, title: str, generated_at: str, source: str
) -> str:
    by_status: dict[str, int] = {}
    for v in views:
        by_status[v.status.value] = by_status.get(v.status.value, 0) + 1
    head = markdown_head(title=title, generated_at=generated_at, source=source, by_status=by_status)
    body = [line for v in views for line in markdown_conflict(v)]
    timeline = [line for e in accounts for line in markdown_event(e)]
    return "\n".join([*head, *body, *MARKDOWN_TIMELINE, *timeline])


MARKDOWN_TIMELINE = ["## Timeline: each side's account", ""]


def markdown_head(*, title: str, generated_at: str, source: str, by_status: dict[str, int]) -> list[str]:
    lines = [f"# {md_escape(title)}", "", f"Generated {generated_at} from `{source}`.", ""]
    summary = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items())) or "none"
    return [*lines, f"{sum(by_status.values())} conflicts ({summary}).", "", "## Conflicts", ""]


def markdown_conflict(v: ConflictView) -> list[str]:
    when = f" — event {v.event.date} ({md_escape(', '.join(v.event.participants))})" if v.event else ""
    lines = [f"### {v.severity.upper()} {v.kind}: `{v.id}`{when}", ""]
    status = f"Status: **{v.status.value}**"
    if v.decision:
        status += f" by {md_escape(v.decision.reviewer)} on {v.decision.decided_at:%Y-%m-%d %H:%M}"
        if v.decision.note:
            status += f". Note: {md_escape(v.decision.note)}"
        if v.decision.reason:
            status += f". {md_escape(v.decision.reason)}"
    if not v.active:
        status += f". No longer found: {md_escape(v.gone_reason or 'gone')}"
    lines += [status, "", md_escape(v.explanation), ""]
    lines += ["| side | article | account |", "|---|---|---|"]
    for s in v.sides:
        who = md_escape(s.side + (f" ({s.speaker})" if s.speaker else ""))
        where = md_escape(", ".join(x for x in (s.article_name, s.outlet, s.published) if x))
        lines.append(f"| {who} | {where} | {_md_segments(s.segments)} |")
    lines.append("")
    return lines


def markdown_event(e: EventAccounts) -> list[str]:
    ev = e.event
    lines = [f"### {ev.date} · {md_escape(ev.channel)} · {md_escape(', '.join(ev.participants))}", ""]
    if e.conflict_ids:
        lines += ["Conflicts: " + ", ".join(f"`{c}`" for c in e.conflict_ids), ""]
    for side, items in e.accounts.items():
        for a in items:
            val = f" **{md_escape(a.value_text)}**" if a.value_text else ""
            lines.append(
                f"- {md_escape(side)} ({md_escape(a.article_name)}, {a.kind}){val}: {md_escape(a.quote)}"
            )
    for c in e.compared:
        conflict = f" (conflict `{c.conflict_id}`)" if c.conflict_id else ""
        pair = (
            f"{md_escape(c.side_a)} «{md_escape(c.quote_a)}» / {md_escape(c.side_b)} «{md_escape(c.quote_b)}»"
        )
        why = f" — {md_escape(c.reason)}" if c.reason else ""
        lines.append(f'- {c.label}{conflict} on "{md_escape(c.question)}": {pair}{why}')
    lines.append("")
    return lines
