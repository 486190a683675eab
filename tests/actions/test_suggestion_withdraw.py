"""action_withdraw_suggestion: the resident's own open suggestion only, with a clear reply."""

from __future__ import annotations

import pytest

from actions.suggestion_withdraw import ActionWithdrawSuggestion
from store import category_repo, reply_repo, suggestion_repo
from store.contact_cipher import unseal
from store.identity import sender_hash
from tests.actions.conftest import run_action, tracker_for

ME = sender_hash("rest", "resident-1")  # who tracker_for's resident is


@pytest.fixture
def references(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        made = {}
        for key, who in (("mine", ME), ("theirs", "someone-else")):
            saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
                draft_id=key, text="建议在中江路增设路灯", category_key="facilities", channel="rest",
                sender_hash=who, reply_address="resident-1", wants_reply=True,
                contact_phone="13812345678",
            ))  # fmt: skip
            made[key] = saved.reference
    return made


async def withdraw(text: str) -> dict:
    messages, events = await run_action(
        ActionWithdrawSuggestion(), tracker_for(text, "suggestion_withdraw")
    )
    assert events == [] and len(messages) == 1
    return messages[0]


async def test_my_open_suggestion_is_withdrawn_and_its_contact_cleared(references, session_factory):
    said = await withdraw(f"撤回建议 {references['mine'].lower()}")
    assert said["response"] == "utter_suggestion_withdrawn"
    assert said["reference"] == references["mine"]
    with session_factory.begin() as session:
        saved = suggestion_repo.get_by_reference(session, reference=references["mine"])
        assert saved.status == "withdrawn" and saved.contact_phone_sealed is None
    assert (await withdraw(f"withdraw my suggestion {references['mine']}"))["response"] == (
        "utter_suggestion_withdrawn_already"
    )


async def test_another_residents_number_is_refused_and_untouched(references, session_factory):
    said = await withdraw(f"撤回建议 {references['theirs']}")
    assert said["response"] == "utter_suggestion_withdraw_not_yours"
    with session_factory.begin() as session:
        saved = suggestion_repo.get_by_reference(session, reference=references["theirs"])
        assert saved.status == "received" and unseal(saved.contact_phone_sealed) == "13812345678"


async def test_a_closed_suggestion_gets_a_clear_reply(references, session_factory):
    with session_factory.begin() as session:
        saved = suggestion_repo.get_by_reference(session, reference=references["mine"])
        reply_repo.publish_reply(session, saved, text="已安装", by="clerk", close_as="adopted")
    said = await withdraw(f"撤回建议 {references['mine']}")
    assert said["response"] == "utter_suggestion_withdraw_closed"


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("我想撤回我的建议", "utter_suggestion_withdraw_which"),
        ("撤回建议 JY-20260101-ABCD-2", "utter_suggestion_reference_malformed"),
    ],
)
async def test_without_a_valid_number_the_resident_is_told_what_to_send(references, text, response):
    assert (await withdraw(text))["response"] == response
