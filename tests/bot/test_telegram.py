"""Telegram end to end without the internet: a fake Bot API, python-telegram-bot's real client,
the real Rasa and action server. Questions, buttons, Rasa down, bad input and floods here; a
suggestion's number, staff replies and deleting one's data: test_telegram_suggestions.py; webhook
mode: test_telegram_webhook.py."""

from __future__ import annotations

import asyncio
import time

import pytest

from language.catalogue import texts
from language.text import is_too_long
from tests.bot.telegram_bridge import CHATS, Running, wait_for

pytestmark = pytest.mark.integration


async def test_an_elevator_question_gets_the_sourced_answer_and_commands_are_registered(
    fake, bridge_env
):
    chat = next(CHATS)
    async with Running(fake):
        fake.text(chat, "加装电梯现在装了多少台")
        texts = await wait_for(fake, chat, 1)
    assert "23台" in texts[0] and "来源" in texts[0]
    assert "setMyCommands" in fake.methods() and "sendChatAction" in fake.methods()


async def test_a_button_press_sends_the_payload_behind_its_token(fake, bridge_env):
    chat = next(CHATS)
    async with Running(fake):
        fake.text(chat, "加装电梯怎么申请")
        await wait_for(fake, chat, 1)
        keyboard = fake.sent(chat)[-1]["reply_markup"]["inline_keyboard"]
        token = keyboard[0][0]["callback_data"]
        assert len(token.encode()) <= 64 and "/" not in token
        fake.press(chat, token)
        texts = await wait_for(fake, chat, 2)
        fake.press(chat, "forged-token")
        expired = await wait_for(fake, chat, 3)
    assert "业主" in texts[1] or "同意" in texts[1] or "费用" in texts[1]
    assert "过期" in expired[2]
    assert "answerCallbackQuery" in fake.methods() and "editMessageReplyMarkup" in fake.methods()


async def test_rasa_down_gets_an_apology_within_seconds_then_recovers(fake, bridge_env, switch):
    chat = next(CHATS)
    async with Running(fake):
        switch.down = True
        started = time.monotonic()
        fake.text(chat, "加装电梯怎么申请")
        texts = await wait_for(fake, chat, 1)
        assert "12345" in texts[0] and time.monotonic() - started < 10
        switch.down = False
        fake.text(chat, "长护险怎么申请")
        texts = await wait_for(fake, chat, 2)
    assert "长护险" in texts[1]


@pytest.mark.parametrize(
    ("message", "check"),
    [
        ("加装电梯" * 12_500, lambda t: t),
        ("😀😀😀", lambda t: t),
        ("<script>alert(1)</script>", lambda t: t and "<script>" not in t),
        ('/elevator_progress{"x":1}', lambda t: "23台" not in t),
    ],
    ids=["50KB", "emoji", "script", "typed-intent"],
)
async def test_bad_input_gets_a_clear_reply(fake, bridge_env, message, check):
    chat = next(CHATS)
    async with Running(fake):
        fake.text(chat, message)
        await wait_for(fake, chat, 2 if is_too_long(message) else 1)  # notice, then the answer
    answers = fake.texts(chat)
    assert not set(texts("apology").values()) & set(answers), answers  # Rasa answered
    assert check(answers[-1])


async def test_photos_and_a_flood_are_answered_politely(fake, bridge_env):
    chat = next(CHATS)
    async with Running(fake):
        fake.photo(chat)
        texts = await wait_for(fake, chat, 1)
        assert "文字" in texts[0]
        for index in range(100):
            fake.text(chat, f"你好{index}")
        await asyncio.sleep(8)
    notices = [t for t in fake.texts(chat) if "太快" in t]
    assert len(notices) == 1
