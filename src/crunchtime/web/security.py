"""Two small ASGI middlewares: security headers on every answer, and a cap on request bodies.

The Content-Security-Policy allows only the app's own scripts, styles and images (no inline script,
no network elsewhere); the page is never framed.
"""

from __future__ import annotations

import json
from typing import Any

#: the app's own files only; inline SVG images are drawn by script as DOM nodes, data: URLs for downloads
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """Add HEADERS to every HTTP response."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {
                    **message,
                    "headers": [*message.get("headers", []), *[(k, v) for k, v in HEADERS if k not in names]],
                }
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over `max_bytes` with HTTP 413 {"error": ...} (by Content-Length or as read)."""

    def __init__(self, app: Any, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def _refuse(self, send: Any) -> None:
        body = json.dumps({"error": f"body: larger than {self.max_bytes} bytes"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)


#: the names of this machine's loopback interface; a page served on one is served on all of them
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
#: binds that answer on every interface: the served address is then whichever IP the client used
WILDCARD = ("0.0.0.0", "::", "[::]")
#: what `create_app()` allows when not told the bound address: loopback names on any port, and
#: `fastapi.testclient.TestClient`'s host
DEFAULT_HOSTS = (*LOOPBACK, "testserver")
#: methods that change something (or compute): refused from another origin
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def served_hosts(host: str, port: int) -> tuple[str, ...]:
    """The `Host` header values a server bound to `host`:`port` answers: exactly that address, and when it
    is a loopback address, the other loopback names on the same port.

    A wildcard bind (0.0.0.0, ::) answers any IP literal on that port (written as `*:port`): DNS rebinding
    needs a name, never an IP literal.
    """
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    if shown in WILDCARD:
        return (f"*:{port}",)
    if shown in LOOPBACK:
        return tuple(f"{h}:{port}" for h in LOOPBACK)
    return (f"{shown.lower()}:{port}",)


def _is_ip_literal(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def host_allowed(value: str, allowed: tuple[str, ...]) -> bool:
    """Whether a `Host` header value is one of `allowed` (entries `name:port`, `name` for any port, or
    `*:port` for any IP literal on that port)."""
    value = value.strip().lower()
    if not value or len(value) > 300:
        return False
    name, sep, port = value.rpartition(":") if not value.endswith("]") else (value, "", "")
    if not sep or "]" in port:  # no port given (e.g. `Host: testserver`)
        name, port = value, ""
    for entry in allowed:
        if entry == value or entry == name:
            return True
        if entry.startswith("*:") and port and entry[2:] == port and _is_ip_literal(name):
            return True
    return False


async def _refuse(send: Any, status: int, message: str) -> None:
    """Answer one JSON line `{"error": message}` with `status`."""
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HostOriginGuard:
    """Refuse DNS-rebinding and cross-site requests.

    A request whose `Host` header is not an address this server is served on gets HTTP 421 (a page on
    another site that rebinds its name to 127.0.0.1 sends its own name). A POST (or other unsafe method)
    whose `Origin` header is not this server's own origin (`http://` + its `Host`) gets HTTP 403; a
    request without `Origin` (curl, scripts, the TestClient) passes.
    """

    def __init__(self, app: Any, allowed_hosts: tuple[str, ...] = DEFAULT_HOSTS):
        self.app, self.allowed = app, tuple(h.lower() for h in allowed_hosts)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = headers.get(b"host", b"").decode("latin-1")
        if not host_allowed(host, self.allowed):
            await _refuse(send, 421, f"host: {host[:60]!r} is not the address this server is served on")
            return
        origin = headers.get(b"origin")
        if origin is not None and scope.get("method", "GET").upper() in UNSAFE_METHODS:
            if origin.decode("latin-1").lower() != f"http://{host.strip().lower()}":
                await _refuse(send, 403, "origin: cross-origin requests are refused")
                return
        await self.app(scope, receive, send)
