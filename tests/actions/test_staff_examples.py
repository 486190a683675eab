"""An example question staff added is answered at once, whatever a model trained before makes of it
(out of scope, unsure leaning to another topic, another entry); never over an emergency or a form."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionAnswerConversation
from actions.fallback import ActionFallback
from actions.faq import ActionAnswerFaq
from knowledge import faq_repo
from store import analytics_repo
from tests.actions.conftest import run_action, tracker_for

LIBRARY = "周末图书馆开不开"
EDUCATION = "镇里推进长征优质教育发展共同体建设"  # community_education's answer


@pytest.fixture
def library(imported):
    """LIBRARY added by staff as an example question of community_education."""
    with imported.begin() as session:
        entry = faq_repo.get_by_intent(session, intent="community_education")
        faq_repo.save_entry(session, entry.id, editor="li",
                            values={"examples": [*entry.examples, LIBRARY]})  # fmt: skip
    return imported


def leaning(text: str, intent: str, topic: str, confidence: float = 0.6, **kwargs):
    tracker = tracker_for(text, intent, **kwargs)
    tracker.latest_message["intent"]["confidence"] = confidence
    tracker.latest_message["topic"] = {"name": topic, "confidence": confidence}
    return tracker


@pytest.mark.parametrize("text", [LIBRARY, "请问，周末圖書館开不开？", "周末图书馆 开不开吗"])
async def test_an_example_read_as_out_of_scope_is_answered_with_thumbs(library, text):
    messages, events = await run_action(
        ActionAnswerConversation(), leaning(text, "out_of_scope", "out_of_scope")
    )
    assert EDUCATION in messages[0]["text"] and messages[0]["response"] is None
    assert [b["title"] for b in messages[0]["buttons"]][-2:] == ["👍 有帮助", "👎 没帮助"]
    assert {
        "event": "slot",
        "name": "last_topic",
        "value": "community",
        "timestamp": None,
    } in events
    with library.begin() as session:
        assert analytics_repo.outcome_counts(session) == {"answered": 1}


async def test_out_of_scope_that_is_no_example_stays_out_of_scope(library):
    tracker = leaning("周末电影院开不开", "out_of_scope", "out_of_scope")
    messages, _ = await run_action(ActionAnswerConversation(), tracker)
    assert messages[0]["response"] == "utter_out_of_scope"


async def test_an_unsure_example_leaning_to_another_topic_is_answered(library):
    tracker = leaning(LIBRARY, "nlu_fallback", "suggestion", confidence=0.3)
    messages, _ = await run_action(ActionFallback(), tracker)
    assert EDUCATION in messages[0]["text"]


async def test_a_weaker_match_in_another_topic_is_still_only_offered(library):
    tracker = leaning("周末图书馆开不开门呀，几点关", "nlu_fallback", "suggestion", confidence=0.3)
    messages, _ = await run_action(ActionFallback(), tracker)
    assert EDUCATION not in messages[0]["text"]


async def test_an_example_wins_over_a_confident_other_entry(library):
    tracker = leaning(LIBRARY, "community_events", "community", confidence=0.9)
    messages, _ = await run_action(ActionAnswerFaq(), tracker)
    assert EDUCATION in messages[0]["text"]


async def test_an_example_never_answers_inside_the_suggestion_form(library):
    tracker = leaning(LIBRARY, "out_of_scope", "out_of_scope")
    tracker.active_loop = {"name": "suggestion_form"}
    messages, _ = await run_action(ActionAnswerConversation(), tracker)
    assert messages[0]["response"] == "utter_out_of_scope"


async def test_an_example_never_overrides_an_emergency(imported):
    with imported.begin() as session:
        entry = faq_repo.get_by_intent(session, intent="community_education")
        faq_repo.save_entry(session, entry.id, editor="li",
                            values={"examples": [*entry.examples, "楼道里着火了"]})  # fmt: skip
    dispatcher = CollectingDispatcher()
    await ActionFallback().run(dispatcher, leaning("楼道里着火了", "nlu_fallback", "community"), {})
    assert "119" in dispatcher.messages[0]["text"].splitlines()[0]
    assert EDUCATION not in dispatcher.messages[0]["text"]
