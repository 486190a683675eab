"""Telegram under load: when many sends wait in python-telegram-bot's limiter (Telegram lets a bot
send about 30 messages a second), a resident gets a short busy reply at once instead of an answer
minutes late, Rasa is not asked, and no typing indicator is queued (fake Bot API, fake Rasa)."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import pytest

from core import settings
from language.catalogue import say
from tests.bot.telegram_bridge import CHATS, Running, wait_for
from tests.bot.webchat_fixtures import fake_rasa  # noqa: F401


@pytest.mark.parametrize(("queue", "busy"), [("0", True), ("60", False)])
async def test_a_long_send_queue_gets_a_busy_reply_and_no_typing(fake, fake_rasa, monkeypatch,
                                                                  queue, busy):  # fmt: skip
    monkeypatch.setenv("TELEGRAM_BUSY_QUEUE", queue)  # 0: the queue counts as long at once
    settings.get_settings.cache_clear()
    chat = next(CHATS)
    async with Running(fake):
        fake.text(chat, "加装电梯怎么申请")
        texts = await wait_for(fake, chat, 1)
    assert (texts == [say("busy")]) is busy
    assert (fake_rasa.messages() == []) is busy
    assert ("sendChatAction" in fake.methods()) is not busy
