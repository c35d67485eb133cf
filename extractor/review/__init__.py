"""Reviewing flagged conflicts: views of each conflict with its evidence in context, and exports.

The CLI (`claimdiff review`), the report (`claimdiff report`) and the review page (`claimdiff serve`)
all render the same views, so a conflict reads the same everywhere.
"""

from extractor.review.view import (
    ConflictView,
    EventAccounts,
    EventView,
    Segment,
    SideView,
    UnplacedView,
    conflict_view,
    conflict_views,
    event_accounts,
    unplaced_accounts,
)

__all__ = [
    "ConflictView",
    "EventAccounts",
    "EventView",
    "Segment",
    "SideView",
    "UnplacedView",
    "conflict_view",
    "conflict_views",
    "event_accounts",
    "unplaced_accounts",
]
