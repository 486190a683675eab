"""Reading a suggestion's text: content, abuse, advertising, urgency, cancel."""

from __future__ import annotations

import pytest

from language import moderation


@pytest.mark.parametrize(
    ("text", "meaningful"),
    [
        ("我想提个建议", False),
        ("建议小区增设充电桩", True),
        ("楼道里堆满了东西没人管", True),
        ("I'd like to suggest", False),
        ("I'd like to suggest something", False),  # the text comes next: it is asked for
        ("I have an idea", False),
        ("I'd like to suggest more benches in the park", True),
        ("", False),
        ("😀😀😀", False),
    ],
)
def test_meaningful(text, meaningful):
    assert moderation.is_meaningful(text) is meaningful


def test_insults_without_content_are_abuse_but_a_complaint_with_content_is_not():
    assert moderation.is_abuse("傻逼")
    assert not moderation.is_abuse("垃圾政府，楼下的路灯坏了三个月都没人修")


def test_advertising_and_urgency():
    assert moderation.is_advertising("加微信领优惠 http://x.cn")
    assert moderation.is_urgent("楼上水管爆了一直在漏水")
