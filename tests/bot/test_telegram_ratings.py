"""👍 / 👎 on Telegram: inline buttons side by side under the answer, emoji kept; pressing one rates
the answer through the real Rasa and action server (a fake Bot API)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db import make_engine
from store.models import AnswerRating
from tests.bot.telegram_bridge import CHATS, Running, wait_for

pytestmark = pytest.mark.integration


def ratings(stack) -> dict[int, str]:
    engine = make_engine(stack.database_url)
    with Session(engine) as session:
        found = {r.turn_id: r.rating for r in session.scalars(select(AnswerRating))}
    engine.dispose()
    return found


async def test_pressing_the_inline_thumbs_rates_the_answer(fake, bridge_env, stack):
    chat, before = next(CHATS), ratings(stack)
    async with Running(fake):
        fake.text(chat, "我们镇加装电梯现在装了多少台")
        await wait_for(fake, chat, 1)
        keyboard = fake.sent(chat)[-1]["reply_markup"]["inline_keyboard"]
        thumbs = {key["text"]: key["callback_data"] for key in keyboard[-1]}
        assert list(thumbs) == ["👍 有帮助", "👎 没帮助"]  # one row, the emoji kept
        assert all(len(row) == 1 for row in keyboard[:-1])  # the questions: one a row
        fake.press(chat, thumbs["👍 有帮助"], reply_markup={"inline_keyboard": keyboard})
        texts = await wait_for(fake, chat, 2)
        assert "谢谢您的评价" in texts[1]
        left = fake.edits()[-1]["reply_markup"]["inline_keyboard"]
        assert left == keyboard[:-1]  # the thumbs go, the answer's questions stay
        new = {k: v for k, v in ratings(stack).items() if k not in before}
        assert list(new.values()) == ["up"]
        fake.press(chat, thumbs["👎 没帮助"])  # an older keyboard's other button
        texts = await wait_for(fake, chat, 3)
    assert "12345" in texts[2]
    assert {k: v for k, v in ratings(stack).items() if k not in before} == {next(iter(new)): "down"}
