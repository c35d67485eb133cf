"""A republished copy: an article that is another's text with boilerplate around it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CopyRelation(BaseModel):
    model_config = ConfigDict(frozen=True)

    article_id: str = Field(description="the copy")
    original_id: str
    similarity: float = Field(description="Jaccard similarity of the two texts' word shingles")
    containment: float = Field(description="share of the original's shingles found in the copy")
    edited: bool = Field(description="the copy's text differs from the original's beyond boilerplate")
    basis: str = Field(default="", description="why that one is the original")
