"""HTML pages: the article's text (without menus, scripts or footers) and the page's own metadata.

trafilatura does the boilerplate removal. Article.text is what it extracts, so every offset refers to
that text, never to the markup. A page from which nothing prose-like comes out (a front page, a
menu) is refused rather than stored as an "article" made of link labels.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import trafilatura

from extractor.errors import BadInputError
from extractor.ingest.metadata import Metadata

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
# A line of at least this many words is prose; link labels and menu entries are shorter.
PROSE_MIN_WORDS = 8

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def looks_like_html(path: Path, head: str) -> bool:
    """By extension, or by content: a file that opens with markup and names <html> or its doctype."""
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    start = head.lstrip("\ufeff \t\r\n")[:1024].lower()
    return start.startswith("<") and ("<html" in start or "<!doctype html" in start)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its top, if any."""
    m = _DECLARED_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _has_prose(text: str) -> bool:
    return any(len(line.split()) >= PROSE_MIN_WORDS for line in text.splitlines())


def _page_metadata(html: str) -> Metadata:
    """Title, date and site name as the page states them (<title>, og: and article: tags, JSON-LD)."""
    try:
        doc = trafilatura.extract_metadata(html, extensive=False)
    except Exception:  # metadata is optional: a page whose head trips the parser still has its text
        return Metadata()
    basis = "html metadata"
    title = (doc.title or "").strip() or None
    outlet = (doc.sitename or "").strip() or None
    published: dt.date | None = None
    if doc.date:
        try:
            published = dt.date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            published = None
    return Metadata(
        outlet=outlet,
        outlet_basis=f"{basis}: site name" if outlet else None,
        title=title,
        title_basis=basis if title else None,
        published=published,
        published_basis=f"{basis}: publication date" if published else None,
        url=(doc.url or "").strip() or None,
    )


def extract_html(html: str, where: str) -> tuple[str, Metadata]:
    """The article text of a page and the page's metadata; BadInputError when there is no article."""
    try:
        text = trafilatura.extract(
            html, output_format="txt", include_comments=False, include_tables=True, include_images=False
        )
    except Exception as exc:  # trafilatura and lxml raise many types on broken markup
        raise BadInputError(where, f"the HTML page cannot be parsed: {exc}") from exc
    if not text or not text.strip() or not _has_prose(text):
        raise BadInputError(where, "no article text found in the HTML page")
    return text, _page_metadata(html)
