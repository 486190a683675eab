"""The unanswered list for a busy editor: random typing last (ticked for dismissal), several
groups dismissed at once, the three likeliest entries offered with a searchable picker for the
rest, and an emergency given its number kept off the list."""

from __future__ import annotations

import re

import pytest

from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from language.noise import looks_random
from store import analytics_repo, db
from store.models import ConversationTurn, FaqEntry
from tests.console.conftest import csrf_from, sign_in


def _ask(*texts: str, intent: str = "nlu_fallback", outcome: str = "fallback") -> None:
    with db.get_sessionmaker().begin() as session:
        for text in texts:
            analytics_repo.record_turn(session, sender_hash="h", channel="webchat", language="zh",
                                       intent=intent, confidence=0.1, outcome=outcome,
                                       masked_text=text)  # fmt: skip


@pytest.fixture
def editor(app):
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
    _ask(*["asdfgh"] * 5, *["？？？"] * 4, "加装电梯要多少钱", "电梯多少钱", "垃圾几点收")
    client = app.test_client()
    sign_in(client, "li")
    return client


def sections(html: str) -> list[str]:
    return re.findall(r'<section class="group[^"]*".*?</section>', html, re.S)


def question(section: str) -> str:
    return re.search(r'<span class="question">([^<]*)</span>', section).group(1)


@pytest.mark.parametrize(("text", "random"), [
    ("asdfgh", True), ("？？？", True), ("11111", True), ("啊啊啊啊", True), ("jjjjjjj", True),
    ("社区食堂几点开门", False), ("how do I apply for a lift", False), ("wifi", False),
    ("我电话138****5678", False),
])  # fmt: skip
def test_random_typing_is_told_from_questions(text, random):
    assert looks_random(text) is random


def test_random_strings_come_last_ticked_and_go_together(editor):
    html = editor.get("/unanswered").text
    order = [question(s) for s in sections(html)]
    assert order[-2:] == ["asdfgh", "？？？"] and order[0] == "电梯多少钱"  # though asked most
    ticked = [question(s) for s in sections(html) if 'form="bulk-dismiss" aria-label' in s
              and "checked>" in s.split('form="bulk-dismiss"')[1][:80]]  # fmt: skip
    assert ticked == ["asdfgh", "？？？"]
    groups = [re.search(r'name="groups" value="([^"]+)"', s).group(1)
              for s in sections(html) if question(s) in ("asdfgh", "？？？")]  # fmt: skip
    response = editor.post("/unanswered/dismiss", data={"csrf_token": csrf_from(html),
                                                        "groups": groups})  # fmt: skip
    assert response.status_code == 303
    page = editor.get("/unanswered").text
    assert "已忽略 9 条消息。" in page
    assert [question(s) for s in sections(page)] == ["电梯多少钱", "垃圾几点收"]
    with db.get_sessionmaker()() as session:
        dismissed = session.query(ConversationTurn).filter_by(handled_as="dismissed").count()
    assert dismissed == 9


def test_three_likeliest_entries_and_a_picker_for_any_other(editor):
    html = editor.get("/unanswered").text
    (lift,) = [s for s in sections(html) if question(s) == "电梯多少钱"]
    offered = re.findall(r'type="radio" name="entry" value="([^"]+)"', lift)
    assert offered[0] == "elevator_cost" and len(offered) == 4 and offered[-1] == "other"
    assert "<select" not in lift and 'list="all-entries"' in lift
    with db.get_sessionmaker()() as session:
        entries = session.query(FaqEntry).count()
    assert html.count("<option value=") == entries  # every entry once, in the page's datalist
    (rubbish,) = [s for s in sections(html) if question(s) == "垃圾几点收"]
    with db.get_sessionmaker()() as session:
        title = session.get(FaqEntry, "community_waste_sorting").title_zh
    form = {
        "csrf_token": csrf_from(html),
        "do": "example",
        "entry": "other",
        "example": "垃圾几点收",
        "turns": re.search(r'name="turns" value="([^"]*)"', rubbish).group(1),
        "entry_search": f"{title} (community_waste_sorting)",
    }  # as the datalist offers it
    assert editor.post("/unanswered/handle", data=form).status_code == 303
    with db.get_sessionmaker()() as session:
        assert session.get(FaqEntry, "community_waste_sorting").examples[-1] == "垃圾几点收"


def test_an_emergency_given_its_number_is_not_unanswered(editor):
    _ask("有人晕倒了快来人", intent="hotline_emergency", outcome="handoff")
    _ask("这个我要找人工", intent="out_of_scope", outcome="handoff")
    page = editor.get("/unanswered").text
    assert "有人晕倒了快来人" not in page and "这个我要找人工" in page
