"""Sentence splitting with offsets: each sentence knows where it stands in the article."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")
# Abbreviations after which a full stop does not end a sentence.
_NO_SPLIT = (
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "St.",
    "U.S.",
    "U.K.",
    "Gen.",
    "Sen.",
    "No.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "Lt.",
    "Col.",
    "vs.",
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        piece = text[start : m.start()]
        if any(piece.rstrip().endswith(a) for a in _NO_SPLIT) and "\n" not in m.group(0):
            continue
        _append(sentences, text, start, m.start())
        start = m.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece.rstrip())
    if trail - lead >= 2:
        out.append(Sentence(start + lead, start + trail, text[start + lead : start + trail]))
