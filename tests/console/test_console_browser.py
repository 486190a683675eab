"""The console in headless Chromium (Debian's, driven by Playwright), as a town clerk uses it."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select
from telegram import Bot
from tornado.web import decode_signed_value

from bot import outbox
from core.settings import ROOT
from store import db
from store.models import OutboxMessage, StaffAccount
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.webchat_fixtures import COOKIE_SECRET, browser, chat, fake_rasa  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import PASSWORD, make_suggestion

DOCS = ROOT / "docs"


async def test_sign_in_shows_the_queue_and_signing_out_ends_the_session(browser, console):
    make_suggestion("建议在长征公园增加座椅")
    page = await signed_in(browser, console)
    assert await page.locator("#queue").count() == 1
    assert "长征公园" in await page.inner_text("#queue")
    await page.click("text=退出")
    await page.goto(f"{console}/suggestions")
    assert "/login" in page.url


async def test_five_wrong_passwords_lock_the_account(browser, console):
    page = await (await browser.new_context()).new_page()
    for _ in range(5):
        await page.goto(f"{console}/login")
        await page.fill("input[name=username]", "wang")
        await page.fill("input[name=password]", "wrong-password")
        await page.click("button[type=submit]")
    await page.goto(f"{console}/login")
    await page.fill("input[name=username]", "wang")
    await page.fill("input[name=password]", PASSWORD)  # the right one, too late
    await page.click("button[type=submit]")
    assert "/login" in page.url and "锁定" in await page.inner_text(".error")
    with db.get_sessionmaker()() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.username == "wang")).one()
        assert account.failed_logins == 5 and account.locked_until is not None


async def test_filter_and_search_the_queue_in_chinese(browser, console):
    make_suggestion("建议小区增设电动自行车充电桩", location_std="长征新村")
    make_suggestion("楼道里堆满了杂物没人管", category_key="environment")
    make_suggestion("煤气泄漏了有味道", urgent=True)
    page = await signed_in(browser, console)
    rows = page.locator("#queue tbody tr")
    assert await rows.count() == 3
    assert "煤气" in await rows.first.inner_text()  # urgent first
    await page.fill("input[name=q]", "充电桩")
    await page.click("text=筛选")
    assert await rows.count() == 1 and "充电桩" in await rows.first.inner_text()
    await page.goto(f"{console}/suggestions")
    await page.select_option("select[name=category]", "environment")
    await page.click("text=筛选")
    assert await rows.count() == 1 and "楼道" in await rows.first.inner_text()
    assert "共 1 条" in await page.inner_text("#total")
    await page.goto(f"{console}/suggestions?urgent=1")
    assert await rows.count() == 1 and "煤气" in await rows.first.inner_text()
    assert await page.locator("[role=alert]").count() == 1  # the urgent banner is up
    await page.goto(f"{console}/suggestions")
    await page.set_viewport_size({"width": 1280, "height": 720})
    await page.screenshot(path=str(DOCS / "console-queue.png"), full_page=True)


async def test_a_reply_reaches_the_resident_in_the_web_chat_and_through_telegram(
    browser, console, chat
):
    resident = await (await browser.new_context()).new_page()
    await resident.goto(chat)
    cookie = next(c for c in await resident.context.cookies() if c["name"] == "cz_session")
    session_id = decode_signed_value(COOKIE_SECRET, "cz_session", cookie["value"]).decode()
    web = make_suggestion(
        "建议中江路口增设红绿灯", wants_reply=True, reply_address=f"web-{session_id}"
    )
    tg = make_suggestion(
        "建议增加公交班次", channel="telegram", wants_reply=True, reply_address="tg-4242"
    )

    page = await signed_in(browser, console)
    for reference, answer in ((web, "已转交交警部门研究。"), (tg, "已联系公交公司。")):
        await page.goto(f"{console}/suggestions/{reference}")
        await page.fill("#reply-text", answer)
        await page.wait_for_selector("#preview .bubble")  # how the chat will show it
        assert answer in await page.inner_text("#preview") and reference in await page.inner_text(
            "#preview"
        )
        await page.select_option("select[name=close_as]", "answered")
        async with page.expect_navigation():
            await page.click("#publish")
        async with page.expect_navigation():  # the confirmation
            await page.click("#confirm-publish")
        assert await page.get_attribute("#delivery", "data-state") == "pending"
        assert await page.inner_text("#delivery") == "待发送"
        assert "已答复" in await page.inner_text("h1")

    await resident.reload()
    await resident.wait_for_selector("text=已转交交警部门研究。")
    fake = FakeTelegram()
    try:
        bot = Bot("123:TEST", base_url=fake.url)
        async with bot:

            async def send(address: str, text: str) -> None:
                await bot.send_message(chat_id=int(address.removeprefix("tg-")), text=text)

            await outbox.deliver_once("telegram", send, lambda e: ("failed", 0.0), "test-bridge")
        assert any("已联系公交公司。" in text and tg in text for text in fake.texts(4242))
    finally:
        fake.close()
    await page.goto(f"{console}/suggestions/{tg}")
    assert await page.inner_text("#delivery") == "已送达"
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=str(DOCS / "console-suggestion.png"), full_page=True)


async def test_marking_a_duplicate_tells_the_resident_which(browser, console):
    original = make_suggestion("建议增设路灯")
    copy = make_suggestion("路灯太暗了建议加装", wants_reply=True, reply_address="web-abc")
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions/{copy}")
    await page.fill("input[name=original]", original)
    await page.click('button:has-text("标记为重复")')
    assert original in await page.inner_text("#duplicate-of")
    with db.get_sessionmaker()() as session:
        (message,) = session.scalars(
            select(OutboxMessage).where(OutboxMessage.address == "web-abc")
        )
        assert original in message.text


async def test_revealing_a_phone_number_is_audited(browser, console):
    reference = make_suggestion(
        "请回电", wants_reply=True, reply_address="web-x", contact_phone="13812345678"
    )
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions/{reference}")
    assert "13812345678" not in await page.content()
    await page.click("#show-phone")
    assert await page.inner_text("#phone") == "13812345678"
    admin = await signed_in(browser, console, "admin")
    await admin.goto(f"{console}/admin/audit")
    audit = await admin.inner_text("#audit")
    assert any(
        "wang" in line and "查看回访电话" in line and reference in line
        for line in audit.splitlines()
    )


async def test_exports_neutralise_formulas_and_never_hold_the_phone(browser, console):
    make_suggestion("=HYPERLINK(\"http://evil\",\"点我\")", wants_reply=True, reply_address="web-1",
                    contact_phone="13900001111")  # fmt: skip
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions")
    async with page.expect_download() as csv_download:
        await page.click("text=导出 CSV")
    raw = (await (await csv_download.value).path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    (row,) = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["建议内容"].startswith("'=HYPERLINK") and row["留有回访电话"] == "是"
    assert b"13900001111" not in raw
    async with page.expect_download() as xlsx_download:
        await page.click("text=导出 Excel")
    sheet = load_workbook(
        io.BytesIO((await (await xlsx_download.value).path()).read_bytes())
    ).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("建议内容") + 1)
    assert cell.value.startswith("'=HYPERLINK") and cell.data_type == "s"
    assert all("13900001111" not in str(c.value) for r in sheet.iter_rows() for c in r)


async def test_strangers_and_reviewers_are_refused_admin_pages(browser, console):
    stranger = await (await browser.new_context()).new_page()
    for path in ("/admin/accounts", "/admin/audit", "/suggestions"):
        await stranger.goto(f"{console}{path}")
        assert "/login" in stranger.url
    reviewer = await signed_in(browser, console)
    response = await reviewer.goto(f"{console}/admin/accounts")
    assert response.status == 403 and "无权" in await reviewer.inner_text("main")


async def test_a_form_without_its_csrf_token_is_refused(browser, console):
    reference = make_suggestion("建议增设垃圾桶")
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions/{reference}")
    response = await page.request.post(
        f"{console}/suggestions/{reference}/note", form={"text": "偷偷加的"}
    )
    assert response.status == 400
    await page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())"
    )
    await page.fill("textarea[name=text]:not(#reply-text)", "没有令牌的备注")
    async with page.expect_navigation():
        await page.click('button:has-text("添加备注")')
    # a page in Chinese that says nothing was saved and keeps the typed note
    assert "页面已过期，内容未提交" in await page.inner_text("#csrf-refused")
    assert await page.input_value("#csrf-refused .kept") == "没有令牌的备注"
    assert "CSRF" not in await page.inner_text("body")
    await page.goto(f"{console}/suggestions/{reference}")
    assert "没有令牌的备注" not in await page.inner_text(".notes")
    # the kept note is sent again with a fresh token
    await page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())"
    )
    await page.fill("textarea[name=text]:not(#reply-text)", "再发一次的备注")
    async with page.expect_navigation():
        await page.click('button:has-text("添加备注")')
    async with page.expect_navigation():
        await page.click("#send-again")
    assert "再发一次的备注" in await page.inner_text(".notes")


async def test_a_script_in_a_suggestion_shows_as_text(browser, console):
    reference = make_suggestion("<script>window.pwned=1</script><img src=x onerror=window.pwned=2>")
    page = await signed_in(browser, console)
    await page.goto(f"{console}/suggestions/{reference}")
    assert "<script>window.pwned=1</script>" in await page.inner_text("#text")
    assert await page.evaluate("window.pwned") is None
    await page.goto(f"{console}/suggestions")
    assert await page.evaluate("window.pwned") is None


async def test_the_console_can_be_read_in_english(browser, console):
    page = await signed_in(browser, console)
    await page.click("text=English")
    assert await page.get_attribute("html", "lang") == "en"
    assert "Suggestions" in await page.inner_text("header")
