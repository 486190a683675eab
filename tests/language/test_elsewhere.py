"""Questions about other cities are not answered as this town's (rasa_addons.topic_model runs in
Rasa's environment, but its place rules are plain Python and tested here)."""

from __future__ import annotations

import pytest

from rasa_addons.topic_model import about_elsewhere, prepare


@pytest.mark.parametrize(
    "text",
    ["北京加装电梯补贴多少", "苏州老小区加装电梯要多少户同意", "How much is the elderly subsidy in Pudong?",
     "深圳失业金一个月多少钱", "杭州的12345号码"],
)  # fmt: skip
def test_other_places_are_elsewhere(text):
    assert about_elsewhere(text)


@pytest.mark.parametrize(
    "text",
    ["我从北京搬来，在这里怎么办居住证", "苏州河边的健身步道在哪", "长征镇加梯补贴多少",
     "我儿子在深圳，我住中江路六楼想装电梯", "加装电梯怎么申请", "chang hu xian zen me shen qing"],
)  # fmt: skip
def test_this_town_stays_here(text):
    assert not about_elsewhere(text)


def test_every_other_place_reads_as_one_word():
    assert prepare("南京养老院") == prepare("杭州养老院") != prepare("长征养老院")
