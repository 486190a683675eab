"""Web chat adapter: a page served by the project (no build step, nothing from the internet).

Same features as the Telegram bot: buttons (server-side tokens), language switch, status lookup,
my suggestions, delete my data (confirmed first), and staff replies shown when the resident comes
back. The resident's identity is a session id the server issues in a signed, HttpOnly cookie; a
missing, unsigned, tampered or deleted session starts a new one, so nobody can claim another's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import tornado.web

from bot.buttons import ButtonTokens
from bot.limits import RateLimit
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.render import (
    APOLOGY,
    EXPIRED_BUTTON,
    RATE_LIMITED,
    TOO_LONG,
    clean_input,
    is_rating,
    is_too_long,
)
from knowledge import logs, outbox_repo, privacy_repo
from knowledge.clock import shanghai_time
from knowledge.db import get_sessionmaker
from knowledge.identity import sender_hash
from knowledge.settings import get_settings, webchat_cookie_secret
from language.text import detect_language

logger = logging.getLogger(__name__)
CHANNEL = "webchat"
STATIC = Path(__file__).parent / "static"
COOKIE = "cz_session"
SESSION_DAYS = 365
DELETE = "/suggestion_delete_data"
KEEP = "webchat:keep-my-data"  # the confirmation's "no": answered here, never sent to Rasa
SHORTCUTS = {
    "mine": "/suggestion_mine",
    "zh": '/greet{"language": "zh"}',
    "en": '/greet{"language": "en"}',
}
DELETE_WORDS = re.compile(
    r"^(请|帮我|我要|我想)?(删除|删掉|清除|删了)(我的)?(个人)?(信息|数据|资料)"
    r"|^(please\s+)?(delete|erase|remove)\s+(all\s+)?my\s+(personal\s+)?(data|information|info|details)",
    re.IGNORECASE,
)
CONFIRM_DELETE = {
    "zh": "确定要删除您的信息吗？您的联系电话、答复地址以及您与所提建议的关联都会删除，无法恢复；"
    "建议本身会保留（不含个人信息）。",
    "en": "Delete your data? Your phone number, reply address and the link between you and your "
    "suggestions will be deleted for good; the suggestions themselves stay, without personal data.",
}
CONFIRM_BUTTONS = {"zh": ("确认删除", "不删除"), "en": ("Yes, delete", "No, keep it")}
KEPT = {"zh": "好的，什么都没有删除。", "en": "All right, nothing was deleted."}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class Bridge:
    """What the handlers share; every in-memory table is bounded."""

    def __init__(self) -> None:
        limit = get_settings().messages_per_minute
        self.rasa = RasaClient()
        self.tokens = ButtonTokens()
        self.limits = RateLimit(limit)  # per session
        self.addresses = RateLimit(limit, max_keys=50_000)  # requests without a valid session


def _deleted(session_id: str) -> bool:
    with get_sessionmaker()() as session:
        return privacy_repo.deletion_requested(
            session, sender_hash=sender_hash(CHANNEL, f"web-{session_id}")
        )


class Secured:
    """Headers on every response: no framing, no sniffing, no referrer, no software named."""

    def set_default_headers(self) -> None:
        self.clear_header("Server")
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")


class Base(Secured, tornado.web.RequestHandler):
    """The resident's browser session (a signed HttpOnly cookie) is their identity."""

    @property
    def bridge(self) -> Bridge:
        return self.application.settings["bridge"]

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

    def write_error(self, status_code: int, **kwargs) -> None:
        self.reply({"error": self._reason})


class Api(Base):
    """The chat API: JSON bodies only, and only from the page's own origin."""

    def prepare(self) -> None:
        if self.request.method != "POST":
            raise tornado.web.HTTPError(405)
        origin = self.request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != self.request.host.lower():
            raise tornado.web.HTTPError(403, reason="Foreign origin")
        if self.request.headers.get("Sec-Fetch-Site") == "cross-site":
            raise tornado.web.HTTPError(403, reason="Foreign origin")
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise tornado.web.HTTPError(415, reason="JSON only")
        try:
            self.data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, reason="Invalid JSON") from None
        if not isinstance(self.data, dict):
            raise tornado.web.HTTPError(400, reason="A JSON object is expected")


def _text(text: str, buttons: list | None = None) -> dict:
    return {"text": text, "buttons": buttons or []}


class MessageHandler(Api):
    """POST {"text": …} or {"token": …} or {"shortcut": "mine"|"delete"|"zh"|"en"}, with "lang"."""

    async def post(self) -> None:
        body = self.data
        raw = body.get("text") if isinstance(body.get("text"), str) else ""
        text, payload = clean_input(raw), False
        lang = detect_language(text, default=body.get("lang") if body.get("lang") == "en" else "zh")
        session_id = await self.session()
        if session_id is None:
            if not self.bridge.addresses.allow(self.request.remote_ip or "?"):
                return self.reply({"messages": [_text(RATE_LIMITED[lang])]})
            session_id = self.new_session()
        sender = f"web-{session_id}"
        if not self.bridge.limits.allow(sender):
            warn = self.bridge.limits.should_warn(sender)
            return self.reply({"messages": [_text(RATE_LIMITED[lang])] if warn else []})
        if body.get("token"):
            text, payload = self.bridge.tokens.redeem(sender, str(body["token"])), True
            if text is None:
                return self.reply({"messages": [_text(EXPIRED_BUTTON[lang])]})
            if text == KEEP:
                return self.reply({"messages": [_text(KEPT[lang])]})
        elif body.get("shortcut") == "delete" or DELETE_WORDS.match(text):
            return self.reply({"messages": [self.confirm_delete(sender, lang)]})
        elif body.get("shortcut") in SHORTCUTS:
            text, payload = SHORTCUTS[body["shortcut"]], True
        try:
            replies = await self.bridge.rasa.send(sender, text, channel=CHANNEL, payload=payload)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for the web chat: %s", error)
            return self.reply({"messages": [_text(APOLOGY[lang])]})
        if text == DELETE and payload and await asyncio.to_thread(_deleted, session_id):
            self.new_session()  # the old cookie now names a deleted session: it reads nothing
        notice = [_text(TOO_LONG[lang])] if is_too_long(raw) else []
        messages = notice + [
            _text(
                r.get("text") or "",
                [
                    {"title": b["title"], "token": self.bridge.tokens.issue(sender, b["payload"])}
                    | ({"rating": True} if is_rating(b) else {})
                    for b in r.get("buttons") or []
                ],
            )
            for r in replies
        ]
        self.reply({"messages": messages})

    def confirm_delete(self, sender: str, lang: str) -> dict:
        yes, no = CONFIRM_BUTTONS[lang]
        return _text(
            CONFIRM_DELETE[lang],
            [
                {"title": yes, "token": self.bridge.tokens.issue(sender, DELETE), "danger": True},
                {"title": no, "token": self.bridge.tokens.issue(sender, KEEP)},
            ],
        )


def _take_updates(address: str) -> list[dict]:
    with get_sessionmaker().begin() as session:
        messages = outbox_repo.pending(session, channel=CHANNEL, address=address)
        shown = [
            {"text": m.text, "buttons": [], "staff": True, "time": shanghai_time(m.created_at)}
            for m in messages
        ]
        for message in messages:
            outbox_repo.mark(session, message.id, state="sent")
    return shown


class UpdatesHandler(Api):
    """POST {}: staff replies waiting for this browser session (delivered once)."""

    async def post(self) -> None:
        session_id = await self.session()
        if session_id is None:
            return self.reply({"messages": []})
        self.reply({"messages": await asyncio.to_thread(_take_updates, f"web-{session_id}")})


class PageHandler(Base):
    """The chat page; issues the session cookie when there is no valid one."""

    async def get(self) -> None:
        if await self.session() is None:
            self.new_session()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish((STATIC / "index.html").read_bytes())


class StaticHandler(Secured, tornado.web.StaticFileHandler):
    """The page's script and style sheet, with the same headers."""


class NotFound(Base):
    """Anything else: 404 as JSON, with the same headers."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


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
