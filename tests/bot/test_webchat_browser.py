"""The web chat as residents meet it, in headless Debian Chromium (Playwright), before a fake Rasa:
the first screen, the log on a phone, focus and accessibility. Waiting and failures:
test_webchat_waiting_browser.py; the session: test_webchat_session_browser.py."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.bot.webchat_fixtures import browser, chat, chromium, fake_rasa  # noqa: F401
from tests.bot.webchat_page import PHONE, ask, newest_is_visible, open_chat, replies

TOPICS_ZH = ["加装电梯", "养老服务", "就业创业", "12345热线", "提建议", "办事服务/一网通办",
             "救助帮困", "旧房修缮", "社区生活"]  # fmt: skip


async def test_the_first_screen_greets_with_the_topics_as_buttons(browser, chat, fake_rasa):
    page = await open_chat(browser, chat)
    greeting = page.locator("#log li.greeting")
    assert "长征镇市民助手" in await greeting.inner_text()
    buttons = greeting.locator(".topics button")
    assert await buttons.all_inner_texts() == TOPICS_ZH
    for title in TOPICS_ZH:  # all on the first screen of a phone, no scrolling
        assert await greeting.get_by_role("button", name=title).is_visible()
        box = await greeting.get_by_role("button", name=title).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"]
    await greeting.get_by_role("button", name="加装电梯").click()
    await replies(page, 2)
    await greeting.get_by_role("button", name="12345热线").click()
    await replies(page, 3)
    assert fake_rasa.messages() == ["加装电梯怎么申请", "12345热线怎么打"]
    assert (await page.locator("#log li.me").all_inner_texts()) == fake_rasa.messages()
    assert fake_rasa.received[0]["metadata"] == {"payload": False}  # sent as a question


async def test_the_newest_reply_is_never_under_the_input_box_on_a_phone(browser, chat):
    page = await open_chat(browser, chat)
    for i in range(6):
        await ask(page, f"长问题{i}")  # long answers: more than a screen
        await replies(page, 2 + i)
        assert await newest_is_visible(page), f"reply {i} hidden"
    # only the log scrolls; the page itself stays put
    assert await page.evaluate("document.scrollingElement.scrollTop") == 0
    assert await page.evaluate(
        "(l => l.scrollHeight > l.clientHeight)(document.getElementById('log'))"
    )
    await page.set_viewport_size(
        {"width": 390, "height": 480}
    )  # the keyboard takes half the screen
    await asyncio.sleep(0.3)
    assert await newest_is_visible(page)
    assert await page.locator("#message").is_visible() and await page.locator("#send").is_visible()
    box = await page.locator("#message").bounding_box()
    assert box["y"] + box["height"] <= 480
    await ask(page, "短问题")
    await replies(page, 8)
    assert await newest_is_visible(page)


async def test_focus_returns_to_the_input_after_a_button(browser, chat):
    page = await open_chat(browser, chat)
    focused = "document.activeElement && document.activeElement.id"
    await page.locator(".topics button").nth(1).click()
    await replies(page, 2)
    assert await page.evaluate(focused) == "message"
    await ask(page, "给我按钮")
    await replies(page, 3)
    await page.locator("#log .choices button").first.click()  # a reply's button
    await replies(page, 4)
    assert await page.evaluate(focused) == "message"
    await page.get_by_role("button", name="我的建议").click()  # a shortcut
    await replies(page, 5)
    assert await page.evaluate(focused) == "message"
    await page.keyboard.type("键盘直接输入")  # the resident can type straight away
    assert await page.input_value("#message") == "键盘直接输入"


async def test_the_log_is_a_polite_live_region(browser, chat):
    page = await open_chat(browser, chat)
    log = page.get_by_role("log")
    assert await log.count() == 1
    assert await log.get_attribute("aria-live") == "polite"
    assert await log.get_attribute("aria-label") == "对话记录"
    await ask(page, "你好")
    await replies(page, 2)
    assert await log.locator("li.me").inner_text() == "你好"
    assert await log.locator("li.bot").last.inner_text() == "答复：你好"
    assert await page.get_by_role("status").count() == 1  # the "replying…" indicator
    assert await page.locator("label[for=message]").count() == 1


def test_the_browser_test_fails_in_ci_when_chromium_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        chromium(tmp_path / "no-chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        chromium(tmp_path / "no-chromium")
    assert chromium(Path(__file__)) == Path(__file__)
