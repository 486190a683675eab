"""Suggestion conversations over HTTP with the trained model, the action server and the database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from language.reference import check_char, find_reference
from store import suggestion_repo
from store.contact_cipher import unseal
from store.db import make_engine
from store.models import Suggestion

pytestmark = pytest.mark.integration


def resident() -> str:
    return f"resident-{uuid.uuid4().hex[:8]}"


def say(stack, who: str, message: str) -> str:
    return "\n".join(reply.get("text", "") for reply in stack.send(who, message))


QUESTIONS = {
    "对吗": "category_confirm",
    "Is that right": "category_confirm",
    "哪一类": "category",
    "Which area": "category",
    "具体在哪里": "location",
    "Where is it": "location",
    "需要工作人员给您回复": "reply",
    "reply from town staff": "reply",
    "请输入手机号码": "phone",
    "type your phone number": "phone",
    "要继续提交刚才的建议吗": "go_on",
    "Shall we go on": "go_on",
}


def answer_until_read_back(
    stack, who: str, first_reply: str, forbid: tuple[str, ...] = (), **answers: str
) -> str:
    """Answer whatever the form asks, as a resident would, until the read-back; return it.

    A question in `forbid` must not be asked (the flow already knows, or must not ask, it).
    """
    answers = {
        "category": "其他", "category_confirm": "对", "location": "跳过", "reply": "不需要回复",
        "go_on": "继续", **answers,
    }  # fmt: skip
    text = first_reply
    for _ in range(8):
        if "请核对" in text or "Please check" in text:
            return text
        asked = next((slot for cue, slot in QUESTIONS.items() if cue in text), None)
        assert asked, f"unexpected reply: {text!r}"
        assert asked not in forbid, f"asked for the {asked}: {text!r}"
        text = say(stack, who, answers[asked])
    raise AssertionError("the form never reached the read-back")


def suggest(stack, who: str, first: str, **answers: str) -> str:
    """A whole suggestion: the first message, the answers, the confirmation; returns the number."""
    answer_until_read_back(stack, who, say(stack, who, first), **answers)
    reference = find_reference(say(stack, who, answers.get("confirm", "确认提交")))
    assert reference
    return reference


def stored(stack, reference: str | None = None):
    engine = make_engine(stack.database_url)
    with Session(engine) as session:
        if reference is None:
            return session.scalar(select(func.count()).select_from(Suggestion))
        found = suggestion_repo.get_by_reference(session, reference=reference)
        if found:
            session.expunge(found)
        return found


def test_full_flow_with_reply_in_chat(stack):
    who = resident()
    first = say(stack, who, "建议在中江路口增设一个红绿灯，过马路太危险了")
    assert "这条算「交通出行」，对吗" in first  # the category read from the text is offered
    assert "回复" in say(stack, who, "对")  # the place was in the text too: asks about a reply
    summary = say(stack, who, "回复到这里")
    assert "红绿灯" in summary and "交通出行" in summary and "中江路" in summary
    done = say(stack, who, "确认提交")
    reference = find_reference(done)
    assert reference and "15天" in done
    saved = stored(stack, reference)
    assert saved.category_key == "traffic" and saved.location_std == "中江路" and saved.wants_reply
    assert saved.reply_address == who and saved.contact_phone_sealed is None
    status = say(stack, who, f"我的建议 {reference.lower()} 怎么样了")
    assert "已收到" in status and "红绿灯" in status


def test_asks_for_the_text_category_and_place_when_missing_and_declined_contact_is_anonymous(stack):
    who = resident()
    assert "请说说" in say(stack, who, "我想提个建议")
    taken = say(stack, who, "希望社区能多组织一些活动")  # enough: taken as the text
    assert "具体说说" not in taken and "哪一类" in taken
    asked = say(stack, who, "其他")
    assert "回复" in asked
    say(stack, who, "不需要回复")
    reference = find_reference(say(stack, who, "确认"))
    saved = stored(stack, reference)
    assert (
        not saved.wants_reply and saved.reply_address is None and saved.contact_phone_sealed is None
    )


def test_cancel_mid_flow_stores_nothing(stack):
    who, before = resident(), stored(stack)
    say(stack, who, "我有个建议")
    assert "没有保存" in say(stack, who, "算了不提了")
    assert stored(stack) == before


def test_topic_switch_at_a_short_answer_step_is_answered_then_go_on_resumes(stack):
    who = resident()
    question = say(stack, who, "建议小区里多装几个电动车充电桩").splitlines()[-1]
    answer = say(stack, who, "加装电梯要多少钱")
    assert "自筹资金" in answer and "要继续" in answer.splitlines()[-1]  # answered, go on?
    again = say(stack, who, "继续")
    assert again.splitlines()[-1] == question  # the pending question, asked again
    answer_until_read_back(stack, who, again)
    assert find_reference(say(stack, who, "确认提交"))


def test_what_can_you_do_mid_flow_then_no_drops_the_draft(stack):
    who, before = resident(), stored(stack)
    say(stack, who, "建议小区里多装几个电动车充电桩")
    answer = say(stack, who, "你能做什么")
    assert "加装电梯" in answer and "要继续" in answer
    assert "没有保存" in say(stack, who, "不继续了")
    assert stored(stack) == before


def test_phone_is_asked_after_saying_why_and_is_masked_in_the_read_back(stack):
    who = resident()
    text = say(stack, who, "建议菜场门口的垃圾桶每天多清运一次")
    assert "环境卫生" in text
    assert "具体在哪里" in say(stack, who, "对")
    assert "回复" in say(stack, who, "菜场门口")
    asked = say(stack, who, "电话回访")
    assert "只用于" in asked and "180天" in asked
    summary = say(stack, who, "13812345678")
    assert "138****5678" in summary and "13812345678" not in summary
    reference = find_reference(say(stack, who, "确认提交"))
    assert unseal(stored(stack, reference).contact_phone_sealed) == "13812345678"


def test_a_phone_number_inside_the_text_is_masked_and_never_echoed(stack):
    who = resident()
    first = say(stack, who, "建议物业把楼道灯修好，有问题打我电话13912345678")
    summary = answer_until_read_back(stack, who, first)
    assert "13912345678" not in first + summary and "139****5678" in summary
    reference = find_reference(say(stack, who, "确认提交"))
    assert "13912345678" not in stored(stack, reference).text


def test_another_identity_sees_the_status_only(stack):
    author, other = resident(), resident()
    reference = suggest(stack, author, "建议西虬江边上多装几盏路灯")
    seen = say(stack, other, reference)
    assert "已收到" in seen and "路灯" not in seen


def test_unknown_and_malformed_numbers_get_a_clear_reply(stack):
    who = resident()
    assert "不是有效" in say(stack, who, "JY-20260101-ABCD-2")
    fake = "JY-20260101-ABCD-" + check_char("20260101ABCD")
    assert "没有找到" in say(stack, who, f"我的建议 {fake} 怎么样了")


def test_my_suggestions_lists_my_own(stack):
    who = resident()
    assert "还没有" in say(stack, who, "我的建议")
    reference = suggest(stack, who, "建议在天地软件园附近增加共享单车停放点")
    assert reference in say(stack, who, "我提过哪些建议")


@pytest.mark.parametrize("yes", ["confirm", "yes"])  # a typed "yes" once ended the form unsaved
def test_english_flow(stack, yes):
    who = resident()
    first = say(stack, who, "I'd like to suggest more benches in the park near the river")
    read_back = answer_until_read_back(
        stack, who, first, category="Public facilities", category_confirm="yes",
        location="skip", reply="no reply",
    )  # fmt: skip
    assert "Submit it?" in read_back
    done = say(stack, who, yes)
    assert find_reference(done) and "Reference number" in done


@pytest.mark.parametrize(
    ("message", "calm"), [("傻逼", "不满"), ("加微信领优惠 http://spam.cn", "广告")]
)
def test_abuse_and_spam_are_not_stored(stack, message, calm):
    before, who = stored(stack), resident()
    say(stack, who, "我想提个建议")
    assert calm in say(stack, who, message)
    assert stored(stack) == before


def test_repeated_identical_text_is_not_stored_twice(stack):
    who = resident()
    text = "建议在泾阳路增加一个公交站台"
    reference = suggest(stack, who, text)
    again = say(stack, who, text)
    assert reference in again and "不用重复" in again


def test_urgent_matter_is_pointed_to_12345_at_once_and_stored_as_urgent(stack):
    who = resident()
    first = say(stack, who, "建议赶紧处理，楼上水管爆了一直在漏水")
    assert "12345" in first.splitlines()[0]
    answer_until_read_back(stack, who, first, location="上钞苑")
    reference = find_reference(say(stack, who, "确认提交"))
    assert stored(stack, reference).urgent


def test_delete_my_data(stack):
    who = resident()
    reference = suggest(
        stack, who, "建议在申汉小区门口增加快递柜", reply="电话回访", phone="13812345678"
    )
    assert "确定要删除" in say(
        stack, who, "删除我的信息"
    )  # asked first (nlu_data/suggestion_privacy.yml)
    assert stored(stack, reference).sender_hash is not None  # nothing deleted before a yes
    assert "已完成" in say(stack, who, "是的")
    saved = stored(stack, reference)
    assert (
        saved.contact_phone_sealed is None
        and saved.sender_hash is None
        and saved.reply_address is None
    )


# --- sentences at each step, refusals, emergencies (issue 8, issue 9 "Safety words") -----------


@pytest.mark.parametrize(
    "refusal", ["不要提交", "先别提交，我再想想", "不提交", "算了", "no, don't submit it"]
)
def test_every_refusal_at_the_read_back_saves_nothing(stack, refusal):
    who, before = resident(), stored(stack)
    answer_until_read_back(stack, who, say(stack, who, "建议在泾阳路口加装一个红绿灯"))
    reply = say(stack, who, refusal)
    assert find_reference(reply) is None and "已保存" not in reply
    assert stored(stack) == before


def test_no_phone_call_never_asks_for_a_phone(stack):
    who = resident()
    first = say(stack, who, "建议小区里多装几个电动车充电桩")
    text = answer_until_read_back(
        stack, who, first, forbid=("phone",), reply="不用打电话", location="申汉小区"
    )
    assert "请核对" in text
    assert "电话回访" not in text


def test_phone_consent_with_the_number_reaches_the_read_back_unsaved(stack):
    who, before = resident(), stored(stack)
    first = say(stack, who, "建议在金沙江路口增设斑马线")
    read_back = answer_until_read_back(stack, who, first, reply="可以留电话，13912345678")
    assert "139****5678" in read_back and "13912345678" not in read_back
    assert stored(stack) == before  # the "可以" was not read as the confirmation
    reference = find_reference(say(stack, who, "确认提交"))
    assert unseal(stored(stack, reference).contact_phone_sealed) == "13912345678"


def test_category_in_a_sentence_is_accepted(stack):
    who = resident()
    assert "请说说" in say(stack, who, "我想提个建议")
    asked = say(stack, who, "希望社区能多组织一些活动，丰富大家的生活")
    assert "哪一类" in asked
    after = say(stack, who, "算环境卫生吧")
    assert "哪一类" not in after and ("具体在哪里" in after or "回复" in after)
    read_back = answer_until_read_back(stack, who, after)
    assert "环境卫生" in read_back


def test_place_from_the_first_message_is_taken(stack):
    who = resident()
    first = say(stack, who, "建议把铜川路菜场门口的垃圾桶每天多清运一次")
    read_back = answer_until_read_back(stack, who, first, forbid=("location",))
    assert "铜川路菜场门口" in read_back


def test_smoke_in_the_stairwell_gets_119_first_and_is_urgent_only_if_going_on(stack):
    who, before = resident(), stored(stack)
    assert "Please tell me" in say(stack, who, "I have a suggestion")
    reply = say(stack, who, "There is smoke in the stairwell")
    first_line = reply.splitlines()[0]
    assert "119" in first_line and "12345" not in reply.split("119")[0]
    assert "go on" in reply.lower() or "继续" in reply
    say(stack, who, "no, drop it")
    assert stored(stack) == before

    who = resident()
    say(stack, who, "我想提个建议")
    reply = say(stack, who, "楼道里冒烟了，有股烧焦的味道")
    assert "119" in reply.splitlines()[0]
    read_back = answer_until_read_back(stack, who, say(stack, who, "继续"), location="3号楼楼道")
    assert "冒烟" in read_back
    reference = find_reference(say(stack, who, "确认提交"))
    assert stored(stack, reference).urgent


def test_a_plain_question_does_not_start_a_suggestion(stack):
    who = resident()
    reply = say(stack, who, "加装电梯要多少钱")
    assert "请说说" not in reply and "对吗" not in reply and "哪一类" not in reply


def test_at_most_two_reasks_that_say_what_is_expected_then_a_way_out(stack):
    who = resident()
    say(stack, who, "我想提个建议")
    assert "哪一类" in say(stack, who, "希望社区能多组织一些活动，丰富大家的生活")
    for _ in range(2):
        again = say(stack, who, "哈哈哈")
        assert "没看出是哪一类" in again and "哪一类" in again.splitlines()[-1]
    way_out = say(stack, who, "哈哈哈")
    assert "其他" in way_out and "哪一类" not in way_out


# --- a side question at a choice step, a new question at "go on?" (walkthrough 1, 2) ------------


def test_a_side_question_at_the_offered_category_is_answered_and_the_category_stays_to_confirm(
    stack,
):
    """ "低保哪能申请" at "这条算「公共设施」，对吗？" once filed a broken streetlight as 社会救助."""
    who, before = resident(), stored(stack)
    first = say(stack, who, "我家楼下的路灯坏了怎么办")
    assert "这条算「公共设施」，对吗" in first
    side = say(stack, who, "低保哪能申请")
    assert "低保" in side and "居委会" in side  # the 低保 entry
    assert side.splitlines()[-1] == "要继续提交刚才的建议吗？" and "对吗" not in side
    again = say(stack, who, "继续")
    assert "这条算「公共设施」，对吗" in again  # still to confirm
    read_back = answer_until_read_back(stack, who, again, location="我家楼下")
    assert "类别：公共设施" in read_back and "社会救助" not in read_back
    assert stored(stack) == before  # nothing saved before the yes
    reference = find_reference(say(stack, who, "确认提交"))
    assert stored(stack, reference).category_key == "facilities"


def test_a_new_question_at_go_on_is_answered_and_go_on_asked_again_never_saved_without_a_yes(
    stack,
):
    who, before = resident(), stored(stack)
    assert "这条算「公共设施」，对吗" in say(stack, who, "我家楼下的路灯坏了怎么办")
    assert "要继续" in say(stack, who, "低保哪能申请")
    library = say(stack, who, "周末图书馆开不开")
    assert "没看出是哪一类" not in library and "12345" in library
    assert library.splitlines()[-1] == "要继续提交刚才的建议吗？"
    again = say(stack, who, "长护险哪能办")  # answered too: the second re-ask
    assert "长护险" in again and again.splitlines()[-1] == "要继续提交刚才的建议吗？"
    dropped = say(stack, who, "周末图书馆开不开")  # the third: the way out, nothing saved
    assert "没有保存" in dropped and "要继续" not in dropped
    assert stored(stack) == before
    assert "请说说" not in say(stack, who, "你好")  # the form is over


@pytest.mark.parametrize("no", ["不用了", "算了"])
def test_a_no_at_go_on_after_a_new_question_cancels_unsaved(stack, no):
    who, before = resident(), stored(stack)
    say(stack, who, "我家楼下的路灯坏了怎么办")
    say(stack, who, "低保哪能申请")
    assert "要继续" in say(stack, who, "周末图书馆开不开")
    assert "没有保存" in say(stack, who, no)
    assert stored(stack) == before


@pytest.mark.parametrize(
    "message",
    ["建议在金江家园小区增设电瓶车充电桩", "希望小区能增设电瓶车充电桩",
     "能不能在菜场门口增设一个非机动车停车棚"],
)  # fmt: skip
def test_a_suggestion_naming_a_facility_starts_a_suggestion_not_an_faq_answer(stack, message):
    first = say(stack, resident(), message)
    assert "对吗" in first or "哪一类" in first  # the category asked: a suggestion started
    assert "飞线充电" not in first and "居委会" not in first


def test_a_question_about_charging_still_gets_the_faq_answer(stack):
    reply = say(stack, resident(), "电瓶车充电桩在哪里")
    assert "对吗" not in reply and "哪一类" not in reply and "充电" in reply
