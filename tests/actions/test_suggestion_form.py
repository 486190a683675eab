"""validate_suggestion_form: sentences read at each step, refusals never saved, two re-asks at most."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.suggestion_ask import ActionAskSuggestionCategory, ActionAskSuggestionReply
from actions.suggestion_form import ValidateSuggestionForm
from knowledge import suggestion_repo
from knowledge.models import Suggestion

DRAFT = {
    "suggestion_draft_id": "draft-1",
    "suggestion_text": "建议菜场门口的垃圾桶每天多清运一次",
    "suggestion_category": "environment",
    "suggestion_location": "-",
    "suggestion_reply": "none",
}


@pytest.fixture
def town(imported):
    with imported.begin() as session:
        suggestion_repo.import_categories(session)
    return imported


def tracker_at(
    slot: str, message: str, intent: str = "nlu_fallback", confidence: float = 0.95, **slots
) -> Tracker:
    """The form waiting for `slot`, the resident having just written `message`."""
    filled = {**DRAFT, **slots, slot: message, "requested_slot": slot}
    return Tracker(
        sender_id="resident-1",
        slots=filled,
        latest_message={"text": message, "intent": {"name": intent, "confidence": confidence}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "suggestion_form"},
        latest_action_name="action_listen",
    )


def answer(slot: str, message: str, **kwargs) -> tuple[dict, list[str]]:
    """What validating `message` for `slot` returns, and the texts uttered."""
    dispatcher = CollectingDispatcher()
    validate = getattr(ValidateSuggestionForm(), f"validate_{slot}")
    result = validate(message, dispatcher, tracker_at(slot, message, **kwargs), {})
    return result, [m.get("text") or m.get("response") for m in dispatcher.messages]


def saved_count(town) -> int:
    with town.begin() as session:
        return session.scalar(select(func.count()).select_from(Suggestion))


@pytest.mark.parametrize(
    "refusal",
    ["不要提交", "先别提交，我再想想", "不提交", "no, don't send it", "算了", "我再想想", "嗯？",
     "可以留电话，13912345678", "加装电梯要多少钱"],
)  # fmt: skip
def test_nothing_is_saved_without_an_explicit_yes(town, refusal):
    result, _ = answer("suggestion_confirm", refusal, suggestion_confirm=None)
    assert result.get("suggestion_confirm") is None
    assert result.get("suggestion_outcome") in (None, "cancel")
    assert saved_count(town) == 0


def test_an_explicit_yes_saves_once(town):
    result, said = answer("suggestion_confirm", "确认提交")
    assert result["suggestion_confirm"] == "yes" and result["suggestion_outcome"] == "saved"
    assert "utter_suggestion_saved" in said
    assert saved_count(town) == 1


def test_a_refusal_at_the_read_back_cancels(town):
    assert answer("suggestion_confirm", "不要提交")[0]["suggestion_outcome"] == "cancel"


def test_hesitation_at_the_read_back_says_nothing_was_saved(town):
    result, said = answer("suggestion_confirm", "先别提交，我再想想")
    assert result["suggestion_confirm"] is None and "没有保存" in said[0]


def test_hesitating_twice_sets_the_suggestion_aside_unsaved(town):
    first, _ = answer("suggestion_confirm", "等一下，别提交")
    assert first["suggestion_retries"] == 1 and "suggestion_outcome" not in first
    again, _ = answer("suggestion_confirm", "等一下，别提交", suggestion_retries=1)
    assert again["suggestion_outcome"] == "cancel" and saved_count(town) == 0


def test_an_answer_naming_no_known_category_is_asked_again_not_answered(town):
    result, said = answer("suggestion_category", "算文化活动吧", intent="community_events")
    assert result["suggestion_category"] is None and result.get("suggestion_paused") is not True
    assert said and "长征杯" not in " ".join(said)


def test_declining_contact_in_a_sentence_is_no_reply(town):
    result, _ = answer("suggestion_reply", "不留了，我不想留联系方式", suggestion_reply=None)
    assert result["suggestion_reply"] == "none"


def test_phone_consent_with_the_number_fills_both(town):
    result, _ = answer("suggestion_reply", "可以留电话，13912345678", suggestion_reply=None)
    assert result["suggestion_reply"] == "phone" and result["suggestion_phone"] == "13912345678"
    assert "suggestion_confirm" not in result


def test_category_in_a_sentence(town):
    result, _ = answer("suggestion_category", "算环境卫生吧", suggestion_category=None)
    assert result["suggestion_category"] == "environment"


def test_offered_category_confirmed_or_refused(town):
    guess = {"suggestion_category": None, "suggestion_category_guess": "traffic"}
    assert answer("suggestion_category", "对", **guess)[0]["suggestion_category"] == "traffic"
    refused, _ = answer("suggestion_category", "不对", **guess)
    assert refused["suggestion_category"] is None and refused["suggestion_category_guess"] is None
    other, _ = answer("suggestion_category", "不是，算公共设施", **guess)
    assert other["suggestion_category"] == "facilities"


@pytest.mark.parametrize(
    ("slot", "way_out"),
    [("suggestion_category", "other"), ("suggestion_location", "-"), ("suggestion_reply", "none")],
)
def test_two_reasks_that_say_what_is_expected_then_a_way_out(town, slot, way_out):
    first, said = answer(slot, "哈哈哈", **{slot: None})
    assert first[slot] is None and first["suggestion_retries"] == 1 and "请" in said[0]
    second, said = answer(slot, "哈哈哈", **{slot: None, "suggestion_retries": 1})
    assert second[slot] is None and second["suggestion_retries"] == 2 and "请" in said[0]
    third, said = answer(slot, "哈哈哈", **{slot: None, "suggestion_retries": 2})
    assert third[slot] == way_out and "没关系" in said[0]


def test_place_is_read_from_any_message(town):
    result, _ = answer(
        "suggestion_reply",
        "不需要回复，就在铜川路菜场门口",
        suggestion_reply=None,
        suggestion_location=None,
    )
    assert result["suggestion_reply"] == "none"
    assert result["suggestion_location"] == "铜川路菜场门口"


def test_side_question_is_answered_then_go_on_is_asked(town):
    result, said = answer(
        "suggestion_reply", "加装电梯要多少钱", intent="elevator_cost", suggestion_reply=None
    )
    assert result["suggestion_paused"] is True and "自筹资金" in said[0]


async def test_the_pending_question_gives_way_to_go_on_while_paused(town):
    dispatcher = CollectingDispatcher()
    tracker = tracker_at("suggestion_reply", "x", suggestion_reply=None, suggestion_paused=True)
    await ActionAskSuggestionReply().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_suggestion_go_on"


def test_go_on_yes_resumes_and_no_drops_the_draft(town):
    yes, _ = answer("suggestion_reply", "继续", suggestion_reply=None, suggestion_paused=True)
    assert yes["suggestion_paused"] is False and yes["suggestion_reply"] is None
    assert "suggestion_confirm" not in yes
    no, _ = answer("suggestion_reply", "不继续了", suggestion_reply=None, suggestion_paused=True)
    assert no["suggestion_outcome"] == "cancel"
    assert saved_count(town) == 0


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


async def test_category_from_the_first_message_is_offered_for_confirmation(town):
    dispatcher = CollectingDispatcher()
    tracker = tracker_at("suggestion_category", "", suggestion_category_guess="environment")
    await ActionAskSuggestionCategory().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_suggestion_category_guess"
    assert message["category"] == "环境卫生" and message["buttons"][0]["title"] == "对"


def test_what_can_you_do_is_answered_even_when_the_model_is_unsure(town):
    result, said = answer("suggestion_category", "你能做什么", suggestion_category=None)
    assert said == ["utter_bot"] and result["suggestion_paused"] is True


def test_a_place_said_out_of_turn_is_kept_and_the_question_asked_again(town):
    result, said = answer(
        "suggestion_reply", "上钞苑5号楼", suggestion_reply=None, suggestion_location=None
    )
    assert result["suggestion_reply"] is None and result["suggestion_location"] == "上钞苑5号楼"
    assert said == [] and "suggestion_retries" not in result


@pytest.mark.parametrize("typed", ["yes", "cancel", "blocked", "saved"])
async def test_a_typed_word_never_ends_the_form_by_itself(town, typed):
    tracker = tracker_at("suggestion_confirm", typed)
    slots = await ValidateSuggestionForm().required_slots(
        ["suggestion_text", "suggestion_category", "suggestion_location", "suggestion_reply",
         "suggestion_phone", "suggestion_confirm"], CollectingDispatcher(), tracker, {},
    )  # fmt: skip
    assert "suggestion_confirm" in slots  # so the typed word is read (and "yes" saves)


def test_a_side_question_at_the_offered_category_is_answered_not_taken_as_the_category(town):
    """ "低保哪能申请" at "这条算「公共设施」，对吗？" once filed a broken streetlight as 社会救助."""
    offered = {"suggestion_category": None, "suggestion_category_guess": "facilities"}
    result, said = answer(
        "suggestion_category", "低保哪能申请", intent="assistance_apply", **offered
    )
    assert result["suggestion_category"] is None and result["suggestion_paused"] is True
    assert "低保" in said[0] and "suggestion_category_guess" not in result  # still to confirm


def test_a_side_question_the_model_cannot_answer_is_not_taken_as_the_category(town):
    offered = {"suggestion_category": None, "suggestion_category_guess": "facilities"}
    result, said = answer("suggestion_category", "低保哪能申请", **offered)  # nlu_fallback
    assert result["suggestion_category"] is None and "哪一类" in said[0]


@pytest.mark.parametrize(
    ("message", "key"),
    [("对，算公共设施", "facilities"), ("不对，是交通", "traffic"), ("是环境卫生吧", "environment"),
     ("其他", "other"), ("公共设施啊", "facilities"), ("不是，应该是养老的问题", "eldercare"),
     ("对", "facilities")],
)  # fmt: skip
def test_answers_at_the_offered_category_stay_answers(town, message, key):
    offered = {"suggestion_category": None, "suggestion_category_guess": "facilities"}
    result, _ = answer("suggestion_category", message, intent="community_events", **offered)
    assert result["suggestion_category"] == key and not result.get("suggestion_paused")


def test_a_new_question_at_go_on_is_answered_and_go_on_asked_again(town):
    paused = {"suggestion_reply": None, "suggestion_paused": True}
    result, said = answer(
        "suggestion_reply", "长护险哪能办", intent="eldercare_ltc_insurance", **paused
    )
    assert "长护险" in said[0] or "长期护理" in said[0]
    assert result["suggestion_reply"] is None and result.get("suggestion_paused") is not False
    assert result["suggestion_retries"] == 1 and "suggestion_outcome" not in result


def test_an_unknown_question_at_go_on_is_neither_a_yes_nor_an_answer(town):
    paused = {"suggestion_category": None, "suggestion_paused": True}
    result, said = answer(
        "suggestion_category", "周末图书馆开不开", intent="out_of_scope", **paused
    )
    assert "12345" in said[0] and result["suggestion_category"] is None
    assert result.get("suggestion_paused") is not False and "suggestion_outcome" not in result


@pytest.mark.parametrize("no", ["不继续了", "不用了", "算了", "不提了", "no, drop it"])
def test_a_no_at_go_on_drops_the_draft_unsaved(town, no):
    paused = {"suggestion_reply": None, "suggestion_paused": True}
    assert answer("suggestion_reply", no, **paused)[0]["suggestion_outcome"] == "cancel"
    assert saved_count(town) == 0


def test_go_on_asked_twice_more_at_most_then_the_draft_is_dropped_unsaved(town):
    paused = {"suggestion_confirm": None, "suggestion_paused": True}
    first, _ = answer("suggestion_confirm", "哈哈", **paused)
    assert first["suggestion_retries"] == 1 and "suggestion_outcome" not in first
    second, _ = answer("suggestion_confirm", "周末图书馆开不开", suggestion_retries=1, **paused)
    assert second["suggestion_retries"] == 2 and "suggestion_outcome" not in second
    third, _ = answer("suggestion_confirm", "哈哈", suggestion_retries=2, **paused)
    assert third["suggestion_outcome"] == "cancel" and third["suggestion_confirm"] is None
    assert saved_count(town) == 0


def test_words_that_answer_nothing_at_go_on_neither_resume_nor_fill_the_step(town):
    paused = {"suggestion_category": None, "suggestion_paused": True}
    result, said = answer("suggestion_category", "我刚才去倒了杯水", **paused)
    assert result["suggestion_category"] is None and "继续" in said[0]
    assert result.get("suggestion_paused") is not False


def test_a_side_question_resets_the_count_of_re_asks(town):
    result, _ = answer(
        "suggestion_reply", "加装电梯要多少钱", intent="elevator_cost", suggestion_reply=None,
        suggestion_retries=2,
    )  # fmt: skip
    assert result["suggestion_paused"] is True and result["suggestion_retries"] == 0


def test_a_question_that_cannot_be_an_answer_is_answered_on_a_less_sure_reading(town):
    offered = {"suggestion_category": None, "suggestion_category_guess": "facilities"}
    result, said = answer(
        "suggestion_category", "加装电梯要交多少铜钿", intent="elevator_cost", confidence=0.58,
        **offered,
    )  # fmt: skip
    assert result["suggestion_paused"] is True and "自筹资金" in said[0]
    paused = {"suggestion_reply": None, "suggestion_paused": True}
    again, said = answer(
        "suggestion_reply", "加装电梯要交多少铜钿", intent="elevator_cost", confidence=0.58,
        **paused,
    )  # fmt: skip
    assert "自筹资金" in said[0] and again["suggestion_retries"] == 1


def test_a_message_that_may_be_the_answer_needs_a_sure_reading_to_be_a_side_question(town):
    result, said = answer(
        "suggestion_category", "算加装电梯吗", intent="elevator_cost", confidence=0.58,
        suggestion_category=None,
    )  # fmt: skip
    assert result["suggestion_category"] == "elevator" and not result.get("suggestion_paused")
    text, _ = answer(
        "suggestion_text", "加装电梯的费用太高了希望补贴多一点吗", intent="elevator_cost",
        confidence=0.58, suggestion_text=None,
    )  # fmt: skip
    assert text["suggestion_text"] and not text.get("suggestion_paused")


@pytest.mark.parametrize(
    ("slot", "message", "expected"),
    [("suggestion_category", "环境卫生", {"suggestion_category": "environment"}),
     ("suggestion_category", "应该算交通出行吧", {"suggestion_category": "traffic"}),
     ("suggestion_reply", "在这里回复我就行", {"suggestion_reply": "chat"}),
     ("suggestion_location", "在上钞苑小区门口", {"suggestion_location_std": "上钞苑"})],
)  # fmt: skip
def test_answering_the_pending_question_at_go_on_resumes_with_that_answer(
    town, slot, message, expected
):
    result, said = answer(slot, message, **{slot: None, "suggestion_paused": True})
    assert result["suggestion_paused"] is False and said == []
    assert expected.items() <= result.items()


@pytest.mark.parametrize(
    ("slot", "message"),
    [("suggestion_confirm", "确认提交"),  # the read-back only resumes on go on's own yes
     ("suggestion_location", "中江路着火了快来人"),  # an emergency: the number first
     ("suggestion_category", "环境卫生怎么投诉")],  # a question: answered, go on asked again
)  # fmt: skip
def test_at_go_on_a_read_back_yes_an_emergency_or_a_question_is_not_taken_as_the_answer(
    town, slot, message
):
    result, _ = answer(slot, message, **{slot: None, "suggestion_paused": True})
    assert result.get(slot) in (None, "") and result.get("suggestion_outcome") != "saved"
    assert saved_count(town) == 0


@pytest.mark.parametrize(
    ("message", "key"), [("环境卫生👍", "environment"), ("交通出行🙏👍", "traffic")]
)
def test_an_answer_with_a_thumbs_up_is_an_answer_not_a_rating(town, message, key):
    result, said = answer("suggestion_category", message, intent="bot_rate_answer")
    assert result["suggestion_category"] == key and not result.get("suggestion_paused")
    assert not any("评价" in (s or "") for s in said)


def test_thumbs_alone_during_the_form_still_rate_then_go_on(town):
    result, said = answer("suggestion_category", "👍", intent="bot_rate_answer")
    assert result["suggestion_paused"] is True and result["suggestion_category"] is None


def test_an_attempt_at_the_pending_question_at_go_on_resumes_and_asks_it_again(town):
    paused = {"suggestion_category": None, "suggestion_paused": True}
    result, said = answer("suggestion_category", "文化方面的吧", **paused)
    assert result["suggestion_paused"] is False and result["suggestion_category"] is None
    assert said and "继续" not in said[0]  # the category's own hint, not "go on?" again
