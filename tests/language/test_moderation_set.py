"""Advertising is refused, genuine suggestions that share its words are not (bench/data/moderation.yml)."""

from __future__ import annotations

import pytest

from bench.moderation import measure
from language.moderation import is_advertising


def test_no_genuine_suggestion_is_refused_and_nine_in_ten_spam_are():
    result = measure()
    assert result["genuine"] >= 100 and result["spam"] >= 50
    assert result["genuine_refused"] == []
    assert len(result["spam_passed"]) <= result["spam"] * 0.1, result["spam_passed"]


@pytest.mark.parametrize(
    ("text", "advertising"),
    [
        ("居委会能否代理老人办理长护险申请", False),
        ("下岗了想赚钱养家，希望多提供就业岗位", False),
        ("建议居委会建一个微信群发停水通知", False),
        ("长护险可以在 https://zwdt.sh.gov.cn 申请，建议贴在公告栏", False),
        ("建议加强防范刷单诈骗的宣传", False),
        ("建议物业把楼道灯修好，有问题打我电话13912345678", False),
        ("长护险可以在 https://zwdt.sh.gov.cn.example.com 申请", True),  # not a government host
        ("诚招代理，月入过万", True),
        ("加我微信 easy_money 了解", True),
        ("加QQ 123456789", True),
        ("低价出售，中介代理，电话 18812345678", True),
    ],
)
def test_what_decides(text, advertising):
    assert is_advertising(text) is advertising
