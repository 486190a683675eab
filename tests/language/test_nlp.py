"""spaCy rules: personal data masked, the town's places recognised."""

from __future__ import annotations

import pytest

from language.nlp import extract_phone, find_places, mask


@pytest.mark.parametrize(
    ("text", "hidden", "shown"),
    [
        ("我的电话13812345678请回电", "13812345678", "138****5678"),
        ("手机 138 1234 5678", "1234", "138****5678"),
        ("身份证31010119900101123X", "19900101", "123X"),
        ("邮箱 abc.def@qq.com", "abc.def", "@qq.com"),
        ("座机021-62345678", "62345678", "021"),
        ("call me on 13912345678", "13912345678", "139****5678"),
        ("电话１３８－１２３４－５６７８", "１２３４", "１３８****５６７８"),  # full width
        ("电话138—1234—5678", "1234", "138****5678"),  # em dashes
        ("身份证310101 19900101 123X", "19900101", "123X"),
        ("邮箱ｗａｎｇｌｉ＠ｑｑ．ｃｏｍ", "ａｎｇｌｉ", "＠ｑｑ．ｃｏｍ"),
        ("邮箱 li@qq.com", "li@", "***@qq.com"),  # a short name is not shown at all
        ("QQ邮箱13812345678@qq.com", "1234", "1***@qq.com"),
    ],
)
def test_personal_data_is_masked(text, hidden, shown):
    masked = mask(text)
    assert hidden not in masked and shown in masked


@pytest.mark.parametrize(
    "text",
    ["3号楼202室的路灯坏了", "建议增加2个垃圾桶", "", "😀", "我的建议JY-20261126-AB3K-3进度"],
)
def test_ordinary_numbers_and_valid_reference_numbers_stay(text):
    assert mask(text) == text


def test_a_reference_number_that_does_not_check_out_is_masked_as_any_number():
    assert mask("JY-20261126-AB3K-8 电话13812345678") == "JY-********-AB3K-8 电话138****5678"


def test_places_are_recognised_with_their_standard_name():
    names = [place.name for place in find_places("桂花苑门口和中江路口都需要红绿灯")]
    assert names == ["上钞桂花苑", "中江路"]


def test_extract_phone():
    assert extract_phone("我的号码是 139-1234-5678") == "13912345678"
    assert extract_phone("没有电话") is None
