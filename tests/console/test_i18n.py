"""Stored values the pages show (delivery states, roles, channels, who changed a status, an entry
version's note) in the staff's words, Chinese by default and English on request; 办结 everywhere."""

from __future__ import annotations

import re

import pytest

from console.words import value_label, version_note
from core.settings import get_settings
from knowledge import faq_repo, faq_sync
from knowledge.entries_io import load_entries
from language.catalogue import catalogue
from store import db
from tests.console.conftest import make_suggestion, sign_in

RAW_DELIVERY = ("none", "pending", "sending", "sent", "failed", "uncertain")


@pytest.fixture
def client(app):
    return app.test_client()


def test_the_queue_filter_and_the_header_speak_chinese(client):
    make_suggestion()
    sign_in(client, "wang")
    html = client.get("/suggestions").text
    select = re.search(r'<select name="delivery">.*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="(\w*)"[^>]*>([^<(]*)', select)
    assert (
        dict(options)["none"].strip() == "无消息" and dict(options)["uncertain"].strip() == "待确认"
    )
    for raw in RAW_DELIVERY:
        assert f">{raw} (" not in select
    assert "wang (审核员)" in html and "(reviewer)" not in html
    row = re.search(r'<table id="queue">.*?</table>', html, re.S).group(0)
    assert '类别">其他</td>' in row and ">other</td>" not in row  # the category's name


def test_the_accounts_page_names_the_roles_in_chinese_and_english(client):
    sign_in(client, "admin")
    html = client.get("/admin/accounts").text
    assert '<option value="reviewer">审核员</option>' in html
    assert '<option selected value="editor">编辑</option>' in html  # li's row
    assert ">reviewer<" not in html and "admin (管理员)" in html
    client.get("/lang/en")
    assert '<option value="reviewer">reviewer</option>' in client.get("/admin/accounts").text


def test_a_suggestion_shows_its_delivery_state_and_history_in_chinese(client):
    reference = make_suggestion(wants_reply=True)
    sign_in(client, "wang")
    html = client.get(f"/suggestions/{reference}").text
    assert '<span id="delivery" data-state="none">无消息</span>' in html
    assert "（网页聊天）" in html or "(网页聊天)" in html
    assert re.search(r"→ 已收到 · 居民", html) and "· resident" not in html
    assert "同时办结为" in html and "办结前须先发布答复" in html and "结办" not in html


def test_an_entrys_versions_say_created_and_imported_in_chinese(app, client):
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        faq_repo.create_entry(
            session, editor="li", entry_id="eldercare_canteen", intent="eldercare_canteen",
            values={"title_zh": "社区食堂", "title_en": "Canteen", "answer_zh": "请咨询居委会。",
                    "answer_en": "Ask your committee.", "examples": ["社区食堂在哪里"],
                    "source_zh": "工作人员提供", "source_en": "Town staff"},
        )  # fmt: skip
    sign_in(client, "li")
    versions = re.search(r'<table id="versions">.*?</table>',
                         client.get("/entries/eldercare_canteen").text, re.S).group(0)  # fmt: skip
    assert '<span class="hint">新建</span>' in versions and "created" not in versions
    imported = client.get("/entries/elevator_apply").text
    assert '<span class="hint">导入</span>' in imported


def test_unknown_values_stay_as_they_are_and_notes_are_translated():
    assert value_label("delivery", "sent", "zh") == "已送达"
    assert value_label("delivery", "sent", "en") == "sent"
    assert value_label("role", "mayor", "zh") == "mayor"
    assert version_note("restored version 3", "zh") == "恢复自第 3 版"
    assert version_note("example question from the unanswered list", "zh").startswith("来自未解答")
    assert version_note("a note of a clerk", "zh") == "a note of a clerk"
    assert not [key for key, texts in catalogue().items() if "结办" in texts["zh"]]
