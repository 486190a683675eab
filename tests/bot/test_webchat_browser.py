"""The web chat as residents meet it, in headless Debian Chromium (Playwright), before a fake Rasa."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from tests.bot.webchat_fixtures import browser, chat, chromium, fake_rasa  # noqa: F401

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CJK = re.compile(r"[\u3400-\u9fff]")
TOPICS_ZH = ["加装电梯", "养老服务", "就业创业", "12345热线", "提建议", "办事服务/一网通办",
             "救助帮困", "旧房修缮", "社区生活"]  # fmt: skip


async def open_chat(browser, url: str, viewport: dict = PHONE):
    page = await browser.new_page(viewport=viewport, device_scale_factor=1)
    await page.goto(url)
    return page


async def ask(page, text: str) -> None:
    await page.fill("#message", text)
    await page.press("#message", "Enter")


async def replies(page, count: int, timeout: float = 20) -> list[str]:
    """Wait for at least `count` bot replies (notices included); return their texts."""
    items = page.locator("#log li.bot, #log li.notice")
    for _ in range(int(timeout * 20)):
        if await items.count() >= count and not await page.locator("#send").is_disabled():
            return await items.all_inner_texts()
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} replies, got {await items.all_inner_texts()}")


async def newest_is_visible(page) -> bool:
    """The newest reply's beginning lies inside the log's visible area, above the input box."""
    return await page.evaluate(
        """() => {
          const log = document.getElementById("log").getBoundingClientRect();
          const form = document.getElementById("composer").getBoundingClientRect();
          const items = document.querySelectorAll("#log li.bot, #log li.notice");
          const r = items[items.length - 1].getBoundingClientRect();
          const visibleBottom = Math.min(log.bottom, form.top, window.visualViewport.height);
          return r.top >= log.top - 1 && r.top + 30 <= visibleBottom && log.bottom <= form.top + 1;
        }"""
    )


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


async def test_replying_indicator_and_disabled_send_while_waiting(browser, chat, fake_rasa):
    page = await open_chat(browser, chat)
    fake_rasa.delay = 2
    await ask(page, "加装电梯怎么申请")
    await page.locator("#status").filter(has_text="正在回复").wait_for(timeout=1000)
    assert await page.locator("#status").is_visible()
    assert await page.locator("#send").is_disabled()
    assert await page.locator(".topics button").first.is_disabled()
    await page.fill("#message", "再问一个")
    await page.press("#message", "Enter")  # ignored while waiting; the text stays
    assert await page.input_value("#message") == "再问一个"
    texts = await replies(page, 2)
    assert texts[-1] == "答复：加装电梯怎么申请"
    assert await page.locator("#send").is_enabled()
    assert not await page.locator("#status").is_visible()
    assert fake_rasa.messages() == ["加装电梯怎么申请"]


async def test_a_slow_reply_gets_a_please_wait_notice_then_the_reply(browser, chat, fake_rasa):
    page = await open_chat(browser, chat)
    fake_rasa.delay = 5.5  # beyond the 4 s notice, within the 8 s Rasa timeout
    await ask(page, "养老服务有哪些")
    await page.locator("#log li.notice").filter(has_text="请稍候").wait_for(timeout=5000)
    assert await newest_is_visible(page)
    texts = await replies(page, 3)
    assert texts[-1] == "答复：养老服务有哪些"


async def test_a_failed_or_timed_out_reply_is_never_silence(browser, chat, fake_rasa):
    page = await open_chat(browser, chat)
    fake_rasa.broken = True  # Rasa answers 500: the bridge apologises
    await ask(page, "你好")
    assert "12345" in (await replies(page, 2))[-1]
    fake_rasa.broken, fake_rasa.delay = False, 9  # Rasa silent past RASA_TIMEOUT_SECONDS (8)
    await ask(page, "你好吗")
    texts = await replies(page, 4, timeout=15)  # "please wait", then the apology
    assert "请稍候" in texts[-2] and "12345" in texts[-1]
    fake_rasa.delay = 0
    await page.route("**/api/message", lambda route: route.abort())  # the bridge unreachable
    await ask(page, "在吗")
    texts = await replies(page, 5)
    assert "连不上" in texts[-1] and "12345" in texts[-1]
    await page.unroute("**/api/message")
    await page.route(  # a reply with no message (a silenced flood): a notice all the same
        "**/api/message", lambda route: route.fulfill(json={"messages": []})
    )
    await ask(page, "在吗")
    assert "请稍等片刻" in (await replies(page, 6))[-1]
    await page.unroute("**/api/message")
    await ask(page, "在吗")  # and the chat works again
    assert (await replies(page, 7))[-1] == "答复：在吗"


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


async def test_after_switching_to_english_everything_is_english(browser, chat, fake_rasa):
    page = await open_chat(browser, chat)
    assert await page.get_attribute("html", "lang") == "zh-CN"
    await page.get_by_role("button", name="English").click()
    await replies(page, 2)
    assert await page.get_attribute("html", "lang") == "en"
    assert fake_rasa.messages() == ['/greet{"language": "en"}']

    async def chinese_left() -> list[str]:
        return await page.evaluate(
            """() => {
              const texts = [document.title];
              for (const el of document.querySelectorAll(
                "h1, nav button:not([lang]), label, #send, .topics button, li.greeting, li.privacy, li.notice, #status"))
                texts.push(el.textContent);
              for (const el of document.querySelectorAll("[aria-label]")) texts.push(el.getAttribute("aria-label"));
              texts.push(document.getElementById("message").placeholder);
              return texts.filter((t) => /[\\u3400-\\u9fff]/.test(t));
            }"""
        )

    assert await chinese_left() == []
    assert await page.get_by_role("button", name="Delete my data").is_visible()
    assert (
        await page.get_attribute("#message", "placeholder")
        == "e.g. How do I apply for an elevator?"
    )
    fake_rasa.delay = 5  # the notices are English too
    await ask(page, "How do I call 12345?")
    assert await page.locator("#status").inner_text() == "Replying…"
    texts = await replies(page, 4)
    assert texts[-2].startswith("Still working")
    fake_rasa.delay = 0
    await page.get_by_role("button", name="Elevators").click()  # topic buttons ask in English
    await replies(page, 5)
    assert fake_rasa.messages()[-1] == "How do I apply to install an elevator?"
    await page.get_by_role("button", name="Delete my data").click()
    assert (await replies(page, 6))[-1].startswith("Delete your data?")
    assert await page.get_by_role("button", name="No, keep it").is_visible()
    assert await chinese_left() == []
    await page.reload()  # the choice is kept
    assert await page.get_attribute("html", "lang") == "en" and await chinese_left() == []
    await page.get_by_role("button", name="中文").click()
    await replies(page, 2)
    assert await page.get_attribute("html", "lang") == "zh-CN"
    assert await page.get_attribute("#message", "placeholder") == "例如：加装电梯怎么申请"


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
