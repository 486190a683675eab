"""The web chat's HTTP ground rules, shared by every handler of bot/webchat.py.

The resident's identity is a session id the server issues in a signed, HttpOnly cookie; a
missing, unsigned, tampered or deleted session starts a new one, so nobody can claim another's.

A request body is read as it arrives and kept up to `MAX_BODY`; a larger one is read to its end
(up to `DRAIN_BODY`, not kept) and answered 413 with a JSON error, so the client reads the answer
and the connection stays usable. Every response carries the same security headers; the API takes
JSON only, and only from the page's own origin.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import tornado.web

from store import privacy_repo
from store.db import get_sessionmaker
from store.identity import sender_hash

if TYPE_CHECKING:
    from bot.webchat import Bridge

CHANNEL = "webchat"
COOKIE = "cz_session"
SESSION_DAYS = 365
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_BODY = 256 * 1024  # a chat request; a larger body is answered 413
DRAIN_BODY = 32 * 1024 * 1024  # read (and dropped) to answer 413; beyond this the connection closes
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def deleted(session_id: str) -> bool:
    """Whether the resident of this browser session asked to delete their data."""
    with get_sessionmaker()() as session:
        return privacy_repo.deletion_requested(
            session, sender_hash=sender_hash(CHANNEL, f"web-{session_id}")
        )


class Secured:
    """Headers on every response: no framing, no sniffing, no referrer, no software named.

    Request bodies are streamed (`stream_request_body` on the handlers): at most `MAX_BODY` is
    kept, the rest read and dropped, and `body()` answers 413 once the whole body has arrived.
    """

    _body_size = 0
    _body_parts: tuple[bytes, ...] = ()

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")

    def data_received(self, chunk: bytes) -> None:
        self._body_size += len(chunk)
        self._body_parts = (*self._body_parts, chunk) if self._body_size <= MAX_BODY else ()

    def body(self) -> bytes:
        """The request's body; 413 when it was larger than `MAX_BODY`."""
        if self._body_size > MAX_BODY:
            raise tornado.web.HTTPError(413, reason="Request body too large")
        return b"".join(self._body_parts)

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"error": self._reason}, ensure_ascii=False))


@tornado.web.stream_request_body
class Base(Secured, tornado.web.RequestHandler):
    """The resident's browser session (a signed HttpOnly cookie) is their identity."""

    @property
    def bridge(self) -> Bridge:
        """What the handlers share (bot/webchat.py)."""
        return self.application.settings["bridge"]

    def unsupported(self, *args) -> None:
        """405 for a method the handler lacks (413 first for a body too large)."""
        self.body()
        raise tornado.web.HTTPError(405)

    head = get = post = put = patch = delete = options = unsupported

    def is_https(self) -> bool:
        forwarded = self.request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip()
        return (forwarded or self.request.protocol).lower() == "https"

    async def session(self) -> str | None:
        """The session id from a valid signed cookie, or None (missing, forged, or deleted)."""
        value = self.get_signed_cookie(COOKIE, max_age_days=SESSION_DAYS)
        session_id = value.decode(errors="replace") if value else ""
        if not SESSION_ID.match(session_id):
            return None
        if await asyncio.to_thread(deleted, session_id):
            return None
        return session_id

    def new_session(self) -> str:
        """Issue a fresh session id in a signed cookie."""
        session_id = secrets.token_urlsafe(18)
        self.set_signed_cookie(
            COOKIE,
            session_id,
            expires_days=SESSION_DAYS,
            httponly=True,
            samesite="Lax",
            secure=self.is_https(),
            path="/",
        )
        return session_id

    def reply(self, payload: dict) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(payload, ensure_ascii=False))


class Api(Base):
    """The chat API: JSON bodies only, and only from the page's own origin; `answer` replies."""

    async def post(self) -> None:
        body = self.body()
        origin = self.request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != self.request.host.lower():
            raise tornado.web.HTTPError(403, reason="Foreign origin")
        if self.request.headers.get("Sec-Fetch-Site") == "cross-site":
            raise tornado.web.HTTPError(403, reason="Foreign origin")
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise tornado.web.HTTPError(415, reason="JSON only")
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, reason="Invalid JSON") from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400, reason="A JSON object is expected")
        await self.answer(data)

    async def answer(self, body: dict) -> None:
        raise NotImplementedError
