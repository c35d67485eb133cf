"""Conflicts for people: one line each after a run, one short block each in a narrow terminal."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from extractor.cli.output import out, width
from extractor.review.view import first_sentence

NARROW = 120


_HASHED_NAME = re.compile(r"\b([0-9A-Za-z-]+)_[0-9a-f]{12,}\.[a-z]+\b")


def short_names(text: str) -> str:
    """'report-7_5e1f0c2a9b3d4e6f.txt (Kremlin)' → 'report-7 (Kremlin)', as explanations name articles."""
    return _HASHED_NAME.sub(r"\1", text)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def conflict_lines(rows: Sequence[dict[str, Any]], cols: int) -> list[str]:
    """One line per conflict: severity, kind, id and the explanation's first sentence, shortened."""
    lines = []
    cols = min(cols, 160)
    kind_width = max((len(r["kind"]) for r in rows), default=0)
    for r in rows:
        head = f"{r['severity']:<6} {r['kind']:<{kind_width}} {r['id']}  "
        if r.get("status", "open") != "open":
            head += f"[{r['status']}] "
        lines.append(head + shorten(first_sentence(r["explanation"]), max(cols - len(head), 20)))
    return lines


def conflict_blocks(rows: Sequence[dict[str, Any]], cols: int) -> list[str]:
    """A few lines per conflict for a narrow terminal: what it is, who says it, what is wrong."""
    lines: list[str] = []
    for r in rows:
        head = f"{r['id']}  {r['severity']} {r['kind']}  {r['status']}"
        if r.get("event"):
            head += f"  event {r['event']}"
        lines.append(shorten(head, cols))
        lines.append("  " + shorten(f"sides: {short_names(r['sides'])}", cols - 2))
        wrapped = textwrap.wrap(first_sentence(r["explanation"]), max(cols - 2, 20))
        if len(wrapped) > 3:
            wrapped = [*wrapped[:2], shorten(" ".join(wrapped[2:]), max(cols - 2, 20))]
        lines.extend("  " + w for w in wrapped)
    return lines


def print_lines(lines: Sequence[str]) -> None:
    for line in lines:
        out.print(Text(line), soft_wrap=True)


def emit_conflicts(rows: Sequence[dict[str, Any]], fmt: str, title: str) -> bool:
    """Print conflicts as blocks when the table would not fit; False when a table should be used."""
    cols = width()
    if fmt != "table" or cols >= NARROW:
        return False
    print_lines([f"{title} ({len(rows)}; the full explanation: claimdiff review show ID)"])
    print_lines(conflict_blocks(rows, cols))
    return True
