"""action_fallback: kind words, the closest entries as buttons, and 12345."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from knowledge import faq_repo
from tests.actions.conftest import run_action, tracker_for


async def test_close_intents_become_buttons_with_intent_payloads(imported):
    ranking = [
        {"name": "elevator_cost", "confidence": 0.41},
        {"name": "elevator_apply", "confidence": 0.38},
        {"name": "greet", "confidence": 0.05},
    ]
    tracker = tracker_for("电梯那个事情咋弄", "nlu_fallback", ranking=ranking)
    messages, _ = await run_action(ActionFallback(), tracker)
    payloads = [button["payload"] for button in messages[0]["buttons"]]
    assert payloads[:2] == ["/elevator_cost", "/elevator_apply"]
    assert "12345" in messages[0]["text"] and len(payloads) <= 3


async def test_a_clear_match_of_the_example_questions_is_answered(imported):
    tracker = tracker_for("长护险", "nlu_fallback")
    messages, events = await run_action(ActionFallback(), tracker)
    assert "长护险" in messages[0]["text"] and "来源" in messages[0]["text"]
    assert {
        "event": "slot",
        "name": "last_topic",
        "value": "eldercare",
        "timestamp": None,
    } in events


async def test_search_fills_in_buttons_when_the_model_has_no_candidate(imported):
    tracker = tracker_for("老人护理", "nlu_fallback")
    messages, _ = await run_action(ActionFallback(), tracker)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads and all(p.startswith("/eldercare_") for p in payloads)
    assert "不太确定" in messages[0]["text"]


NEW_ENTRY = {"title_zh": "社区食堂", "title_en": "Community canteen",
             "answer_zh": "社区长者食堂的位置请咨询所在居委会。", "answer_en": "Ask your committee.",
             "source_zh": "工作人员提供", "source_en": "Town staff",
             "examples": ["社区食堂在哪里", "老年食堂怎么吃饭", "哪里有长者食堂"]}  # fmt: skip


def _create_new_entry(session_factory) -> None:
    with session_factory.begin() as session:
        faq_repo.create_entry(session, editor="li", entry_id="eldercare_canteen",
                              intent="eldercare_canteen", values=NEW_ENTRY)  # fmt: skip


async def test_an_entry_no_model_knows_is_offered_by_its_example_question(imported):
    _create_new_entry(imported)
    domain = {"intents": ["eldercare_other", "eldercare_overview", {"greet": {}}]}
    dispatcher = CollectingDispatcher()
    await ActionFallback().run(dispatcher, tracker_for("老人去哪吃饭", "nlu_fallback"), domain)
    buttons = {b["title"]: b["payload"] for b in dispatcher.messages[0]["buttons"]}
    assert buttons["社区食堂"] == "社区食堂在哪里"  # the model could not parse its intent


async def test_english_fallback_uses_english_titles(imported):
    ranking = [{"name": "hotline_contact", "confidence": 0.3}]
    messages, _ = await run_action(
        ActionFallback(), tracker_for("hotline??", "nlu_fallback", ranking=ranking)
    )
    assert messages[0]["buttons"][0]["title"] == "The 12345 hotline"
    assert messages[0]["text"].startswith("Sorry")


async def test_nothing_close_still_points_to_12345(imported):
    messages, _ = await run_action(ActionFallback(), tracker_for("😀😀😀", "nlu_fallback"))
    assert messages[0]["buttons"] == [] and "12345" in messages[0]["text"]


async def test_buttons_never_come_from_another_topic_than_the_likely_one(imported):
    ranking = [
        {"name": "employment_startup", "confidence": 0.3},
        {"name": "eldercare_home_help", "confidence": 0.2},
        {"name": "eldercare_care_home", "confidence": 0.15},
    ]
    tracker = tracker_for("老人那个事情咋弄", "nlu_fallback", ranking=ranking)
    tracker.latest_message["topic"] = {"name": "eldercare", "confidence": 0.4}
    messages, _ = await run_action(ActionFallback(), tracker)
    payloads = [button["payload"] for button in messages[0]["buttons"]]
    assert payloads and all(p.startswith("/eldercare_") for p in payloads)


async def test_an_emergency_the_model_missed_gets_the_number_first(imported):
    messages, _ = await run_action(
        ActionFallback(), tracker_for("There is smoke in the stairwell", "nlu_fallback")
    )
    assert "119" in messages[0]["text"].splitlines()[0]


async def test_every_turn_is_counted_and_only_unanswered_text_is_kept_masked(imported):
    from store import analytics_repo

    await run_action(ActionFallback(), tracker_for("长护险", "nlu_fallback"))
    await run_action(ActionFallback(), tracker_for("我电话13812345678想问个事", "nlu_fallback"))
    with imported.begin() as session:
        answered, unanswered = (
            analytics_repo.outcome_counts(session),
            analytics_repo.unanswered(session),
        )
        assert answered["answered"] == 1 and len(unanswered) == 1
        assert "13812345678" not in unanswered[0].masked_text
        assert unanswered[0].outcome in ("fallback", "handoff") and unanswered[0].channel == "rest"
        assert len(unanswered[0].sender_hash) >= 32  # a keyed hash, never the sender id
