"""`claimdiff claims`, `claimdiff import` and `claimdiff schema`: claims as records."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from extractor.cli.app import cli, fail_loudly
from extractor.cli.options import db_option, format_option
from extractor.cli.output import emit, err
from extractor.importer import import_schema, load_claims_jsonl
from extractor.records import (
    Claim,
    CountValue,
    DateValue,
    DurationValue,
    GroundingStatus,
    InitiatorValue,
    OrdinalValue,
    Value,
    WordsValue,
)
from extractor.store import Store

CLAIM_COLUMNS = [
    "id",
    "article",
    "kind",
    "side",
    "speaker",
    "participants",
    "channel",
    "event_date",
    "value",
    "grounding",
    "quote",
]


def describe_value(v: Value | None) -> str:
    if isinstance(v, DateValue):
        return str(v.start) if v.start else f"{v.text} (unresolved)"
    if isinstance(v, DurationValue):
        return f"{v.low:g}-{v.high:g} min ({v.qualifier.value})" if v.high else f">{v.low:g} min"
    if isinstance(v, CountValue):
        return f"{v.value:g} {v.unit}" + (f"/{v.per}" if v.per else "")
    if isinstance(v, OrdinalValue):
        return f"#{v.rank} {v.series}"
    if isinstance(v, InitiatorValue):
        return f"initiated by {v.party or v.text}"
    if isinstance(v, WordsValue):
        return f"“{v.text}”"
    return ""


def claim_row(claim: Claim, names: dict[str, str]) -> dict[str, Any]:
    value = describe_value(claim.value)
    date = claim.event.date
    return {
        "id": claim.id,
        "article": names.get(claim.article_id, claim.article_id),
        "kind": claim.kind.value,
        "side": claim.attribution.side,
        "speaker": claim.attribution.speaker,
        "participants": ", ".join(claim.event.participants),
        "channel": claim.event.channel.value,
        "event_date": (str(date.start) if date and date.start else (claim.event.date_text or "")),
        "value": value,
        "grounding": claim.evidence.status.value,
        "start": claim.evidence.start,
        "end": claim.evidence.end,
        "quote": claim.evidence.quote,
        "needs_review": claim.needs_review,
        "notes": claim.notes,
    }


@cli.command()
@db_option
@format_option
@click.option("--article", help="Only this article (id or file name).")
@click.option("--kind", help="Only claims of this kind.")
@click.option("--side", help="Only claims asserted by this side.")
@fail_loudly
def claims(db_path: Path, fmt: str, article: str | None, kind: str | None, side: str | None) -> None:
    """List the current claims (table, JSON, JSONL or CSV)."""
    store = Store(db_path, create=False)
    names = {a.id: Path(a.source).name for a in store.articles()}
    rows = []
    for c in store.current_claims():
        if article and article not in (c.article_id, names.get(c.article_id)):
            continue
        if (kind and c.kind.value != kind) or (side and c.attribution.side.lower() != side.lower()):
            continue
        rows.append(c.model_dump(mode="json") if fmt in ("json", "jsonl") else claim_row(c, names))
    emit(rows, fmt, CLAIM_COLUMNS if fmt == "table" else [*CLAIM_COLUMNS, "start", "end", "needs_review"])


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--replace",
    is_flag=True,
    help="Replace each article's current claims (a model's or an earlier import's) instead of adding.",
)
@fail_loudly
def import_(file: Path, db_path: Path, replace: bool) -> None:
    """Add claims from a JSONL file (schema: `claimdiff schema import`) to their articles' current claims;
    the articles must be stored (claimdiff add or extract)."""
    store = Store(db_path)
    by_article = load_claims_jsonl(file, store.articles())
    digest = hashlib.sha256(file.read_bytes())
    total, before = 0, 0
    for article_id, imported in by_article.items():
        current = store.current_claims([article_id])
        before += len(current)
        if replace:
            claims_, key = imported, digest.hexdigest()[:16]
        else:
            claims_, key = _added(current, imported), _added_key(current, digest)
        store.save_claims(article_id, "import:" + key, None, claims_, model="import", prompt="import:" + key)
        total += len(claims_) - (0 if replace else len(current))
    verified = sum(c.evidence.status is GroundingStatus.VERIFIED for cs in by_article.values() for c in cs)
    err.print(
        f"imported {total} claims for {len(by_article)} articles ({verified} quotes verified); "
        + (
            f"replaced their {before} earlier claims"
            if replace
            else f"added to their {before} current claims (--replace replaces those instead)"
        ),
        markup=False,
    )


def _added(current: list[Claim], imported: list[Claim]) -> list[Claim]:
    """The current claims and the imported ones, once each (importing a file again adds nothing)."""
    merged = {c.id: c for c in current}
    for c in imported:
        merged.setdefault(c.id, c)
    return list(merged.values())


def _added_key(current: list[Claim], digest: Any) -> str:
    """A cache key for the claim set: this file's on top of these current claims."""
    both = digest.copy()
    both.update("\n".join(sorted(c.id for c in current)).encode())
    return both.hexdigest()[:16]


@cli.command()
@click.argument("what", type=click.Choice(["import"]))
def schema(what: str) -> None:
    """Print a JSON Schema: `import` is the line format `claimdiff import` reads."""
    sys.stdout.write(json.dumps(import_schema(), indent=2) + "\n")
