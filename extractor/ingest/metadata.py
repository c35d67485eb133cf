"""An article's outlet, title and publication date, each only from something that states it.

Nothing is guessed: a field stays None unless a sidecar file, front matter, the HTML page's own
metadata or an explicit pattern in the text gives it, and each value keeps a note of that basis
(the Article record stores only published_basis; the others serve debugging and tests).
Sources are tried from the most to the least explicit, and an earlier one wins field by field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from extractor.errors import BadInputError

FRONT_MATTER_KEYS = ("outlet", "title", "published", "url", "source")
TITLE_MAX_CHARS = 150


@dataclass(frozen=True)
class Metadata:
    outlet: str | None = None
    outlet_basis: str | None = None
    title: str | None = None
    title_basis: str | None = None
    published: dt.date | None = None
    published_basis: str | None = None
    url: str | None = None

    def fill(self, other: Metadata) -> Metadata:
        """Fields missing here taken from ``other`` (a less explicit source), each with its basis."""
        out = self
        if out.outlet is None and other.outlet is not None:
            out = replace(out, outlet=other.outlet, outlet_basis=other.outlet_basis)
        if out.title is None and other.title is not None:
            out = replace(out, title=other.title, title_basis=other.title_basis)
        if out.published is None and other.published is not None:
            out = replace(out, published=other.published, published_basis=other.published_basis)
        if out.url is None and other.url is not None:
            out = replace(out, url=other.url)
        return out


def parse_published(value: object, where: str) -> dt.date | None:
    """A YYYY-MM-DD date (an ISO date-time is cut to its date); anything else is the file's mistake."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise BadInputError(where, f"published {value!r} is not a YYYY-MM-DD date")


def _text_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def sidecar_path(path: Path) -> Path:
    """`<name>.meta.json` next to the article: `a.txt` -> `a.meta.json`."""
    return path.with_name(path.stem + ".meta.json")


def from_sidecar(path: Path) -> Metadata:
    """Metadata from the sidecar file, if there is one; a malformed sidecar is reported, not skipped."""
    side = sidecar_path(path)
    if not side.is_file():
        return Metadata()
    try:
        data = json.loads(side.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(str(side), f"metadata file cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        problem = f"metadata file is not valid JSON: {exc.msg} (line {exc.lineno})"
        raise BadInputError(str(side), problem) from exc
    if not isinstance(data, dict):
        problem = "metadata file must hold a JSON object with outlet/title/published/url"
        raise BadInputError(str(side), problem)
    basis = f"sidecar: {side.name}"
    outlet = _text_or_none(data.get("outlet"))
    title = _text_or_none(data.get("title"))
    published = parse_published(data.get("published"), str(side))
    return Metadata(
        outlet=outlet,
        outlet_basis=basis if outlet else None,
        title=title,
        title_basis=basis if title else None,
        published=published,
        published_basis=basis if published else None,
        url=_text_or_none(data.get("url")) or _text_or_none(data.get("source")),
    )


_FRONT_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def split_front_matter(text: str, where: str) -> tuple[Metadata, str]:
    """`---` key: value lines `---` at the very top: its metadata and the text without it.

    Parsed by hand (no YAML): only outlet/title/published/url/source are read, other keys ignored.
    A block whose lines are not all `key: value` is not front matter (a text may open with a rule).
    """
    m = re.match(r"---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", text, re.DOTALL | re.MULTILINE)
    if not m:
        return Metadata(), text
    fields: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kv = _FRONT_LINE.match(line)
        if not kv:
            return Metadata(), text
        value = kv.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields[kv.group(1).lower()] = value.strip()
    published = parse_published(fields.get("published"), where)
    outlet, title = fields.get("outlet") or None, fields.get("title") or None
    meta = Metadata(
        outlet=outlet,
        outlet_basis="front matter" if outlet else None,
        title=title,
        title_basis="front matter" if title else None,
        published=published,
        published_basis="front matter" if published else None,
        url=fields.get("url") or fields.get("source") or None,
    )
    return meta, text[m.end() :]


# "date 2025-07-03 ..." (or "published: 2025-07-03") at the very start of the text.
_LEADING_DATE = re.compile(r"\A\s*((?:date|dated|published)\s*:?\s*(\d{4}-\d{2}-\d{2}))\b", re.IGNORECASE)

# An outlet's name: capitalised words, optionally "The ...", on one line.
_NAME = r"((?:The )?[A-Z][\w&'-]*(?: (?:of |and |for |the )?[A-Z][\w&'-]*){0,4})"
_CITY = r"[A-Z][A-Z.' -]{1,40}?"
_DATELINES = (
    # "MOSCOW | TASS |"
    re.compile(rf"^\s*{_CITY}\s*\|\s*{_NAME}\s*\|", re.MULTILINE),
    # "MOSCOW, July 3 (Reuters) -"
    re.compile(
        rf"^\s*{_CITY}(?:,\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}})?\s*\({_NAME}\)\s*[-\u2013\u2014]", re.MULTILINE
    ),
    # "MOSCOW, July 3. /TASS/."
    re.compile(rf"^\s*{_CITY},\s*[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}\.\s*/{_NAME}/", re.MULTILINE),
)
# The outlet naming itself. Citations of other outlets ("according to TASS", "Politico reports") are
# deliberately absent: they name a source, not the publisher.
_SELF_REFERENCES = (
    (re.compile(rf"\bin the material by {_NAME}"), "self-reference: 'in the material by'"),
    (re.compile(rf"^[ \t]*Subscribe to {_NAME}[ \t]*$", re.MULTILINE), "self-reference: 'Subscribe to'"),
    (
        re.compile(
            rf"\bis (?:a|an|the) [^.\n]{{0,80}}?\b(?i:writer|editor|correspondent|reporter|columnist"
            rf"|contributor|journalist)s? at {_NAME}"
        ),
        "author bio: 'is a ... at'",
    ),
)
# Words run together where a scraper dropped the separators of a tag list: "TrumpFeaturedIsrael".
_GLUED_TAGS = re.compile(r"[a-z][A-Z][a-z]")
# Only the first lines are searched for a dateline; it opens the story, under the title at most.
_DATELINE_LINES = 5


def _first_lines(text: str, count: int) -> str:
    return "\n".join([line for line in text.splitlines() if line.strip()][:count])


def _clean_name(name: str) -> str:
    name = name.strip().rstrip(".")
    return name[:-2] if name.endswith("'s") else name


def from_text(text: str, *, plain: bool) -> Metadata:
    """Metadata the text states about itself; a title only for plain text (``plain``), never HTML."""
    published = published_basis = None
    m = _LEADING_DATE.match(text)
    if m:
        try:
            published = dt.date.fromisoformat(m.group(2))
            published_basis = f"text: {m.group(1)!r} at the start"
        except ValueError:
            published = None
    outlet = outlet_basis = None
    head = _first_lines(text, _DATELINE_LINES)
    for pattern in _DATELINES:
        if dm := pattern.search(head):
            outlet, outlet_basis = _clean_name(dm.group(1)), "dateline"
            break
    if outlet is None:
        for pattern, basis in _SELF_REFERENCES:
            if sm := pattern.search(text):
                outlet, outlet_basis = _clean_name(sm.group(1)), basis
                break
    title = title_basis = None
    if plain:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and m and lines[0] == m.group(1):  # a line holding only the date is no title
            lines = lines[1:]
        if lines and len(_GLUED_TAGS.findall(lines[0])) >= 2:  # a scraped run of tags opens the page
            lines = lines[1:]
        first = lines[0].lstrip("#").strip() if lines else ""
        if first and len(first) < TITLE_MAX_CHARS and not first.endswith(".") and first != text.strip():
            title, title_basis = first, "text: first line"
    return Metadata(
        outlet=outlet,
        outlet_basis=outlet_basis,
        title=title,
        title_basis=title_basis,
        published=published,
        published_basis=published_basis,
    )
