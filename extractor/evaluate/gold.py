"""A gold set: hand-made claims, conflicts and look-alikes, read against the articles of a store.

The directory holds `claims.jsonl` (one `ImportedClaim` a line, as `claimdiff import` reads it) and,
optionally, `conflicts.jsonl` (discrepancies that must be flagged) and `non_conflicts.jsonl`
(look-alikes that must not be), in the shape described in fixtures/gold/README.md. Gold claims go
through the same grounding and normalisation as a model's, so both sides are compared as records.
An annotated article that is not in the store cannot be compared: it is listed in `missing`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from extractor.entities import Entities, default_entities
from extractor.errors import ImportFormatError
from extractor.extract.build import build_claim
from extractor.records import Article, Claim, ConflictKind, ImportedClaim, Origin, Severity

CLAIMS = "claims.jsonl"
CONFLICTS = "conflicts.jsonl"
NON_CONFLICTS = "non_conflicts.jsonl"


@dataclass(frozen=True)
class GoldConflict:
    """One annotated discrepancy (or look-alike): its kind, severity, articles and verbatim passages."""

    id: str
    kind: ConflictKind
    severity: Severity
    article_ids: tuple[str, ...]
    quotes: tuple[str, ...]
    participants: tuple[str, ...] = ()
    date: dt.date | None = None
    description: str = ""


@dataclass
class GoldSet:
    claims: list[Claim]
    conflicts: list[GoldConflict]
    non_conflicts: list[GoldConflict]
    article_ids: set[str]  # the annotated articles found in the store: only these count
    names: dict[str, str] = field(default_factory=dict)  # article id -> the name the gold set uses
    missing: list[str] = field(default_factory=list)  # annotated articles not in the store


def _lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        return []
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as e:
            raise ImportFormatError(f"{path}:{number}: not JSON: {e}") from None
        if not isinstance(item, dict):
            raise ImportFormatError(f"{path}:{number}: a line must be a JSON object")
        out.append((number, item))
    return out


def _finder(articles: list[Article]) -> dict[str, Article]:
    """An article by id, source or file name; the latest stored text wins a shared name."""
    index: dict[str, Article] = {}
    for a in articles:
        for ref in (Path(a.source).name, a.source, a.id):
            index[ref] = a
    return index


def load_gold(directory: Path, articles: list[Article], *, entities: Entities | None = None) -> GoldSet:
    entities = entities or default_entities()
    claims_file = directory / CLAIMS
    if not claims_file.is_file():
        raise ImportFormatError(f"{directory}: no {CLAIMS} (a gold set needs its claims)")
    find = _finder(articles)
    origin = Origin(source="gold", prompt_version=f"gold:{directory.name}")
    claims: list[Claim] = []
    problems: list[str] = []
    missing: dict[str, None] = {}
    names: dict[str, str] = {}
    for number, raw in _lines(claims_file):
        try:
            item = ImportedClaim.model_validate(raw)
        except ValidationError as e:
            problems.append(f"{claims_file}:{number}: {str(e).splitlines()[0]}")
            continue
        article = find.get(item.article)
        if article is None:
            missing[item.article] = None
            continue
        names[article.id] = item.article
        claims.append(build_claim(article, item, origin=origin, entities=entities, side_hint=item.side))
    if problems:
        raise ImportFormatError(f"{len(problems)} bad gold line(s):\n" + "\n".join(problems[:20]))
    annotated = set(names)
    conflicts = _conflicts(directory / CONFLICTS, find, entities, names, missing)
    non_conflicts = _conflicts(directory / NON_CONFLICTS, find, entities, names, missing)
    for g in conflicts + non_conflicts:
        annotated.update(g.article_ids)
    return GoldSet(claims, conflicts, non_conflicts, annotated, names, list(missing))


def _conflicts(
    path: Path,
    find: dict[str, Article],
    entities: Entities,
    names: dict[str, str],
    missing: dict[str, None],
) -> list[GoldConflict]:
    out: list[GoldConflict] = []
    for number, item in _lines(path):
        try:
            refs = [str(r) for r in item["articles"]]
            event = item.get("event") or {}
            gold = GoldConflict(
                id=str(item["id"]),
                kind=ConflictKind(item["kind"]),
                severity=Severity(item["severity"]),
                article_ids=(),
                quotes=tuple(str(q) for q in item["quotes"]),
                participants=tuple(entities.participants(event.get("participants") or [])),
                date=dt.date.fromisoformat(event["date"]) if event.get("date") else None,
                description=str(item.get("description", "")),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ImportFormatError(f"{path}:{number}: {type(e).__name__}: {e}") from None
        absent = [r for r in refs if r not in find]
        if absent:
            # A discrepancy between articles is only checkable when every one of them is stored.
            for r in absent:
                missing[r] = None
            continue
        ids = tuple(find[r].id for r in refs)
        for r, i in zip(refs, ids, strict=True):
            names.setdefault(i, r)
        out.append(replace(gold, article_ids=ids))
    return out
