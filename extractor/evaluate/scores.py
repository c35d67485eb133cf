"""Precision, recall and F1 from three counts; undefined (None) when their denominator is zero."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    gold: int  # annotated items
    found: int  # items the run produced (claims extracted, conflicts flagged)
    matched: int  # one-to-one matches between the two

    @property
    def precision(self) -> float | None:
        return self.matched / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.gold + other.gold, self.found + other.found, self.matched + other.matched)
