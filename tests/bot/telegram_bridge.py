"""The Telegram bridge in the tests: python-telegram-bot's real client polling the fake Bot API
(`Running`), fresh chat ids (`CHATS`), and waiting for what it sent to a chat (`wait_for`)."""

from __future__ import annotations

import asyncio
import itertools
import random

from bot.telegram import build_application, post_init, post_shutdown
from core import settings
from tests.bot.fake_telegram import FakeTelegram

CHATS = itertools.count(random.randrange(10**6, 10**9, 10**5))  # Redis remembers chats: fresh ones


class Running:
    """A started bridge: python-telegram-bot polling the fake API."""

    def __init__(self, fake: FakeTelegram) -> None:
        config = settings.get_settings().model_copy(
            update={
                "telegram_token": "123:TEST",
                "telegram_base_url": fake.url,
                "telegram_read_timeout": 1.5,
            }
        )
        self.app = build_application(config)

    async def __aenter__(self):
        await self.app.initialize()
        await post_init(self.app)
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0.05, timeout=0)
        return self.app

    async def __aexit__(self, *exc) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await post_shutdown(self.app)
        await self.app.shutdown()


async def wait_for(fake: FakeTelegram, chat: int, count: int, timeout: float = 60) -> list[str]:
    return await asyncio.to_thread(fake.wait_for, chat, count, timeout)
