"""What a suggestion conversation stores over HTTP: nothing on a cancel, a refusal at the
read-back, abuse or spam; an urgent matter pointed to 12345 or 119 first and stored as urgent
(issue 8, issue 9 "Safety words")."""

from __future__ import annotations

import pytest

from language.reference import find_reference
from tests.integration.resident_talk import answer_until_read_back, resident, say, stored

pytestmark = pytest.mark.integration


def test_cancel_mid_flow_stores_nothing(stack):
    who, before = resident(), stored(stack)
    say(stack, who, "我有个建议")
    assert "没有保存" in say(stack, who, "算了不提了")
    assert stored(stack) == before


@pytest.mark.parametrize(
    "refusal", ["不要提交", "先别提交，我再想想", "不提交", "算了", "no, don't submit it"]
)
def test_every_refusal_at_the_read_back_saves_nothing(stack, refusal):
    who, before = resident(), stored(stack)
    answer_until_read_back(stack, who, say(stack, who, "建议在泾阳路口加装一个红绿灯"))
    reply = say(stack, who, refusal)
    assert find_reference(reply) is None and "已保存" not in reply
    assert stored(stack) == before


@pytest.mark.parametrize(
    ("message", "calm"), [("傻逼", "不满"), ("加微信领优惠 http://spam.cn", "广告")]
)
def test_abuse_and_spam_are_not_stored(stack, message, calm):
    before, who = stored(stack), resident()
    say(stack, who, "我想提个建议")
    assert calm in say(stack, who, message)
    assert stored(stack) == before


def test_urgent_matter_is_pointed_to_12345_at_once_and_stored_as_urgent(stack):
    who = resident()
    first = say(stack, who, "建议赶紧处理，楼上水管爆了一直在漏水")
    assert "12345" in first.splitlines()[0]
    answer_until_read_back(stack, who, first, location="上钞苑")
    reference = find_reference(say(stack, who, "确认提交"))
    assert stored(stack, reference).urgent


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
