"""The review page: a list of conflicts with filters, one page per conflict, decisions by POST.

Each request opens its own Store (one SQLite connection, closed after the request), so the server
is as safe with concurrent requests as two CLI processes are. Decisions go through `Store.decide`
with the version the reviewer saw, so a decision made elsewhere in the meantime (another tab, the
CLI) is never overwritten silently: the POST is refused with 409 and the page shows the new state.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from extractor.errors import NotFoundError, StaleDecisionError, UserError
from extractor.records import ReviewStatus
from extractor.review import conflict_view, unplaced_accounts
from extractor.review.html import SEVERITIES, STATUSES, asset, environment
from extractor.review.view import conflict_filter, conflict_page
from extractor.store import Store
from extractor.store.lookup import EVENT_FACET_MAX
from extractor.web.evidence import full_texts
from extractor.web.security import LOOPBACK_NAMES, GuardMiddleware, new_token, origin_ok, token_ok

FILTERS = ("severity", "kind", "status", "event")
PER_PAGE = 50  # conflicts per page of the list
UNPLACED_SHOWN = 20  # unplaced accounts listed under the conflicts (`claimdiff events --unplaced`: all)


class ReviewApp:
    """State shared by the handlers: where the store is, who decides, the CSRF token."""

    def __init__(self, db_path: str | Path, reviewer: str, allowed_hosts: set[str]) -> None:
        self.db_path = db_path
        self.reviewer = reviewer
        self.allowed_hosts = allowed_hosts
        self.csrf = new_token()
        self.per_page = PER_PAGE

    def store(self) -> Store:
        return Store(self.db_path, create=False)

    @property
    def db_name(self) -> str:
        """The database's name for the page: a file name, or a URL's database without credentials."""
        from extractor.store.db import is_url, redact

        if is_url(self.db_path):
            return redact(str.__str__(str(self.db_path))).rsplit("/", 1)[-1].split("?", 1)[0]
        return Path(self.db_path).name

    def page(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("message", None)
        context.setdefault("message_kind", "ok")
        html = (
            environment()
            .get_template(template)
            .render(db_name=self.db_name, reviewer=self.reviewer, **context)
        )
        return HTMLResponse(html, status_code=status_code)

    def error(self, status_code: int, message: str) -> HTMLResponse:
        return self.page(
            "page_error.html", status_code, heading=message, message=message, message_kind="error"
        )

    # -- pages --------------------------------------------------------------------------------------
    def list_page(self, request: Request) -> Response:
        chosen = {name: request.query_params.get(name, "").strip() for name in FILTERS}
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            return self.error(400, "page must be a whole number")
        where = conflict_filter(
            severity=_one(chosen["severity"]),
            kind=_one(chosen["kind"]),
            status=_one(chosen["status"]),
            event=chosen["event"] or None,
        )
        store = self.store()
        try:
            listing = conflict_page(store, where, page=page, per_page=self.per_page)
            event_ids = set(listing.counts.get("event", {})) | (
                {chosen["event"]} if chosen["event"] else set()
            )
            labels = store.event_labels(event_ids) if len(event_ids) <= EVENT_FACET_MAX else {}
            unplaced = unplaced_accounts(store, limit=UNPLACED_SHOWN)
            unplaced_total = store.unplaced_count()
        finally:
            store.close()
        counts = listing.counts
        filters = [
            ("severity", "severity", _options(SEVERITIES, counts.get("severity", {}))),
            ("kind", "kind", _options(sorted(counts.get("kind", {})), counts.get("kind", {}), "_")),
            ("status", "status", _options(STATUSES, counts.get("status", {}))),
        ]
        if labels or not event_ids:
            filters.append(("event", "event", _event_options(labels, counts.get("event", {}))))
        query = {k: v for k, v in chosen.items() if v}
        return self.page(
            "page_list.html",
            views=listing.views,
            listing=listing,
            first=(listing.page - 1) * listing.per_page + 1,
            filters=filters,
            event_text=not labels and bool(event_ids),
            chosen=chosen,
            any_filter=any(chosen.values()),
            page_link=lambda n: "/?" + urlencode({**query, "page": n}),
            unplaced=unplaced,
            unplaced_total=unplaced_total,
        )

    def conflict_page(
        self,
        ref: str,
        *,
        status_code: int = 200,
        message: str | None = None,
        message_kind: str = "ok",
        note: str = "",
        decided: str | None = None,
    ) -> Response:
        store = self.store()
        try:
            try:
                view = conflict_view(store, ref)
            except NotFoundError as e:
                return self.error(404, str(e))
            texts = full_texts(store, view)
        finally:
            store.close()
        if view.id != ref:
            return RedirectResponse(f"/conflicts/{view.id}", status_code=303)
        if message is None and decided and view.decision and str(view.decision.id) == decided:
            message = f"Recorded: {view.decision.status.value} by {view.decision.reviewer}."
        return self.page(
            "page_conflict.html",
            status_code,
            v=view,
            full_texts=texts,
            csrf=self.csrf,
            note=note,
            message=message,
            message_kind=message_kind,
        )

    def decide(self, ref: str, form: dict[str, str]) -> Response:
        note = form.get("note", "")
        try:
            status = ReviewStatus(form.get("status", ""))
        except ValueError:
            given = form.get("status", "")
            return self.error(400, f"unknown decision {given!r}: use one of {', '.join(STATUSES)}")
        try:
            version = int(form.get("version", ""))
        except ValueError:
            return self.error(400, "the form lacks the version you decided on: reload the page")
        store = self.store()
        try:
            conflict_id = store.conflict(ref).id
        except NotFoundError as e:
            store.close()
            return self.error(404, str(e))
        try:
            decision = store.decide(conflict_id, status, reviewer=self.reviewer, note=note, expect=version)
        except StaleDecisionError as e:
            message = f"Not recorded: {e}. This page now shows the current state; your note is kept below."
            return self.conflict_page(
                conflict_id, status_code=409, message=message, message_kind="error", note=note
            )
        except UserError as e:
            return self.conflict_page(
                conflict_id, status_code=400, message=f"Not recorded: {e}.", message_kind="error", note=note
            )
        finally:
            store.close()
        return RedirectResponse(f"/conflicts/{conflict_id}?decided={decision.id}", status_code=303)


def _one(value: str) -> list[str]:
    return [value] if value else []


def _options(values: Iterable[str], counts: dict[str, int], underscore: str = "") -> list[tuple[str, str]]:
    """(value, label with how many conflicts choosing it would show) for a filter's select."""
    return [(v, f"{v.replace(underscore, ' ') if underscore else v} ({counts.get(v, 0)})") for v in values]


def _event_options(
    labels: dict[str, tuple[str | None, str]], counts: dict[str, int]
) -> list[tuple[str, str]]:
    """Events for the filter: dated ones first, by date, each with its participants and count."""

    def order(eid: str) -> tuple[bool, str, str]:
        date = labels[eid][0] or ""
        return (not date, date, eid)

    return [
        (eid, f"{labels[eid][0] or 'undated'} · {labels[eid][1]} ({counts.get(eid, 0)})")
        for eid in sorted(labels, key=order)
    ]


def create_app(
    db_path: str | Path, reviewer: str, *, allowed_hosts: Iterable[str] = LOOPBACK_NAMES
) -> Starlette:
    """The review app over the database at `db_path`; decisions are recorded as `reviewer`.
    Requests whose Host is not in `allowed_hosts` (default: the loopback names) are refused."""
    Store(db_path, create=False).close()  # a missing database is an error now, not a blank page later
    if not reviewer.strip():
        raise UserError("a reviewer name is needed (--reviewer or $CLAIMDIFF_REVIEWER)")
    state = ReviewApp(db_path, reviewer.strip(), {h.lower() for h in allowed_hosts})

    async def list_page(request: Request) -> Response:
        return await run_in_threadpool(state.list_page, request)

    async def conflict_page(request: Request) -> Response:
        decided = request.query_params.get("decided")
        return await run_in_threadpool(state.conflict_page, request.path_params["ref"], decided=decided)

    async def decide(request: Request) -> Response:
        if not origin_ok(request.headers.get("origin"), state.allowed_hosts):
            return state.error(403, "refused: this decision was sent from another site")
        async with request.form(max_files=0, max_fields=10) as form:
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if not token_ok(fields.get("csrf"), state.csrf):
            return state.error(
                403, "refused: the form's security token is missing or stale (the server restarted?): reload"
            )
        return await run_in_threadpool(state.decide, request.path_params["ref"], fields)

    async def stylesheet(request: Request) -> Response:
        return Response(asset("style.css"), media_type="text/css")

    routes = [
        Route("/", list_page, methods=["GET"]),
        Route("/conflicts/{ref}", conflict_page, methods=["GET"]),
        Route("/conflicts/{ref}/decide", decide, methods=["POST"]),
        Route("/static/style.css", stylesheet, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(GuardMiddleware, allowed_hosts=state.allowed_hosts)],
    )
