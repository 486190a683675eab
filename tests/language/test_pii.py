"""Masking with regular expressions only (`language.pii`), as Rasa's tracker store uses it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from language import pii
from language.reference import new_reference


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("我电话13812345678", "13812345678"),
        ("打 138 1234 5678 找我", "13812345678"),
        ("号码是138-1234-5678", "13812345678"),
        ("电话１３８１２３４５６７８", "１３８１２３４５６７８"),
        ("家里电话021-52123456", "02152123456"),
        ("+86 139 1234 5678", "8613912345678"),
        ("身份证310105194912310021", "310105194912310021"),
        ("身份证31010519491231002X", "31010519491231002X"),
    ],
)
def test_a_number_in_any_written_form_is_masked(text, number):
    masked = pii.mask(text)
    assert "".join(c for c in masked if c.isdigit() or c in "Xx").find(number) == -1
    assert "*" in masked


def test_a_mobile_number_keeps_its_first_three_and_last_four_digits():
    assert pii.mask("我电话13812345678，谢谢") == "我电话138****5678，谢谢"


def test_an_email_address_keeps_its_first_letter_and_domain():
    assert pii.mask("邮箱 wang.li@qq.com 联系") == "邮箱 w***@qq.com 联系"


def test_reference_numbers_and_ids_are_kept():
    uid, dashed = uuid.uuid4().hex, str(uuid.UUID(int=1234567890123))
    reference = new_reference(date(2026, 12, 6))
    text = f"查 {reference} 进度 {uid} {dashed} 电话13812345678"
    assert pii.mask(text) == f"查 {reference} 进度 {uid} {dashed} 电话138****5678"


def test_text_without_a_long_number_is_returned_as_it_is():
    for text in ("", "我家住3号楼502室", "2021年12月", "电梯加装补贴24万元"):
        assert pii.mask(text) == text
        assert pii.mask(pii.mask(text)) == text


def test_masking_twice_changes_nothing_more():
    once = pii.mask("13812345678 和 a@b.cn")
    assert pii.mask(once) == once


def test_a_tree_of_json_values_is_masked_in_every_string():
    tree = {"text": "13812345678", "list": [{"v": "x@y.com"}], "n": 13812345678, "f": 1.5}
    assert pii.mask_tree(tree) == {
        "text": "138****5678", "list": [{"v": "***@y.com"}], "n": 13812345678, "f": 1.5,
    }  # fmt: skip
