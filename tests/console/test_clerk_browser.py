"""A clerk's day in headless Chromium: search by part of a word, bulk actions, duplicates, the
audit log, the daily summary, the phone layout."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import make_suggestion


async def test_search_finds_part_of_a_word_and_highlights_it(browser, console):
    gas = make_suggestion("楼道里煤气味很重，快来看看", urgent=True)
    make_suggestion("长征公园晚上路灯太暗", location_std="长征公园")
    make_suggestion("建议小区增设电动自行车充电桩")
    page = await signed_in(browser, console)
    rows = page.locator("#queue tbody tr")
    for query, expected in (("煤气", "煤气"), ("灯", "灯"), (gas[12:16], gas[12:16])):
        await page.fill("input[name=q]", query)
        await page.click("text=筛选")
        assert await rows.count() == 1, query
        assert await rows.first.locator("mark").first.inner_text() == expected
