"""`claimdiff status`: where a batch stands, article by article."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from extractor.cli.app import cli, fail_loudly
from extractor.cli.options import db_option, format_option
from extractor.cli.output import emit, err
from extractor.errors import NotFoundError
from extractor.store import Store
from extractor.store.extractions import STATES

COLUMNS = ["article", "state", "failure_class", "reason", "flags", "copy_of"]


def status_report(store: Store) -> dict[str, Any]:
    """Counts per state and failure class, and every article that is not simply done."""
    states = store.article_states()
    copies = store.copies()
    names = {s.article_id: s.name for s in states}
    rows: list[dict[str, Any]] = [
        {
            "article": s.name,
            "id": s.article_id,
            "state": s.state,
            "failure_class": s.failure_class,
            "reason": s.reason,
            "flags": list(s.flags),
            "copy_of": _copy_note(copies.get(s.article_id), names),
        }
        for s in states
    ]
    rows += [
        {
            "article": p["source"],
            "id": None,
            "state": "failed",
            "failure_class": p["failure_class"],
            "reason": p["problem"],
            "flags": [],
            "copy_of": None,
        }
        for p in store.input_problems()
    ]
    counts = {state: sum(r["state"] == state for r in rows) for state in STATES}
    republished = [
        {
            "original": names.get(r.original_id, r.original_id),
            "republished by": names.get(r.article_id, r.article_id),
            "similarity": r.similarity,
            "edited": r.edited,
        }
        for r in copies.values()
    ]
    classes: dict[str, int] = {}
    for r in rows:
        if r["state"] == "failed":
            classes[r["failure_class"] or "unknown"] = classes.get(r["failure_class"] or "unknown", 0) + 1
    return {
        "states": counts,
        "failure_classes": dict(sorted(classes.items())),
        "articles": rows,
        "copies": republished,
    }


def _copy_note(relation: Any, names: dict[str, str]) -> str | None:
    if relation is None:
        return None
    what = "edited copy" if relation.edited else "copy"
    return f"{what} of {names.get(relation.original_id, relation.original_id)} ({relation.similarity:.2f})"


@cli.command()
@db_option
@format_option
@fail_loudly
def status(db_path: Path, fmt: str) -> None:
    """Batch state: articles pending, in flight, done, needing review or failed, with the reasons."""
    try:
        store = Store(db_path, create=False)
    except NotFoundError:
        err.print(f"{db_path}: no database yet (run claimdiff extract first)", markup=False)
        sys.exit(1)
    report = status_report(store)
    if fmt == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt in ("jsonl", "csv"):
        emit(report["articles"], fmt, COLUMNS)
        return
    emit(
        [{"state": k, "articles": v} for k, v in report["states"].items()],
        "table",
        ["state", "articles"],
        title="articles by state",
    )
    if report["failure_classes"]:
        emit(
            [{"failure class": k, "articles": v} for k, v in report["failure_classes"].items()],
            "table",
            ["failure class", "articles"],
            title="failures by class",
        )
    if report["copies"]:
        emit(
            report["copies"],
            "table",
            ["original", "republished by", "similarity", "edited"],
            title="republished copies (not second sources)",
        )
    unsettled = [r for r in report["articles"] if r["state"] != "done"]
    if unsettled:
        emit(unsettled, "table", COLUMNS, title="articles that are not done")
