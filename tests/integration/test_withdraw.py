"""Withdrawing a suggestion over HTTP with the trained model: one's own, not another's."""

from __future__ import annotations

import pytest

from tests.integration.resident_talk import resident, say, stored, suggest

pytestmark = pytest.mark.integration


def test_a_resident_withdraws_their_own_suggestion_but_not_anothers(stack):
    author, other = resident(), resident()
    reference = suggest(stack, author, "建议在金沙江路增设一个公交站", reply="回复到这里")
    refused = say(stack, other, f"撤回建议 {reference}")
    assert "不是从这个聊天" in refused and stored(stack, reference).status == "received"
    done = say(stack, author, f"撤回建议 {reference}")
    assert "已撤回" in done
    saved = stored(stack, reference)
    assert saved.status == "withdrawn" and saved.reply_address is None and not saved.wants_reply
    assert "已撤回" in say(stack, author, f"我的建议 {reference} 怎么样了")


def test_withdraw_in_english_and_without_a_number(stack):
    who = resident()
    assert "哪一条" in say(stack, who, "我想撤回我的建议")
    reference = suggest(
        stack, who, "I'd like to suggest more benches in the park near the river",
        category="Public facilities", location="skip", reply="no reply", confirm="confirm",
    )  # fmt: skip
    assert "withdrawn" in say(stack, who, f"withdraw my suggestion {reference}")
