"""The one clock format claimdiff stores and prints: UTC, ISO 8601, to the second."""

from __future__ import annotations

import datetime as dt


def utc_stamp() -> str:
    """Now, as '2026-11-28T21:37:56+00:00' (what every stored timestamp looks like)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
