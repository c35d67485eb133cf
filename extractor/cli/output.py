"""Rendering records for people (rich tables on stdout) and machines (JSON, JSONL, CSV)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# Piped output is read in logs and files, not an 80-column terminal: give tables room.
out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)


def width() -> int:
    """Columns to lay stdout out in, asked when printing: $COLUMNS, the terminal's, else 200."""
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else 200


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], *, title: str = "") -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(list(rows), indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: _flat(r.get(c)) for c in columns})
    else:
        table = Table(title=title or None, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            # Text from articles and models is data: never interpreted as rich markup.
            table.add_row(*[Text(_flat(r.get(c))) for c in columns])
        out.print(table, width=width())


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
