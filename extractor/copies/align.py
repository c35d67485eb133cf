"""Is a text a copy of another, and which of its passages are the original's?

A copy holds nearly all of the original's shingles (`MIN_CONTAINMENT`), whatever was added around
it. Two different reports that quote one long readout share that readout's shingles, but each has
much of its own: neither holds nearly all of the other, so they are not copies.

The sentences of both are then aligned (difflib over normalised sentences). A copy's sentence is
- *carried*: the original's own sentence, so the original's claims on it hold in the copy;
- *edited*: a sentence of prose in place of one of the original's, or one added where the original's
  text runs;
- *boilerplate*: anything else added: before the first or after the last carried sentence (header,
  tags, timestamps, footer), or a short line without a sentence's end (a caption, a tag line).
An original's sentence the copy lacks also makes the copy edited.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from extractor.copies.shingles import containment, shingles
from extractor.ingest.sentences import Sentence, split_sentences
from extractor.textnorm import normalise_for_match

MIN_CONTAINMENT = 0.9
CAPTION_WORDS = 8  # a line of fewer words without a full stop is a caption or a tag line
_END = re.compile(r"[.!?…][\"”’)\]]*$")


@dataclass(frozen=True)
class CopyAlignment:
    containment: float  # share of the original's shingles found in the copy
    similarity: float  # Jaccard similarity of the two shingle sets
    carried: list[tuple[int, int]] = field(default_factory=list)  # spans of the copy
    edited_spans: list[tuple[int, int]] = field(default_factory=list)
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    removed: int = 0  # the original's sentences missing from the copy

    @property
    def is_copy(self) -> bool:
        return self.containment >= MIN_CONTAINMENT

    @property
    def edited(self) -> bool:
        return bool(self.edited_spans) or self.removed > 0


def _key(s: Sentence) -> str:
    return " ".join(normalise_for_match(s.text).lower().split())


def _prose(s: Sentence) -> bool:
    return len(s.text.split()) >= CAPTION_WORDS or bool(_END.search(s.text.strip()))


def align(original: str, copy: str) -> CopyAlignment:
    a, b = shingles(original), shingles(copy)
    share = containment(a, b)
    union = len(a | b)
    similarity = len(a & b) / union if union else 0.0
    if share < MIN_CONTAINMENT:
        return CopyAlignment(share, similarity)
    orig, mine = split_sentences(original), split_sentences(copy)
    matcher = difflib.SequenceMatcher(a=[_key(s) for s in orig], b=[_key(s) for s in mine], autojunk=False)
    carried, edited, boiler = [], [], []
    removed = 0
    ops = matcher.get_opcodes()
    equal = [j for tag, _i1, _i2, j1, j2 in ops if tag == "equal" for j in range(j1, j2)]
    first, last = (min(equal), max(equal)) if equal else (len(mine), -1)
    for tag, i1, i2, j1, j2 in ops:
        if tag in ("replace", "delete"):
            removed += i2 - i1
        for j in range(j1, j2):
            s = mine[j]
            span = (s.start, s.end)
            if tag == "equal":
                carried.append(span)
            elif tag == "replace" and _prose(s):
                edited.append(span)  # the original's words were here, and these differ
            elif j < first or j > last or not _prose(s):
                boiler.append(span)
            else:
                edited.append(span)
    return CopyAlignment(share, similarity, carried, edited, boiler, removed=removed)
