"""A suggestion's phone number over HTTP: asked only after saying why and only for a call-back,
masked in every reply, stored sealed, deleted with the resident's data."""

from __future__ import annotations

import pytest

from language.reference import find_reference
from store.contact_cipher import unseal
from tests.integration.resident_talk import answer_until_read_back, resident, say, stored, suggest

pytestmark = pytest.mark.integration


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
