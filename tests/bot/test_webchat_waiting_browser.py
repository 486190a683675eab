"""While the web chat waits for Rasa (headless Chromium, fake Rasa): a replying indicator and a
disabled send, a please-wait notice for a slow reply, and never silence when Rasa or the bridge
fails."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from tests.bot.webchat_fixtures import browser, chat, fake_rasa  # noqa: F401
from tests.bot.webchat_page import ask, newest_is_visible, open_chat, replies


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
