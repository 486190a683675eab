"""action_rate_answer and the 👍 / 👎 buttons; the social-turn action; one analytics row per turn."""

from __future__ import annotations

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.conversation import ActionAnswerConversation
from actions.faq import ActionAnswerFaq
from actions.rating import ActionRateAnswer
from actions.suggestion_form import ValidateSuggestionForm
from store import analytics_repo, category_repo
from store.models import AnswerRating, ConversationTurn

_ids = iter(range(1, 10_000))
CLOSE = [
    {"name": "elevator_apply", "confidence": 0.3},
    {"name": "elevator_cost", "confidence": 0.2},
]


def tracker(text: str, intent: str, *, entities=(), sender="resident-1", language=None,
            confidence=0.95, slots=None, loop=None, ranking=()) -> Tracker:  # fmt: skip
    """A tracker whose latest message (with Rasa's message id) is `text`, read as `intent`."""
    return Tracker(
        sender_id=sender,
        slots={"language": language, **(slots or {})},
        latest_message={
            "text": text,
            "message_id": f"m{next(_ids)}",
            "entities": list(entities),
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [],
        },  # fmt: skip
        events=[],
        paused=False,
        followup_action=None,
        active_loop=loop or {},
        latest_action_name="action_listen",
    )


def pressed(button: dict, **kwargs) -> Tracker:
    """The tracker Rasa builds for a pressed button (a payload: the intent and its entities)."""
    intent, _, values = button["payload"].removeprefix("/").partition("{")
    entities = [{"entity": k, "value": v} for k, v in json.loads("{" + values).items()]
    return tracker(button["payload"], intent, entities=entities, confidence=1.0, **kwargs)


async def run(action, tracker: Tracker, domain=None):
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, domain or {})
    return dispatcher.messages


async def answer(question="镇里装了多少台电梯", intent="elevator_progress", **kwargs) -> dict:
    return (await run(ActionAnswerFaq(), tracker(question, intent, **kwargs)))[0]


def rating_buttons(message: dict) -> dict[str, dict]:
    return {
        b["title"]: b for b in message["buttons"] if b["payload"].startswith("/bot_rate_answer")
    }


def stored(session_factory) -> dict[int, str]:
    with session_factory.begin() as session:
        return {r.turn_id: r.rating for r in session.scalars(select(AnswerRating))}


async def test_an_answer_ends_with_thumbs_up_and_down_naming_its_turn(imported):
    message = await answer()
    buttons = rating_buttons(message)
    assert list(buttons) == ["👍 有帮助", "👎 没帮助"]
    assert message["buttons"][-2:] == list(buttons.values())  # after the next questions
    with imported.begin() as session:
        turn_id = session.scalars(select(ConversationTurn.id)).one()
    assert all(f'"turn":"{turn_id}"' in b["payload"] for b in buttons.values())
    english = rating_buttons(await answer("how many elevators are in use"))
    assert list(english) == ["👍 Helpful", "👎 Not helpful"]


async def test_no_buttons_when_the_resident_is_handed_to_a_person(imported):
    message = await answer("我要找真人", "human")
    assert rating_buttons(message) == {}
    with imported.begin() as session:
        assert session.scalars(select(ConversationTurn.outcome)).one() == "handoff"


async def test_pressing_thumbs_up_then_down_changes_the_one_rating(imported):
    buttons = rating_buttons(await answer())
    said = await run(ActionRateAnswer(), pressed(buttons["👍 有帮助"]))
    assert said[0]["text"] == "谢谢您的评价！"
    assert list(stored(imported).values()) == ["up"]
    said = await run(ActionRateAnswer(), pressed(buttons["👎 没帮助"]))
    assert "12345" in said[0]["text"] and "换个说法" in said[0]["text"]
    assert list(stored(imported).values()) == ["down"]
    with imported.begin() as session:  # the answer, and each press: one row per turn
        assert analytics_repo.outcome_counts(session) == {"answered": 1, "rating": 2}


async def test_another_resident_cannot_rate_someone_elses_answer(imported):
    buttons = rating_buttons(await answer())
    said = await run(ActionRateAnswer(), pressed(buttons["👎 没帮助"], sender="someone-else"))
    assert stored(imported) == {} and said[0]["text"] == "谢谢您的反馈！"


@pytest.mark.parametrize(("typed", "rating"), [("👍", "up"), ("👎👎", "down")])
async def test_a_typed_thumb_rates_the_latest_answer(imported, typed, rating):
    await answer("12345热线怎么打", "hotline_contact")
    await answer()
    await run(ActionRateAnswer(), tracker(typed, "bot_rate_answer", confidence=0.85))
    with imported.begin() as session:
        latest = session.scalars(select(ConversationTurn).where(ConversationTurn.outcome == "answered")
                                 .order_by(ConversationTurn.id.desc())).first()  # fmt: skip
    assert stored(imported) == {latest.id: rating}


@pytest.mark.parametrize("typed", ["👍", "👍👍", "👎"])
async def test_a_typed_thumb_after_a_pressed_one_is_thanks_and_keeps_the_rating(imported, typed):
    buttons = rating_buttons(await answer())
    await run(ActionRateAnswer(), pressed(buttons["👎 没帮助"]))
    said = await run(ActionRateAnswer(), tracker(typed, "bot_rate_answer", confidence=0.85))
    assert said[0]["text"] == "谢谢您的反馈！"
    assert list(stored(imported).values()) == ["down"]
    said = await run(ActionRateAnswer(), pressed(buttons["👍 有帮助"]))  # a button still changes it
    assert said[0]["text"] == "谢谢您的评价！" and list(stored(imported).values()) == ["up"]


async def test_a_typed_thumb_rates_a_new_answer_after_an_older_one_was_rated(imported):
    await run(ActionRateAnswer(), pressed(rating_buttons(await answer())["👎 没帮助"]))
    await answer("12345热线怎么打", "hotline_contact")
    said = await run(ActionRateAnswer(), tracker("👍", "bot_rate_answer", confidence=0.85))
    assert said[0]["text"] == "谢谢您的评价！"
    assert sorted(stored(imported).values()) == ["down", "up"]


async def test_a_thumb_with_no_answer_to_rate_is_thanked_and_stores_nothing(imported):
    said = await run(ActionRateAnswer(), tracker("👍", "bot_rate_answer", language="en"))
    assert said[0]["text"] == "Thank you for your feedback!" and stored(imported) == {}


async def test_an_old_thumb_inside_the_suggestion_form_thanks_then_asks_to_go_on(imported):
    with imported.begin() as session:
        category_repo.import_categories(session)
    button = rating_buttons(await answer())["👍 有帮助"]
    form = pressed(button, slots={"requested_slot": "suggestion_text"},
                   loop={"name": "suggestion_form"})  # fmt: skip
    dispatcher = CollectingDispatcher()
    result = ValidateSuggestionForm().validate_suggestion_text(
        button["payload"], dispatcher, form, {}
    )
    assert result == {  # "go on?" follows, with its own two re-asks
        "suggestion_text": None, "suggestion_paused": True, "suggestion_retries": 0,
    }  # fmt: skip
    assert dispatcher.messages[0]["text"] == "谢谢您的评价！"
    assert list(stored(imported).values()) == ["up"]


@pytest.mark.parametrize(
    ("intent", "response", "outcome"),
    [("greet", "utter_greet", "conversation"), ("thank", "utter_thank", "conversation"),
     ("bot", "utter_bot", "conversation"), ("out_of_scope", "utter_out_of_scope", "handoff"),
     ("suggestion_cancel", "utter_suggestion_nothing_open", "suggestion")],
)  # fmt: skip
async def test_a_social_turn_utters_its_response_and_writes_one_row(imported, intent, response,
                                                                    outcome):  # fmt: skip
    said = await run(ActionAnswerConversation(), tracker("北京明天天气 13812345678", intent))
    assert [m["response"] for m in said] == [response]
    with imported.begin() as session:
        row = session.scalars(select(ConversationTurn)).one()
        assert (row.intent, row.outcome) == (intent, outcome)
        assert (row.masked_text is not None) == (outcome == "handoff")
        assert "13812345678" not in (row.masked_text or "")


async def test_every_kind_of_turn_writes_exactly_one_row(imported):
    with imported.begin() as session:
        category_repo.import_categories(session)
    from actions.fallback import ActionFallback
    from actions.suggestions import ActionStartSuggestion, ActionSubmitSuggestion

    turns = [
        (ActionAnswerConversation(), tracker("你好", "greet")),
        (ActionAnswerConversation(), tracker("帮我订机票", "out_of_scope")),
        (ActionAnswerFaq(), tracker("镇里装了多少台电梯", "elevator_progress")),
        (
            ActionFallback(),
            tracker("电梯那个事情咋弄", "nlu_fallback", confidence=0.1, ranking=CLOSE),
        ),
    ]
    for action, state in turns:
        await run(action, state)
    # a suggestion step: the form's validation, then its submit, in one turn (one message id)
    step = tracker("取消", "suggestion_cancel", slots={"requested_slot": "suggestion_text"},
                   loop={"name": "suggestion_form"})  # fmt: skip
    await run(ActionStartSuggestion(), tracker("我想提个建议", "suggestion_give"))
    await run(ValidateSuggestionForm(), step)
    await run(ActionSubmitSuggestion(), step)
    with imported.begin() as session:
        rows = session.scalars(select(ConversationTurn).order_by(ConversationTurn.id)).all()
        assert [r.outcome for r in rows] == [
            "conversation", "handoff", "answered", "fallback", "suggestion", "suggestion"
        ]  # fmt: skip
        assert session.scalar(select(func.count(func.distinct(ConversationTurn.turn_key)))) == 6


async def test_rasas_own_fallback_reverts_the_message_and_writes_the_row(imported):
    from rasa_sdk.events import UserUtteranceReverted

    from actions.conversation import ActionDefaultFallback

    dispatcher = CollectingDispatcher()
    events = await ActionDefaultFallback().run(
        dispatcher, tracker("打给13812345678", "hotline_other", confidence=0.2), {}
    )
    assert events == [UserUtteranceReverted()]
    assert dispatcher.messages[0]["response"] == "utter_default"
    with imported.begin() as session:
        row = session.scalars(select(ConversationTurn)).one()
        assert row.outcome == "fallback" and "13812345678" not in row.masked_text


RECORDING = {
    "action_answer_faq", "action_fallback", "action_answer_emergency", "action_answer_conversation",
    "action_rate_answer", "action_start_suggestion", "suggestion_form", "action_submit_suggestion",
    "action_suggestion_status", "action_list_my_suggestions", "action_withdraw_suggestion",
    "action_delete_my_data", "action_ask_delete_my_data", "action_handoff",
}  # fmt: skip


def test_every_rule_answers_a_message_through_an_action_that_records_the_turn():
    """A rule that only uttered a response would leave its turns out of the analytics."""
    import yaml

    from core.settings import ROOT

    unrecorded = []
    for path in sorted((ROOT / "nlu_data").glob("*.yml")):
        for rule in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []):
            turns, current = [], None
            for step in rule["steps"]:
                if "intent" in step:
                    current = [step["intent"]]
                    turns.append(current)
                elif "action" in step and current is not None:
                    current.append(step["action"])
            unrecorded += [rule["rule"] for turn in turns if not RECORDING & set(turn[1:])]
    assert unrecorded == []


@pytest.mark.parametrize("turn", ["abc", "99999999999999", "-1", ""])
async def test_a_forged_or_broken_turn_never_crashes_and_rates_only_ones_own(imported, turn):
    await answer()
    entities = [{"entity": "rating", "value": "down"}, {"entity": "turn", "value": turn}]
    said = await run(ActionRateAnswer(), tracker("/bot_rate_answer", "bot_rate_answer",
                                                 entities=entities, sender="someone-else"))  # fmt: skip
    assert said[0]["text"] == "谢谢您的反馈！" and stored(imported) == {}


async def test_a_stale_yes_after_a_cancel_says_the_draft_was_cancelled_not_saved(imported):
    import time

    kept = {"at": time.time(), "slots": {"suggestion_text": "x"}}
    stale = tracker("确认提交", "affirm", slots={"suggestion_cancelled": kept})
    said = await run(ActionAnswerConversation(), stale)
    assert [m["response"] for m in said] == ["utter_suggestion_was_cancelled"]
    expired = {"at": time.time() - 3600, "slots": {"suggestion_text": "x"}}
    old = tracker("确认提交", "affirm", slots={"suggestion_cancelled": expired})
    assert [m["response"] for m in await run(ActionAnswerConversation(), old)] == ["utter_affirm"]


async def test_a_yes_sent_again_after_its_save_is_told_the_same_number_not_saved_again(imported):
    """The reply to "确认提交" was lost (a bridge restarting): the resident sends it again."""
    saved = [
        {"event": "user", "text": "确认提交"},
        {"event": "slot", "name": "suggestion_outcome", "value": "saved"},
        {
            "event": "bot",
            "text": "谢谢您！建议已保存，编号：JY-20261207-G8A2-V\n工作人员会认真研究",
        },
        {"event": "user", "text": "确认提交"},
    ]
    again = tracker("确认提交", "affirm")
    again.events = saved
    said = await run(ActionAnswerConversation(), again)
    assert [(m["response"], m.get("reference")) for m in said] == [
        ("utter_suggestion_already_saved", "JY-20261207-G8A2-V")
    ]
    earlier = tracker("确认提交", "affirm")  # the save two messages ago: an ordinary yes now
    earlier.events = [*saved[:3], {"event": "user", "text": "谢谢"}, {"event": "bot", "text": "不客气"},
                      {"event": "user", "text": "确认提交"}]  # fmt: skip
    assert [m["response"] for m in await run(ActionAnswerConversation(), earlier)] == [
        "utter_affirm"
    ]
