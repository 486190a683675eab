"""WeChat Official Account (公众号) adapter: the platform posts each message to our server URL.

Every callback's signature is checked (token, timestamp, nonce); in safe mode (WECHAT_AES_KEY set)
the message is encrypted, and so is the reply. The platform retries a callback it got no answer to
within 5 seconds: retries are recognised by MsgId and answered empty. A reply that is ready within
WECHAT_REPLY_SECONDS goes back as the passive reply; when Rasa is slower the platform gets an empty
reply and the answer follows through the customer-service message API. Buttons become numbered
options: a reply of "1" or "2" presses one. Staff replies go out from the outbox through the
customer-service API (bot/wechat_api.py), within its 48-hour window.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

import tornado.web
from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import check_signature

from bot.relay import TOKEN_SECONDS, Incoming, Outcome, Relay
from bot.wechat_api import (
    CHANNEL,
    PART,
    Client,
    deliver_staff_replies,
    menu,
    send_text,
    topic_buttons,
)
from core import logs
from core.settings import Settings, get_settings
from language.catalogue import say
from language.text import split_text

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024
RETRY_SECONDS = 300  # the platform retries three times within 15 s; remember each message longer
NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")
COMMANDS = ("mine", "help", "en", "zh", "delete")  # the menu's cmd_<name> keys


def menu_actions() -> dict[str, dict]:
    """What a click on each menu key does: a topic (`topic_<registry key>`) asks its question, a
    `cmd_<name>` runs that command."""
    return {b["key"]: {"text": b["question"]} for b in topic_buttons()} | {
        f"cmd_{name}": {"command": name} for name in COMMANDS
    }


def enabled(settings: Settings) -> bool:
    """The adapter runs when the account's id, secret and token are set."""
    return bool(settings.wechat_app_id and settings.wechat_app_secret and settings.wechat_token)


class Bridge:
    """What the handler shares: the relay, the platform's API client, the crypto (safe mode)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.relay = Relay(CHANNEL)
        self.client = Client(settings)
        self.crypto = (
            WeChatCrypto(settings.wechat_token, settings.wechat_aes_key, settings.wechat_app_id)
            if settings.wechat_aes_key
            else None
        )
        self.tasks: set[asyncio.Task] = set()

    def later(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def incoming(self, message) -> Incoming | None:
        """The resident's message in the relay's terms; None when nothing is to be answered."""
        sender = f"wx-{message.source}"
        if message.type == "text":
            return await self.numbered(sender, message.content or "")
        if message.type == "voice" and getattr(message, "recognition", None):
            return await self.numbered(sender, message.recognition)
        if message.type == "location":
            x, y = message.location
            return Incoming(sender, location=(float(x), float(y)))
        if message.type != "event":
            return Incoming(sender, unsupported=True)  # image, video, voice unrecognised, link
        if message.event == "subscribe":
            return Incoming(sender, command="start")
        if message.event == "click" and message.key in (actions := menu_actions()):
            return Incoming(sender, **actions[message.key])
        if message.event == "unsubscribe":  # nothing can be sent any more; forget the options
            await self.relay.store.delete(f"wx-options:{sender}")
        return None

    async def numbered(self, sender: str, text: str) -> Incoming:
        """A reply of "1", "2", … presses that option of the latest numbered list."""
        match, options = NUMBER.match(text), await self.relay.store.get(f"wx-options:{sender}")
        if match and options:
            tokens = json.loads(options)
            if 1 <= int(match.group(1)) <= len(tokens):
                return Incoming(sender, token=tokens[int(match.group(1)) - 1])
        return Incoming(sender, text=text)

    async def render(self, sender: str, outcome: Outcome) -> list[str]:
        """The outcome as few WeChat texts as fit (one passive reply, usually), its buttons as
        numbered options (remembered for the resident's next reply)."""
        texts, tokens = list(outcome.notices), []
        for reply in outcome.replies:
            lines = [reply.text] if reply.text else []
            if reply.buttons:
                lines.append(say("choose_by_number", outcome.lang))
            for button in reply.buttons:
                tokens.append(button.token)
                lines.append(f"{len(tokens)}. {button.title}")
            texts.append("\n".join(lines))
        if tokens:
            await self.relay.store.put(f"wx-options:{sender}", json.dumps(tokens), TOKEN_SECONDS)
        elif outcome.replies:
            await self.relay.store.delete(f"wx-options:{sender}")
        return [part for part in split_text("\n\n".join(t for t in texts if t), PART) if part]


class CallbackHandler(tornado.web.RequestHandler):
    """GET: the platform verifies the server URL (echostr). POST: a resident's message."""

    @property
    def bridge(self) -> Bridge:
        return self.application.settings["bridge"]

    def verify(self) -> None:
        try:
            check_signature(self.bridge.settings.wechat_token, self.get_argument("signature", ""),
                            self.get_argument("timestamp", ""), self.get_argument("nonce", ""))  # fmt: skip
        except InvalidSignatureException:
            raise tornado.web.HTTPError(403, reason="Invalid signature") from None

    def get(self) -> None:
        self.verify()
        self.set_header("Content-Type", "text/plain")
        self.finish(self.get_argument("echostr", ""))

    async def post(self) -> None:
        self.verify()
        body, crypto = self.request.body, self.bridge.crypto
        if crypto is not None:  # safe mode: only encrypted messages, with their own signature
            if self.get_argument("encrypt_type", "") != "aes":
                raise tornado.web.HTTPError(403, reason="Encrypted messages only")
            try:
                body = crypto.decrypt_message(body, self.get_argument("msg_signature", ""),
                                              self.get_argument("timestamp", ""),
                                              self.get_argument("nonce", ""))  # fmt: skip
            except Exception:  # noqa: BLE001 - a forged or damaged message is refused
                raise tornado.web.HTTPError(403, reason="Invalid message") from None
        message = parse_message(body)
        key = message.id or ":".join(  # an event has no MsgId: its sender, time and kind
            str(getattr(message, name, "")) for name in ("source", "create_time", "event", "key")
        )
        if not await self.bridge.relay.store.once(f"wx-msg:{key}", RETRY_SECONDS):
            return self.finish("success")  # a retry of a message already being answered
        incoming = await self.bridge.incoming(message)
        if incoming is None:
            return self.finish("success")
        texts = await self.answer(incoming)
        if not texts:
            return self.finish("success")  # empty: nothing now (the answer follows, or none)
        reply = create_reply(texts[0], message).render()
        if crypto is not None:
            reply = crypto.encrypt_message(reply, self.get_argument("nonce", ""))
        self.set_header("Content-Type", "application/xml")
        self.finish(reply)
        if texts[1:]:
            self.bridge.later(self.send_rest(message.source, texts[1:]))

    async def answer(self, incoming: Incoming) -> list[str]:
        """The texts ready in time for the passive reply; later ones go by the customer-service
        API. When Rasa is slower than WECHAT_REPLY_SECONDS everything goes that way."""
        bridge = self.bridge
        work = asyncio.ensure_future(bridge.relay.handle(incoming))
        try:
            outcome = await asyncio.wait_for(
                asyncio.shield(work), bridge.settings.wechat_reply_seconds
            )
        except TimeoutError:
            bridge.later(self.answer_later(incoming.sender, work))
            return []
        return await bridge.render(incoming.sender, outcome)

    async def answer_later(self, sender: str, work: asyncio.Future) -> None:
        texts = await self.bridge.render(sender, await work)
        await self.send_rest(sender.removeprefix("wx-"), texts)

    async def send_rest(self, openid: str, texts: list[str]) -> None:
        try:
            for text in texts:
                await send_text(self.bridge.client, openid, text)
        except Exception:  # noqa: BLE001 - logged; the resident can ask again
            logger.exception("customer-service message failed")


def make_app(settings: Settings | None = None) -> tornado.web.Application:
    """The callback application (created on demand; nothing runs at import)."""
    settings = settings or get_settings()
    return tornado.web.Application([(r"/wechat", CallbackHandler)], bridge=Bridge(settings))


async def serve() -> None:
    """Listen on WECHAT_HOST:WECHAT_PORT and deliver staff replies, until cancelled."""
    settings = get_settings()
    app = make_app(settings)
    app.listen(settings.wechat_port, address=settings.wechat_host, max_body_size=MAX_BODY)
    logger.info(
        "WeChat callbacks on http://%s:%s/wechat", settings.wechat_host, settings.wechat_port
    )
    await deliver_staff_replies(app.settings["bridge"].client)


def main() -> None:
    """Run the adapter, or `python -m bot.wechat menu` to set the account's menu."""
    import sys

    logs.configure(get_settings().log_level)
    settings = get_settings()
    if not enabled(settings):
        raise SystemExit(
            "WECHAT_APP_ID, WECHAT_APP_SECRET and WECHAT_TOKEN are not set: WeChat is off."
        )
    if sys.argv[1:] == ["menu"]:
        Client(settings).menu.create(menu())
        print("menu set")
        return
    asyncio.run(serve())


if __name__ == "__main__":
    main()
