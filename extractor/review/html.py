"""Conflict views as HTML: the self-contained report, and the templates the review page shares with it.

Templates live in extractor/review/templates/ (shipped in the wheel) and render through one Jinja2
environment with autoescape on: article and model text is always data, never markup. The report is
one file that opens without a network: its stylesheet and its small filter script are inline, and a
Content-Security-Policy in the page allows exactly that script (by hash) and that stylesheet, so even
a markup slip could not run anything else.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from extractor.records import ReviewStatus
from extractor.review.view import SEVERITIES, AccountLine, ConflictView, EventAccounts, UnplacedView

STATUSES = [s.value for s in ReviewStatus]


@cache
def environment() -> Environment:
    """The one Jinja2 environment for every HTML claimdiff writes (autoescape on)."""
    return Environment(
        loader=PackageLoader("extractor.review", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def asset(name: str) -> str:
    """A static template file (stylesheet, script) as text, exactly as shipped."""
    env = environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or stylesheet."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@dataclass
class AccountGroup:
    """Claims of one side drawn from the same quote, shown once with every kind and value."""

    article_name: str
    speaker: str | None
    quote: str
    kinds: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def group_accounts(lines: list[AccountLine]) -> list[AccountGroup]:
    groups: dict[tuple[str, str | None, str], AccountGroup] = {}
    for line in lines:
        key = (line.article_name, line.speaker, line.quote)
        group = groups.setdefault(key, AccountGroup(line.article_name, line.speaker, line.quote))
        kind = line.kind.replace("_", " ")
        if kind not in group.kinds:
            group.kinds.append(kind)
        if line.value_text and line.value_text not in group.values:
            group.values.append(line.value_text)
    return list(groups.values())


@dataclass
class PageNav:
    """Where one page of a paged report sits: links to the index and its neighbours."""

    index: str
    page: int
    pages: int
    first: int
    last: int
    total: int
    prev: str | None = None
    next: str | None = None


@dataclass
class PageEntry:
    """One page of a paged report, as the index lists it."""

    href: str
    number: int
    first: int
    last: int
    severities: list[tuple[str, int]]
    kinds: list[str]


def _csp(style: str, script: str | None) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src {csp_hash(style)}",
            f"script-src {csp_hash(script)}" if script is not None else "script-src 'none'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def severity_status_counts(pairs: Iterable[tuple[str, str, int]]) -> Counter[tuple[str, str | None]]:
    """(severity, status, n) rows as the summary table's counts, with a total per severity."""
    counts: Counter[tuple[str, str | None]] = Counter()
    for severity, status, n in pairs:
        counts[(severity, status)] += n
        counts[(severity, None)] += n
    return counts


def render_report(
    views: list[ConflictView],
    accounts: list[EventAccounts],
    *,
    unplaced: list[UnplacedView] | None = None,
    title: str,
    generated_at: str,
    source: str,
    nav: PageNav | None = None,
) -> str:
    """One self-contained HTML page: the conflicts with both quotes in context, their review status,
    and per event the timeline and each side's account side by side. Readable with scripts off; with
    them on, checkboxes filter the conflicts by severity and status. With `nav`, it is one page of a
    paged report and links to its index and neighbours."""
    style = asset("style.css")
    script = asset("report.js")
    csp = _csp(style, script)
    counts = severity_status_counts((v.severity, v.status.value, 1) for v in views)
    grouped = {
        ea.event.id: [(side, group_accounts(lines)) for side, lines in ea.accounts.items()] for ea in accounts
    }
    return (
        environment()
        .get_template("report.html")
        .render(
            title=title,
            generated_at=generated_at,
            source=source,
            views=views,
            events=accounts,
            unplaced=unplaced or [],
            grouped=grouped,
            shown_ids={v.id for v in views},
            counts=counts,
            severities=SEVERITIES,
            statuses=STATUSES,
            csp=csp,
            nav=nav,
            style=Markup(style),  # noqa: S704 - our own shipped stylesheet, not data
            script=Markup(script),  # noqa: S704 - our own shipped script, not data
        )
    )


def render_report_index(
    pages: list[PageEntry],
    *,
    counts: Counter[tuple[str, str | None]],
    kinds: list[tuple[str, int]],
    total: int,
    per_page: int,
    filters: str,
    unplaced: list[UnplacedView],
    unplaced_total: int,
    title: str,
    generated_at: str,
    source: str,
) -> str:
    """The first page of a paged report: counts by severity, status and kind, and its pages."""
    style = asset("style.css")
    return (
        environment()
        .get_template("report_index.html")
        .render(
            title=title,
            generated_at=generated_at,
            source=source,
            pages=pages,
            counts=counts,
            kinds=kinds,
            total=total,
            per_page=per_page,
            filters=filters,
            unplaced=unplaced,
            unplaced_total=unplaced_total,
            severities=SEVERITIES,
            statuses=STATUSES,
            csp=_csp(style, None),
            nav=None,
            style=Markup(style),  # noqa: S704 - our own shipped stylesheet, not data
        )
    )
