"""The web chat in headless Chromium (Debian's chromium driven by Playwright) against the real stack."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest
from sqlalchemy.orm import Session
from tornado.web import decode_signed_value

from bot.webchat import listen, make_app
from core import settings
from core.settings import ROOT
from language.catalogue import texts
from language.reference import find_reference
from store import privacy_repo, reply_repo, suggestion_repo
from store.db import get_sessionmaker, make_engine
from store.identity import sender_hash
from store.models import OutboxMessage
from tests.bot.webchat_fixtures import FLAGS, chromium

pytestmark = pytest.mark.integration
COOKIE_SECRET = "integration-cookie-secret"
DOCS = ROOT / "docs"
SCREENSHOT = DOCS / "webchat.png"


@pytest.fixture
async def webchat(bridge_env, monkeypatch):
    # a loaded test machine can take longer than the bridge's 5 s; the apology has its own tests
    monkeypatch.setenv("RASA_TIMEOUT_SECONDS", "25")
    monkeypatch.setenv("WEBCHAT_COOKIE_SECRET", COOKIE_SECRET)
    settings.get_settings.cache_clear()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = listen(make_app(), port, "127.0.0.1")
    yield f"http://127.0.0.1:{port}"
    server.stop()


async def bot_texts(page) -> list[str]:
    return await page.locator("#log li.bot:not(.greeting)").all_inner_texts()


async def wait_for_bot(page, count: int, timeout: float = 60) -> list[str]:
    for _ in range(int(timeout * 10)):
        texts = await bot_texts(page)
        if len(texts) >= count:
            return texts
        await asyncio.sleep(0.1)
    log = await page.locator("#log li").all_inner_texts()
    raise AssertionError(f"expected {count} replies, got {log}")


async def ask(page, text: str) -> None:
    await page.fill("#message", text)
    await page.press("#message", "Enter")


async def test_question_button_suggestion_and_staff_reply_in_the_browser(webchat, stack):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium()), args=FLAGS)
        page = await browser.new_page(viewport={"width": 420, "height": 900}, device_scale_factor=1)
        await page.goto(webchat)
        assert await page.get_attribute("#message", "id") == "message"
        assert await page.locator("label[for=message]").count() == 1  # screen-reader label

        await ask(page, "加装电梯怎么申请")
        texts = await wait_for_bot(page, 1)
        assert "来源" in texts[0]
        await page.locator("#log li.bot .choices button").first.click()  # a button, by token
        texts = await wait_for_bot(page, 2)
        assert "来源" in texts[1]

        await ask(page, "<script>window.pwned = 1</script><b>粗体</b>")
        await wait_for_bot(page, 3)
        assert await page.evaluate("window.pwned === undefined")
        assert "<script>" in (await page.locator("#log li.me").all_inner_texts())[-1]

        await ask(page, "建议在中江路口增设一个红绿灯")
        await wait_for_bot(page, 4)
        await page.get_by_role("button", name="对", exact=True).click()  # the category offered
        await wait_for_bot(page, 5)
        await page.get_by_role("button", name="回复到这个聊天").click()
        await wait_for_bot(page, 6)
        await page.get_by_role("button", name="确认提交").click()
        texts = await wait_for_bot(page, 7)
        reference = find_reference(texts[-1])
        assert reference

        engine = make_engine(stack.database_url)
        with Session(engine) as session, session.begin():
            saved = suggestion_repo.get_by_reference(session, reference=reference)
            assert saved.channel == "webchat"
            reply_repo.publish_reply(session, saved, text="已请交警部门现场查看。", by="clerk")
        engine.dispose()
        await page.reload()  # coming back: the staff reply is shown
        await page.locator("#log li.staff").first.wait_for(timeout=15000)
        staff = await page.locator("#log li.staff").all_inner_texts()
        assert "已请交警部门现场查看。" in staff[0] and reference in staff[0]
        await ask(page, "长护险怎么申请")
        await wait_for_bot(page, 1)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        await page.screenshot(path=str(SCREENSHOT), full_page=False)
        await browser.close()


async def post(client: httpx.AsyncClient, url: str, **body) -> list[dict]:
    response = await client.post(f"{url}/api/message", json=body)
    assert response.status_code == 200
    return response.json()["messages"]


@pytest.mark.parametrize(
    "text", ["", "   ", "加装电梯" * 12_500, "😀😀😀", "<img src=x onerror=alert(1)>"]
)
async def test_bad_input_gets_a_clear_reply(webchat, text):
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(webchat)
        messages = await post(client, webchat, text=text)
    assert messages and all(m["text"] for m in messages)
    assert not set(texts("apology").values()) & {m["text"] for m in messages}  # Rasa answered


async def test_forged_token_and_flood_are_answered_politely(webchat):
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(webchat)
        assert "过期" in (await post(client, webchat, token="forged"))[0]["text"]
        replies = await asyncio.gather(
            *(post(client, webchat, text=f"你好{i}") for i in range(100))
        )
    notices = [m for r in replies for m in r if "太快" in m["text"]]
    assert len(notices) == 1


async def test_a_very_long_message_is_read_in_part_and_the_resident_is_told(webchat):
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(webchat)
        messages = await post(client, webchat, text="楼道里堆满了杂物" * 6000)
    assert "2000" in messages[0]["text"] and len(messages) >= 2


async def test_a_replayed_cookie_after_delete_my_data_reads_nothing(webchat, stack):
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(webchat)
        old = client.cookies["cz_session"]
        session_id = decode_signed_value(COOKIE_SECRET, "cz_session", old).decode()
        with get_sessionmaker().begin() as session:  # a staff reply not yet delivered
            session.add(OutboxMessage(channel="webchat", address=f"web-{session_id}", text="答复"))
        await post(client, webchat, text="加装电梯怎么申请")
        confirm = (await post(client, webchat, shortcut="delete"))[0]
        yes = confirm["buttons"][0]
        done = await post(client, webchat, token=yes["token"])
        assert any("删除" in m["text"] for m in done), done
        assert client.cookies["cz_session"] != old
    async with httpx.AsyncClient(timeout=30, cookies={"cz_session": old}) as replay:
        response = await replay.post(f"{webchat}/api/message", json={"shortcut": "mine"})
        assert "cz_session" in response.headers["set-cookie"]  # not accepted: a new session
        assert old not in response.headers["set-cookie"]
    async with httpx.AsyncClient(timeout=30, cookies={"cz_session": old}) as replay:
        assert (await replay.post(f"{webchat}/api/updates", json={})).json() == {"messages": []}


def deletion_requested(session_id: str) -> bool:
    with get_sessionmaker()() as session:
        hashed = sender_hash("webchat", f"web-{session_id}")
        return privacy_repo.deletion_requested(session, sender_hash=hashed)


async def test_delete_my_data_is_asked_by_rasa_a_no_keeps_and_a_yes_deletes(webchat, stack):
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(webchat)
        old = client.cookies["cz_session"]
        session_id = decode_signed_value(COOKIE_SECRET, "cz_session", old).decode()
        asked = await post(client, webchat, text="我不想让你们保存我的信息了")  # own words
        assert "确定要删除" in asked[0]["text"]
        yes, no = asked[0]["buttons"]
        assert (yes["title"], no["title"]) == ("确认删除", "不删除")
        assert "没有删除" in (await post(client, webchat, token=no["token"]))[0]["text"]
        assert "确定要删除" in (await post(client, webchat, text="删除我的信息"))[0]["text"]
        assert "没有删除" in (await post(client, webchat, text="算了"))[0]["text"]
        assert client.cookies["cz_session"] == old and not deletion_requested(session_id)
        await post(client, webchat, shortcut="delete")
        done = await post(client, webchat, text="是的")  # a typed yes
        assert any("已完成" in m["text"] for m in done), done
        assert client.cookies["cz_session"] != old and deletion_requested(session_id)


async def test_screenshots_at_phone_and_desktop_sizes(webchat, stack):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium()), args=FLAGS)
        for name, viewport, question in [
            ("webchat-phone.png", {"width": 390, "height": 844}, "长护险怎么申请"),
            ("webchat-desktop.png", {"width": 1280, "height": 800}, "加装电梯怎么申请"),
        ]:
            page = await browser.new_page(viewport=viewport, device_scale_factor=1)
            await page.goto(webchat)
            await page.get_by_role("button", name="养老服务").wait_for()
            await page.screenshot(path=str(DOCS / name.replace(".png", "-start.png")))
            await ask(page, question)
            texts = await wait_for_bot(page, 1)
            assert "来源" in texts[0]
            await page.screenshot(path=str(DOCS / name))
            await page.close()
        await browser.close()
