"""An article as claimdiff reads it: the text every offset refers to, and where it came from."""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import BaseModel, ConfigDict, Field

from extractor.textnorm import normalise_for_match


def article_id_for(text: str) -> str:
    """Stable id: the hash of the text after normalisation, so re-encodings of one text agree."""
    return hashlib.sha256(normalise_for_match(text).encode("utf-8")).hexdigest()[:16]


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    source: str = Field(description="path or URL the article was read from")
    text: str = Field(description="the article text; every offset refers to it")
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    published_basis: str | None = Field(
        default=None, description="where the publication date came from; None when unknown"
    )
    url: str | None = Field(default=None, description="the address the article was published at, if stated")
    content_type: str = "text"
    encoding: str = "utf-8"
    flags: tuple[str, ...] = Field(
        default=(),
        description="why the article needs a reviewer, e.g. 'instructions' or 'markup' (not part of its id)",
    )

    @classmethod
    def from_text(cls, text: str, source: str, **fields: object) -> Article:
        return cls(id=article_id_for(text), source=source, text=text, **fields)
