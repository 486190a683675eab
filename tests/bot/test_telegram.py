"""Telegram end to end without the internet: a fake Bot API, python-telegram-bot's real client,
the real Rasa and action server."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import time

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.telegram import build_application, post_init, post_shutdown
from core import settings
from core.settings import ROOT
from language.catalogue import texts
from language.reference import find_reference
from language.text import is_too_long
from store import category_repo, privacy_repo, reply_repo, suggestion_repo
from store.db import make_engine
from store.identity import sender_hash
from store.models import OutboxMessage
from tests.bot.fake_telegram import FakeTelegram
from tests.stack import free_port

pytestmark = pytest.mark.integration
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


async def test_webhook_mode_refuses_requests_without_the_secret(fake, bridge_env):
    config = settings.get_settings().model_copy(
        update={"telegram_token": "123:TEST", "telegram_base_url": fake.url}
    )
    app = build_application(config)
    port = 18443
    await app.initialize()
    await app.start()
    await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="hook", secret_token="s3cret",
                                    webhook_url="https://example.invalid/hook")  # fmt: skip
    try:
        async with httpx.AsyncClient() as client:
            refused = await client.post(f"http://127.0.0.1:{port}/hook", json={"update_id": 1})
            allowed = await client.post(f"http://127.0.0.1:{port}/hook", json={"update_id": 2},
                                        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})  # fmt: skip
        assert refused.status_code == 403 and allowed.status_code == 200
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def start_main(fake: FakeTelegram, log, **env: str) -> subprocess.Popen:
    """`python -m bot.telegram` (its `main()`), as `make run` starts it."""
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.telegram"], cwd=ROOT,
        env={**os.environ, "TELEGRAM_TOKEN": "123:TEST", "TELEGRAM_BASE_URL": fake.url, **env},
        stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


async def test_main_in_webhook_mode_sets_the_webhook_and_answers_only_with_the_secret(
    fake, bridge_env, tmp_path
):
    port, chat, log = free_port(), next(CHATS), tmp_path / "webhook.log"
    process = start_main(
        fake, log, TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_URL="https://example.invalid/hook",
        TELEGRAM_WEBHOOK_SECRET="s3cret", TELEGRAM_WEBHOOK_PORT=str(port),
    )  # fmt: skip
    try:
        for _ in range(600):
            if "setWebhook" in fake.methods():
                break
            assert process.poll() is None, log.read_text()
            await asyncio.sleep(0.1)
        (registered,) = [p for m, p in fake.calls if m == "setWebhook"]
        assert registered["url"] == "https://example.invalid/hook"
        assert registered["secret_token"] == "s3cret"
        update = {"update_id": 7, "message": fake._message(chat, text="长护险怎么申请")}
        async with httpx.AsyncClient() as client:
            for _ in range(100):  # the listener comes up right after setWebhook
                try:
                    refused = await client.post(f"http://127.0.0.1:{port}/", json=update)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert refused.status_code == 403
            await asyncio.sleep(1)
            assert fake.texts(chat) == []  # nothing was handled
            allowed = await client.post(
                f"http://127.0.0.1:{port}/", json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
            )  # fmt: skip
        assert allowed.status_code == 200
        texts = await wait_for(fake, chat, 1)
        assert "长护险" in texts[0]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_main_refuses_webhook_mode_without_a_secret(fake, tmp_path):
    log = tmp_path / "webhook.log"
    process = start_main(fake, log, TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_URL="https://x.invalid/h",
                         TELEGRAM_WEBHOOK_SECRET="")  # fmt: skip
    assert process.wait(timeout=60) != 0
    assert "TELEGRAM_WEBHOOK_SECRET" in log.read_text()
    assert "setWebhook" not in fake.methods()
