"""Claims written by hand or by another tool, in the documented JSONL schema (`ImportedClaim`).

Imported claims go through the same grounding and normalisation as a model's: a quote is verified
against the stored article text, and values are read from the quoted words.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from extractor.entities import Entities, default_entities
from extractor.errors import ImportFormatError
from extractor.extract.build import build_claim
from extractor.records import Article, Claim, ImportedClaim, Origin


def import_schema() -> dict[str, object]:
    return ImportedClaim.model_json_schema()


def _find(ref: str, articles: list[Article]) -> Article | None:
    for a in articles:
        if ref in (a.id, a.source, Path(a.source).name):
            return a
    return None


def load_claims_jsonl(
    path: Path, articles: list[Article], *, entities: Entities | None = None, source: str = "import"
) -> dict[str, list[Claim]]:
    """Claims by article id. Every bad line is reported, with its number, before anything is stored."""
    entities = entities or default_entities()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ImportFormatError(f"{path}: cannot read: {e}") from None
    origin = Origin(
        source=source, prompt_version="import:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]
    )
    problems: list[str] = []
    out: dict[str, list[Claim]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = ImportedClaim.model_validate(json.loads(line))
        except (ValueError, ValidationError) as e:
            first = str(e).splitlines()[0:3]
            problems.append(f"{path}:{number}: {' '.join(first)}")
            continue
        article = _find(item.article, articles)
        if article is None:
            problems.append(f"{path}:{number}: unknown article {item.article!r} (extract or add it first)")
            continue
        claim = build_claim(article, item, origin=origin, entities=entities, side_hint=item.side)
        out.setdefault(article.id, []).append(claim)
    if problems:
        shown = "\n".join(problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ImportFormatError(f"{len(problems)} bad line(s), nothing imported:\n{shown}{more}")
    return out
