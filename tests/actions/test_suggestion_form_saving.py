"""validate_suggestion_form at the read-back: nothing saved without an explicit yes, a yes
saves once (again after a database failure), a cancel or hesitation sets the draft aside unsaved.
What a phrasing means is the model's job (tests/rasa_addons/test_form_act.py); here each
message comes with its act, as the pipeline would send it (`answer` in conftest.py)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.suggestion_form import ValidateSuggestionForm
from store import suggestion_repo
from store.models import Suggestion
from tests.actions.conftest import DRAFT, answer, saved_count, tracker_at


@pytest.mark.parametrize(
    ("refusal", "act"),
    [("不要提交", "cancel"), ("先别提交，我再想想", "hold"), ("不提交", "cancel"),
     ("no, don't send it", "cancel"), ("算了", "cancel"), ("我再想想", "hold"), ("嗯？", None),
     ("不对", "deny"), ("可以留电话，13912345678", "reply_phone"),
     ("加装电梯要多少钱", "question"), ("地点不对，是上钞苑", "correct_place")],
)  # fmt: skip
def test_nothing_is_saved_without_an_explicit_yes(town, refusal, act):
    result, _ = answer("suggestion_confirm", refusal, act=act, suggestion_confirm=None)
    assert result.get("suggestion_confirm") is None
    assert result.get("suggestion_outcome") in (None, "cancel")
    assert saved_count(town) == 0


def test_an_explicit_yes_saves_once(town):
    result, said = answer("suggestion_confirm", "确认提交", act="affirm")
    assert result["suggestion_confirm"] == "yes" and result["suggestion_outcome"] == "saved"
    assert "utter_suggestion_saved" in said
    assert saved_count(town) == 1


def test_a_database_failure_at_the_yes_says_not_saved_and_the_yes_again_saves(town, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    with monkeypatch.context() as patched:  # PostgreSQL restarting at that moment
        patched.setattr(suggestion_repo, "create_suggestion", broken)
        result, said = answer("suggestion_confirm", "确认提交", act="affirm")
    assert result.get("suggestion_confirm") is None and "suggestion_outcome" not in result
    assert said == ["utter_suggestion_not_saved"]
    assert saved_count(town) == 0  # the form asks for the yes again: the draft is kept
    result, said = answer("suggestion_confirm", "确认提交", act="affirm")
    assert result["suggestion_outcome"] == "saved" and "utter_suggestion_saved" in said
    assert saved_count(town) == 1


def test_an_urgent_suggestion_is_saved_as_urgent_without_the_usual_days(town):
    result, said = answer("suggestion_confirm", "提交", act="affirm", suggestion_urgent=True)
    assert result["suggestion_outcome"] == "saved" and "utter_suggestion_saved_urgent" in said
    with town.begin() as session:
        assert session.scalars(select(Suggestion)).one().urgent is True


def test_a_cancel_at_the_read_back_sets_the_draft_aside(town):
    result, _ = answer("suggestion_confirm", "不要提交了", act="cancel")
    assert result["suggestion_outcome"] == "cancel"
    assert result["suggestion_cancelled"]["slots"]["suggestion_text"] == DRAFT["suggestion_text"]
    assert saved_count(town) == 0


def test_hesitation_at_the_read_back_says_nothing_was_saved(town):
    result, said = answer("suggestion_confirm", "先别提交，我再想想", act="hold")
    assert result["suggestion_confirm"] is None and "没有保存" in said[0]


def test_hesitating_twice_sets_the_suggestion_aside_unsaved(town):
    first, _ = answer("suggestion_confirm", "等一下，别提交", act="hold")
    assert first["suggestion_retries"] == 1 and "suggestion_outcome" not in first
    again, _ = answer("suggestion_confirm", "等一下，别提交", act="hold", suggestion_retries=1)
    assert again["suggestion_outcome"] == "cancel" and saved_count(town) == 0


@pytest.mark.parametrize("typed", ["yes", "cancel", "blocked", "saved"])
async def test_a_typed_word_never_ends_the_form_by_itself(town, typed):
    tracker = tracker_at("suggestion_confirm", typed)
    slots = await ValidateSuggestionForm().required_slots(
        ["suggestion_text", "suggestion_category", "suggestion_location", "suggestion_reply",
         "suggestion_phone", "suggestion_confirm"], CollectingDispatcher(), tracker, {},
    )  # fmt: skip
    assert "suggestion_confirm" in slots  # so the typed word is read (and "yes" saves)
