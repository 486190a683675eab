"""Whole suggestion conversations over HTTP (trained model, action server, database): what the form
asks and when, in Chinese and English, at most two re-asks; a plain question or a facility's FAQ
does not start one."""

from __future__ import annotations

import pytest

from language.reference import find_reference
from tests.integration.resident_talk import answer_until_read_back, resident, say, stored

pytestmark = pytest.mark.integration


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


def test_at_most_two_reasks_that_say_what_is_expected_then_a_way_out(stack):
    who = resident()
    say(stack, who, "我想提个建议")
    assert "哪一类" in say(stack, who, "希望社区能多组织一些活动，丰富大家的生活")
    for _ in range(2):
        again = say(stack, who, "哈哈哈")
        assert "没看出是哪一类" in again and "哪一类" in again.splitlines()[-1]
    way_out = say(stack, who, "哈哈哈")
    assert "其他" in way_out and "哪一类" not in way_out


def test_a_plain_question_does_not_start_a_suggestion(stack):
    who = resident()
    reply = say(stack, who, "加装电梯要多少钱")
    assert "请说说" not in reply and "对吗" not in reply and "哪一类" not in reply


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
