"""A clerk's day in headless Chromium: search by part of a word, bulk actions, duplicates, the
audit log, the daily summary, the phone layout."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from tornado.web import decode_signed_value

from core.settings import ROOT
from tests.bot.webchat_fixtures import COOKIE_SECRET, browser, chat, fake_rasa  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import make_suggestion

DOCS = ROOT / "docs"


async def test_search_finds_part_of_a_word_and_highlights_it(browser, console):
    gas = make_suggestion("楼道里煤气味很重，快来看看", urgent=True)
    make_suggestion("长征公园晚上路灯太暗", location_std="长征公园")
    make_suggestion("建议小区增设电动自行车充电桩")
    page = await signed_in(browser, console)
    rows = page.locator("#queue tbody tr")
    for query, expected in (("煤气", "煤气"), ("灯", "灯"), (gas[12:16], gas[12:16])):
        await page.fill("input[name=q]", query)
        async with page.expect_navigation():
            await page.click("text=筛选")
        assert await rows.count() == 1, query
        assert await rows.first.locator("mark").first.inner_text() == expected


async def _resident(browser, chat: str):
    """A resident's web chat page and the reply address its session gives."""
    page = await (await browser.new_context()).new_page()
    await page.goto(chat)
    cookie = next(c for c in await page.context.cookies() if c["name"] == "cz_session")
    return page, f"web-{decode_signed_value(COOKIE_SECRET, 'cz_session', cookie['value']).decode()}"


async def test_duplicates_receive_the_originals_reply(browser, console, chat):
    first, first_address = await _resident(browser, chat)
    second, second_address = await _resident(browser, chat)
    original = make_suggestion("中江路路灯坏了", wants_reply=True, reply_address=first_address)
    copy = make_suggestion("中江路的灯不亮", wants_reply=True, reply_address=second_address)
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions/{copy}")
    await page.fill("input[name=original]", original)
    async with page.expect_navigation():
        await page.click('button:has-text("标记为重复")')
    await page.goto(f"{console}/suggestions/{original}")
    assert copy in await page.inner_text("#duplicates")  # the original lists its duplicate
    await page.fill("#reply-text", "路灯已于今日修复。")
    await page.select_option("select[name=close_as]", "answered")
    async with page.expect_navigation():
        await page.click("#publish")
    async with page.expect_navigation():  # the confirmation
        await page.click("#confirm-publish")
    for resident in (first, second):
        await resident.reload()
        await resident.wait_for_selector("text=路灯已于今日修复。")
    assert copy in await second.inner_text("body")  # told as a reply to their own number


async def test_a_rest_residents_reply_state_is_explained(browser, console):
    reference = make_suggestion("建议增加公交班次", channel="rest", wants_reply=True,
                                reply_address="resident-9")  # fmt: skip
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions/{reference}")
    await page.fill("#reply-text", "已联系公交公司。")
    async with page.expect_navigation():
        await page.click("#publish")
    async with page.expect_navigation():  # the confirmation
        await page.click("#confirm-publish")
    assert await page.inner_text("#delivery") == "待居民查询"
    assert "下次查询编号" in await page.inner_text("#rest-explained")


async def test_the_audit_log_reads_as_words_filters_and_fits_the_page(browser, console):
    reference = make_suggestion("建议增设垃圾桶")
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions/{reference}")
    await page.fill('form[action$="/note"] textarea', "请环卫所核实")  # an internal note
    async with page.expect_navigation():
        await page.click('button:has-text("添加备注")')
    await page.select_option("select[name=status]", "in_review")
    await page.fill("input[name=note]", "已联系居委会" * 30)  # a long note wraps
    async with page.expect_navigation():
        await page.click('form[action$="/status"] button')
    admin = await signed_in(browser, console, "admin", viewport={"width": 1280, "height": 800})
    await admin.goto(f"{console}/admin/audit")
    log = await admin.inner_text("#audit")
    assert "更改状态" in log and "已收到" in log and "正在研究" in log and "请环卫所核实" in log
    assert "\\u" not in await admin.content() and "in_review" not in log
    width = await admin.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    await admin.select_option("select[name=who]", "wang")
    await admin.select_option("select[name=what]", "note")
    async with admin.expect_navigation():
        await admin.click("#audit-filters button")
    rows = admin.locator("#audit tbody tr")
    assert await rows.count() == 1 and "添加内部备注" in await rows.first.inner_text()
    await admin.goto(f"{console}/admin/audit?who=admin")
    assert await rows.count() == 0


async def test_the_queue_is_a_list_of_cards_on_a_phone(browser, console):
    for n in range(3):
        make_suggestion(
            f"长征公园第{n}号路灯不亮，晚上走路很不安全，希望尽快修理", location_std="长征公园"
        )
    page = await signed_in(browser, console, viewport={"width": 390, "height": 844})
    assert await page.evaluate("document.getElementById('filters-box').open") is False
    assert await page.is_hidden("#queue thead")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator("#queue tbody tr").first
    box = await first.bounding_box()
    assert (
        box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] < 844
    )  # on the first screen
    label = "td => getComputedStyle(td, '::before').content"
    assert "地点：" in await first.locator("td[data-label]").nth(3).evaluate(label)  # labelled
    await page.screenshot(path=str(DOCS / "console-queue-phone.png"))
    await page.click("#filters-box summary")
    assert await page.is_visible("input[name=q]")
