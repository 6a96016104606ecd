"""The review server's guard: who may ask (the token), from where (the Host header), and what every answer carries.

Plans are children's records, served on 127.0.0.1 only. One ASGI layer,
outside everything else, settles each request before any route sees it:

- the Host header must be ``127.0.0.1:PORT`` or ``localhost:PORT`` (a page of
  another site that rebinds its name to 127.0.0.1 sends its own name: 403);
- a page visited with ``?token=T`` gets T as an HttpOnly, SameSite=Strict
  cookie and is sent on to the same address without it (so the token leaves
  the address bar and the history);
- every other request needs the token: the cookie or ``Authorization: Bearer
  T`` to read, the header alone to write (a cookie goes with a forged
  cross-site request, a header does not);
- every answer gets the headers of ``SECURITY_HEADERS``;
- an error in a route is answered 500 and logged by its type alone: a
  traceback could quote a plan.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Awaitable, Callable, Iterable, MutableMapping, Optional
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, object]
Message = MutableMapping[str, object]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOG = logging.getLogger("msp_convert.review")

SECURITY_HEADERS = (
    (b"content-security-policy", b"default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
READS = frozenset({"GET", "HEAD"})
TOKEN_PARAM = "token"


def new_token() -> str:
    """A token no one guesses: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def cookie_name(port: int) -> str:
    """Cookies are not kept apart by port: two review servers on one machine each keep their own."""
    return f"msp-review-{port}"


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


class Guard:
    """The ASGI layer around the app (see the module's docstring)."""

    def __init__(self, app: ASGIApp, token: str, port: int, hosts: Optional[Iterable[str]] = None) -> None:
        self.app = app
        self.token = token.encode("ascii")
        self.cookie = cookie_name(port)
        self.hosts = frozenset(hosts) if hosts is not None else allowed_hosts(port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return  # no websockets here
        send = _with_headers(send)
        headers = _headers(scope)
        if headers.get("host", "") not in self.hosts:
            await _plain(send, 403, "this server answers only at 127.0.0.1 or localhost with its own port")
            return
        query = dict(parse_qsl(_text(scope.get("query_string", b""))))
        if TOKEN_PARAM in query and scope["method"] in READS and not str(scope["path"]).startswith("/api/"):
            await self._take_token(scope, query, send)
            return
        if not self._authorised(scope, headers):
            await _plain(send, 403, "open the address the review command printed (it holds the token)")
            return
        await self._run(scope, receive, send)

    def _authorised(self, scope: Scope, headers: dict[str, str]) -> bool:
        """The Bearer header always; the cookie only to read."""
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer " and self._matches(auth[7:].strip()):
            return True
        return scope["method"] in READS and self._matches(_cookies(headers.get("cookie", "")).get(self.cookie, ""))

    def _matches(self, given: str) -> bool:
        try:
            return hmac.compare_digest(given.encode("ascii"), self.token)
        except UnicodeEncodeError:
            return False

    async def _take_token(self, scope: Scope, query: dict[str, str], send: Send) -> None:
        """``?token=T``: the cookie set and the same address again without it; a wrong token: 403."""
        if not self._matches(query.pop(TOKEN_PARAM)):
            await _plain(send, 403, "the token in the address is not this server's; open the address the review command printed")
            return
        path = "/" + str(scope["path"]).lstrip("/")  # never "//host/...": a browser takes that for another site
        location = path + (f"?{urlencode(query)}" if query else "")
        cookie = f"{self.cookie}={self.token.decode()}; HttpOnly; SameSite=Strict; Path=/"
        await send({"type": "http.response.start", "status": 303, "headers": [(b"location", location.encode("latin-1", "replace")), (b"set-cookie", cookie.encode())]})
        await send({"type": "http.response.body", "body": b""})

    async def _run(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app; an error in it answered 500 and logged by its type only (never a traceback: it may quote a plan)."""
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as err:  # a bug of ours: one line, no content
            LOG.error("review: internal error (%s) answering %s %s", type(err).__name__, scope["method"], scope["path"])
            if not started:
                await _plain(send, 500, f"internal error ({type(err).__name__}); please report it")


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {bytes(k).lower() for k, _ in message.get("headers", [])}  # type: ignore[attr-defined]
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            message["headers"] = [*message.get("headers", []), *extra]  # type: ignore[misc]
        await send(message)

    return sending


async def _plain(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _headers(scope: Scope) -> dict[str, str]:
    return {_text(k).lower(): _text(v) for k, v in scope.get("headers", [])}  # type: ignore[attr-defined]


def _text(raw: object) -> str:
    return bytes(raw).decode("latin-1")  # type: ignore[call-overload]


def _cookies(header: str) -> dict[str, str]:
    pairs = (part.strip().split("=", 1) for part in header.split(";") if "=" in part)
    return {name: value for name, value in pairs}
