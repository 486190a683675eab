"""A clerk's day in headless Chromium: bulk actions chosen by mouse and keyboard, the shortcut
list, and the daily summary sent by e-mail to a fake SMTP server."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from core import settings
from core.settings import ROOT
from store import db, suggestion_repo
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console import smtp_fake
from tests.console.browser import signed_in
from tests.console.conftest import make_suggestion

DOCS = ROOT / "docs"


async def test_bulk_actions_from_the_keyboard_and_the_mouse(browser, console):
    references = [
        make_suggestion(f"中江路第{n}盏路灯不亮", location_std="中江路") for n in range(3)
    ]
    page = await signed_in(browser, console, viewport={"width": 1280, "height": 900})
    await page.keyboard.press("?")  # the shortcut list
    assert await page.is_visible("dialog#shortcuts")
    assert "下一条" in await page.inner_text("dialog#shortcuts")
    await page.keyboard.press("Escape")
    for key in ("j", "x", "j", "x"):  # the newest two, chosen from the keyboard
        await page.keyboard.press(key)
    assert await page.inner_text("#chosen") == "2"
    await page.screenshot(path=str(DOCS / "console-bulk.png"))
    chosen = await page.eval_on_selector_all(
        "#queue input[name=ids]:checked", "boxes => boxes.map(b => b.getAttribute('aria-label'))"
    )
    assert sorted(chosen) == sorted(references[1:])
    await page.select_option("#bulk-box select[name=assignee]", label="admin")
    async with page.expect_navigation():
        await page.click("#bulk-assign")
    assert "已处理 2 条" in await page.inner_text("main")
    assignees = {}  # reference → the assignee column
    for row in await page.locator("#queue tbody tr").all():
        reference = (await row.locator("td").nth(1).inner_text()).split()[0]
        assignees[reference] = await row.locator("td").last.inner_text()
    assert [assignees[r] for r in references] == ["", "admin", "admin"]

    await page.check("#choose-all")  # then every one on the page becomes a duplicate of one
    await page.uncheck(f'input[aria-label="{references[0]}"]')
    await page.fill("#bulk-box input[name=original]", references[0])
    async with page.expect_navigation():
        await page.click("#bulk-duplicate")
    with db.get_sessionmaker()() as session:
        statuses = [suggestion_repo.get_by_reference(session, reference=r).status
                    for r in references]  # fmt: skip
    assert statuses == ["received", "duplicate", "duplicate"]
    await page.keyboard.press("j")  # Enter opens the current one
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "/suggestions/JY-" in page.url


async def test_the_daily_summary_is_read_and_mailed(browser, console, monkeypatch):
    urgent = make_suggestion("电梯里困人了", urgent=True)
    make_suggestion("建议增设座椅")
    server, stop = smtp_fake.start()
    try:
        monkeypatch.setenv("SMTP_HOST", server.host)
        monkeypatch.setenv("SMTP_PORT", str(server.port))
        monkeypatch.setenv("SUMMARY_TO", "office@example.org")
        settings.get_settings.cache_clear()
        page = await signed_in(browser, console)
        async with page.expect_navigation():
            await page.click("header nav >> text=每日汇总")
        assert await page.inner_text("#n-new") == "2" and await page.inner_text("#n-urgent") == "1"
        assert urgent in await page.inner_text("#summary")
        await page.screenshot(path=str(DOCS / "console-summary.png"), full_page=True)
        async with page.expect_navigation():
            await page.click("#mail-summary")
        assert "汇总已发送至 office@example.org" in await page.inner_text("main")
    finally:
        stop()
    (mail,) = server.messages
    assert mail.recipients == ["office@example.org"]
    assert urgent in mail.message.get_body(("html",)).get_content()
