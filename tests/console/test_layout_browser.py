"""The console's layout in headless Chromium: on a 390 px phone no page scrolls sideways (a wide
table scrolls in its own box) and every header link stays on one line; at 1280 px in English the
header wraps between links, never inside one. The favicon is served."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import pytest

from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import analytics_repo, db
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import make_suggestion

PAGES = ("/suggestions", "/entries", "/unanswered", "/dashboard")
MORE = ("/publish", "/ratings", "/deliveries", "/entries/elevator_apply",
        "/admin/accounts", "/admin/categories", "/admin/audit")  # fmt: skip
LAYOUT = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  links: [...document.querySelectorAll('header.top nav a, header.top .right > *')].map(a => ({
    text: a.textContent.trim(), lines: a.getClientRects().length,
    height: a.getBoundingClientRect().height,
    line: parseFloat(getComputedStyle(a).lineHeight) || parseFloat(getComputedStyle(a).fontSize) * 1.5,
  })),
  titles: [...document.querySelectorAll('#entries tbody td:first-child')].slice(0, 5)
    .map(a => a.getBoundingClientRect().width),
})"""


@pytest.fixture
def data():
    """Entries, a long suggestion and an unanswered question, so every page has its tables."""
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        analytics_repo.record_turn(session, sender_hash="h", channel="webchat", language="zh",
                                   intent="nlu_fallback", confidence=0.1, outcome="fallback",
                                   masked_text="小区快递柜可以装在哪里")  # fmt: skip
    return make_suggestion("梅川路的小区里请增设电瓶车充电桩，现在大家都飞线充电很危险" * 3,
                           location_std="梅川路", wants_reply=True)  # fmt: skip


def _check(found: dict, width: int, path: str) -> None:
    assert found["scrollWidth"] <= width, (path, found["scrollWidth"])
    for link in found["links"]:
        assert link["lines"] == 1 and link["height"] <= link["line"] * 1.5, (path, link)


async def test_no_page_scrolls_sideways_on_a_390_px_phone(browser, console, data):
    page = await signed_in(browser, console, "admin", viewport={"width": 390, "height": 844})
    for path in PAGES:
        await page.goto(f"{console}{path}")
        found = await page.evaluate(LAYOUT)
        _check(found, 390, path)
        if path == "/entries":
            assert found["titles"] and min(found["titles"]) >= 140  # a title, not a letter a line
            box = await page.evaluate("""() => { const t = document.getElementById('entries');
              return {overflow: getComputedStyle(t).overflowX, scroll: t.scrollWidth,
                      client: t.clientWidth}; }""")  # fmt: skip
            assert box["overflow"] == "auto" and box["client"] <= 390
    for path in (*MORE, f"/suggestions/{data}"):
        assert (await page.goto(f"{console}{path}")).ok, path
        _check(await page.evaluate(LAYOUT), 390, path)


async def test_the_english_header_wraps_between_whole_links_at_1280_px(browser, console, data):
    page = await signed_in(browser, console, "admin", viewport={"width": 1280, "height": 900})
    await page.goto(f"{console}/dashboard")
    await page.click("header.top >> text=English")
    await page.wait_for_selector("header.top nav >> text=Worst-rated entries")
    for path in PAGES:
        await page.goto(f"{console}{path}")
        _check(await page.evaluate(LAYOUT), 1280, path)


async def test_the_favicon_is_linked_and_served(browser, console):
    page = await signed_in(browser, console, "wang")
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    await page.goto(f"{console}/suggestions")
    href = await page.get_attribute("link[rel=icon]", "href")
    response = await page.request.get(f"{console}{href}")
    assert response.status == 200 and "svg" in response.headers["content-type"]
    assert (await page.request.get(f"{console}/favicon.ico")).status == 200  # redirected to it
    assert missing == []
