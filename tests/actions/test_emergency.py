"""action_answer_emergency: the fitting number is the very first line."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from actions.emergency import ActionAnswerEmergency
from knowledge import faq_repo
from tests.actions.conftest import run_action, tracker_for


@pytest.mark.parametrize(
    ("message", "first_line_has"),
    [
        ("厨房着火了", "119"),
        ("有人晕倒了", "120"),
        ("有人在抢劫", "110"),
        ("fire in my building", "119"),
    ],
)
async def test_first_line_is_the_number_to_call(imported, message, first_line_has):
    messages, _ = await run_action(
        ActionAnswerEmergency(), tracker_for(message, "hotline_emergency")
    )
    assert first_line_has in messages[0]["text"].splitlines()[0]


async def test_staff_can_edit_the_emergency_entry(imported):
    with imported.begin() as session:
        faq_repo.update_answer(
            session,
            intent="hotline_emergency_fire",
            editor="clerk",
            answer_zh="🚨 火警请拨119！（已更新）",
        )
    messages, _ = await run_action(
        ActionAnswerEmergency(), tracker_for("着火了", "hotline_emergency")
    )
    assert messages[0]["text"].startswith("🚨 火警请拨119！（已更新）")


async def test_emergency_numbers_are_given_even_when_the_database_fails(imported):
    with imported.begin() as session:
        session.execute(text("DROP TABLE faq_entry_version"))  # it refers to faq_entry
        session.execute(text("DROP TABLE faq_entry"))
    messages, _ = await run_action(
        ActionAnswerEmergency(), tracker_for("着火了", "hotline_emergency")
    )
    assert "119" in messages[0]["text"] and "120" in messages[0]["text"]


async def test_a_question_that_names_no_emergency_gets_choices_not_the_numbers(imported):
    messages, _ = await run_action(
        ActionAnswerEmergency(),
        tracker_for("Who is my social assistance adviser?", "hotline_emergency"),
    )
    assert not any(n in messages[0]["text"] for n in ("119", "110", "120"))


async def test_a_call_for_help_gets_the_numbers_even_without_details(imported):
    messages, _ = await run_action(
        ActionAnswerEmergency(), tracker_for("救命", "hotline_emergency")
    )
    assert any(n in messages[0]["text"] for n in ("119", "110", "120"))


async def test_a_nuisance_read_as_an_emergency_intent_becomes_a_suggestion_without_numbers(
    imported,
):
    tracker = tracker_for("救命啊 楼上KTV唱到凌晨三点", "hotline_emergency")
    tracker.latest_message["emergency"] = {
        "name": "nuisance",
        "confidence": 0.9,
        "p_emergency": 0.05,
    }
    messages, events = await run_action(ActionAnswerEmergency(), tracker)
    said = " ".join(m.get("text") or "" for m in messages)
    assert not any(n in said for n in ("119", "110", "120"))
    assert {"event": "followup", "timestamp": None, "name": "suggestion_form"} in events
    assert {"event": "slot", "name": "suggestion_text", "value": "救命啊 楼上KTV唱到凌晨三点",
            "timestamp": None} in events  # fmt: skip


async def test_an_emergency_read_as_only_announcing_a_complaint_still_gets_the_number_first(
    imported,
):
    """ "我要投诉，楼道里煤气味…": read as announcing a complaint, it still says what it is."""
    from actions.suggestions import ActionStartSuggestion

    tracker = tracker_for("我要投诉，楼道里一股煤气味，好几天了", "suggestion_give")
    tracker.latest_message["form_act"] = {"name": "announce", "confidence": 0.9}
    messages, events = await run_action(ActionStartSuggestion(), tracker)
    assert "119" in messages[0]["text"].splitlines()[0]
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert "煤气" in slots["suggestion_text"] and slots["suggestion_paused"] is True


async def test_what_to_do_about_the_emergency_just_answered_is_the_suggestion_however_put(imported):
    """After the number for a gas smell, "I want someone to come and check the pipes" (read as
    announcing a complaint) is what the suggestion asks, with the emergency's words."""
    from actions.suggestions import ActionStartSuggestion

    latest = "I want someone to come and check the pipes, not call anyone"
    tracker = tracker_for(latest, "suggestion_give", language="en")
    tracker.latest_message["form_act"] = {"name": "announce", "confidence": 0.9}
    tracker.events = [
        {"event": "user", "text": "there is a gas smell in our stairwell for days"},
        {"event": "action", "name": "action_answer_emergency"},
        {"event": "user", "text": latest},
    ]
    messages, events = await run_action(ActionStartSuggestion(), tracker)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert "gas smell" in slots["suggestion_text"] and "check the pipes" in slots["suggestion_text"]
