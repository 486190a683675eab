"""Driving the web chat's page in the browser tests: open it on a phone's screen, ask, wait for
the replies, and check the newest one is not hidden under the input box."""

from __future__ import annotations

import asyncio

PHONE = {"width": 390, "height": 844}


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
