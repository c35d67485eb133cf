"""What the model is asked to return. Only proposals: code grounds and normalises them."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, Field

from extractor.records import ProposedClaim


class ExtractionResponse(BaseModel):
    """Checkable claims proposed for one article or chunk."""

    claims: list[ProposedClaim] = Field(default_factory=list, max_length=40)


def schema_hash(model: type[BaseModel] = ExtractionResponse) -> str:
    """Changes whenever the schema the model sees changes; part of every cache key and recording."""
    text = json.dumps(model.model_json_schema(), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
