"""The unanswered list's data layer: similar questions grouped, handled groups leave, an example
question added as the editor saves it (new version, audited), refused when it would break Publish."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from core.settings import get_settings
from knowledge import faq_repo, faq_search, faq_sync
from knowledge.entries_io import load_entries
from store import analytics_repo, audit_repo, unanswered_handling, unanswered_repo
from store.models import ConversationTurn, FaqEntry
from store.unanswered_repo import ExampleRefused


@pytest.fixture
def imported(session_factory):
    with session_factory.begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))


def _ask(session_factory, *texts: str, outcome: str = "fallback") -> list[int]:
    """Record unanswered turns as the fallback action does; their ids."""
    with session_factory.begin() as session:
        for text in texts:
            analytics_repo.record_turn(session, sender_hash="h", channel="rest", language="zh",
                                       intent="nlu_fallback", confidence=0.2, outcome=outcome,
                                       masked_text=text)  # fmt: skip
        session.flush()
        return [t.id for t in unanswered_repo.open_turns(session)][: len(texts)]


def _groups(session_factory) -> list[unanswered_repo.Group]:
    with session_factory.begin() as session:
        return unanswered_repo.group_turns(unanswered_repo.open_turns(session))


def test_similar_questions_are_grouped_apart_from_others(session_factory):
    _ask(session_factory, "电梯多少钱", "垃圾几点收", "加装电梯要多少钱啊", "电梯多少钱")
    groups = _groups(session_factory)
    assert [(g.text, g.count) for g in groups] == [("电梯多少钱", 3), ("垃圾几点收", 1)]
    assert groups[0].members == [("电梯多少钱", 2), ("加装电梯要多少钱啊", 1)]
    assert len(groups[0].turn_ids) == 3 and groups[0].first_seen <= groups[0].last_seen


def test_grouping_does_not_depend_on_the_rows_order(session_factory):
    _ask(session_factory, "电梯多少钱", "垃圾几点收", "加装电梯要多少钱啊", "垃圾什么时候收",
         "长护险怎么申请", "电梯多少钱", "長護險怎麼申請")  # fmt: skip
    with session_factory.begin() as session:
        turns = unanswered_repo.open_turns(session)
        expected = [(g.text, g.count, g.members) for g in unanswered_repo.group_turns(turns)]
        for seed in range(5):
            random.Random(seed).shuffle(turns)
            found = [(g.text, g.count, g.members) for g in unanswered_repo.group_turns(turns)]
            assert found == expected
    # the same question in Traditional characters is the same wording (shown as last asked)
    assert ("長護險怎麼申請", 2) in [(text, count) for text, count, _ in expected]


def test_answered_turns_are_not_listed(session_factory):
    with session_factory.begin() as session:
        analytics_repo.record_turn(session, sender_hash="h", channel="rest", language="zh",
                                   intent="elevator_cost", confidence=0.9, outcome="answered",
                                   entry_id="elevator_cost", masked_text="装电梯要花多少钱")  # fmt: skip
    _ask(session_factory, "垃圾几点收", outcome="handoff")
    assert [g.text for g in _groups(session_factory)] == ["垃圾几点收"]


def test_a_group_suggests_the_closest_entry(session_factory, imported):
    _ask(session_factory, "电梯多少钱", "加装电梯要多少钱啊")
    with session_factory.begin() as session:
        groups, total, in_all = unanswered_repo.unanswered_groups(session)
        assert (total, in_all) == (2, 1)
        assert groups[0].suggested.id == "elevator_cost" and groups[0].topic == "elevator"


def test_a_new_entry_topic_is_guessed_without_a_suggestion(session_factory, imported):
    _ask(session_factory, "垃圾几点收")
    with session_factory.begin() as session:
        analytics_repo.record_turn(session, sender_hash="h", channel="rest", language="en",
                                   intent="housing_other", confidence=0.3, outcome="fallback",
                                   masked_text="zzqx wvvy")  # fmt: skip
    with session_factory.begin() as session:
        groups = {g.text: g for g in unanswered_repo.unanswered_groups(session)[0]}
        assert groups["垃圾几点收"].suggested is None  # too far to suggest, close enough a topic
        assert groups["垃圾几点收"].topic == "community"
        assert (groups["zzqx wvvy"].suggested, groups["zzqx wvvy"].topic) == (None, "housing")


def test_a_dismissed_group_leaves_the_list_and_is_audited(session_factory):
    ids = _ask(session_factory, "电梯多少钱", "今天天气怎么样")
    weather = [g for g in _groups(session_factory) if g.text == "今天天气怎么样"][0]
    with session_factory.begin() as session:
        assert unanswered_handling.dismiss(session, turn_ids=weather.turn_ids, by="li") == 1
    assert [g.text for g in _groups(session_factory)] == ["电梯多少钱"]
    with session_factory.begin() as session:
        turn = session.get(ConversationTurn, weather.turn_ids[0])
        assert (turn.handled_as, turn.handled_by) == ("dismissed", "li") and turn.handled_at
        audit, _ = audit_repo.entries(session, object_type="conversation_turn")
        assert audit[0].action == "unanswered_dismiss" and audit[0].actor == "li"
        with pytest.raises(LookupError):  # twice: nothing left to handle
            unanswered_handling.dismiss(session, turn_ids=weather.turn_ids, by="li")
    assert len(ids) == 2


def test_an_example_question_is_added_with_a_version_and_audited(session_factory, imported):
    _ask(session_factory, "电梯多少钱", "加装电梯要多少钱啊")
    group = _groups(session_factory)[0]
    with session_factory.begin() as session:
        before = list(session.get(FaqEntry, "elevator_cost").examples)
        unanswered_handling.add_as_example(session, turn_ids=group.turn_ids, entry_id="elevator_cost",
                                       example=" 电梯多少钱 ", editor="li")  # fmt: skip
    with session_factory.begin() as session:
        entry = session.get(FaqEntry, "elevator_cost")
        assert entry.examples == [*before, "电梯多少钱"] and entry.version == 2
        kept = faq_repo.versions(session, "elevator_cost")
        assert kept[0].values["examples"][-1] == "电梯多少钱" and kept[0].saved_by == "li"
        actions = {a.action for a in audit_repo.entries(session, actor="li")[0]}
        assert actions == {"entry_save", "unanswered_example"}
        turns = [session.get(ConversationTurn, i) for i in group.turn_ids]
        assert {(t.handled_as, t.handled_entry_id) for t in turns} == {("example", "elevator_cost")}
        best, match = faq_search.ranked(session, "电梯多少钱", limit=1)[0]
        assert best.id == "elevator_cost" and match.confidence == 1.0  # reachable before training
        assert unanswered_handling.examples_added_since(session, None) == 1
        later = datetime.now(UTC) + timedelta(minutes=1)
        assert unanswered_handling.examples_added_since(session, later) == 0
    assert _groups(session_factory) == []


@pytest.mark.parametrize(
    ("example", "reason"),
    [
        ("我电话138****5678，电梯多少钱", "masked"),
        ("我电话13812345678，电梯多少钱", "personal"),
        ("写信到 a@b.cn 问电梯多少钱", "personal"),
        ("   ", "empty"),
        ("电梯" * 101, "too_long"),
        ("装电梯要花多少钱", "exists"),  # already an example of this entry
    ],
)
def test_a_bad_example_is_refused_and_nothing_changes(session_factory, imported, example, reason):
    ids = _ask(session_factory, "我电话138****5678，电梯多少钱")
    with session_factory.begin() as session:
        with pytest.raises(ExampleRefused) as refused:
            unanswered_handling.add_as_example(session, turn_ids=ids, entry_id="elevator_cost",
                                           example=example, editor="li")  # fmt: skip
        assert refused.value.reason == reason
        session.rollback()
    with session_factory.begin() as session:
        assert session.get(FaqEntry, "elevator_cost").version == 1
        assert len(unanswered_repo.open_turns(session)) == 1


@pytest.mark.parametrize(
    ("example", "other"),
    [
        ("加装电梯怎么申请", "elevator_apply"),  # another entry's example question
        ("加装电梯怎么申请 ", "elevator_apply"),  # the same once trimmed
        ("你好", "greet"),  # written in nlu_data/ under another intent
    ],
)
def test_an_example_of_another_intent_is_refused(session_factory, imported, example, other):
    ids = _ask(session_factory, "电梯多少钱")
    with session_factory.begin() as session:
        with pytest.raises(ExampleRefused) as refused:
            unanswered_handling.add_as_example(session, turn_ids=ids, entry_id="elevator_cost",
                                           example=example, editor="li")  # fmt: skip
        assert (refused.value.reason, refused.value.other) == ("duplicate", other)
        with pytest.raises(ExampleRefused):  # a new entry may not take it either
            unanswered_repo.check_example(session, example, intent=None)


def test_a_new_entry_made_from_a_group_marks_it_handled(session_factory, imported):
    ids = _ask(session_factory, "社区食堂在哪")
    with session_factory.begin() as session:
        assert unanswered_handling.made_new_entry(session, turn_ids=ids, entry_id="community_x",
                                              by="li") == 1  # fmt: skip
        assert unanswered_handling.made_new_entry(session, turn_ids=ids, entry_id="community_x",
                                              by="li") == 0  # fmt: skip
        audit, _ = audit_repo.entries(session, object_type="conversation_turn")
        assert [a.action for a in audit] == ["unanswered_new_entry"]
        assert session.get(ConversationTurn, ids[0]).handled_entry_id == "community_x"


def test_turn_ids_from_a_form_ignore_anything_else():
    assert unanswered_handling.parse_ids("3,4,x,,-1, 5") == [3, 4, 5]
    assert unanswered_handling.parse_ids(None) == []


def test_a_new_entry_starts_with_every_wording_it_may_take(session_factory, imported):
    ids = _ask(session_factory, "社区食堂在哪", "社区食堂在哪里", "社区食堂在哪",
               "我电话138****5678社区食堂在哪", "加装电梯怎么申请")  # fmt: skip
    with session_factory.begin() as session:
        found = unanswered_repo.wordings(session, turn_ids=ids)
        examples = unanswered_repo.new_entry_examples(session, "社区食堂在哪里呀", turn_ids=ids)
    assert found[0] == "社区食堂在哪" and len(found) == 4  # the most asked first, each once
    # the edited wording first; left out: the masked one, an elevator entry's example and
    # 社区食堂在哪, an example written in nlu_data/community.yml already
    assert examples == ["社区食堂在哪里呀", "社区食堂在哪里"]
    with session_factory.begin() as session, pytest.raises(ExampleRefused):
        unanswered_repo.new_entry_examples(session, "", turn_ids=ids)
