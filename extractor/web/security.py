"""What keeps a local review server local: Host checks, a CSRF token, and strict response headers.

A page elsewhere on the web can make the browser send requests to 127.0.0.1 (CSRF), or point a
domain of its own at 127.0.0.1 to read the answers (DNS rebinding). Refusing any Host header but the
bound one stops the second; a per-process token in every form stops the first.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make form posts send Origin: null
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def hosts_for(bind: str, extra: Iterable[str] = ()) -> set[str]:
    """Host names a server bound to `bind` answers to: the address itself, the loopback names when it
    is a loopback address, and any the user allowed on purpose."""
    hosts = {bind.strip("[]").lower(), *(h.strip("[]").lower() for h in extra)}
    if is_loopback(bind):
        hosts.update(LOOPBACK_NAMES)
    hosts.discard("0.0.0.0")  # noqa: S104 - a wildcard bind is not a name a browser sends
    hosts.discard("::")
    return hosts


def host_name(header: str) -> str:
    """'127.0.0.1:8000' → '127.0.0.1', '[::1]:8000' → '::1', 'Example.org' → 'example.org'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_ok(sent: object, expected: str) -> bool:
    return isinstance(sent, str) and secrets.compare_digest(sent.encode(), expected.encode())


def origin_ok(origin: str | None, allowed: set[str]) -> bool:
    """A cross-site POST carries its page's Origin; one from our own pages carries ours (or none)."""
    if origin is None:
        return True
    return bool(origin != "null" and host_name(urlsplit(origin).netloc) in allowed)


class GuardMiddleware:
    """Refuses requests for any other Host (400) and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *HEADERS]
            await send(message)

        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if host_name(host) not in self.allowed:
            body = (
                f"refused: this claimdiff server does not answer to Host {host!r} "
                "(only its own address, which protects it from DNS rebinding)\n"
            ).encode()
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_with_headers)
