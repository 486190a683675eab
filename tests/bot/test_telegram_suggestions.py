"""A resident's suggestions and data over Telegram (fake Bot API, real Rasa and action server):
the reference number, the staff reply delivered once (a send that times out is not resent), and
deleting one's data asked first."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from language.reference import find_reference
from store import category_repo, privacy_repo, reply_repo, suggestion_repo
from store.db import make_engine
from store.identity import sender_hash
from store.models import OutboxMessage
from tests.bot.telegram_bridge import CHATS, Running, wait_for

pytestmark = pytest.mark.integration


async def test_a_suggestion_gets_its_number_and_the_staff_reply_is_delivered_once(
    fake, bridge_env, stack
):
    chat = next(CHATS)
    async with Running(fake):
        fake.text(chat, "建议在中江路口增设一个红绿灯")
        await wait_for(fake, chat, 1)
        fake.text(chat, "对")  # the category read from the text, confirmed
        await wait_for(fake, chat, 2)
        fake.text(chat, "回复到这里")
        await wait_for(fake, chat, 3)
        fake.text(chat, "确认提交")
        texts = await wait_for(fake, chat, 4)
        reference = find_reference(texts[3])
        assert reference
        engine = make_engine(stack.database_url)
        with Session(engine) as session, session.begin():
            saved = suggestion_repo.get_by_reference(session, reference=reference)
            assert saved.channel == "telegram" and saved.reply_address == f"tg-{chat}"
            reply_repo.publish_reply(session, saved, text="已转交交警部门研究。", by="clerk")
        replies = await wait_for(fake, chat, 5, timeout=30)
    assert "已转交交警部门研究。" in replies[4] and reference in replies[4]
    async with Running(fake):  # a restarted bridge does not send it again
        await asyncio.sleep(3)
    assert len(fake.texts(chat)) == 5
    with Session(engine) as session:
        mine = select(OutboxMessage.state).where(OutboxMessage.address == f"tg-{chat}")
        assert list(session.scalars(mine)) == ["sent"]
    engine.dispose()


async def test_a_send_that_times_out_is_marked_uncertain_and_not_resent(fake, bridge_env, stack):
    chat = next(CHATS)
    engine = make_engine(stack.database_url)
    with Session(engine) as session, session.begin():
        category_repo.import_categories(session)
        saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
            draft_id=f"t{chat}", text="测试超时", category_key="other", channel="telegram",
            sender_hash="x", reply_address=f"tg-{chat}", wants_reply=True,
        ))  # fmt: skip
        reply_repo.publish_reply(session, saved, text="答复内容", by="clerk")
    fake.send_failure = "timeout_after_send"
    async with Running(fake):
        await wait_for(fake, chat, 1)
        await asyncio.sleep(6)
    assert len(fake.texts(chat)) == 1
    with Session(engine) as session:
        mine = select(OutboxMessage.state).where(OutboxMessage.address == f"tg-{chat}")
        assert list(session.scalars(mine)) == ["uncertain"]
    engine.dispose()


def deletion_requested(stack, chat: int) -> bool:
    engine = make_engine(stack.database_url)
    with Session(engine) as session:
        hashed = sender_hash("telegram", f"tg-{chat}")
        requested = privacy_repo.deletion_requested(session, sender_hash=hashed)
    engine.dispose()
    return requested


async def test_delete_my_data_is_asked_first_a_no_keeps_and_a_yes_deletes(fake, bridge_env, stack):
    chat = next(CHATS)
    async with Running(fake):
        fake.text(chat, "/delete_my_data")
        assert "确定要删除" in (await wait_for(fake, chat, 1))[0]
        keyboard = fake.sent(chat)[-1]["reply_markup"]["inline_keyboard"]
        assert [[key["text"] for key in row] for row in keyboard] == [["确认删除"], ["不删除"]]
        fake.press(chat, keyboard[1][0]["callback_data"])  # no
        assert "没有删除" in (await wait_for(fake, chat, 2))[1]
        assert not deletion_requested(stack, chat)
        fake.text(chat, "我不想让你们保存我的信息了")  # in the resident's words: asked too
        assert "确定要删除" in (await wait_for(fake, chat, 3))[2]
        fake.text(chat, "不要删")  # a refusal is never a yes
        assert "没有删除" in (await wait_for(fake, chat, 4))[3]
        assert not deletion_requested(stack, chat)
        fake.text(chat, "/delete_my_data")
        await wait_for(fake, chat, 5)
        fake.text(chat, "是的")  # a typed yes
        assert "已完成" in (await wait_for(fake, chat, 6))[5]
    assert deletion_requested(stack, chat)
    other = next(CHATS)
    async with Running(fake):
        fake.text(other, "删除我的信息")
        await wait_for(fake, other, 1)
        yes = fake.sent(other)[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        fake.press(other, yes)  # the button
        assert "已完成" in (await wait_for(fake, other, 2))[1]
    assert deletion_requested(stack, other)
