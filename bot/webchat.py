"""Web chat adapter: a page served by the project (no build step, nothing from the internet).

Same features as the Telegram bot: buttons (server-side tokens), language switch, status lookup,
my suggestions, delete my data (Rasa asks first, as in every channel), and staff replies shown
when the resident comes back. The session cookie, bounded request bodies, security headers and the
JSON-only API are bot/webchat_http.py's.

Staff replies go through the outbox's claim protocol (`outbox_repo.claim_address`): a poll claims
what waits for the session under a lease, and the page acknowledges what it showed with its next
poll; an unacknowledged claim is handed out again when its lease runs out. Two tabs of one
resident never both show a reply.
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

import tornado.httpserver
import tornado.web

from bot.limits import RateLimit
from bot.relay import COMMANDS, Incoming, Relay
from bot.webchat_http import CHANNEL, DRAIN_BODY, Api, Base, Secured, deleted
from core import logs
from core.clock import shanghai_time
from core.settings import get_settings, webchat_cookie_secret
from knowledge import topics
from language.catalogue import say
from language.text import detect_language
from store import handoff_repo, outbox_repo
from store.db import get_sessionmaker
from store.models import utcnow

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SHORTCUTS = (*COMMANDS, "lang")  # the page's buttons ("mine", "delete", "zh", "en") and the rest
CLAIM = re.compile(r"^web:[A-Za-z0-9_-]{16,40}$")  # a poll's claim on staff replies (outbox owner)
MAX_ACKS = 50
TOPICS_BLOCK = b'<script type="application/json" id="topics">{}</script>'  # in index.html


class Bridge:
    """What the handlers share; every in-memory table is bounded."""

    def __init__(self) -> None:
        limit = get_settings().messages_per_minute
        self.relay = Relay(CHANNEL)  # per session: rate limit, tokens, language, Rasa
        self.rasa = self.relay.rasa
        self.addresses = RateLimit(limit, max_keys=50_000)  # requests without a valid session
        self.clock: Callable[[], datetime] = utcnow  # the outbox leases' clock (tests move it)


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
                return self.reply({"messages": [_text(say("too_fast", lang))]})
            session_id = self.new_session()
        message = Incoming(f"web-{session_id}", text=raw, lang=hint)
        if body.get("token"):
            message = Incoming(message.sender, token=str(body["token"]), lang=hint)
        elif body.get("shortcut") in SHORTCUTS:
            message = Incoming(message.sender, command=body["shortcut"], lang=hint)
        outcome = await self.bridge.relay.handle(message)
        if outcome.replies and await asyncio.to_thread(deleted, session_id):  # a yes to "delete?"
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
