"""Text normalisation shared by ids and grounding: NFKC, quotes and dashes folded, whitespace collapsed."""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u200b": "",
    }
)
_SPACE = re.compile(r"\s+")


def fold_char(ch: str) -> str:
    """One character after NFKC and folding; may be empty or several characters."""
    return unicodedata.normalize("NFKC", ch).translate(_FOLD)


def normalise_for_match(text: str) -> str:
    """The form two texts are compared in: NFKC, folded punctuation, single spaces, stripped."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_FOLD)).strip()


_QUOTE_MARKS = "'\"‘’“”«»"


def find_phrase(phrase: str, text: str) -> re.Match[str] | None:
    """Where `phrase` is in `text`: case, runs of whitespace and the kind of quote mark aside, whole
    words first (then anywhere); None when it is not there."""
    any_quote = "[" + re.escape(_QUOTE_MARKS) + "]"

    def char(c: str) -> str:
        return any_quote if c in _QUOTE_MARKS else re.escape(c)

    pattern = r"\s+".join("".join(char(c) for c in word) for word in phrase.split())
    if not pattern:
        return None
    whole = re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)
    return whole or re.search(pattern, text, re.IGNORECASE)
