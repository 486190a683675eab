"""Web chat adapter: a page served by the project (no build step, nothing from the internet).

Same features as the Telegram bot: buttons (server-side tokens), language switch, status lookup,
my suggestions, delete my data (Rasa asks first, as in every channel), and staff replies shown
when the resident comes back. The resident's identity is a session id the server issues in a
signed, HttpOnly cookie; a missing, unsigned, tampered or deleted session starts a new one, so
nobody can claim another's.

Staff replies go through the outbox's claim protocol (`outbox_repo.claim_address`): a poll claims
what waits for the session under a lease, and the page acknowledges what it showed with its next
poll; an unacknowledged claim is handed out again when its lease runs out. Two tabs of one
resident never both show a reply.

A request body is read as it arrives and kept up to `MAX_BODY`; a larger one is read to its end
(up to `DRAIN_BODY`, not kept) and answered 413 with a JSON error, so the client reads the answer
and the connection stays usable.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web

from bot.limits import RateLimit
from bot.relay import COMMANDS, Incoming, Relay
from bot.render import RATE_LIMITED
from store import handoff_repo, outbox_repo, privacy_repo
from core import logs
from core.clock import shanghai_time
from store.db import get_sessionmaker
from store.identity import sender_hash
from store.models import utcnow
from core.settings import get_settings, webchat_cookie_secret
from knowledge import topics
from language.text import detect_language

logger = logging.getLogger(__name__)
CHANNEL = "webchat"
STATIC = Path(__file__).parent / "static"
COOKIE = "cz_session"
SESSION_DAYS = 365
SHORTCUTS = (*COMMANDS, "lang")  # the page's buttons ("mine", "delete", "zh", "en") and the rest
MAX_BODY = 256 * 1024  # a chat request; a larger body is answered 413
DRAIN_BODY = 32 * 1024 * 1024  # read (and dropped) to answer 413; beyond this the connection closes
CLAIM = re.compile(r"^web:[A-Za-z0-9_-]{16,40}$")  # a poll's claim on staff replies (outbox owner)
MAX_ACKS = 50
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
TOPICS_BLOCK = b'<script type="application/json" id="topics">{}</script>'  # in index.html


class Bridge:
    """What the handlers share; every in-memory table is bounded."""

    def __init__(self) -> None:
        limit = get_settings().messages_per_minute
        self.relay = Relay(CHANNEL)  # per session: rate limit, tokens, language, Rasa
        self.rasa = self.relay.rasa
        self.addresses = RateLimit(limit, max_keys=50_000)  # requests without a valid session
        self.clock: Callable[[], datetime] = utcnow  # the outbox leases' clock (tests move it)


def _deleted(session_id: str) -> bool:
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
        if await asyncio.to_thread(_deleted, session_id):
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


def _text(text: str, buttons: list | None = None) -> dict:
    return {"text": text, "buttons": buttons or []}


class MessageHandler(Api):
    """POST {"text": …} or {"token": …} or {"shortcut": "mine"|"delete"|"zh"|"en"|…}, with "lang"."""

    async def answer(self, body: dict) -> None:
        raw = body.get("text") if isinstance(body.get("text"), str) else ""
        hint = "en" if body.get("lang") == "en" else "zh"
        session_id = await self.session()
        if session_id is None:
            if not self.bridge.addresses.allow(self.request.remote_ip or "?"):
                lang = detect_language(raw, default=hint)
                return self.reply({"messages": [_text(RATE_LIMITED[lang])]})
            session_id = self.new_session()
        message = Incoming(f"web-{session_id}", text=raw, lang=hint)
        if body.get("token"):
            message = Incoming(message.sender, token=str(body["token"]), lang=hint)
        elif body.get("shortcut") in SHORTCUTS:
            message = Incoming(message.sender, command=body["shortcut"], lang=hint)
        outcome = await self.bridge.relay.handle(message)
        if outcome.replies and await asyncio.to_thread(_deleted, session_id):  # a yes to "delete?"
            self.new_session()  # the old cookie now names a deleted session: it reads nothing
        messages = [_text(notice) for notice in outcome.notices] + [
            _text(r.text, [{"title": b.title, "token": b.token} for b in r.questions]
                  + [{"title": b.title, "token": b.token, "rating": True} for b in r.ratings])
            for r in outcome.replies
        ]  # fmt: skip
        self.reply({"messages": messages, "paused": outcome.paused})  # a person answers


def acknowledged(body: dict) -> tuple[str, list[int]] | None:
    """The page's acknowledgement {"claim": …, "ids": […]} of the staff replies it showed."""
    ack = body.get("ack")
    if not isinstance(ack, dict) or not CLAIM.match(str(ack.get("claim") or "")):
        return None
    ids = ack.get("ids")
    if not isinstance(ids, list):
        return None
    return ack["claim"], [i for i in ids[:MAX_ACKS] if isinstance(i, int) and i > 0]


def _take_updates(
    address: str, ack: tuple[str, list[int]] | None, now: datetime
) -> tuple[str, list[dict]]:
    """Finish the claims the page acknowledged, then claim what waits for `address`."""
    claim = f"web:{secrets.token_urlsafe(18)}"
    lease = get_settings().outbox_lease_seconds
    with get_sessionmaker().begin() as session:
        for message_id in ack[1] if ack else ():
            outbox_repo.finish(
                session, message_id, owner=ack[0], state="sent", address=address, now=now
            )
        handoff_repo.expire(session)  # an unanswered request for a person falls back (apology)
        messages = outbox_repo.claim_address(
            session, channel=CHANNEL, address=address, owner=claim, lease_seconds=lease, now=now
        )
        shown = [
            {"id": m.id, "text": m.text, "buttons": [], "staff": True,
             "time": shanghai_time(m.created_at)}
            for m in messages
        ]  # fmt: skip
    return claim, shown


class UpdatesHandler(Api):
    """POST {} or {"ack": {"claim": …, "ids": […]}}: acknowledges the staff replies the page
    showed and claims those waiting for this browser session ({"messages", "claim"})."""

    async def answer(self, body: dict) -> None:
        session_id = await self.session()
        if session_id is None:
            return self.reply({"messages": []})
        claim, messages = await asyncio.to_thread(
            _take_updates, f"web-{session_id}", acknowledged(body), self.bridge.clock()
        )
        self.reply({"messages": messages} | ({"claim": claim} if messages else {}))


def page() -> bytes:
    """The chat page with the first screen's topic buttons of topics.yml, both languages, in its
    JSON block (`{"zh": [{key, label, question}], "en": […]}`, read by app.js; no inline script)."""
    data = json.dumps({lang: topics.buttons(lang) for lang in ("zh", "en")}, ensure_ascii=False)
    block = TOPICS_BLOCK.replace(b"{}", data.replace("<", "\\u003c").encode())
    return (STATIC / "index.html").read_bytes().replace(TOPICS_BLOCK, block)


class PageHandler(Base):
    """The chat page; issues the session cookie when there is no valid one."""

    async def get(self) -> None:
        self.body()
        if await self.session() is None:
            self.new_session()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page())


@tornado.web.stream_request_body
class StaticHandler(Secured, tornado.web.StaticFileHandler):
    """The page's script and style sheet, with the same headers."""

    async def get(self, path: str, include_body: bool = True) -> None:
        self.body()
        await super().get(path, include_body)


class NotFound(Base):
    """Anything else: 404 as JSON (413 first for a body too large), with the same headers."""

    def not_found(self, *args) -> None:
        self.body()
        raise tornado.web.HTTPError(404)

    get = post = put = patch = delete = head = options = not_found


def make_app() -> tornado.web.Application:
    """The web chat application (created on demand; nothing runs at import)."""
    return tornado.web.Application(
        [
            (r"/", PageHandler),
            (r"/api/message", MessageHandler),
            (r"/api/updates", UpdatesHandler),
            (r"/static/(.*)", StaticHandler, {"path": str(STATIC)}),
        ],
        bridge=Bridge(),
        cookie_secret=webchat_cookie_secret().decode(),
        default_handler_class=NotFound,
        xsrf_cookies=False,
    )


def listen(app: tornado.web.Application, port: int, address: str) -> tornado.httpserver.HTTPServer:
    """Serve `app` on address:port; bodies up to `DRAIN_BODY` are read, to answer 413 cleanly."""
    return app.listen(port, address=address, max_body_size=DRAIN_BODY)


async def serve() -> None:
    """Listen on WEBCHAT_HOST:WEBCHAT_PORT until cancelled."""
    settings = get_settings()
    app = make_app()
    listen(app, settings.webchat_port, settings.webchat_host)
    logger.info("web chat on http://%s:%s/", settings.webchat_host, settings.webchat_port)
    await asyncio.Event().wait()


def main() -> None:
    """Run the web chat."""
    logs.configure(get_settings().log_level)
    asyncio.run(serve())


if __name__ == "__main__":
    main()
