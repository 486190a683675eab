"""validate_suggestion_form acts on what the model read (`form_act`): refusals never saved, corrections
applied, a cancelled draft set aside, two re-asks at most. What a phrasing means is the model's
job (tests/rasa_addons/test_form_act.py); here each message comes with its act, as the pipeline
would send it."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.suggestion_ask import ActionAskSuggestionCategory, ActionAskSuggestionReply
from actions.suggestion_form import ValidateSuggestionForm
from store import category_repo, suggestion_repo
from store.models import Suggestion

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
        category_repo.import_categories(session)
    return imported


def tracker_at(
    slot: str, message: str, intent: str = "nlu_fallback", confidence: float = 0.95,
    act: str | None = None, earlier: tuple[str, ...] = (), **slots,
) -> Tracker:  # fmt: skip
    """The form waiting for `slot`, the resident having just written `message`, read as `act`."""
    filled = {**DRAFT, **slots, slot: message, "requested_slot": slot}
    latest = {"text": message, "intent": {"name": intent, "confidence": confidence}}
    if act:
        latest["form_act"] = {"name": act, "confidence": 0.9}
    return Tracker(
        sender_id="resident-1",
        slots=filled,
        latest_message=latest,
        events=[{"event": "user", "text": text} for text in (*earlier, message)],
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


def test_holding_at_another_step_pauses_instead_of_answering(town):
    result, said = answer("suggestion_reply", "先别急着提交", act="hold", suggestion_reply=None)
    assert result["suggestion_paused"] is True and result["suggestion_reply"] is None
    assert "没有保存" in said[0]


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


def test_go_on_yes_resumes_and_no_drops_the_draft(town):
    paused = {"suggestion_reply": None, "suggestion_paused": True}
    yes, _ = answer("suggestion_reply", "继续", act="affirm", **paused)
    assert yes["suggestion_paused"] is False and yes["suggestion_reply"] is None
    assert "suggestion_confirm" not in yes
    no, _ = answer("suggestion_reply", "不继续了", act="cancel", **paused)
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


def test_later_lines_of_an_urgent_suggestion_are_added_never_put_in_its_place(town):
    urgent = {"suggestion_text": "楼道里煤气味很重", "suggestion_urgent": True,
              "suggestion_category": None, "suggestion_paused": True}  # fmt: skip
    result, _ = answer(
        "suggestion_category", "我不想打电话，我要有人来查管道", act="inform", **urgent
    )
    assert result["suggestion_text"].startswith("楼道里煤气味很重")
    assert "查管道" in result["suggestion_text"] and result["suggestion_urgent"] is True


async def test_category_from_the_first_message_is_offered_for_confirmation(town):
    dispatcher = CollectingDispatcher()
    tracker = tracker_at("suggestion_category", "", suggestion_category_guess="environment")
    await ActionAskSuggestionCategory().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_suggestion_category_guess"
    assert message["category"] == "环境卫生" and message["buttons"][0]["title"] == "对"


def test_what_can_you_do_is_answered(town):
    result, said = answer(
        "suggestion_category", "你能做什么", intent="bot", act="question", suggestion_category=None
    )
    assert said == ["utter_bot"] and result["suggestion_paused"] is True


def test_a_place_said_out_of_turn_is_kept_and_the_question_asked_again(town):
    result, said = answer(
        "suggestion_reply", "上钞苑5号楼", act="inform", suggestion_reply=None,
        suggestion_location=None,
    )  # fmt: skip
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


@pytest.mark.parametrize(
    ("message", "key"), [("环境卫生👍", "environment"), ("交通出行🙏👍", "traffic")]
)
def test_an_answer_with_a_thumbs_up_is_an_answer_not_a_rating(town, message, key):
    result, said = answer("suggestion_category", message, intent="bot_rate_answer", act="inform")
    assert result["suggestion_category"] == key and not result.get("suggestion_paused")
    assert not any("评价" in (s or "") for s in said)


def test_thumbs_alone_during_the_form_still_rate_then_go_on(town):
    result, said = answer("suggestion_category", "👍", intent="bot_rate_answer", act="affirm")
    assert result["suggestion_paused"] is True and result["suggestion_category"] is None
