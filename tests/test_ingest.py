"""Ingest: every file becomes an Article or a BadInputError that names it and says what is wrong."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from extractor.errors import BadInputError
from extractor.ingest import iter_paths, read_article, read_jsonl
from extractor.records import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FRENCH = (
    "Élysée a déclaré que le président Macron avait parlé avec Vladimir Poutine pendant plus de deux "
    "heures. « Nous avons évoqué l'Ukraine et l'Iran », a précisé la présidence française vendredi.\n"
)
RUSSIAN = (
    "Кремль заявил, что президенты обсудили ситуацию на Украине и на Ближнем Востоке. "
    "Разговор продолжался почти час, сообщил помощник президента Юрий Ушаков.\n"
)
LONG_PARAGRAPH = (
    "Russian President Vladimir Putin and US President Donald Trump held a telephone conversation on "
    "Thursday, the Kremlin said, adding that the two leaders spoke for nearly an hour about Ukraine. "
) * 3


def _bad(path: Path, **kwargs: int) -> BadInputError:
    with pytest.raises(BadInputError) as info:
        read_article(path, **kwargs)
    assert info.value.path == str(path)
    return info.value


# --- the seeds ---------------------------------------------------------------------------------------


EXPECTED = {
    "000": ("RBC-Ukraine", None),
    "001": ("The Week", None),
    "002": ("The National Interest", None),
    "003": ("TASS", None),
    "004": (None, dt.date(2025, 7, 3)),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(prefix: str) -> None:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    article = read_article(path)
    outlet, published = EXPECTED[prefix]
    assert article.outlet == outlet
    assert article.published == published
    assert article.content_type == "text"
    assert article.encoding == "utf-8"
    # Plain text is kept as it is in the file, so offsets are the file's.
    assert article.text == path.read_text(encoding="utf-8")
    assert article.source == str(path)


def test_seed_004_date_basis_and_text_kept() -> None:
    article = read_article(next(SEEDS.glob("004_*.txt")))
    assert article.published_basis == "text: 'date 2025-07-03' at the start"
    assert article.text.startswith(" date 2025-07-03 Russian President")


def test_seed_titles_only_when_a_short_unpunctuated_first_line() -> None:
    titles = {p.name[:3]: read_article(p).title for p in sorted(SEEDS.glob("*.txt"))}
    assert titles["000"] == (
        "Macron and Putin back in contact. Which other world leaders maintaining dialogue with Kremlin"
    )
    assert titles["001"] is None  # "Emmanuel Macron." is a caption, it ends with a period
    # The first line of 002 is a run of tags ("Donald TrumpFeaturedIsrael-Iran War..."): the next is it.
    assert titles["002"] == "Donald Trump and Vladimir Putin Just Held Another Phone Call"
    assert titles["003"] is None and titles["004"] is None  # the first lines are paragraphs


def test_seed_articles_without_a_stated_date_have_no_basis() -> None:
    for path in sorted(SEEDS.glob("00[0-3]_*.txt")):
        assert read_article(path).published_basis is None


# --- refusals -----------------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _bad(tmp_path / "nope.txt").problem


def test_directory(tmp_path: Path) -> None:
    assert "directory" in _bad(tmp_path).problem


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Some text that is there but cannot be read.")
    path.chmod(0)
    try:
        assert "permission denied" in _bad(path).problem
    finally:
        path.chmod(0o644)


def test_unreadable_file_reported_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Some text.")

    def deny(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    assert "permission denied" in _bad(path).problem


@pytest.mark.parametrize(("content", "word"), [(b"", "empty"), (b"  \n\t\r\n  ", "whitespace")])
def test_empty_or_whitespace_only(tmp_path: Path, content: bytes, word: str) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    assert word in _bad(path).problem


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 20)
    assert "binary" in _bad(path).problem


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 200)
    assert "binary" in _bad(path).problem


def test_pdf_is_named(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert "PDF" in _bad(path).problem


def test_too_large_says_size_limit_and_flag(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 600_000)  # 3 MB
    problem = _bad(path).problem
    assert "3,000,000" in problem and "2,000,000" in problem and "--max-bytes" in problem
    assert read_article(path, max_bytes=4_000_000).text.startswith("word word")


def test_undecodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    # Valid UTF-8 broken by stray bytes that make no sense in any single-byte code page.
    path.write_bytes("Le président a dit ".encode() + b"\x81\x8d\x8f\x90\x9d" * 3 + b" fin.")
    problem = _bad(path).problem
    assert "UTF-8" in problem and "encoding" in problem


# --- decoding -------------------------------------------------------------------------------------------


def test_latin1_french(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    article = read_article(path)
    assert article.text == FRENCH
    assert article.encoding in {"cp1252", "latin_1", "iso8859_15"}


def test_cp1251_russian(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    article = read_article(path)
    assert article.text == RUSSIAN
    assert article.encoding == "cp1251"


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + RUSSIAN.encode("utf-8"))
    article = read_article(path)
    assert article.text == RUSSIAN
    assert article.encoding == "utf-8-sig"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(FRENCH.encode("utf-16"))
    assert read_article(path).text == FRENCH


def test_id_is_the_same_whatever_the_encoding(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (tmp_path / "b.txt").write_bytes(RUSSIAN.encode("utf-8"))
    assert read_article(tmp_path / "a.txt").id == read_article(tmp_path / "b.txt").id


# --- HTML -----------------------------------------------------------------------------------------------


PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Putin and Trump talk | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-07-03T10:00:00Z">
<script>var tracking = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav>
<article><h1>Putin and Trump talk</h1><p>{LONG_PARAGRAPH}</p><script>alert(1)</script>
<p>Kremlin aide Yuri Ushakov said the two presidents agreed to keep talking to each other.</p></article>
<footer>Copyright Example News. All rights reserved.</footer></body></html>"""


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_article(path)
    assert article.content_type == "html"
    assert "alert(1)" not in article.text and "<" not in article.text and "tracking" not in article.text
    assert "Log in" not in article.text
    assert "Kremlin aide Yuri Ushakov said the two presidents agreed" in article.text
    assert article.title == "Putin and Trump talk"
    assert article.published == dt.date(2025, 7, 3)
    assert article.published_basis is not None and "html" in article.published_basis
    assert article.outlet == "Example News"
    # Offsets refer to the extracted text.
    quote = "spoke for nearly an hour about Ukraine"
    start = article.text.index(quote)
    assert article.text[start : start + len(quote)] == quote


def test_html_sniffed_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved_page.txt"
    path.write_text(PAGE, encoding="utf-8")
    assert read_article(path).content_type == "html"


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1251"').replace(
        "Kremlin aide", "Помощник президента Юрий Ушаков сообщил, что Kremlin aide"
    )
    path = tmp_path / "ru.htm"
    path.write_bytes(page.encode("cp1251"))
    article = read_article(path)
    assert "Помощник президента Юрий Ушаков" in article.text
    assert article.encoding == "cp1251"


def test_html_with_only_navigation(tmp_path: Path) -> None:
    path = tmp_path / "front.html"
    links = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(25))
    path.write_text(
        f"<html><head><title>Home</title></head><body><nav><ul>{links}</ul></nav>"
        "<footer><a href='/about'>About us</a></footer></body></html>"
    )
    assert _bad(path).problem == "no article text found in the HTML page"


# --- metadata -------------------------------------------------------------------------------------------


def test_sidecar_wins_and_is_the_basis(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(" date 2025-07-03 Putin and Trump spoke for nearly an hour.\n")
    (tmp_path / "story.meta.json").write_text(
        json.dumps(
            {
                "outlet": "Kommersant",
                "title": "A call",
                "published": "2025-07-04",
                "url": "https://example.org/a",
            }
        )
    )
    article = read_article(path)
    assert (article.outlet, article.title, article.published) == ("Kommersant", "A call", dt.date(2025, 7, 4))
    assert article.published_basis == "sidecar: story.meta.json"


def test_bad_sidecar_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Putin and Trump spoke for nearly an hour.\n")
    (tmp_path / "story.meta.json").write_text("{not json")
    with pytest.raises(BadInputError) as info:
        read_article(path)
    assert info.value.path.endswith("story.meta.json")
    (tmp_path / "story.meta.json").write_text(json.dumps({"published": "3 July"}))
    with pytest.raises(BadInputError, match="YYYY-MM-DD"):
        read_article(path)


def test_front_matter_is_read_and_stripped(tmp_path: Path) -> None:
    path = tmp_path / "fm.md"
    body = "Putin and Trump spoke for nearly an hour.\n"
    path.write_text(
        '---\noutlet: Interfax\ntitle: "Putin, Trump talk"\npublished: 2025-07-03\n'
        "url: https://example.org/x\nauthor: someone\n---\n" + body
    )
    article = read_article(path)
    assert article.text == body
    assert (article.outlet, article.title, article.published) == (
        "Interfax",
        "Putin, Trump talk",
        dt.date(2025, 7, 3),
    )
    assert article.published_basis == "front matter"


def test_a_leading_rule_is_not_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "rule.txt"
    text = "---\nThis is the first paragraph, not metadata.\n---\nMore text.\n"
    path.write_text(text)
    assert read_article(path).text == text


@pytest.mark.parametrize(
    ("opening", "outlet"),
    [
        ("MOSCOW, July 3 (Reuters) - Russian President Vladimir Putin spoke.", "Reuters"),
        ("MOSCOW | TASS | Russian President Vladimir Putin spoke.", "TASS"),
        ("MOSCOW, July 3. /TASS/. Russian President Vladimir Putin spoke.", "TASS"),
        ("Putin spoke, according to TASS. Politico reports the same.", None),
    ],
)
def test_dateline_outlet(tmp_path: Path, opening: str, outlet: str | None) -> None:
    path = tmp_path / "d.txt"
    path.write_text(f"{opening}\nThe call lasted nearly an hour, the Kremlin said.\n")
    article = read_article(path)
    assert article.outlet == outlet
    assert article.published is None  # "July 3" has no year: no date is invented


def test_no_title_for_a_long_or_period_ending_first_line(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("Putin and Trump spoke.\nMore.\n")
    assert read_article(path).title is None
    path.write_text("# Putin and Trump speak again\n\nThey spoke.\n")
    assert read_article(path).title == "Putin and Trump speak again"


# --- paths ----------------------------------------------------------------------------------------------


def test_iter_paths(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    names = ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "sub/e.pdf", "a.meta.json", ".hidden.txt")
    for name in names:
        (tmp_path / name).write_text("x")
    found = iter_paths([str(tmp_path)])
    assert found == sorted(
        [tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "sub/c.html", tmp_path / "sub/deeper/d.htm"]
    )
    assert iter_paths([str(tmp_path / "*.txt"), str(tmp_path / "b.txt")]) == [tmp_path / "b.txt"]
    assert iter_paths([str(tmp_path / "missing.txt")]) == [tmp_path / "missing.txt"]
    assert iter_paths([str(tmp_path / "nothing-*.txt")]) == [tmp_path / "nothing-*.txt"]
    assert iter_paths([str(tmp_path / "a.meta.json")]) == []
    assert iter_paths([str(tmp_path / "sub" / "e.pdf")]) == [tmp_path / "sub" / "e.pdf"]  # asked for by name


def test_iter_paths_on_the_seeds() -> None:
    assert [p.name[:3] for p in iter_paths([str(SEEDS)])] == ["000", "001", "002", "003", "004"]


# --- JSONL ----------------------------------------------------------------------------------------------


def test_read_jsonl() -> None:
    lines = [
        json.dumps(
            {
                "text": "Putin and Trump spoke.",
                "url": "https://example.org/1",
                "title": "Call",
                "outlet": "AP",
                "published": "2025-07-03",
            }
        ),
        "",
        "{broken",
        json.dumps({"source": "x"}),
        json.dumps({"text": "Another article.", "published": "yesterday"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Third article.", "source": "third"}),
    ]
    results = list(read_jsonl(io.StringIO("\n".join(lines) + "\n"), "batch.jsonl"))
    assert len(results) == 6
    first = results[0]
    assert isinstance(first, Article)
    assert (first.source, first.title, first.outlet, first.published) == (
        "https://example.org/1",
        "Call",
        "AP",
        dt.date(2025, 7, 3),
    )
    assert first.published_basis is not None
    errors = [r for r in results if isinstance(r, BadInputError)]
    assert [e.path for e in errors] == ["batch.jsonl:3", "batch.jsonl:4", "batch.jsonl:5", "batch.jsonl:6"]
    assert "JSON" in errors[0].problem and "text" in errors[1].problem and "YYYY-MM-DD" in errors[2].problem
    last = results[-1]
    assert isinstance(last, Article) and last.source == "third" and last.published is None
