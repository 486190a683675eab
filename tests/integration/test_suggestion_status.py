"""Looking a suggestion up over HTTP: the author's own list, another identity sees the status only,
unknown and malformed reference numbers, the same text again points to its number."""

from __future__ import annotations

import pytest

from language.reference import check_char
from tests.integration.resident_talk import resident, say, suggest

pytestmark = pytest.mark.integration


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


def test_repeated_identical_text_is_not_stored_twice(stack):
    who = resident()
    text = "建议在泾阳路增加一个公交站台"
    reference = suggest(stack, who, text)
    again = say(stack, who, text)
    assert reference in again and "不用重复" in again
