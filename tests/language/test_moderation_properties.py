"""Moderation of a suggestion's text (`language.moderation`), on 10,000 generated messages: every
reading is a plain answer for any text, a link to a site that is not the government's is always
advertising, and an emergency word is always urgent, whatever is written around them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from language import moderation
from tests.resident_text import MESSAGE, PROPERTY, fullwidth

HOSTS = ["shop-x", "a1", "gov", "gov.cn.evil", "xn--fiqs8s", "12345", "zhengfu", "mail.qq"]
TLDS = ["com", "cn", "net", "org", "top", "xyz", "vip", "shop", "com.cn", "app"]
# A link to a site that is not a government one (one draw): with or without a scheme, a path,
# full-width (as typed on a Chinese keyboard).
LINK = st.sampled_from([
    (fullwidth if wide else str)(f"{scheme}{host}.{tld}{path}")
    for scheme in ("http://", "https://", "www.", "HTTP://", "")
    for host in HOSTS for tld in TLDS for path in ("", "/a?b=1")
    for wide in (False, True) if (scheme or not wide) and not f"{host}.{tld}".endswith("gov.cn")
])  # fmt: skip
URGENT = st.sampled_from(["漏水", "着火", "燃气", "煤气泄漏", "被困", "困在电梯", "倒塌", "水管爆了",
                          "fire", "gas", "trapped", "burst", "电线掉下来"])  # fmt: skip
BETWEEN = [" ", "，", "。", "\n", "；", "） "]  # what ends a link, in either width


@PROPERTY
@given(MESSAGE, LINK, URGENT, st.sampled_from([(a, b) for a in BETWEEN for b in BETWEEN]))
def test_every_reading_answers_and_links_and_emergencies_are_always_seen(
    text, link, urgent, between
):
    left, right = between
    assert isinstance(moderation.content(text), str)
    for read in (moderation.is_meaningful, moderation.is_abuse, moderation.is_advertising,
                 moderation.is_urgent):  # fmt: skip
        assert isinstance(read(text), bool)
    half = len(text) // 2
    assert moderation.is_advertising(text[:half] + left + link + right + text[half:])
    assert moderation.is_urgent(text[:half] + left + urgent + right + text[half:])
