from __future__ import annotations

import itertools

from extractor.extract.chunking import chunk_text, estimate_tokens
from extractor.ingest.sentences import split_sentences
from tests.conftest import SEEDS


def test_long_text_is_split_under_budget_with_overlap_and_whole_article_offsets() -> None:
    text = (SEEDS / "003_d399de622995a746.txt").read_text(encoding="utf-8")
    chunks = chunk_text(text, max_tokens=800, overlap_tokens=100)
    assert len(chunks) > 2
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for a, b in itertools.pairwise(chunks):
        assert b.start < a.end  # overlap: a claim cut at a boundary is whole in one of them
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert estimate_tokens(c.text) <= 800 + 1


def test_short_text_is_one_chunk() -> None:
    assert len(chunk_text("A short article.")) == 1


def test_sentences_carry_their_offsets() -> None:
    text = "Mr. Putin spoke. The U.S. side said so!\n\nA new line"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Mr. Putin spoke.", "The U.S. side said so!", "A new line"]
    assert all(text[s.start : s.end] == s.text for s in sentences)
