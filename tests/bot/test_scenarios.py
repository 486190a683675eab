"""The shared scenario table (tests/bot/scenarios.py) on every adapter: Telegram (fake Bot API,
python-telegram-bot's real client), the web chat (HTTP) and WeChat (fake platform, safe mode),
each in front of the real Rasa and action server."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import asynccontextmanager

import httpx
import pytest
from tornado.web import decode_signed_value

from bot import wechat
from bot.webchat import listen, make_app
from bot.wechat_api import deliver_staff_replies
from core import settings
from tests.bot import fake_wechat
from tests.bot.drivers import TelegramDriver, WebChatDriver, WeChatDriver
from tests.bot.scenarios import SCENARIOS
from tests.bot.telegram_bridge import CHATS, Running
from tests.stack import free_port

pytestmark = pytest.mark.integration
COOKIE_SECRET = "scenario-cookie-secret"


def wechat_settings(fake: fake_wechat.FakeWeChat) -> settings.Settings:
    """The adapter's settings against the fake platform (safe mode when the fake encrypts)."""
    return settings.get_settings().model_copy(update={
        "wechat_app_id": fake.app_id, "wechat_app_secret": fake_wechat.APP_SECRET,
        "wechat_token": fake_wechat.TOKEN, "wechat_api_url": fake.url,
        "wechat_aes_key": fake_wechat.AES_KEY if fake.safe_mode else "",
    })  # fmt: skip


@asynccontextmanager
async def running_wechat(fake: fake_wechat.FakeWeChat, config: settings.Settings | None = None):
    """The WeChat adapter on a free loopback port, the fake platform posting to it."""
    port, app = free_port(), wechat.make_app(config or wechat_settings(fake))
    server = app.listen(port, address="127.0.0.1")
    fake.callback_url = f"http://127.0.0.1:{port}/wechat"
    try:
        yield app.settings["bridge"]
    finally:
        server.stop()
        await app.settings["bridge"].relay.close()


@asynccontextmanager
async def telegram_driver(fake, monkeypatch):
    async with Running(fake):
        yield TelegramDriver(fake, next(CHATS))


@asynccontextmanager
async def webchat_driver(fake, monkeypatch):
    monkeypatch.setenv("WEBCHAT_COOKIE_SECRET", COOKIE_SECRET)
    settings.get_settings.cache_clear()
    port, app = free_port(), make_app()
    server, url = listen(app, port, "127.0.0.1"), f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            await client.get(url)
            session = decode_signed_value(COOKIE_SECRET, "cz_session", client.cookies["cz_session"])
            yield WebChatDriver(client, url, f"web-{session.decode()}")
    finally:
        server.stop()
        await app.settings["bridge"].relay.close()


@asynccontextmanager
async def wechat_driver(fake, monkeypatch):
    platform = fake_wechat.FakeWeChat(safe_mode=True)
    try:
        async with running_wechat(platform) as bridge, httpx.AsyncClient(timeout=60) as client:
            delivering = asyncio.create_task(deliver_staff_replies(bridge.client))  # as serve()
            try:
                yield WeChatDriver(
                    platform, client, bridge.relay.store, f"o{uuid.uuid4().hex[:20]}"
                )
            finally:
                delivering.cancel()
    finally:
        platform.close()


ADAPTERS = {"telegram": (telegram_driver, TelegramDriver), "webchat": (webchat_driver, WebChatDriver),
            "wechat": (wechat_driver, WeChatDriver)}  # fmt: skip
CASES = [
    pytest.param(adapter, name, id=f"{adapter}-{name}")
    for adapter, (_, driver) in ADAPTERS.items()
    for name, (_, needs) in SCENARIOS.items()
    if needs <= driver.can
]


@pytest.mark.parametrize(("adapter", "scenario"), CASES)
async def test_scenario(adapter, scenario, fake, bridge_env, monkeypatch):
    steps, _ = SCENARIOS[scenario]
    async with ADAPTERS[adapter][0](fake, monkeypatch) as driver:
        await steps(driver)
