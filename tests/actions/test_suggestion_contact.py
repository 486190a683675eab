"""A number typed during a suggestion: held sealed, named by a reference, forgotten on refusal,
moved into the suggestion on a confirmed call-back (the validation action run as Rasa runs it)."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select, text

from actions.suggestion_contact import GIVEN, ref_of, sealed_events, shown
from actions.suggestion_form import ValidateSuggestionForm
from store.contact_cipher import unseal
from store.models import HeldContact, Suggestion
from tests.actions.conftest import tracker_at

NUMBER = "13912345678"
FORM = {"forms": {"suggestion_form": {"required_slots": [
    "suggestion_text", "suggestion_category", "suggestion_location", "suggestion_reply",
    "suggestion_phone", "suggestion_confirm"]}}}  # fmt: skip


def run(slot: str, message: str, **kwargs) -> dict:
    """The slots the validation action sets for `message` at `slot`, as Rasa would store them."""
    tracker = tracker_at(slot, message, **kwargs)
    tracker.events.append({"event": "slot", "name": slot, "value": message})  # from_text, by Rasa
    events = asyncio.run(ValidateSuggestionForm().run(CollectingDispatcher(), tracker, FORM))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def stored_text(town) -> str:
    with town.begin() as session:
        rows = [*session.execute(text("SELECT * FROM held_contact")),
                *session.execute(text("SELECT * FROM suggestion"))]  # fmt: skip
        return "\n".join("\t".join(str(value) for value in row) for row in rows)


def held(town) -> list[HeldContact]:
    with town.begin() as session:
        return list(session.scalars(select(HeldContact)))


def test_a_number_typed_in_the_first_answer_is_held_sealed_and_named_by_reference(town):
    slots = run("suggestion_text", f"楼道灯坏了一个星期了，我电话{NUMBER}", act="inform",
                suggestion_text=None)  # fmt: skip
    assert NUMBER not in repr(slots) and NUMBER not in stored_text(town)
    assert shown(slots[GIVEN]) == "139****5678" and ref_of(slots[GIVEN])
    assert [h.ref for h in held(town)] == [ref_of(slots[GIVEN])]


def test_a_number_given_at_the_phone_question_becomes_a_reference(town):
    slots = run("suggestion_phone", NUMBER, act="inform", suggestion_reply="phone")
    assert slots["suggestion_phone"].startswith("139****5678 #") and GIVEN not in slots
    assert unseal(held(town)[0].phone_sealed) == NUMBER


def test_refusing_a_call_back_forgets_every_held_number(town):
    given = run("suggestion_text", f"路灯坏了，电话{NUMBER}", act="inform", suggestion_text=None)
    assert held(town)
    slots = run("suggestion_reply", "不用打电话，回复到这里就行", act="reply_chat",
                suggestion_reply=None, **given)  # fmt: skip
    assert slots["suggestion_reply"] == "chat" and slots[GIVEN] is None
    assert held(town) == []


def test_a_confirmed_call_back_moves_the_number_into_the_suggestion_sealed(town):
    phone = run("suggestion_phone", NUMBER, act="inform", suggestion_reply="phone")
    slots = run("suggestion_confirm", "确认提交", act="affirm", suggestion_reply="phone",
                suggestion_phone=phone["suggestion_phone"])  # fmt: skip
    assert slots["suggestion_outcome"] == "saved"
    assert held(town) == [] and NUMBER not in stored_text(town)
    with town.begin() as session:
        assert unseal(session.scalars(select(Suggestion)).one().contact_phone_sealed) == NUMBER


def test_events_without_a_number_are_left_as_they_are(town):
    tracker = tracker_at("suggestion_location", "申汉小区", act="inform")
    events = [{"event": "slot", "name": "suggestion_location", "value": "申汉小区"}]
    assert sealed_events(tracker, events) == events and held(town) == []
