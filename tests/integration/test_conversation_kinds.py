"""Whole conversations of the kinds residents failed on, through the trained model and the stack.

Phrasings written for these tests (not in the training data): a change of mind after a cancel,
a correction at the read-back, the number given before, an urgent matter kept whole, a nuisance
without emergency numbers, a stale button, a follow-up, two questions in one message, a venting
opener before the problem, a phone number and a demand to be called before the problem.
"""

from __future__ import annotations

import pytest

from language.reference import find_reference
from tests.integration.resident_talk import answer_until_read_back, resident, say, stored

pytestmark = pytest.mark.integration
EMERGENCY = ("110", "119", "120")


def test_a_change_of_mind_after_a_cancel_restores_the_draft(stack):
    who = resident()
    say(stack, who, "建议菜场门口的垃圾桶每天早上多倒一次")
    assert "已取消" in say(stack, who, "唉算了不弄了")
    restored = say(stack, who, "哎呀还是帮我交上去吧")
    assert "找回" in restored
    read_back = answer_until_read_back(stack, who, restored)
    assert "垃圾桶" in read_back
    reference = find_reference(say(stack, who, "确认提交"))
    assert stored(stack, reference).text.startswith("建议菜场门口的垃圾桶")


def test_a_stale_submit_after_a_cancel_says_nothing_was_saved(stack):
    who = resident()
    answer_until_read_back(stack, who, say(stack, who, "建议菜场门口多放几个垃圾桶"))
    say(stack, who, "取消")
    stale = say(stack, who, "确认提交")
    assert "已经取消" in stale and "没有保存" in stale and not find_reference(stale)


def test_a_category_correction_at_the_read_back_is_applied(stack):
    who = resident()
    read_back = answer_until_read_back(stack, who, say(stack, who, "建议社区多办点老年人的活动"))
    assert "请核对" in read_back
    again = say(stack, who, "类别不对，这个要算为老服务")
    assert "请核对" in again and "为老服务" in again


def test_the_number_given_in_the_first_message_is_used_when_asked_to(stack):
    who = resident()
    first = say(stack, who, "小区路灯坏了一个礼拜了，我电话13916660000，希望快点修")
    read_back = answer_until_read_back(
        stack, who, first, reply="打电话给我", phone="就用我前面发过的号码"
    )
    assert "139****0000" in read_back and "13916660000" not in read_back


def test_an_urgent_gas_complaint_keeps_its_words_and_promises_no_usual_days(stack):
    who = resident()
    first = say(stack, who, "我要投诉，楼道里有煤气味好几天了")
    assert "119" in first.splitlines()[0]
    follow = say(stack, who, "我不想自己打电话，想让人来查一下管子")
    read_back = answer_until_read_back(stack, who, follow, go_on="继续")
    assert "煤气" in read_back and "管子" in read_back
    saved = say(stack, who, "确认提交")
    assert "15天" not in saved and stored(stack, find_reference(saved)).urgent


def test_a_noise_complaint_gets_no_emergency_numbers(stack):
    who = resident()
    replies = say(stack, who, "楼下KTV每天唱到半夜两点，吵得人睡不着")
    assert not any(number in replies for number in EMERGENCY)


def test_a_short_follow_up_is_read_with_the_previous_topic(stack):
    who = resident()
    say(stack, who, "加装电梯怎么申请")
    assert "自筹" in say(stack, who, "那钞票谁出呢")


def test_two_questions_in_one_message_are_both_answered(stack):
    replies = say(stack, resident(), "低保哪能申请？还有加装电梯现在装了几台")
    assert "低保" in replies and "23" in replies


@pytest.mark.parametrize(
    "venting",
    [
        "你们这些当官的到底管不管老百姓死活？气死我了",
        "到底有没有人管事啊，反映了多少回了，真是受够了",
        "I am very angry, nobody in this town listen to us!!",
    ],
)
def test_a_venting_opener_is_asked_what_happened_and_the_problem_is_stored(stack, venting):
    who = resident()
    asked = say(stack, who, venting)
    assert "请说说您的建议" in asked or "Please tell me your suggestion" in asked
    read_back = answer_until_read_back(
        stack, who, say(stack, who, "我家楼下那盏路灯坏了快一个月了，晚上老人出门看不见路")
    )
    assert "路灯" in read_back
    reference = find_reference(say(stack, who, "确认提交"))
    assert "路灯" in stored(stack, reference).text


def test_a_phone_number_and_a_demand_to_be_called_first_then_the_problem(stack):
    who = resident()
    asked = say(stack, who, "我号码13912345678，赶紧叫你们领导联系我，我要投诉！")
    assert "请说说您的建议" in asked
    read_back = answer_until_read_back(
        stack,
        who,
        say(stack, who, "小区门口的窨井盖松了，一踩就晃，已经有人绊倒过"),
        reply="电话回访",
        phone="就用我一开始给的那个号码",
    )
    assert "窨井盖" in read_back and "139****5678" in read_back and "13912345678" not in read_back
