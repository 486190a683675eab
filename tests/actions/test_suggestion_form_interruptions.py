"""validate_suggestion_form when the resident turns aside: a side question answered and "go on?"
asked, an emergency number first, a hold or a rating pausing the form, and what "go on" accepts.
What a phrasing means is the model's job (tests/rasa_addons/test_form_act.py); here each
message comes with its act, as the pipeline would send it (`answer` in conftest.py)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.suggestion_ask import ActionAskSuggestionReply
from tests.actions.conftest import answer, saved_count, tracker_at


def test_holding_at_another_step_pauses_instead_of_answering(town):
    result, said = answer("suggestion_reply", "先别急着提交", act="hold", suggestion_reply=None)
    assert result["suggestion_paused"] is True and result["suggestion_reply"] is None
    assert "没有保存" in said[0]


def test_side_question_is_answered_then_go_on_is_asked(town):
    result, said = answer(
        "suggestion_reply", "加装电梯要多少钱", intent="elevator_cost", act="question",
        suggestion_reply=None,
    )  # fmt: skip
    assert result["suggestion_paused"] is True and "自筹资金" in said[0]


async def test_the_pending_question_gives_way_to_go_on_while_paused(town):
    dispatcher = CollectingDispatcher()
    tracker = tracker_at("suggestion_reply", "x", suggestion_reply=None, suggestion_paused=True)
    await ActionAskSuggestionReply().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_suggestion_go_on"


def test_what_can_you_do_is_answered(town):
    result, said = answer(
        "suggestion_category", "你能做什么", intent="bot", act="question", suggestion_category=None
    )
    assert said == ["utter_bot"] and result["suggestion_paused"] is True


def test_a_side_question_at_the_offered_category_is_answered_not_taken_as_the_category(town):
    offered = {"suggestion_category": None, "suggestion_category_guess": "facilities"}
    result, said = answer(
        "suggestion_category", "低保哪能申请", intent="assistance_apply", act="question", **offered
    )
    assert result["suggestion_category"] is None and result["suggestion_paused"] is True
    assert "低保" in said[0] and "suggestion_category_guess" not in result  # still to confirm


def test_a_question_the_model_cannot_answer_is_not_taken_as_the_category(town):
    offered = {"suggestion_category": None, "suggestion_category_guess": "facilities"}
    result, said = answer("suggestion_category", "低保哪能申请", act="question", **offered)
    assert result["suggestion_category"] is None and "12345" in said[0]


def test_thumbs_alone_during_the_form_still_rate_then_go_on(town):
    result, said = answer("suggestion_category", "👍", intent="bot_rate_answer", act="affirm")
    assert result["suggestion_paused"] is True and result["suggestion_category"] is None


def test_an_emergency_as_the_text_gets_the_number_first_and_urgent_only_if_going_on(town):
    result, said = answer(
        "suggestion_text", "There is smoke in the stairwell", suggestion_text=None
    )
    assert "119" in said[0].splitlines()[0] and "12345" not in said[0].splitlines()[0]
    assert result["suggestion_urgent"] and result["suggestion_paused"]
    assert saved_count(town) == 0


def test_an_emergency_at_any_step_gets_the_number(town):
    result, said = answer("suggestion_category", "楼下有人晕倒了", suggestion_category=None)
    assert "120" in said[0].splitlines()[0] and result["suggestion_paused"]


def test_later_lines_of_an_urgent_suggestion_are_added_never_put_in_its_place(town):
    urgent = {"suggestion_text": "楼道里煤气味很重", "suggestion_urgent": True,
              "suggestion_category": None, "suggestion_paused": True}  # fmt: skip
    result, _ = answer(
        "suggestion_category", "我不想打电话，我要有人来查管道", act="inform", **urgent
    )
    assert result["suggestion_text"].startswith("楼道里煤气味很重")
    assert "查管道" in result["suggestion_text"] and result["suggestion_urgent"] is True


def test_go_on_yes_resumes_and_no_drops_the_draft(town):
    paused = {"suggestion_reply": None, "suggestion_paused": True}
    yes, _ = answer("suggestion_reply", "继续", act="affirm", **paused)
    assert yes["suggestion_paused"] is False and yes["suggestion_reply"] is None
    assert "suggestion_confirm" not in yes
    no, _ = answer("suggestion_reply", "不继续了", act="cancel", **paused)
    assert no["suggestion_outcome"] == "cancel"
    assert saved_count(town) == 0


def test_a_new_question_at_go_on_is_answered_and_go_on_asked_again(town):
    paused = {"suggestion_reply": None, "suggestion_paused": True}
    result, said = answer(
        "suggestion_reply", "长护险哪能办", intent="eldercare_ltc_insurance", act="question",
        **paused,
    )  # fmt: skip
    assert "长护险" in said[0] or "长期护理" in said[0]
    assert result["suggestion_reply"] is None and result.get("suggestion_paused") is not False
    assert result["suggestion_retries"] == 1 and "suggestion_outcome" not in result


@pytest.mark.parametrize("no", ["不继续了", "不用了", "算了", "不提了", "no, drop it"])
def test_a_no_at_go_on_sets_the_draft_aside_unsaved(town, no):
    paused = {"suggestion_reply": None, "suggestion_paused": True}
    result, _ = answer("suggestion_reply", no, act="cancel", **paused)
    assert result["suggestion_outcome"] == "cancel" and result["suggestion_cancelled"]
    assert saved_count(town) == 0


def test_go_on_asked_twice_more_at_most_then_the_draft_is_dropped_unsaved(town):
    paused = {"suggestion_confirm": None, "suggestion_paused": True}
    first, _ = answer("suggestion_confirm", "哈哈", act="other", **paused)
    assert first["suggestion_retries"] == 1 and "suggestion_outcome" not in first
    second, _ = answer(
        "suggestion_confirm", "周末图书馆开不开", act="question", suggestion_retries=1, **paused
    )
    assert second["suggestion_retries"] == 2 and "suggestion_outcome" not in second
    third, _ = answer("suggestion_confirm", "哈哈", act="other", suggestion_retries=2, **paused)
    assert third["suggestion_outcome"] == "cancel" and third["suggestion_confirm"] is None
    assert saved_count(town) == 0


@pytest.mark.parametrize(
    ("slot", "message", "act", "expected"),
    [("suggestion_category", "环境卫生", "inform", {"suggestion_category": "environment"}),
     ("suggestion_category", "应该算交通出行吧", "inform", {"suggestion_category": "traffic"}),
     ("suggestion_reply", "在这里回复我就行", "reply_chat", {"suggestion_reply": "chat"}),
     ("suggestion_location", "在上钞苑小区门口", "inform", {"suggestion_location_std": "上钞苑"})],
)  # fmt: skip
def test_answering_the_pending_question_at_go_on_resumes_with_that_answer(
    town, slot, message, act, expected
):
    result, said = answer(slot, message, act=act, **{slot: None, "suggestion_paused": True})
    assert result["suggestion_paused"] is False and said == []
    assert expected.items() <= result.items()


@pytest.mark.parametrize(
    ("slot", "message", "act"),
    [("suggestion_confirm", "确认提交", "affirm"),  # go on's own yes resumes: the read-back again
     ("suggestion_location", "中江路着火了快来人", "inform"),  # an emergency: the number first
     ("suggestion_category", "环境卫生怎么投诉", "question")],  # answered, go on asked again
)  # fmt: skip
def test_at_go_on_a_read_back_yes_an_emergency_or_a_question_is_not_taken_as_the_answer(
    town, slot, message, act
):
    result, _ = answer(slot, message, act=act, **{slot: None, "suggestion_paused": True})
    assert result.get(slot) in (None, "") and result.get("suggestion_outcome") != "saved"
    assert saved_count(town) == 0
