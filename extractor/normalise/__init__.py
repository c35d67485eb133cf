"""Normalisers: pure code that turns quoted phrases into typed values.

The model proposes phrases; these functions compute and verify the values. Each kind has a `parse_*`
(the first phrase in a text) and a `find_*` (every phrase, with character offsets). The conventions
(interval bounds, how years are resolved, what counts as a count) are in each module's docstring.
"""

from extractor.normalise.counts import find_counts, parse_count
from extractor.normalise.dates import find_dates, parse_date, weekday_matches
from extractor.normalise.durations import (
    Span,
    durations_agree,
    find_durations,
    find_spans,
    interval_bounds,
    parse_duration,
    parse_span,
    span_consistent,
)
from extractor.normalise.ordinals import find_ordinals, parse_ordinal

__all__ = [
    "Span",
    "durations_agree",
    "find_counts",
    "find_dates",
    "find_durations",
    "find_ordinals",
    "find_spans",
    "interval_bounds",
    "parse_count",
    "parse_date",
    "parse_duration",
    "parse_ordinal",
    "parse_span",
    "span_consistent",
    "weekday_matches",
]
