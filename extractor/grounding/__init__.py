"""Grounding: where a proposed quote is in the article, with offsets computed here and never proposed."""

from extractor.grounding.align import (
    FUZZY_THRESHOLD,
    NormalisedView,
    ground,
    normalised_view,
    sentence_around,
)

__all__ = ["FUZZY_THRESHOLD", "NormalisedView", "ground", "normalised_view", "sentence_around"]
