"""Reply templates in the database: seeded from the YAML without overwriting staff edits, offered
by category (then general) in the resident's language, every change audited."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from store import audit_repo, category_repo, clerk_repo, template_repo
from store.models import ReplyTemplate

SEED = yaml.safe_load(template_repo.TEMPLATES_FILE.read_text("utf-8"))


@pytest.fixture
def seeded(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        template_repo.import_templates(session)
    return session_factory


def one(session, category: str, title_zh: str) -> ReplyTemplate:
    query = select(ReplyTemplate).where(
        ReplyTemplate.category_key == category, ReplyTemplate.title_zh == title_zh
    )
    return session.scalars(query).one()


def test_the_yaml_is_imported_once_and_staff_edits_are_kept(seeded):
    with seeded.begin() as session:
        rows = template_repo.list_templates(session)
        assert len(rows) == sum(len(templates) for templates in SEED.values())
        assert {(r.category_key, r.title_zh) for r in rows} >= {("traffic", "已转交通管理部门")}
        edited = one(session, "traffic", "已转交通管理部门")
        template_repo.update(
            session, edited, category="traffic", title_zh="已转镇交通办", title_en="To traffic",
            text_zh="已转镇交通办核实。", text_en="Passed on.", sort_order=0, active=True,
            by="wang",
        )  # fmt: skip
        template_repo.deactivate(session, one(session, "general", "已采纳"), by="wang")
    with seeded.begin() as session:
        assert template_repo.import_templates(session) == 0  # renamed, deactivated: not again
        assert one(session, "traffic", "已转镇交通办").text_zh == "已转镇交通办核实。"
        assert not one(session, "general", "已采纳").active
        session.delete(one(session, "environment", "已安排环卫处理"))
    with seeded.begin() as session:  # one missing from the table comes back, alone
        assert template_repo.import_templates(session) == 1


def test_a_category_is_offered_its_own_then_the_general_ones_active_and_in_order(seeded):
    with seeded.begin() as session:
        template_repo.create(
            session, category="traffic", title_zh="先看这个", title_en="", text_zh="请稍候。",
            text_en="", sort_order=-1, by="wang",
        )  # fmt: skip
        template_repo.deactivate(session, one(session, "general", "已采纳"), by="wang")
    with seeded.begin() as session:
        zh = clerk_repo.templates_for(session, category_key="traffic", language="zh")
        en = clerk_repo.templates_for(session, category_key="traffic", language="en")
        other = clerk_repo.templates_for(session, category_key="housing", language="zh")
    assert [t["title"] for t in zh] == ["先看这个", "已转交通管理部门", "已收到，正在办理"]
    assert en[0] == {"title": "先看这个", "text": "请稍候。"}  # no English: the Chinese
    assert en[1]["title"] == "Passed to the traffic office"
    assert en[2]["text"].startswith("Thank you for your suggestion.")
    assert [t["title"] for t in other] == ["已转物业和居委", "已收到，正在办理"]


def test_create_update_and_deactivate_are_audited_with_before_and_after(seeded):
    with seeded.begin() as session:
        made = template_repo.create(
            session, category="general", title_zh="电话联系", title_en="We will call",
            text_zh="工作人员会电话联系您。", text_en="Staff will call you.", by="wang",
        )  # fmt: skip
        template_repo.update(
            session, made, category="general", title_zh="电话联系", title_en="We will call",
            text_zh="工作人员会在三天内电话联系您。", text_en="Staff will call you.",
            sort_order=5, active=True, by="admin",
        )  # fmt: skip
        template_repo.deactivate(session, made, by="admin")
        made_id = made.id
    with seeded.begin() as session:
        entries, total = audit_repo.entries(
            session, object_type="reply_template", object_id=str(made_id)
        )
        found = session.get(ReplyTemplate, made_id)
        assert (found.updated_by, found.active, found.updated_at is not None) == (
            "admin", False, True)  # fmt: skip
    assert total == 3
    deactivated, updated, created = entries  # newest first
    assert (created.action, created.actor, created.before) == ("template_create", "wang", None)
    assert created.after["text_zh"] == "工作人员会电话联系您。"
    assert updated.action == "template_update"
    assert updated.before == {"text_zh": "工作人员会电话联系您。", "sort_order": 0}
    assert updated.after == {"text_zh": "工作人员会在三天内电话联系您。", "sort_order": 5}
    assert (deactivated.action, deactivated.before, deactivated.after) == (
        "template_deactivate", {"active": True}, {"active": False})  # fmt: skip


@pytest.mark.parametrize(
    "change, why",
    [
        ({"category": "nowhere"}, "unknown category"),
        ({"title_zh": "  "}, "needs a Chinese title"),
        ({"text_zh": "x" * 2001}, "longer than 2000"),
        ({"title_en": "y" * 65}, "longer than 64"),
        ({"text_en": 'Hi <a href="//evil">here</a>'}, "plain text"),
        ({"title_zh": "已收到，正在办理"}, "already has a template of that title"),
    ],
)
def test_a_wrong_template_is_refused_and_nothing_is_stored(seeded, change, why):
    fields = {"category": "general", "title_zh": "新模板", "title_en": "New", "text_zh": "内容",
              "text_en": "Text", "by": "wang"} | change  # fmt: skip
    with seeded.begin() as session:
        before = len(template_repo.list_templates(session))
        with pytest.raises(ValueError, match=why):
            template_repo.create(session, **fields)
        assert len(template_repo.list_templates(session)) == before
        assert audit_repo.entries(session, object_type="reply_template")[1] == 0
