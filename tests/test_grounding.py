"""Grounding: offsets come from code, and a VERIFIED span always normalises to the quote."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from extractor.grounding import FUZZY_THRESHOLD, ground, normalised_view, sentence_around
from extractor.records import GroundingStatus
from extractor.textnorm import normalise_for_match

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
SPECIAL = re.compile(r"[\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\n]")


def _model_style(quote: str) -> str:
    """How a model copies a quote: straight quotes, hyphens for dashes, one space for line breaks."""
    straight: dict[str, str | int | None] = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}
    out = quote.translate(str.maketrans(straight))
    out = out.replace("\u2014", "-").replace("\u2013", "-")
    return " ".join(out.split())


def _spans(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Random word-aligned spans, plus every span around a curly quote, dash or line break."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    spans = []
    for _ in range(count):
        i = rng.randrange(len(words))
        j = min(len(words) - 1, i + rng.randrange(1, 30))
        spans.append((words[i][0], words[j][1]))
    for m in SPECIAL.finditer(text):
        i = max(0, next(k for k, (_, e) in enumerate(words) if e >= m.start()) - 3)
        j = min(len(words) - 1, i + 7)
        spans.append((words[i][0], words[j][1]))
    return spans


def test_seeds_exist() -> None:
    assert len(SEEDS) == 5


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_verified_spans_normalise_to_the_quote_on_every_seed(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    rng = random.Random(seed.name)
    spans = _spans(text, rng, 150)
    assert any(SPECIAL.search(text[a:b]) for a, b in spans)
    for a, b in spans:
        for quote in (text[a:b], _model_style(text[a:b])):
            ev = ground(quote, text, hint=a)
            assert ev.status is GroundingStatus.VERIFIED, quote
            assert ev.start is not None and ev.end is not None
            assert normalise_for_match(text[ev.start : ev.end]) == normalise_for_match(quote)
            assert ev.score == 1.0
            # The span is the tight one: no surrounding whitespace taken along.
            assert not text[ev.start].isspace() and not text[ev.end - 1].isspace()


def test_curly_quotes_dashes_and_newlines_map_back_to_original_characters() -> None:
    text = "Intro.\nPeskov said: \u201cThe call\u2014long\n\n  and  detailed\u2014was good.\u201d End."
    ev = ground('"The call-long and detailed-was good."', text)
    assert ev.status is GroundingStatus.VERIFIED
    assert text[ev.start : ev.end] == "\u201cThe call\u2014long\n\n  and  detailed\u2014was good.\u201d"


def test_nfkc_combining_marks_nbsp_and_zero_width() -> None:
    text = "L'E\u0301lyse\u0301e a dit\u00a0: pre\u200bsident \ufb01nal"
    ev = ground("L'Élysée a dit : president final", text)
    assert ev.status is GroundingStatus.VERIFIED
    assert (ev.start, ev.end) == (0, len(text))
    # A match starting inside a ligature cannot be verified: its span would normalise to "final".
    assert ground("inal", "\ufb01nal").status is not GroundingStatus.VERIFIED


def test_view_maps_every_character_back() -> None:
    text = "  A \u201cb\u201d \u2014\n\tc\u00a0d  "
    view = normalised_view(text)
    assert view.text == 'A "b" - c d '
    assert len(view.starts) == len(view.ends) == len(view.text)
    assert all(0 <= s < e <= len(text) for s, e in zip(view.starts, view.ends, strict=True))


def test_repeated_quote_takes_occurrence_nearest_the_hint() -> None:
    text = "Putin spoke. " * 5
    starts = [m.start() for m in re.finditer("Putin spoke", text)]
    assert ground("Putin spoke", text).start == starts[0]
    assert ground("Putin spoke", text, hint=starts[3] + 2).start == starts[3]
    assert ground("Putin spoke", text, hint=10_000).start == starts[-1]


def test_case_only_difference_is_fuzzy_not_verified() -> None:
    text = "The Kremlin said the call lasted nearly an hour."
    ev = ground("the kremlin said THE CALL lasted", text)
    assert ev.status is GroundingStatus.FUZZY
    assert FUZZY_THRESHOLD <= ev.score < 1.0
    assert text[ev.start : ev.end] == "The Kremlin said the call lasted"


@pytest.mark.parametrize("ellipsis", ["...", "\u2026", " ... ", " [...] "])
def test_ellipsis_parts_found_in_order_is_fuzzy_spanning_them(ellipsis: str) -> None:
    text = "Ushakov said Putin and Trump spoke for nearly an hour and discussed Iran in detail."
    ev = ground(f"Putin and Trump spoke{ellipsis}discussed Iran", text)
    assert ev.status is GroundingStatus.FUZZY
    assert text[ev.start : ev.end] == "Putin and Trump spoke for nearly an hour and discussed Iran"
    # Parts out of order are not the quote.
    out_of_order = ground(f"discussed Iran{ellipsis}Putin and Trump spoke", text)
    assert out_of_order.status is not GroundingStatus.VERIFIED
    assert out_of_order.start is None or out_of_order.score < 0.95


def test_ellipsis_in_the_article_itself_is_verified() -> None:
    text = "He said: \u201cWe will see\u2026 maybe.\u201d"
    assert ground("We will see... maybe.", text).status is GroundingStatus.VERIFIED


@pytest.mark.parametrize("quote", ["", "   ", "\n\t"])
def test_empty_quote_is_not_found(quote: str) -> None:
    ev = ground(quote, "Some article text.")
    assert ev.status is GroundingStatus.NOT_FOUND
    assert ev.start is None and ev.end is None


def test_small_differences_are_fuzzy_with_the_offsets_of_the_best_window() -> None:
    text = SEEDS[2].read_text(encoding="utf-8")
    ev = ground("held their sixth publically acknowleged phone call since Trumps return to office", text)
    assert ev.status is GroundingStatus.FUZZY
    assert ev.score >= FUZZY_THRESHOLD
    assert text[ev.start : ev.end] == (
        "held their sixth publicly acknowledged phone call since Trump\u2019s return to office"
    )


def test_unrelated_or_paraphrased_quote_is_not_found() -> None:
    text = SEEDS[4].read_text(encoding="utf-8")
    for quote in ("The moon landing was staged in a studio in Nevada.", "Trump and Putin talked about Iran."):
        ev = ground(quote, text)
        assert ev.status is GroundingStatus.NOT_FOUND
        assert ev.start is None and ev.end is None and ev.score == 0.0


def test_fast_on_a_long_article() -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in SEEDS)[:20_000]
    words = text.split()
    rng = random.Random(7)
    quotes = ["Completely unrelated words about football in Madrid on a rainy day " * 3]
    quotes += [" ".join(rng.sample(words, n)) for n in (10, 60, 400)]
    quotes += [" ".join(words[i : i + 40]).replace("e", "a", 2) for i in (100, 2000)]
    began = time.perf_counter()
    for quote in quotes:
        ground(quote, text)
    assert time.perf_counter() - began < 3.0


def test_sentence_around_gives_the_sentence_of_a_span() -> None:
    text = "First one. The U.S. and NATO said no, Mr. Peskov said. Third one!\nNext line here"
    start = text.index("NATO")
    a, b = sentence_around(text, start, start + 4)
    assert text[a:b] == "The U.S. and NATO said no, Mr. Peskov said."
    a, b = sentence_around(text, text.index("Third"), text.index("Next") + 4)
    assert text[a:b] == "Third one!\nNext line here"
    assert sentence_around(text, 0, 3) == (0, len("First one."))
    assert sentence_around(text, -5, 10_000) == (0, len(text))


def test_sentence_around_a_grounded_quote_in_a_seed() -> None:
    text = SEEDS[4].read_text(encoding="utf-8")
    ev = ground("spoke for nearly an hour", text)
    assert ev.start is not None and ev.end is not None
    a, b = sentence_around(text, ev.start, ev.end)
    assert text[a:b].startswith("Kremlin aide Yuri Ushakov said")
    assert text[a:b].endswith("the Middle East.")


def test_fuzzy_window_leaves_out_edge_punctuation_the_quote_lacks() -> None:
    text = "They spoke for nearly an hour, he said."
    ev = ground("nearly an houre", text)
    assert ev.status is GroundingStatus.FUZZY
    assert text[ev.start : ev.end] == "nearly an hour"
