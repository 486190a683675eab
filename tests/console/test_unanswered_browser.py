"""The unanswered list in headless Chromium against the real assistant (trained model, action
server, Rasa): a question the assistant could not answer becomes an example question of an entry,
and the next resident asking it gets that entry's answer at once, before any training."""
# ruff: noqa: F811  (fixtures are imported)

from __future__ import annotations

import uuid

from sqlalchemy import select

from core.settings import ROOT, get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import analytics_repo, db
from store.models import ConversationTurn
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console.browser import signed_in
from tests.console.test_editor_browser import stack_console  # noqa: F401

DOCS = ROOT / "docs"
QUESTION = "小区停车位怎么申请"  # the trained model is unsure of it: the fallback offers buttons
OTHERS = (
    "我电话13812345678，小区里的停车位怎么申请啊",
    "小区停车怎么办理",
    "你们镇长叫什么名字",
    "居住证积分怎么算",
)
ANSWER = "据2021年12月镇政府工作报告，镇里推进旧住房综合修缮和美丽楼组建设"  # housing_other


def _texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


async def test_an_unanswered_question_becomes_an_example_question(browser, stack, stack_console):
    for text in OTHERS:  # more unanswered questions, for the list's screenshot
        stack.send(f"r-{uuid.uuid4().hex[:8]}", text)
    stack.send(f"r-{uuid.uuid4().hex[:8]}", QUESTION)
    before = _texts(stack.send(f"r-{uuid.uuid4().hex[:8]}", QUESTION))
    assert "不好意思" in before and ANSWER not in before  # not answered: listed
    console, editor = stack_console
    page = await signed_in(browser, console, editor)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.click("nav >> text=未解答问题")
    group = page.locator("section.group").filter(
        has=page.locator("span.question", has_text=QUESTION)
    )
    await group.wait_for()
    assert await group.locator("input[name=example]").input_value() == QUESTION
    await group.locator("summary").click()  # the group's wordings, masked
    wordings = await group.locator(".wordings").inner_text()
    assert "138****5678" in wordings and "13812345678" not in await page.content()
    await group.locator("input[name=entry_search]").fill("住房与小区 (housing_other)")
    assert await group.locator("input[name=entry][value=other]").is_checked()  # typing chose it
    await page.screenshot(path=str(DOCS / "console-unanswered.png"), full_page=True)
    await group.locator("button[value=example]").click()
    await page.wait_for_load_state()
    assert "已加为「住房与小区」的示例问题" in await page.inner_text(".flash")
    assert await group.count() == 0  # handled: it left the list
    await page.goto(f"{console}/entries/housing_other")
    assert QUESTION in await page.input_value("#examples")  # saved as the editor saves
    assert ANSWER in _texts(stack.send(f"r-{uuid.uuid4().hex[:8]}", QUESTION))


async def test_a_group_becomes_a_new_entry_or_is_dismissed(browser, console):
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        for text in ("垃圾几点收", "垃圾几点收啊", "今天天气怎么样"):
            analytics_repo.record_turn(session, sender_hash="h", channel="webchat", language="zh",
                                       intent="nlu_fallback", confidence=0.1, outcome="fallback",
                                       masked_text=text)  # fmt: skip
    page = await signed_in(browser, console, "li")
    await page.goto(f"{console}/unanswered")
    weather = page.locator("section.group").filter(has_text="今天天气怎么样")
    await weather.locator("button[value=dismiss]").click()
    await page.wait_for_load_state()
    assert "已忽略 1 条消息" in await page.inner_text(".flash")
    assert await weather.count() == 0

    garbage = page.locator("section.group").filter(has_text="垃圾几点收")
    await garbage.locator("button[value=new]").click()
    await page.wait_for_url("**/entries/new?*")
    examples = await page.input_value("#examples")
    assert examples.splitlines() == ["垃圾几点收啊", "垃圾几点收"]  # the group's every wording
    assert (await page.input_value("#entry_id")).startswith("community_")  # the guessed topic
    fields = {"#entry_id": "community_waste_hours", "#title_zh": "垃圾投放时间",
              "#title_en": "Rubbish hours", "#answer_zh": "垃圾投放时间请看小区公告或问居委会。",
              "#answer_en": "See your estate's notice or ask your residents' committee.",
              "#source_zh": "工作人员提供", "#source_en": "Town staff"}  # fmt: skip
    for selector, value in fields.items():
        await page.fill(selector, value)
    await page.click("button[name=save]")
    assert "已保存" in await page.inner_text(".flash")
    await page.goto(f"{console}/lang/en?next=/unanswered")
    assert "No unanswered question is waiting." in await page.inner_text("main")
    with db.get_sessionmaker()() as session:
        handled = session.scalars(select(ConversationTurn.handled_as).order_by(ConversationTurn.id))
        assert list(handled) == ["new_entry", "new_entry", "dismissed"]


async def test_a_group_without_a_suggestion_needs_an_entry_chosen(browser, console):
    """No guessed entry: the picker starts on "another entry" with nothing typed, "add as
    example" is refused until one is chosen, and "new entry" still goes (with every wording)."""
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        for text in ("垃圾几点收", "垃圾几点收走", "垃圾几点收"):
            analytics_repo.record_turn(session, sender_hash="h", channel="webchat", language="zh",
                                       intent="nlu_fallback", confidence=0.1, outcome="fallback",
                                       masked_text=text)  # fmt: skip
    page = await signed_in(browser, console, "li")
    await page.goto(f"{console}/unanswered")
    group = page.locator("section.group").filter(
        has=page.locator("span.question", has_text="垃圾几点收")
    )
    assert await group.locator("input[name=entry][value=other]").is_checked()
    assert await group.locator("input[name=entry_search]").input_value() == ""
    async with page.expect_navigation():
        await group.locator("button[value=example]").click()
    assert "请先选择要加入的条目" in await group.locator("[role=alert]").inner_text()
    assert await page.locator(".flash").count() == 0
    await group.locator("button[value=new]").click()
    await page.wait_for_url("**/entries/new?**")
    assert (await page.input_value("#examples")).splitlines() == ["垃圾几点收", "垃圾几点收走"]
