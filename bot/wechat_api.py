"""The WeChat Official Account platform's API as the adapter uses it (wechatpy's client, run in a
thread): the access token, cached and refreshed (in Redis when REDIS_URL is set, so that several
processes share one token), customer-service messages, the menu, and staff replies from the outbox
within the 48-hour customer-service window.
"""

from __future__ import annotations

import asyncio
import logging

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from bot import outbox
from core.settings import Settings
from knowledge import topics
from language.catalogue import say
from language.text import split_text
from store import casework_repo
from store.db import get_sessionmaker
from store.models import OutboxMessage

logger = logging.getLogger(__name__)
CHANNEL = "wechat"
PART = 600  # characters of one WeChat text message (the platform allows 2,048 bytes)
WINDOW_CLOSED = {45015, 45047}  # the resident wrote more than 48 hours ago; too many replies
SUGGESTION = "suggestion"  # the registry's suggestion topic: under 我的建议, not 常见问题
SUB_BUTTONS = 5  # the platform's limit of sub-buttons per menu


def call_back_note() -> str:
    """Why a staff reply needs a call-back (a closed window), in both languages: the note is
    stored once and read by staff in either."""
    return " / ".join(say("wechat_call_back_note", lang) for lang in ("zh", "en"))


class WindowClosed(Exception):
    """The 48-hour customer-service window is closed: the staff reply cannot be sent."""

    def __repr__(self) -> str:  # the outbox row's last_error, shown to staff
        return call_back_note()


class Client(WeChatClient):
    """wechatpy's client against WECHAT_API_URL (the platform's, or a test's fake)."""

    def __init__(self, settings: Settings) -> None:
        session = MemoryStorage()
        if settings.redis_url:
            import redis

            session = RedisStorage(
                redis.Redis.from_url(settings.redis_url), prefix="cz:bot:wechatpy"
            )
        super().__init__(settings.wechat_app_id, settings.wechat_app_secret, session=session,
                         timeout=10)  # fmt: skip
        self.API_BASE_URL = settings.wechat_api_url.rstrip("/") + "/"

    def fetch_access_token(self) -> dict:
        """A new access token from the platform (kept until shortly before it expires)."""
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


async def send_text(client: Client, openid: str, text: str) -> None:
    """A customer-service text message (several when long), in order."""
    for part in split_text(text, PART):
        if part:
            await asyncio.to_thread(client.message.send_text, openid, part)


def classify(error: Exception) -> tuple[str, float]:
    """Outbox: retry only when nothing can have been sent."""
    if isinstance(error, WindowClosed):
        return "failed", 0.0
    if isinstance(error, WeChatClientException):
        if error.errcode is None:  # an HTTP error status: the platform took nothing
            return outbox.RETRY, 10.0
        return "failed", 0.0
    if isinstance(error, requests.ConnectionError) and not isinstance(error, requests.ReadTimeout):
        return outbox.RETRY, 5.0
    return "uncertain", 0.0


def mark_for_call_back(message_id: int, error: Exception) -> None:
    """After a closed window, note on the suggestion why its reply needs a call-back."""
    if not isinstance(error, WindowClosed):
        return
    with get_sessionmaker().begin() as session:
        message = session.get(OutboxMessage, message_id)
        if message is not None and message.suggestion is not None:
            casework_repo.add_note(session, message.suggestion, text=call_back_note(), by="wechat")


def outbox_sender(client: Client):
    """The outbox's `send`: a staff reply as customer-service messages, or `WindowClosed`."""

    async def send(address: str, text: str) -> None:
        try:
            await send_text(client, address.removeprefix("wx-"), text)
        except WeChatClientException as error:
            if error.errcode in WINDOW_CLOSED:
                raise WindowClosed(str(error)) from error
            raise

    return send


async def deliver_staff_replies(client: Client) -> None:
    """Deliver staff replies until cancelled."""
    await outbox.run_forever(CHANNEL, outbox_sender(client), classify, failed=mark_for_call_back)


def topic_buttons() -> list[dict[str, str]]:
    """The registry's buttons in Chinese (the menu's language), in order: [{key, label, question}],
    each keyed `topic_<registry key>` for the menu."""
    return [button | {"key": f"topic_{button['key']}"} for button in topics.buttons("zh")]


def _click(name: str, key: str) -> dict[str, str]:
    return {"type": "click", "name": name, "key": key}


def menu() -> dict:
    """The account's menu: the registry's first topics, my suggestions (make one, its progress),
    and more (help, English, Chinese, delete my data)."""
    buttons = topic_buttons()
    suggest = [b for b in buttons if b["key"] == f"topic_{SUGGESTION}"]
    common = [b for b in buttons if b not in suggest][:SUB_BUTTONS]
    return {"button": [
        {"name": say("wechat_menu_topics"),
         "sub_button": [_click(b["label"], b["key"]) for b in common]},
        {"name": say("wechat_menu_mine"),
         "sub_button": [*(_click(b["label"], b["key"]) for b in suggest),
                        _click(say("wechat_menu_progress"), "cmd_mine")]},
        {"name": say("wechat_menu_more"), "sub_button": [
            _click(say("wechat_menu_help"), "cmd_help"),
            _click(say("wechat_menu_english"), "cmd_en"),
            _click(say("wechat_menu_chinese"), "cmd_zh"),
            _click(say("wechat_menu_delete"), "cmd_delete")]},
    ]}  # fmt: skip
