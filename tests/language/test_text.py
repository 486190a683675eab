"""Normalisation keeps offsets; language detection; long replies split for an app's limit."""

from __future__ import annotations

import pytest

from language.text import detect_language, normalise, split_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("長護險怎麼申請", "长护险怎么申请"),
        ("加裝電梯ＡＢＣ１２３", "加装电梯abc123"),
        ("ＨＥＬＬＯ，你好", "hello,你好"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw", ["長護險", "㈠号楼", "😀加梯😀", "Ⅻ区", "ﬁle"])
def test_normalise_keeps_the_length_so_token_offsets_hold(raw):
    assert len(normalise(raw)) == len(raw)


# (message, language chosen before, reply language): the web chat's app.js follows the same rule
# for messages with Chinese characters (tests/bot/test_webchat_language_browser.py)
MIXED = [
    ("What is 长护险?", "zh", "en"),  # an English speaker naming a Chinese term
    ("how to apply 低保", "zh", "en"),
    ("where is the 居委会", "zh", "en"),
    ("Can I get 长期护理保险 for my mother?", "zh", "en"),
    ("长护险 what is it", "zh", "en"),
    ("我想问下APP怎么下载", "en", "zh"),  # Chinese with an English word
    ("APP Store怎么下载", "en", "zh"),
    ("我的WiFi和APP都连不上", "en", "zh"),
    ("请问 Changzheng town 的 elevator 怎么申请", "en", "zh"),
    ("加装电梯 how much", "en", "zh"),  # as many words as character pairs: Chinese
    ("查询JY-20261126-FQ3G-8", "en", "zh"),  # a reference number's letters are no English
    ("加装电梯", "en", "zh"),
    ("長護險", "en", "zh"),
]


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        *MIXED,
        ("how do I apply", "zh", "en"),
        ("jiazhuang dianti zenme shenqing", "zh", "en"),  # pinyin: as before
        ("dianti", "zh", "en"),
        ("12345", "en", "en"),
        ("😀", "zh", "zh"),
        ("", None, None),
    ],
)
def test_detect_language(text, default, expected):
    assert detect_language(text, default=default) == expected


def test_a_button_payload_keeps_the_chosen_language():
    assert detect_language("/elevator_progress", default="zh") == "zh"


def test_a_reference_number_is_not_english():
    assert detect_language("JY-20261126-FQ3G-8", default="zh") == "zh"
    assert detect_language("status of JY-20261126-FQ3G-8", default="zh") == "en"


def test_long_numbers_do_not_look_like_the_hotline():
    assert normalise("打我电话13912345678") == "打我电话99999999999"
    assert normalise("JY-20261126-AB3K-7") == "jy-00000000-ab3k-7"
    assert normalise("12345怎么打") == "12345怎么打"


def test_a_long_reply_is_split_at_line_ends_into_parts_that_fit():
    paragraphs = [f"第{i}段：" + "加装电梯" * 30 for i in range(40)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text, 600)
    assert len(parts) > 1 and all(len(part) <= 600 for part in parts)
    assert all(part.startswith("第") for part in parts)  # cut between paragraphs, none in one
    assert "\n\n".join(parts) == text
    assert split_text("x" * 1000, 300) == ["x" * 300] * 3 + ["x" * 100]  # no line end: cut hard
    assert split_text("") == [""] and split_text("短") == ["短"]
