"""The unanswered list through the console's HTTP interface (Flask's test client): roles, CSRF, and
each way of handling a group."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import analytics_repo, db
from store.models import ConversationTurn, FaqEntry
from tests.console.conftest import csrf_from, sign_in


def _ask(*texts: str) -> None:
    with db.get_sessionmaker().begin() as session:
        for text in texts:
            analytics_repo.record_turn(session, sender_hash="h", channel="webchat", language="zh",
                                       intent="nlu_fallback", confidence=0.1, outcome="fallback",
                                       masked_text=text)  # fmt: skip


@pytest.fixture
def editor(app):
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
    _ask("电梯多少钱", "加装电梯要多少钱啊", "电梯多少钱", "垃圾几点收")
    client = app.test_client()
    sign_in(client, "li")
    return client


def _group_form(html: str, question: str) -> dict:
    """The handling form of the group whose question is `question`, as the browser posts it."""
    inside = r"(?:(?!</section>).)*?"
    section = re.search(
        r'<section class="group[^"]*"' + inside + '<span class="question">' + re.escape(question)
        + r"</span>" + inside + "</section>", html, re.S,
    ).group(0)  # fmt: skip
    return {
        "csrf_token": csrf_from(html),
        "turns": re.search(r'name="turns" value="([^"]*)"', section).group(1),
        "topic": re.search(r'name="topic" value="([^"]*)"', section).group(1),
        "example": unescape(re.search(r'name="example"[^>]*value="([^"]*)"', section).group(1)),
        "entry": re.search(r'name="entry" value="([^"]*)" checked', section).group(1),
        "entry_search": "",
    }


def _turns(handled_as: str | None = None) -> list[ConversationTurn]:
    with db.get_sessionmaker()() as session:
        rows = session.query(ConversationTurn).filter_by(handled_as=handled_as).all()
        session.expunge_all()
        return rows


def test_the_list_is_for_editors_and_admins_only(app, editor):
    page = editor.get("/unanswered")
    assert page.status_code == 200 and "电梯多少钱" in page.text and "垃圾几点收" in page.text
    assert "加装电梯要多少钱啊" in page.text  # a wording of the first group
    assert 'href="/unanswered"' in page.text  # the nav link
    reviewer = app.test_client()
    sign_in(reviewer, "wang")
    assert reviewer.get("/unanswered").status_code == 403
    assert reviewer.post("/unanswered/handle", data={"do": "dismiss"}).status_code in (400, 403)
    admin = app.test_client()
    sign_in(admin, "admin")
    assert admin.get("/unanswered").status_code == 200
    assert app.test_client().get("/unanswered").status_code == 302  # to sign in


def test_handling_needs_the_csrf_token(editor):
    form = _group_form(editor.get("/unanswered").text, "垃圾几点收")
    del form["csrf_token"]
    assert editor.post("/unanswered/handle", data=form | {"do": "dismiss"}).status_code == 400
    assert _turns("dismissed") == []


def test_adding_an_example_question_suggested_entry_first(editor):
    form = _group_form(editor.get("/unanswered").text, "电梯多少钱")
    assert form["entry"] == "elevator_cost"  # the suggestion is preselected
    response = editor.post("/unanswered/handle", data=form | {"do": "example"})
    assert response.status_code == 303
    page = editor.get("/unanswered").text
    assert "已加为「加装电梯费用」的示例问题" in page
    assert '<span class="question">电梯多少钱</span>' not in page  # the group left the list
    assert '<span class="question">垃圾几点收</span>' in page
    with db.get_sessionmaker()() as session:
        entry = session.get(FaqEntry, "elevator_cost")
        assert entry.examples[-1] == "电梯多少钱" and entry.version == 2
    assert len(_turns("example")) == 3
    assert "自上次训练以来，已从此列表添加 1 个示例问题" in page


def test_an_example_with_a_masked_value_is_refused_with_the_text_kept(editor):
    _ask("我电话138****5678，加装电梯要多少钱")
    form = _group_form(editor.get("/unanswered").text, "电梯多少钱")
    form["example"] = "我电话138****5678，电梯要多少钱"
    response = editor.post("/unanswered/handle", data=form | {"do": "example"})
    assert response.status_code == 422
    assert "遮盖的个人信息" in response.text and "138****5678，电梯要多少钱" in response.text
    assert _turns("example") == []
    with db.get_sessionmaker()() as session:
        assert session.get(FaqEntry, "elevator_cost").version == 1


def test_an_example_of_another_intent_is_refused(editor):
    form = _group_form(editor.get("/unanswered").text, "电梯多少钱")
    form["example"] = "加装电梯怎么申请"
    response = editor.post("/unanswered/handle", data=form | {"do": "example"})
    assert response.status_code == 422 and "elevator_apply" in response.text
    assert _turns("example") == []


def test_a_group_without_a_suggestion_starts_on_no_entry_and_needs_a_choice(editor):
    html = editor.get("/unanswered").text
    form = _group_form(html, "垃圾几点收")
    assert form["entry"] == "other"  # "another entry", with nothing typed: no guess
    assert 'list="all-entries"' in html and '<datalist id="all-entries">' in html
    response = editor.post("/unanswered/handle", data=form | {"do": "example"})
    assert response.status_code == 422 and "请先选择要加入的条目" in response.text
    assert _turns("example") == []
    assert '<span class="question">垃圾几点收</span>' in response.text
    with db.get_sessionmaker()() as session:
        assert all(e.version == 1 for e in session.query(FaqEntry).all())


def test_a_new_entry_starts_with_every_wording_of_the_group(editor):
    form = _group_form(editor.get("/unanswered").text, "电梯多少钱")
    response = editor.post("/unanswered/handle", data=form | {"do": "new"})
    assert response.status_code == 303
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["example"] == ["电梯多少钱", "加装电梯要多少钱啊"]
    html = editor.get(response.headers["Location"]).text
    assert "电梯多少钱\n加装电梯要多少钱啊</textarea>" in html


def test_dismissing_a_group(editor):
    form = _group_form(editor.get("/unanswered").text, "垃圾几点收")
    assert editor.post("/unanswered/handle", data=form | {"do": "dismiss"}).status_code == 303
    assert "垃圾几点收" not in editor.get("/unanswered").text
    assert [t.handled_by for t in _turns("dismissed")] == ["li"]
    again = editor.post("/unanswered/handle", data=form | {"do": "dismiss"}, follow_redirects=True)
    assert "已经有人处理过了" in again.text


def test_a_new_entry_from_a_group(editor):
    form = _group_form(editor.get("/unanswered").text, "垃圾几点收")
    form["example"] = "垃圾几点收"
    response = editor.post("/unanswered/handle", data=form | {"do": "new"})
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert target.path == "/entries/new" and parse_qs(target.query)["example"] == ["垃圾几点收"]
    assert _turns("new_entry") == []  # not until the entry is saved
    html = editor.get(f"{target.path}?{target.query}").text
    assert "垃圾几点收</textarea>" in html and 'name="unanswered_turns"' in html
    fields = {
        "csrf_token": csrf_from(html), "entry_id": "community_garbage_hours",
        "title_zh": "垃圾投放时间", "title_en": "Rubbish collection hours",
        "answer_zh": "垃圾投放时间请看小区公告或咨询居委会。",
        "answer_en": "See your estate's notice or ask the residents' committee.",
        "examples": "垃圾几点收", "source_zh": "工作人员提供", "source_en": "Town staff",
        "last_reviewed": "2026-11-30",
        "unanswered_turns": re.search(r'name="unanswered_turns" value="([^"]*)"', html).group(1),
    }  # fmt: skip
    assert editor.post("/entries/new", data=fields).status_code == 302
    made = _turns("new_entry")
    assert [(t.masked_text, t.handled_entry_id) for t in made] == [
        ("垃圾几点收", "community_garbage_hours")
    ]
    assert "垃圾几点收" not in editor.get("/unanswered").text


def test_the_page_links_to_publish_once_that_page_exists(console_env):
    from flask import Blueprint

    from console import create_app

    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
    app = create_app(TESTING=True)
    if "publish.index" not in app.view_functions:  # until the Publish page is merged in
        without = app.test_client()
        sign_in(without, "li")
        assert 'id="publish-link"' not in without.get("/unanswered").text
        app = create_app(TESTING=True)
        publish = Blueprint("publish", __name__)
        publish.add_url_rule("/publish", "index", lambda: "publish")
        app.register_blueprint(publish)
    client = app.test_client()
    sign_in(client, "li")
    assert 'id="publish-link" href="/publish"' in client.get("/unanswered").text
