"""Reading articles from files and JSONL: one Article each, or a BadInputError that says what is wrong.

Every refusal names the file and the problem in words a user can act on, because a batch of fifty
articles should not stop on a stack trace for the one that is a PDF. Text is decoded, never repaired:
offsets computed later refer to exactly the text stored here.
"""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import json
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from extractor.errors import BadInputError
from extractor.ingest.hostile import flags_for
from extractor.ingest.html import declared_charset, extract_html, looks_like_html
from extractor.ingest.metadata import (
    Metadata,
    from_sidecar,
    from_text,
    parse_published,
    split_front_matter,
)
from extractor.records import Article

DEFAULT_MAX_BYTES = 2_000_000
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
SIDECAR_SUFFIX = ".meta.json"

# charset-normalizer's guess is taken only when the decoded text is clean (little "mess") and reads
# like a language (some coherence); otherwise the user is asked to re-save the file as UTF-8.
MAX_CHAOS = 0.1
MIN_COHERENCE = 0.1
# Above this share of control characters a file is binary, whatever decoder accepted it.
MAX_CONTROL_SHARE = 0.05
# Single-byte encodings people know by name, preferred when they decode to the very same text.
_FAMILIAR = ("cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1250", "iso8859_2")
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .odt document?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_UTF16_32 = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _control_share(chars: Iterable[str], total: int) -> float:
    bad = sum(
        1 for c in chars if c == "\ufffd" or (c not in "\t\n\r\f\v" and unicodedata.category(c) == "Cc")
    )
    return bad / max(1, total)


def _binary_problem(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"is {what}, not text; convert it to plain text or HTML first"
    if b"\x00" in data:
        return "looks like a binary file (it contains NUL bytes), not text"
    return None


def decode(data: bytes, where: str, *, declared: str | None = None) -> tuple[str, str]:
    """Text and encoding name: BOMs, then UTF-8, then a charset the page declares, then a coherent guess."""
    for bom, name in _UTF16_32:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise BadInputError(where, f"starts with a {name} byte-order mark but is not {name}") from exc
    problem = _binary_problem(data)
    if problem:
        raise BadInputError(where, problem)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            problem = f"starts with a UTF-8 byte-order mark but is not UTF-8: {exc}"
            raise BadInputError(where, problem) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), codecs.lookup(declared).name
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.chaos <= MAX_CHAOS and best.coherence >= MIN_COHERENCE:
        text = str(best)
        for name in _FAMILIAR:
            if name in best.could_be_from_charset and data.decode(name, errors="replace") == text:
                return text, name
        return text, best.encoding
    # Only C0 controls count here: bytes above 0x7F are letters in some legacy code page.
    head = data[:65536]
    controls = sum(1 for b in head if (b < 0x20 and b not in b"\t\n\r\f\v") or b == 0x7F)
    if controls > MAX_CONTROL_SHARE * len(head):
        raise BadInputError(where, "looks like a binary file (mostly non-text bytes), not text")
    guess = f" (best guess {best.encoding}, which does not read as text)" if best is not None else ""
    raise BadInputError(
        where, f"is not UTF-8 and its encoding cannot be told with confidence{guess}; re-save it as UTF-8"
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    where = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        broken = " (a broken symbolic link)" if path.is_symlink() else ""
        raise BadInputError(where, f"file not found{broken}") from None
    except PermissionError:
        raise BadInputError(where, "cannot be read: permission denied") from None
    except OSError as exc:
        raise BadInputError(where, f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise BadInputError(where, "is a directory, not an article file; pass the files in it")
    if not stat.S_ISREG(st.st_mode):
        raise BadInputError(where, "is not a regular file")
    if st.st_size > max_bytes:
        raise BadInputError(
            where,
            f"file is {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes; "
            f"raise the limit with --max-bytes if this really is one article",
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        raise BadInputError(where, "cannot be read: permission denied") from None
    except OSError as exc:
        raise BadInputError(where, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise BadInputError(
            where, f"file is over the limit of {max_bytes:,} bytes; raise the limit with --max-bytes"
        )
    if not data:
        raise BadInputError(where, "file is empty")
    return data


def read_article(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """One article from a text, Markdown or HTML file, with whatever metadata is stated for it."""
    where = str(path)
    data = _read_bytes(path, max_bytes)
    sniff_html = path.suffix.lower() in {".html", ".htm", ".xhtml"} or b"<html" in data[:2048].lower()
    text, encoding = decode(data, where, declared=declared_charset(data) if sniff_html else None)
    if not text.strip():
        raise BadInputError(where, "file holds only whitespace, no text")
    if _control_share(text[:65536], min(len(text), 65536)) > MAX_CONTROL_SHARE:
        raise BadInputError(where, "looks like a binary file (mostly control characters), not text")

    stated = from_sidecar(path)
    if looks_like_html(path, text[:2048]):
        text, page = extract_html(text, where)
        meta = stated.fill(page).fill(from_text(text, plain=False))
        content_type = "html"
    else:
        front, text = split_front_matter(text, where)
        if not text.strip():
            raise BadInputError(where, "no article text after the front matter")
        meta = stated.fill(front).fill(from_text(text, plain=True))
        content_type = "text"
    return _article(text, where, meta, content_type=content_type, encoding=encoding)


def _article(text: str, source: str, meta: Metadata, *, content_type: str, encoding: str) -> Article:
    return Article.from_text(
        text,
        source,
        outlet=meta.outlet,
        title=meta.title,
        published=meta.published,
        published_basis=meta.published_basis if meta.published else None,
        url=meta.url,
        content_type=content_type,
        encoding=encoding,
        flags=flags_for(text),
    )


def _is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def _folder_files(folder: Path) -> list[Path]:
    # Anything named like an article that is not a folder (a broken link, a FIFO) is listed, so that
    # read_article says what is wrong with it instead of it vanishing from the batch.
    return sorted(
        p
        for p in folder.rglob("*")
        if not p.is_dir()
        and p.suffix.lower() in ARTICLE_SUFFIXES
        and not _is_sidecar(p)
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def skipped_in_folder(folder: Path) -> list[tuple[Path, str]]:
    """The files of a folder that iter_paths leaves out, each with why (sidecars are not counted)."""
    skipped: list[tuple[Path, str]] = []
    for p in sorted(folder.rglob("*")):
        if p.is_dir() or _is_sidecar(p):
            continue
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            skipped.append((p, "hidden"))
        elif p.suffix.lower() not in ARTICLE_SUFFIXES:
            skipped.append((p, f"not {', '.join(sorted(ARTICLE_SUFFIXES))}"))
    return skipped


def iter_paths(args: list[str]) -> list[Path]:
    """Command-line arguments as article paths: folders expanded (recursively, article suffixes only,
    hidden entries skipped), globs expanded, sidecars dropped, duplicates dropped, order kept. A path
    that does not exist stays in the list so read_article reports it instead of it vanishing."""
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir() and path.suffix.lower() in ARTICLE_SUFFIXES:
            out.append(path)  # a folder named like an article: read_article says it is a folder
        elif path.is_dir():
            out.extend(_folder_files(path))
        elif not path.exists() and any(c in arg for c in "*?["):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                out.append(path)
            for match in map(Path, matches):
                if match.is_dir():
                    out.extend(_folder_files(match))
                elif not _is_sidecar(match):
                    out.append(match)
        elif not _is_sidecar(path):
            out.append(path)
    return list(dict.fromkeys(out))


def _jsonl_article(obj: object, where: str) -> Article:
    if not isinstance(obj, dict):
        raise BadInputError(where, 'each line must be a JSON object with a "text" field')
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInputError(where, 'no "text" field with the article\'s text')
    for key in ("source", "url", "title", "outlet"):
        if obj.get(key) is not None and not isinstance(obj.get(key), str):
            raise BadInputError(where, f'"{key}" must be a string')
    published: dt.date | None = parse_published(obj.get("published"), where)
    source = obj.get("source") or obj.get("url") or where
    meta = Metadata(
        outlet=(obj.get("outlet") or "").strip() or None,
        title=(obj.get("title") or "").strip() or None,
        published=published,
        published_basis=f'{where}: "published" field' if published else None,
        url=(obj.get("url") or "").strip() or None,
    ).fill(from_text(text, plain=False))
    return _article(text, source, meta, content_type="text", encoding="utf-8")


def read_jsonl(stream: Iterable[str], source_name: str) -> Iterator[Article | BadInputError]:
    """Articles from JSON lines; a bad line yields its error (naming `source_name:line`) and reading
    goes on, so one broken record does not hide the rest. Blank lines are skipped."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"{source_name}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadInputError(where, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        try:
            yield _jsonl_article(obj, where)
        except BadInputError as exc:
            yield exc
