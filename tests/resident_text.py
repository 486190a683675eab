"""What residents type, for the property tests (`tests/**/test_*_properties.py`): Chinese, English,
emoji and any other Unicode, pieces the assistant reacts to, and personal numbers written as
residents write them (ASCII or full-width digits, groups parted by spaces or dashes).

Every property runs 10,000 generated inputs (`PROPERTY`). `BAD_INPUTS` are the messages every
reader of residents' text must survive (`tests/test_bad_inputs.py`; the servers get the same in
`tests/integration/test_http.py` and `tests/bot/test_telegram.py`).

The strategies draw few choices per example (a text from one alphabet is one choice): the suite's
time goes on the readers, not on Hypothesis.
"""

from __future__ import annotations

import string
import unicodedata
from itertools import zip_longest

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# `@PROPERTY` on every property test: 10,000 examples, no deadline (a slow example on a busy
# machine is not a failure), no database of examples (Hypothesis's .hypothesis/ cache ignores
# itself in git).
PROPERTY = settings(
    max_examples=10_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CJK = [chr(c) for c in range(0x4E00, 0xA000, 29)]  # 720 characters across the block
EMOJI = [chr(c) for c in range(0x1F300, 0x1FB00, 5)] + list(
    "😀👍👎❤☎\u200d\ufe0f\U0001f1e8\U0001f3fb"
)
FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
OTHER = list("，。！？、：；（）【】「」《》…—–·\u200b\u00a0İßﬁ㈠Ⅻ①٣३é")
# Chinese, English, emoji, full-width forms and a few characters that change length or form when
# folded, single code points (joined they make 👨‍👩‍👧, 🇨🇳, ❤️, 👍🏻), interleaved: Hypothesis draws
# a text over one interval of code points (one choice, quick to check) mapped onto this table.
_TABLE = [c for row in zip_longest(CJK, string.printable, EMOJI, CJK[::-1], FULL_WIDTH, OTHER)
          for c in row if c]  # fmt: skip
_BASE = 0x4E00
_MAPPED = {_BASE + index: char for index, char in enumerate(_TABLE)}


def mixed_text(min_size: int = 0, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text of Chinese, English, emoji, full-width and other characters, mixed."""
    codes = st.characters(min_codepoint=_BASE, max_codepoint=_BASE + len(_TABLE) - 1)
    return st.text(codes, min_size=min_size, max_size=max_size).map(lambda t: t.translate(_MAPPED))


ANY = st.characters(exclude_categories=("Cs",))  # any code point a string can hold
# Pieces the readers look for: commands, numbers, links, the words of moderation and emergencies.
FRAGMENTS = st.sampled_from([
    "/restart", '/elevator_progress{"x": 1}', "/", "JY-", "JY-20261206-ABCD-E", "jy２０２６", "12345",
    "13812345678", "１３８", "021-", "@", "＠", "qq.com", "http://", "www.", ".gov.cn", "微信", "QQ",
    "加我", "刷单", "赚钱", "诈骗", "着火", "漏水", "傻逼", "垃圾政府", "建议", "我想提个建议", "路灯",
    "铜川路", "菜场", "小区", "3号楼", "门口", "其他", "不是", "环境卫生", "<script>", "</script>",
    "'; DROP TABLE faq_entry; --", "👨‍👩‍👧", "🇨🇳", "❤️", "\x00", "\u3000", "\u200b", "İ", "ß", "ﬁ",
    "㈠", "Ⅻ", "長護險",
])  # fmt: skip
# Residents' messages: any Unicode, or mixed text with a piece of interest in it.
MESSAGE = st.one_of(
    st.text(ANY, max_size=40),
    st.tuples(mixed_text(max_size=40), FRAGMENTS, mixed_text(max_size=20)).map("".join),
)
# Long ones too (up to 4,800 characters, beyond what a channel reads).
ANY_LENGTH = st.one_of(
    MESSAGE, st.builds(lambda piece, times: piece * times, mixed_text(1, 12), st.integers(100, 400))
)

BAD_INPUTS = {
    "empty": "",
    "blank": "   \u3000\n",
    "50KB": "加装电梯" * 12_500,  # 50,000 characters (150 KB of UTF-8)
    "emoji": "😀😀😀👍🏻👨‍👩‍👧",
    "script": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "sql": "'; DROP TABLE faq_entry; --",
}


def fullwidth(text: str) -> str:
    """ASCII letters, digits and signs in their full-width forms (１３８, ａｂｃ＠ｑｑ．ｃｏｍ)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def folded(text: str) -> str:
    """`text` as a reader sees it: full-width forms half-width, lower case."""
    return unicodedata.normalize("NFKC", text).casefold()


# Between a number's groups: spaces or dashes as typed on a phone or a Chinese keyboard.
SEPARATORS = [" ", "-", "  ", " - ", "\u3000", "－", "—", "–", "\t"]
# How a number is written (one draw): its groups (cut after these digits), the separator between
# them, full-width digits or not.
WRITING = st.sampled_from([
    (cuts, separator, wide)
    for cuts in ([], [3], [3, 7], [4, 8], [3, 6], [6, 14], [6, 10, 14])
    for separator in SEPARATORS
    for wide in (False, True)
])  # fmt: skip


def _written(number: str, writing: tuple[list[int], str, bool]) -> str:
    cuts, separator, wide = writing
    cuts = [cut for cut in cuts if cut < len(number)]
    parts = [number[start:end] for start, end in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    written = separator.join(parts)
    return fullwidth(written) if wide else written


def _number(numbers: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str]]:
    return st.builds(lambda number, writing: (_written(number, writing), number), numbers, WRITING)


# (as written, the number): a mobile (1[3-9] and nine digits), a landline (0xx and eight digits),
# an ID-card number (17 digits and a digit or X); each drawn as one integer.
MOBILE = _number(st.integers(3 * 10**9, 10**10 - 1).map("1{}".format))
LANDLINE = _number(st.integers(0, 10**10 - 1).map("0{:010d}".format))
ID_NUMBER = _number(
    st.integers(0, 12 * 10**17 - 1).map(lambda n: f"{n // 12:017d}" + "0123456789Xx"[n % 12])
)

EMAIL_NAME = st.text(st.characters(categories=(), include_characters=string.ascii_letters
                                   + string.digits + "._-+"), min_size=1, max_size=20)  # fmt: skip
DOMAIN = st.sampled_from(["qq.com", "163.com", "126.com", "gmail.com", "sina.com.cn",
                          "foxmail.com", "x.cn", "mail.example.org", "1.net"])  # fmt: skip
# (as written, name, domain) in ASCII or full-width forms
EMAIL = st.builds(lambda name, domain, wide: ((fullwidth if wide else str)(f"{name}@{domain}"),
                                              name, domain),
                  EMAIL_NAME, DOMAIN, st.booleans())  # fmt: skip

# What stands between a number or an address and the text around it (or nothing, for a number).
BOUNDARIES = [" ", "，", "。", "：", "！", "？", "、", "\n", "号", "电话", "😀", "邮箱"]
BOUNDARY = st.sampled_from(BOUNDARIES)
BOUNDARY_PAIR = st.sampled_from([(left, right) for left in BOUNDARIES for right in BOUNDARIES])
NUMBER_BOUNDARY = st.sampled_from(["", "", " ", "：", "号", "电话是", "a", "Tel", "😀", "\n"])
