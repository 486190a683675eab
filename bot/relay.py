"""The channel-neutral relay: every step between a resident's app and Rasa that is the same in
every channel. An adapter (bot/telegram.py, bot/webchat.py, bot/wechat.py) only turns its app's
input into an `Incoming` and the `Outcome` into its app's messages.

The relay owns: the per-resident rate limit and its once-only warning; input cleaning and the
too-long notice; language detection (remembered per resident, so a later notice such as an
expired button is in the resident's language); the Rasa call and the apology; button tokens
(a payload never leaves the server) and expired buttons; rating buttons (👍 / 👎 apart from the
questions); commands mapped to payloads. "Delete my data" is a Rasa rule: asked, then done only
after a yes, in every channel (domain/suggestion_privacy.yml).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from bot.rasa_client import NoReply, RasaClient, RasaUnavailable
from bot.store import Store, make_store
from language.catalogue import say
from language.text import clean_input, detect_language, is_too_long
from store import handoff_repo
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)
TOKEN_SECONDS = 7 * 24 * 3600  # a button works for a week (and only for its resident)
LANGUAGE_SECONDS = 365 * 24 * 3600
LANGUAGE_PAYLOAD = '/greet{"language": '
# Commands every channel offers (Telegram's /commands, the web chat's shortcuts, WeChat's menu).
COMMANDS = {
    "start": "/greet",
    "help": "/bot",
    "mine": "/suggestion_mine",
    "status": "/suggestion_mine",  # with a reference number, the number is sent as text
    "cancel": "/suggestion_cancel",
    "delete": "/suggestion_delete_data",  # Rasa asks "are you sure?" (suggestion_privacy.yml)
    "zh": '/greet{"language": "zh"}',
    "en": '/greet{"language": "en"}',
}
RATING_PAYLOAD = "/bot_rate_answer"  # the 👍 / 👎 after an answer (actions/rating.py)


def is_rating(button: dict) -> bool:
    """A 👍 / 👎 button: the bridges show the two side by side, smaller than the questions."""
    return str(button.get("payload") or "").startswith(RATING_PAYLOAD)


def in_both(key: str, between: str = "\n") -> str:
    """A notice said before the resident's language is known: Chinese, then English."""
    return say(key, "zh") + between + say(key, "en")


@dataclass
class Button:
    """A button as the app shows it: its title and the token that stands for its payload."""

    title: str
    token: str


@dataclass
class Reply:
    """One bot message: its text, the questions it offers, and 👍 / 👎 when it is an answer."""

    text: str
    questions: list[Button] = field(default_factory=list)
    ratings: list[Button] = field(default_factory=list)

    @property
    def buttons(self) -> list[Button]:
        return self.questions + self.ratings


@dataclass
class Incoming:
    """What a resident did, in no app's terms. Exactly one of text, token, command, location or
    `unsupported` (a photo, a sticker, a file) is set; `lang` is the app's hint."""

    sender: str
    text: str | None = None
    token: str | None = None
    command: str | None = None
    args: str = ""  # a command's arguments (`/status JY-…`)
    location: tuple[float, float] | None = None
    unsupported: bool = False
    lang: str | None = None
    busy: bool = False  # the adapter cannot deliver a full answer now (its app's limit)


@dataclass
class Outcome:
    """What to show: notices first (too long, too fast, expired, apology, busy), then replies."""

    lang: str
    notices: list[str] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    payload: str | None = None  # the pressed button's payload (None: not a press, or expired)
    paused: bool = False  # a staff member holds the conversation: Rasa's silence is no failure

    @property
    def texts(self) -> list[str]:
        return self.notices + [r.text for r in self.replies]


Accepted = Callable[[str], Awaitable[None]]  # called with the text or payload before Rasa is asked


class Relay:
    """One per adapter process; `channel` names the adapter to Rasa (`input_channel`)."""

    def __init__(self, channel: str, *, store: Store | None = None, rasa: RasaClient | None = None):
        self.channel = channel
        self.store = store or make_store()
        self.rasa = rasa or RasaClient()

    async def close(self) -> None:
        await self.rasa.close()
        await self.store.close()

    # -- button tokens and language ------------------------------------------------------------

    async def issue(self, sender: str, payload: str) -> str:
        """A fresh short token (Telegram allows 64 bytes) for `payload`, shown to `sender`."""
        token = secrets.token_urlsafe(12)
        await self.store.put(f"btn:{token}", json.dumps([sender, payload]), TOKEN_SECONDS)
        return token

    async def redeem(self, sender: str, token: str) -> str | None:
        """The payload behind `token` when `sender` may press it; None for forged or expired ones."""
        if not token or len(token) > 64:
            return None
        stored = await self.store.get(f"btn:{token}")
        if stored is None:
            return None
        owner, payload = json.loads(stored)
        return payload if owner == sender else None

    async def language(self, sender: str, hint: str | None = None, text: str = "") -> str:
        """The resident's language: what the text is written in, else the last one used, else
        the app's hint, else Chinese."""
        known = await self.store.get(f"lang:{sender}")
        default = known or (hint if hint in ("zh", "en") else "zh")
        return detect_language(text, default=default) if text else default

    async def remember_language(self, sender: str, lang: str) -> None:
        await self.store.put(f"lang:{sender}", lang, LANGUAGE_SECONDS)

    # -- one message -----------------------------------------------------------------------------

    async def handle(self, message: Incoming, accepted: Accepted | None = None) -> Outcome:
        """Relay one message; `accepted` runs once it passed the limit (an app's typing dots)."""
        sender, raw = message.sender, message.text if isinstance(message.text, str) else ""
        outcome = Outcome(lang=await self.language(sender, message.lang, raw))
        if not await self.store.allow(sender):
            if await self.store.should_warn(sender):
                outcome.notices.append(say("too_fast", outcome.lang))
            return outcome
        if message.unsupported:
            outcome.notices.append(in_both("text_only"))
            return outcome
        if message.busy:
            outcome.notices.append(say("busy", outcome.lang))
            return outcome
        text, payload = clean_input(raw), False
        if message.token is not None:
            text = await self.redeem(sender, str(message.token))
            if text is None:
                outcome.notices.append(say("expired_button", outcome.lang))
                return outcome
            outcome.payload, payload = text, True
        elif message.command == "lang":
            outcome.replies.append(Reply(in_both("choose_language", " / "), questions=[
                Button("中文", await self.issue(sender, COMMANDS["zh"])),
                Button("English", await self.issue(sender, COMMANDS["en"])),
            ]))  # fmt: skip
            return outcome
        elif message.command == "status" and message.args.strip():
            text = clean_input(message.args)
        elif message.command in COMMANDS:
            text, payload = COMMANDS[message.command], True
            if message.command == "start":
                outcome.notices.append(in_both("privacy"))
        elif message.command is not None:
            text = clean_input(f"/{message.command} {message.args}".strip())  # an unknown command
        elif message.location is not None:
            latitude, longitude = message.location
            text = f"位置（约100米）：{latitude:.3f},{longitude:.3f}"  # rounded before anything is kept
        elif is_too_long(raw):
            outcome.notices.append(say("too_long", outcome.lang))
        if payload and text.startswith(LANGUAGE_PAYLOAD):
            outcome.lang = "en" if '"en"' in text else "zh"
        if accepted is not None:
            await accepted(text)
        outcome.replies += await self._ask(sender, text, payload, outcome)
        if message.location is not None and outcome.replies:
            outcome.replies.append(Reply(say("location_thanks", outcome.lang)))
        await self.remember_language(sender, outcome.lang)
        return outcome

    async def _ask(self, sender: str, text: str, payload: bool, outcome: Outcome) -> list[Reply]:
        try:
            answers = await self.rasa.send(sender, text, channel=self.channel, payload=payload)
        except NoReply as error:
            if await asyncio.to_thread(_paused, sender):
                outcome.paused = True  # the staff member answers through the outbox
                return []
            logger.warning("Rasa sent no reply to a %s message: %s", self.channel, error)
            outcome.notices.append(say("apology", outcome.lang))
            return []
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for a %s message: %s", self.channel, error)
            outcome.notices.append(say("apology", outcome.lang))
            return []
        replies = []
        for answer in answers:
            reply = Reply(answer.get("text") or "")
            for button in answer.get("buttons") or []:
                made = Button(
                    str(button.get("title") or ""), await self.issue(sender, button["payload"])
                )
                (reply.ratings if is_rating(button) else reply.questions).append(made)
            if reply.text or reply.buttons:
                replies.append(reply)
        return replies


def _paused(sender: str) -> bool:
    """Whether a staff member holds the resident's conversation (store/handoff_repo.py)."""
    try:
        with get_sessionmaker()() as session:
            return handoff_repo.paused(session, sender)
    except SQLAlchemyError:
        logger.exception("handoff state unknown")
        return False
