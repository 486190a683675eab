"""validate_suggestion_form at each step: the answer read as what the model says it is, corrections
of the category, place, text or reply applied, an offered category confirmed or refused, two
re-asks at most, then a way out. What a phrasing means is the model's job (tests/rasa_addons/test_form_act.py); here each
message comes with its act, as the pipeline would send it (`answer` in conftest.py)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.suggestion_ask import ActionAskSuggestionCategory
from tests.actions.conftest import answer, tracker_at


@pytest.mark.parametrize(
    ("message", "act", "choice"),
    [("不用回复，我手机也不大会弄", "reply_none", "none"),
     ("不用回复了，号码也别留", "reply_none", "none"),
     ("行就这里提交吧不用回复", "reply_none", "none"),
     ("回复我这里就行，别打电话", "reply_chat", "chat"),
     ("no need to call me, just message here", "reply_chat", "chat"),
     ("给我打电话吧", "reply_phone", "phone")],
)  # fmt: skip
def test_a_reply_choice_in_words_is_that_choice_and_never_asks_for_a_refused_phone(
    town, message, act, choice
):
    result, _ = answer("suggestion_reply", message, act=act, suggestion_reply=None)
    assert result["suggestion_reply"] == choice and result.get("suggestion_outcome") is None
    if choice != "phone":
        assert result["suggestion_phone"] is None


def test_a_reply_choice_at_the_place_step_is_kept_and_the_place_asked_again(town):
    result, _ = answer(
        "suggestion_location", "回复我这里就行，别打电话", act="reply_chat",
        suggestion_location=None, suggestion_reply=None,
    )  # fmt: skip
    assert result["suggestion_reply"] == "chat" and result["suggestion_location"] is None


def test_a_category_correction_at_the_read_back_changes_it(town):
    result, _ = answer("suggestion_confirm", "不对，这个应该算养老", act="correct_category")
    assert result["suggestion_category"] == "eldercare" and result["suggestion_confirm"] is None
    assert result.get("suggestion_outcome") is None


def test_a_category_correction_at_the_reply_step_changes_it(town):
    result, _ = answer(
        "suggestion_reply", "类别错了，是交通出行", act="correct_category", suggestion_reply=None
    )
    assert result["suggestion_category"] == "traffic" and result["suggestion_reply"] is None


def test_a_category_correction_naming_none_asks_for_the_category_again(town):
    result, _ = answer("suggestion_confirm", "修改类别", act="correct_category")
    assert result["suggestion_category"] is None


def test_a_place_correction_at_the_read_back_takes_the_new_place(town):
    result, _ = answer(
        "suggestion_confirm", "地点不对，是上钞苑不是延川路", act="correct_place",
        suggestion_location="延川路",
    )  # fmt: skip
    assert (
        result["suggestion_location_std"] == "上钞苑" and result.get("suggestion_outcome") is None
    )


def test_a_place_correction_naming_none_asks_for_the_place_again(town):
    result, _ = answer("suggestion_confirm", "修改地点", act="correct_place")
    assert result["suggestion_location"] is None and result.get("suggestion_outcome") is None


def test_a_text_correction_with_content_replaces_the_text(town):
    result, _ = answer("suggestion_confirm", "内容改一下：垃圾桶早晚各清运一次", act="correct_text")
    assert result["suggestion_text"] == "垃圾桶早晚各清运一次"
    bare, _ = answer("suggestion_confirm", "修改内容", act="correct_text")
    assert bare["suggestion_text"] is None  # asked for again


def test_the_number_given_before_is_used_when_the_resident_says_so(town):
    given = "139****5678 #" + "r" * 22  # as actions/suggestion_contact.py held it
    result, _ = answer(
        "suggestion_phone", "就用我刚才发的那个号码", act="use_given_phone",
        suggestion_reply="phone", suggestion_phone=None, suggestion_phone_given=given,
    )  # fmt: skip
    assert result["suggestion_phone"] == given
    nothing, _ = answer(
        "suggestion_phone", "就用我刚才发的那个号码", act="use_given_phone",
        suggestion_reply="phone", suggestion_phone=None,
    )  # fmt: skip
    assert nothing["suggestion_phone"] is None  # none given: asked for


def test_an_answer_naming_no_known_category_is_asked_again_not_answered(town):
    result, said = answer(
        "suggestion_category", "算文化活动吧", intent="community_events", act="inform"
    )
    assert result["suggestion_category"] is None and result.get("suggestion_paused") is not True
    assert said and "长征杯" not in " ".join(said)


def test_phone_consent_with_the_number_fills_both(town):
    result, _ = answer(
        "suggestion_reply", "可以留电话，13912345678", act="reply_phone", suggestion_reply=None
    )
    assert result["suggestion_reply"] == "phone" and result["suggestion_phone"] == "13912345678"
    assert "suggestion_confirm" not in result


def test_category_in_a_sentence(town):
    result, _ = answer(
        "suggestion_category", "算环境卫生吧", act="inform", suggestion_category=None
    )
    assert result["suggestion_category"] == "environment"


async def test_category_from_the_first_message_is_offered_for_confirmation(town):
    dispatcher = CollectingDispatcher()
    tracker = tracker_at("suggestion_category", "", suggestion_category_guess="environment")
    await ActionAskSuggestionCategory().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_suggestion_category_guess"
    assert message["category"] == "环境卫生" and message["buttons"][0]["title"] == "对"


def test_offered_category_confirmed_or_refused(town):
    guess = {"suggestion_category": None, "suggestion_category_guess": "traffic"}
    assert answer("suggestion_category", "对", act="affirm", **guess)[0][
        "suggestion_category"] == "traffic"  # fmt: skip
    refused, _ = answer("suggestion_category", "不对", act="deny", **guess)
    assert refused["suggestion_category"] is None and refused["suggestion_category_guess"] is None
    other, _ = answer("suggestion_category", "不是，算公共设施", act="correct_category", **guess)
    assert other["suggestion_category"] == "facilities"


@pytest.mark.parametrize(
    ("slot", "way_out"),
    [("suggestion_category", "other"), ("suggestion_location", "-"), ("suggestion_reply", "none")],
)
def test_two_reasks_that_say_what_is_expected_then_a_way_out(town, slot, way_out):
    first, said = answer(slot, "哈哈哈", act="other", **{slot: None})
    assert first[slot] is None and first["suggestion_retries"] == 1 and "请" in said[0]
    second, said = answer(slot, "哈哈哈", act="other", **{slot: None, "suggestion_retries": 1})
    assert second[slot] is None and second["suggestion_retries"] == 2 and "请" in said[0]
    third, said = answer(slot, "哈哈哈", act="other", **{slot: None, "suggestion_retries": 2})
    assert third[slot] == way_out and "没关系" in said[0]


def test_skipping_the_place_leaves_it_out(town):
    result, _ = answer(
        "suggestion_location", "不晓得具体哪里", act="skip", suggestion_location=None
    )
    assert result["suggestion_location"] == "-"


@pytest.mark.parametrize("not_a_place", ["老人小孩走路", "晚上走路", "跑步看不清路"])
def test_words_about_walking_are_not_a_place(town, not_a_place):
    result, _ = answer("suggestion_location", not_a_place, act="inform", suggestion_location=None)
    assert result["suggestion_location"] is None


def test_place_is_read_from_any_message(town):
    result, _ = answer(
        "suggestion_reply", "不需要回复，就在铜川路菜场门口", act="reply_none",
        suggestion_reply=None, suggestion_location=None,
    )  # fmt: skip
    assert result["suggestion_reply"] == "none"


def test_a_place_said_out_of_turn_is_kept_and_the_question_asked_again(town):
    result, said = answer(
        "suggestion_reply", "上钞苑5号楼", act="inform", suggestion_reply=None,
        suggestion_location=None,
    )  # fmt: skip
    assert result["suggestion_reply"] is None and result["suggestion_location"] == "上钞苑5号楼"
    assert said == [] and "suggestion_retries" not in result


@pytest.mark.parametrize(
    ("message", "key"), [("环境卫生👍", "environment"), ("交通出行🙏👍", "traffic")]
)
def test_an_answer_with_a_thumbs_up_is_an_answer_not_a_rating(town, message, key):
    result, said = answer("suggestion_category", message, intent="bot_rate_answer", act="inform")
    assert result["suggestion_category"] == key and not result.get("suggestion_paused")
    assert not any("评价" in (s or "") for s in said)
