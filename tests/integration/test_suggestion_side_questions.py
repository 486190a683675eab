"""A side question during a suggestion over HTTP: answered, then "go on?" asked; the pending
question or the offered category still to answer; a new question at "go on?" answered, a no
or a third one sets the draft aside unsaved (walkthrough 1, 2)."""

from __future__ import annotations

import pytest

from language.reference import find_reference
from tests.integration.resident_talk import answer_until_read_back, resident, say, stored

pytestmark = pytest.mark.integration


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
