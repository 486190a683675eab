"""A person takes over, in headless Chromium, with the real assistant (trained model, action
server, Rasa): a resident asks for a person in the web chat; a clerk takes the conversation in
the console (Rasa paused) and writes; the resident sees it, and what they write meanwhile shows in
the console, masked, with no apology in the chat; the clerk ends it; the assistant answers the
next question. The screenshot of the console's conversation goes to the docs."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures and the ratings test)

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from core.settings import ROOT
from language.catalogue import say
from store import db, handoff_repo
from store.models import Handoff
from tests.bot.test_webchat_ratings_browser import stack_chat  # noqa: F401
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.bot.webchat_page import PHONE, ask, replies
from tests.console.browser import signed_in
from tests.console.stack_console import console_on_stack
from tests.stack import AUTH_TOKEN

pytestmark = pytest.mark.integration
ALWAYS = "1-7 00:00-24:00"  # office hours whatever the day and time the test runs
PHONE_NUMBER = "13912345678"


@pytest.fixture
def clerk_console(stack, stack_chat, monkeypatch):
    monkeypatch.setenv("RASA_URL", stack.rasa_url)
    monkeypatch.setenv("RASA_AUTH_TOKEN", AUTH_TOKEN)
    with console_on_stack(stack, monkeypatch, "reviewer") as (url, username):
        with db.get_sessionmaker().begin() as session:
            handoff_repo.set_hours(session, ALWAYS, by="test")
        yield url, username
        with db.get_sessionmaker().begin() as session:
            handoff_repo.set_hours(session, "1-5 09:00-17:00", by="test")


async def until(check, timeout: float = 40):
    """Poll `check` (an async callable) until it returns something true."""
    for _ in range(int(timeout * 10)):
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"not reached within {timeout} s")


def newest_waiting() -> int:
    with db.get_sessionmaker()() as session:
        found = session.scalars(
            select(Handoff.id).where(Handoff.state == "waiting").order_by(Handoff.id.desc())
        ).first()
    assert found is not None, "the request for a person did not reach the live queue"
    return found


async def staff_texts(chat) -> list[str]:
    return await chat.locator("#log li.staff").all_inner_texts()


async def test_a_clerk_takes_over_writes_and_hands_back_to_the_assistant(
    browser, stack, stack_chat, clerk_console
):
    console, clerk = clerk_console
    chat = await browser.new_page(viewport=PHONE, device_scale_factor=1)
    await chat.goto(stack_chat)
    await ask(chat, "转人工")
    said = await replies(chat, 2)
    assert "转接工作人员" in said[-1], said
    handoff_id = newest_waiting()

    page = await signed_in(browser, console, clerk)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto(f"{console}/handoff")
    await page.click(f"a[href='/handoff/{handoff_id}']")
    await page.click("#take")
    await until(lambda: page.locator("#handoff-text").count())
    taken = handoff_repo.TOLD["taken"]["zh"]
    await until(lambda: _has(chat, taken))

    before = await chat.locator("#log li.bot, #log li.notice").count()
    await ask(chat, f"我家楼道灯坏了，我电话{PHONE_NUMBER}")
    messages = page.locator("#handoff-messages")
    await until(lambda: _contains(messages, "楼道灯坏了"))  # live in the console, by polling
    assert PHONE_NUMBER not in await messages.inner_text()  # masked as the tracker store keeps it
    shown = await chat.locator("#log li.bot, #log li.notice").all_inner_texts()
    assert len(shown) == before and say("apology") not in shown  # Rasa paused, and no apology

    await page.fill("#handoff-text", "您好，我们马上派电工去修理楼道灯。")
    await page.click("#send")
    await until(lambda: _has(chat, "派电工"))
    await until(lambda: _contains(messages, "派电工"))
    (ROOT / "docs").mkdir(exist_ok=True)
    await page.screenshot(path=str(ROOT / "docs" / "handoff.png"), full_page=True)

    await page.click("#end")
    await until(lambda: _has(chat, handoff_repo.TOLD["ended"]["zh"]))
    with db.get_sessionmaker()() as session:
        assert session.get(Handoff, handoff_id).state == "ended"

    count = await chat.locator("#log li.bot, #log li.notice").count()
    await ask(chat, "我们镇加装电梯现在装了多少台")
    answer = (await replies(chat, count + 1))[-1]
    assert "23台" in answer, answer  # the assistant answers again


async def _has(chat, text: str) -> bool:
    return any(text in shown for shown in await staff_texts(chat))


async def _contains(locator, text: str) -> bool:
    return text in await locator.inner_text()
