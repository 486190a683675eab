"""Web chat adapter: a page served by the project (no build step, nothing from the internet).

Same features as the Telegram bot: buttons (server-side tokens), language switch, status lookup,
my suggestions, delete my data, and staff replies shown when the resident comes back.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from pathlib import Path

import tornado.web

from bot.buttons import ButtonTokens
from bot.limits import RateLimit
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.render import APOLOGY, EXPIRED_BUTTON, RATE_LIMITED, TOO_LONG, clean_input, is_too_long
from knowledge import logs, outbox_repo
from knowledge.db import get_sessionmaker
from knowledge.settings import get_settings
from knowledge.text import detect_language

logger = logging.getLogger(__name__)
CHANNEL = "webchat"
STATIC = Path(__file__).parent / "static"
COOKIE = "cz_session"
SHORTCUTS = {
    "mine": "/suggestion_mine",
    "delete": "/suggestion_delete_data",
    "zh": '/greet{"language": "zh"}',
    "en": '/greet{"language": "en"}',
}


class Bridge:
    """What the handlers share."""

    def __init__(self) -> None:
        self.rasa = RasaClient()
        self.tokens = ButtonTokens()
        self.limits = RateLimit(get_settings().messages_per_minute)


class Base(tornado.web.RequestHandler):
    """The resident's browser session (an HttpOnly cookie) is their identity."""

    @property
    def bridge(self) -> Bridge:
        return self.application.settings["bridge"]

    def sender(self) -> str:
        session = self.get_cookie(COOKIE)
        if (
            not session
            or len(session) > 64
            or not session.replace("-", "").replace("_", "").isalnum()
        ):
            session = secrets.token_urlsafe(18)
            self.set_cookie(COOKIE, session, httponly=True, samesite="Lax", expires_days=365)
        return f"web-{session}"

    def reply(self, payload: dict) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(payload, ensure_ascii=False))


class MessageHandler(Base):
    """POST {"text": …} or {"token": …} or {"shortcut": "mine"|"delete"|"zh"|"en"}."""

    async def post(self) -> None:
        sender = self.sender()
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            body = {}
        raw = body.get("text") if isinstance(body.get("text"), str) else ""
        text, payload = clean_input(raw), False
        lang = detect_language(
            text, default=body.get("lang") if body.get("lang") in ("zh", "en") else "zh"
        )
        if body.get("token"):
            text, payload = self.bridge.tokens.redeem(sender, str(body["token"])), True
            if text is None:
                return self.reply({"messages": [{"text": EXPIRED_BUTTON[lang], "buttons": []}]})
        elif body.get("shortcut") in SHORTCUTS:
            text, payload = SHORTCUTS[body["shortcut"]], True
        if not self.bridge.limits.allow(sender):
            notice = (
                [{"text": RATE_LIMITED[lang], "buttons": []}]
                if self.bridge.limits.should_warn(sender)
                else []
            )
            return self.reply({"messages": notice})
        try:
            replies = await self.bridge.rasa.send(sender, text, channel=CHANNEL, payload=payload)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for the web chat: %s", error)
            return self.reply({"messages": [{"text": APOLOGY[lang], "buttons": []}]})
        notice = [{"text": TOO_LONG[lang], "buttons": []}] if is_too_long(raw) else []
        messages = notice + [
            {
                "text": r.get("text") or "",
                "buttons": [
                    {"title": b["title"], "token": self.bridge.tokens.issue(sender, b["payload"])}
                    for b in r.get("buttons") or []
                ],  # fmt: skip
            }
            for r in replies
        ]
        self.reply({"messages": messages})


def _take_updates(address: str) -> list[str]:
    with get_sessionmaker().begin() as session:
        messages = outbox_repo.pending(session, channel=CHANNEL, address=address)
        texts = [m.text for m in messages]
        for message in messages:
            outbox_repo.mark(session, message.id, state="sent")
    return texts


class UpdatesHandler(Base):
    """GET: staff replies waiting for this browser session (delivered once)."""

    async def get(self) -> None:
        texts = await asyncio.to_thread(_take_updates, self.sender())
        self.reply({"messages": [{"text": t, "buttons": [], "staff": True} for t in texts]})


class PageHandler(Base):
    """The chat page; sets the session cookie on the first visit."""

    def get(self) -> None:
        self.sender()
        self.set_header(
            "Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'"
        )
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish((STATIC / "index.html").read_bytes())


def make_app() -> tornado.web.Application:
    """The web chat application (created on demand; nothing runs at import)."""
    return tornado.web.Application(
        [
            (r"/", PageHandler),
            (r"/api/message", MessageHandler),
            (r"/api/updates", UpdatesHandler),
            (r"/static/(.*)", tornado.web.StaticFileHandler, {"path": str(STATIC)}),
        ],
        bridge=Bridge(),
        xsrf_cookies=False,
    )


async def serve() -> None:
    """Listen on WEBCHAT_HOST:WEBCHAT_PORT until cancelled."""
    settings = get_settings()
    app = make_app()
    app.listen(settings.webchat_port, address=settings.webchat_host, max_body_size=256 * 1024)
    logger.info("web chat on http://%s:%s/", settings.webchat_host, settings.webchat_port)
    await asyncio.Event().wait()


def main() -> None:
    """Run the web chat."""
    logs.configure(get_settings().log_level)
    asyncio.run(serve())


if __name__ == "__main__":
    main()
