"""Helpers of the console's browser tests."""

from __future__ import annotations

from tests.console.conftest import PASSWORD


async def signed_in(browser, console: str, username: str = "wang", **context):
    """A new browser page signed in to the console as `username`."""
    page = await (await browser.new_context(accept_downloads=True, **context)).new_page()
    await page.goto(f"{console}/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
    return page
