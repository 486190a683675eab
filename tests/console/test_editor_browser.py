"""The knowledge base editor in headless Chromium, against the real assistant (trained model,
action server, Rasa): what an editor saves is what the next resident message gets."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import itertools
import threading
import uuid

import pytest

from core import settings
from core.settings import ROOT
from store import db, staff_repo
from tests.bot.webchat_fixtures import browser, free_port  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import PASSWORD

DOCS = ROOT / "docs"
_names = itertools.count(1)


def _texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture
def stack_console(stack, monkeypatch):
    """The console on the stack's database (what the action server reads); yields (url, editor)."""
    from waitress import create_server

    from console import create_app

    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "test-console-secret-" + "z" * 32)
    for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cache.cache_clear()
    username = f"editor{next(_names)}-{uuid.uuid4().hex[:6]}"
    with db.get_sessionmaker().begin() as session:
        staff_repo.create_account(session, username=username, password=PASSWORD, role="editor",
                                  by="test")  # fmt: skip
    server = create_server(create_app(TESTING=True), host="127.0.0.1", port=free_port(), threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}", username
    server.close()
    db.get_engine().dispose()
    for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cache.cache_clear()


async def test_an_edited_answer_is_used_on_the_next_message_and_a_version_restored(
    browser, stack, stack_console
):
    console, editor = stack_console
    page = await signed_in(browser, console, editor)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto(f"{console}/entries?q=12345")
    await page.click("text=12345市民服务热线")
    original = await page.input_value("#answer_zh")
    edited = "（编辑后）上海市民服务热线，直接拨打12345即可。"
    await page.fill("#answer_zh", edited)
    await page.wait_for_function(
        "t => document.querySelector('#preview').innerText.includes(t)", arg=edited
    )
    assert "来源：" in await page.inner_text("#preview")  # as the chat shows it
    await page.screenshot(path=str(DOCS / "console-editor.png"), full_page=True)
    await page.click("button[name=save]")
    assert "已保存" in await page.inner_text(".flash")
    assert edited in _texts(stack.send(f"r-{uuid.uuid4().hex[:8]}", "12345怎么打"))

    first = page.locator("#versions button[data-version='1']")
    await first.click()
    assert "已恢复" in await page.inner_text(".flash")
    assert await page.input_value("#answer_zh") == original
    reply = _texts(stack.send(f"r-{uuid.uuid4().hex[:8]}", "12345怎么打"))
    assert original[:20] in reply and edited not in reply


async def test_a_number_not_in_the_report_is_flagged_in_the_browser(browser, stack, stack_console):
    console, editor = stack_console
    page = await signed_in(browser, console, editor)
    await page.goto(f"{console}/entries/elevator_progress")
    await page.fill("#answer_zh", "全镇已有 987 台电梯。")
    await page.click("button[name=save]")
    assert "987" in await page.inner_text("[role=alert]")
    await page.goto(f"{console}/entries/elevator_progress")
    assert "987" not in await page.input_value("#answer_zh")  # nothing was saved


async def test_a_new_entry_is_reached_by_chat_before_any_training(browser, stack, stack_console):
    console, editor = stack_console
    page = await signed_in(browser, console, editor)
    await page.goto(f"{console}/entries/new")
    fields = {
        "#entry_id": "eldercare_canteen_test",
        "#title_zh": "社区长者食堂", "#title_en": "Community canteen for elders",
        "#answer_zh": "社区长者食堂的位置和开放时间，请咨询所在居委会或拨打12345。",
        "#answer_en": "For the community canteen, ask your residents' committee or call 12345.",
        "#examples": "社区长者食堂在哪里\n老年人去哪里吃午饭\n长者食堂怎么订餐",
        "#source_zh": "工作人员提供", "#source_en": "Town staff",
    }  # fmt: skip
    for selector, value in fields.items():
        await page.fill(selector, value)
    await page.click("button[name=save]")
    assert "已保存" in await page.inner_text(".flash")
    reply = _texts(stack.send(f"r-{uuid.uuid4().hex[:8]}", "长者食堂在哪里"))
    assert "社区长者食堂的位置和开放时间" in reply
