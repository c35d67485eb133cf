"""`claimdiff eval`: a run's claims and conflicts (from --db) against a gold set (--gold DIR)."""

from __future__ import annotations

from pathlib import Path

import click

from extractor.cli.app import cli, fail_loudly
from extractor.cli.options import db_option, format_option
from extractor.cli.output import emit, err
from extractor.errors import ConfigError
from extractor.evaluate import EventRule, Report, evaluate, load_gold
from extractor.store import Store

SCORE_COLUMNS = ["gold", "found", "matched", "precision", "recall", "f1"]
ITEM_COLUMNS = ["id", "kind", "severity", "found", "conflict", "note"]


def _pct(x: object) -> str:
    return "—" if x is None else f"{x:.3f}"


@cli.command("eval")
@click.option(
    "--gold",
    "gold_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Gold set: a folder with claims.jsonl (and conflicts.jsonl, non_conflicts.jsonl).",
)
@db_option
@format_option
@click.option(
    "--event-rule",
    type=click.Choice([r.value for r in EventRule]),
    default=EventRule.COMPATIBLE.value,
    show_default=True,
    help="compatible: a claim's participants and date must not contradict the gold claim's "
    "(one may leave out what the other states); strict: they must be equal.",
)
@fail_loudly
def eval_(gold_dir: Path, db_path: Path, fmt: str, event_rule: str) -> None:
    """Precision and recall of the stored claims (per kind) and conflicts (per severity) against gold."""
    store = Store(db_path, create=False)
    gold = load_gold(gold_dir, store.articles())
    for name in gold.missing:
        err.print(f"{name}: annotated in {gold_dir} but not in {db_path}: not evaluated", markup=False)
    if not gold.article_ids:
        raise ConfigError(f"none of the articles annotated in {gold_dir} is in {db_path}")
    report = evaluate(
        gold, store.current_claims(), store.conflicts(), store.events(), rule=EventRule(event_rule)
    )
    if fmt != "table":
        columns = ["table", "kind", "severity", *SCORE_COLUMNS, "id", "found", "conflict", "note"]
        emit(report.rows(), fmt, list(dict.fromkeys(columns)))
        return
    _tables(report)


def _tables(report: Report) -> None:
    rows = report.rows()
    for table, key, title in (
        ("claims", "kind", f"claims per kind ({report.articles} annotated articles, events {report.rule})"),
        ("conflicts", "severity", "conflicts per severity"),
    ):
        emit(
            [
                {key: r[key], **{c: r[c] for c in SCORE_COLUMNS[:3]}}
                | {c: _pct(r[c]) for c in SCORE_COLUMNS[3:]}
                for r in rows
                if r["table"] == table
            ],
            "table",
            [key, *SCORE_COLUMNS],
            title=title,
        )
    for table, title in (("gold_conflicts", "gold discrepancies"), ("non_conflicts", "gold look-alikes")):
        chosen = [r for r in rows if r["table"] == table]
        if chosen:
            emit(chosen, "table", ITEM_COLUMNS, title=title)
    flagged = [r["id"] for r in rows if r["table"] == "non_conflicts" and r["found"]]
    err.print(
        "falsely flagged look-alikes: "
        + (", ".join(flagged) if flagged else "none")
        + f"; {len(report.unmatched_conflicts)} flagged conflict(s) match no gold discrepancy",
        markup=False,
    )
