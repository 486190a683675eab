"""Reply templates in headless Chromium: a clerk edits a template on the templates page and a
suggestion's page then offers the edited text (a deactivated one no longer)."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

from sqlalchemy import select

from store import audit_repo, db, template_repo
from store.models import ReplyTemplate
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import make_suggestion

EDITED = "已转镇交通办 & 派出所于【日期】前现场核实，结果会告诉您。"


def template_id(category: str, title_zh: str) -> int:
    with db.get_sessionmaker()() as session:
        return session.scalar(
            select(ReplyTemplate.id).where(
                ReplyTemplate.category_key == category, ReplyTemplate.title_zh == title_zh
            )
        )


async def test_an_edited_template_is_what_a_suggestions_page_offers(browser, console):
    with db.get_sessionmaker().begin() as session:
        template_repo.import_templates(session)
    reference = make_suggestion("公交站没有遮雨棚", category_key="traffic", wants_reply=True,
                                reply_address="web-1")  # fmt: skip
    traffic, adopted = template_id("traffic", "已转交通管理部门"), template_id("general", "已采纳")
    page = await signed_in(browser, console)  # wang, who handles suggestions
    async with page.expect_navigation():
        await page.click("#reply-templates-link")
    row = page.locator(f"#group-traffic #template-{traffic}")
    assert await row.locator("input[name$=title_zh]").input_value() == "已转交通管理部门"
    await row.locator("textarea[name$=text_zh]").fill(EDITED)
    async with page.expect_navigation():
        await row.locator("button:text-is('保存')").click()
    assert "已保存" in await page.inner_text("main")
    async with page.expect_navigation():
        await page.click(f"#template-{adopted} button:text-is('停用')")
    assert "模板已停用" in await page.inner_text("main")

    await page.goto(f"{console}/suggestions/{reference}")
    offered = await page.eval_on_selector_all("#template option", "o => o.map(x => x.textContent)")
    assert offered == ["—", "已转交通管理部门", "已收到，正在办理"]  # 已采纳 no longer
    await page.select_option("#template", label="已转交通管理部门")
    assert await page.input_value("#reply-text") == EDITED
    with db.get_sessionmaker()() as session:
        entries, _ = audit_repo.entries(session, object_type="reply_template")
    assert [(e.action, e.actor, e.object_id) for e in entries] == [
        ("template_deactivate", "wang", str(adopted)),
        ("template_update", "wang", str(traffic)),
    ]
    assert entries[1].after == {"text_zh": EDITED}
