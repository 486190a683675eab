"""The resident's web chat session (headless Chromium, fake Rasa): deleting one's data asks first
and starts a new session in a script-proof cookie; a staff reply reaches the session once."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import asyncio

from tests.bot.webchat_fixtures import browser, chat, fake_rasa  # noqa: F401
from tests.bot.webchat_page import PHONE, ask, open_chat, replies


async def test_delete_my_data_asks_for_confirmation_first(browser, chat, fake_rasa):
    page = await open_chat(browser, chat)
    context = page.context
    before = {c["name"]: c["value"] for c in await context.cookies()}
    await page.get_by_role("button", name="删除我的信息").click()
    texts = await replies(page, 2)
    assert "确定要删除" in texts[-1]  # Rasa's rule asks (here the fake's), nothing deleted yet
    await page.get_by_role("button", name="不删除").click()
    assert "没有删除" in (await replies(page, 3))[-1]
    await ask(page, "删除我的信息")  # typed: asked too
    await replies(page, 4)
    await page.get_by_role("button", name="确认删除").click()
    assert "已删除" in (await replies(page, 5))[-1]
    assert fake_rasa.messages() == ["/suggestion_delete_data", "/deny", "删除我的信息", "/affirm"]
    after = {c["name"]: c["value"] for c in await context.cookies()}
    assert after["cz_session"] != before["cz_session"]  # a new session from now on
    cookie = next(c for c in await context.cookies() if c["name"] == "cz_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert await page.evaluate("document.cookie") == ""  # invisible to scripts


async def test_a_staff_reply_is_shown_once_acknowledged_and_never_shown_twice(
    browser, chat, fake_rasa
):
    from datetime import timedelta

    from sqlalchemy import select, update
    from tornado.web import decode_signed_value

    from store.db import get_sessionmaker
    from store.models import OutboxMessage, utcnow
    from tests.bot.webchat_fixtures import COOKIE_SECRET

    context = await browser.new_context(viewport=PHONE)  # one browser, two tabs
    first = await context.new_page()
    await first.goto(chat)
    await first.wait_for_load_state("networkidle")  # its first poll is answered (nothing yet)
    cookie = next(c for c in await first.context.cookies() if c["name"] == "cz_session")
    session_id = decode_signed_value(COOKIE_SECRET, "cz_session", cookie["value"]).decode()
    with get_sessionmaker().begin() as session:
        session.add(
            OutboxMessage(channel="webchat", address=f"web-{session_id}", text="已派人查看。")
        )
    await first.reload()  # coming back: shown, then acknowledged by the page
    await first.locator("#log li.staff").wait_for(timeout=15000)

    def state() -> tuple[str, int]:
        with get_sessionmaker()() as session:
            message = session.scalars(select(OutboxMessage)).one()
            return message.state, message.attempts

    for _ in range(100):
        if state()[0] == "sent":
            break
        await asyncio.sleep(0.1)
    assert state() == ("sent", 1)
    second = await context.new_page()
    await second.goto(chat)
    await second.wait_for_load_state("networkidle")
    with get_sessionmaker().begin() as session:  # as if the acknowledgement had been lost
        session.execute(update(OutboxMessage).values(
            state="sending", claimed_by="web:lost", lease_until=utcnow() - timedelta(seconds=1)
        ))  # fmt: skip
    await second.reload()  # handed out again: this browser has shown it, so it only acknowledges
    for _ in range(100):
        if state() == ("sent", 2):
            break
        await asyncio.sleep(0.1)
    assert state() == ("sent", 2)
    assert await second.locator("#log li.staff").count() == 0
    shown = await first.locator("#log li.staff").all_inner_texts()
    assert len(shown) == 1 and shown[0].endswith("已派人查看。")
