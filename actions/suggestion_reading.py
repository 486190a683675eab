"""The things a suggestion's answers name: a category, a place, a phone number. No Rasa.

What a reply *does* (yes, no, cancel, hold, a reply choice, a correction, a question) is read by the
model (`rasa_addons/form_act.py`, from `nlu_data/suggestion_steps.yml`); this module only finds
what it names, in closed lists and shapes: the staff's category names and keywords, the town's
places and the shape of an address, the shape of a phone number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from language import pii
from language.reference import find_reference, is_valid
from language.text import normalise

# A call-back number, among the numbers `language.pii` reads (as residents type them: any width,
# spaces or any dash between groups): a mobile, or a landline with or without its area code.
CALL_BACK = re.compile(r"1[3-9]\d{9}|(?:0\d{2,3})?[2-9]\d{7}")


def _fold(text: str | None) -> str:
    return normalise((text or "").strip())


def find_phone(text: str | None) -> str | None:
    """The first mobile or landline number in `text`, ASCII digits only."""
    for match in pii.NUMBER.finditer(text or ""):  # (beside an @ too: "13812345678@qq" calls)
        if match["reference"]:  # a reference number's shape: its digits, unless it is one
            inner = None if is_valid(find_reference(match[0]) or "") else find_phone(match[0][2:])
            if inner:
                return inner
            continue
        number = match["number"] or ""
        digits = "".join(str(unicodedata.digit(char)) for char in number if char.isdecimal())
        if CALL_BACK.fullmatch(digits):  # (an ID number's 17 digits never match)
            return digits
    return None


# --- category -------------------------------------------------------------------------------


class CategoryLike(Protocol):
    key: str
    name_zh: str
    name_en: str
    keywords: list[str]


OTHER = re.compile(
    r"其他|其它|别的|都不是|都不像|以上都不|另外一类|不知道算|说不好|\bother\b|\bnone of\b|"
    r"\bsomething else\b|\bmisc",
    re.I,
)
_DENIED_BEFORE = re.compile(
    r"(不是|不算|不属于|并非|不应该是|\bnot\b|\bisn'?t\b|\bno\b)\W{0,2}$", re.I
)
_EN_STOP = {"and", "the", "public", "of"}


def _full_names(category: CategoryLike) -> list[str]:
    return [_fold(f) for f in (category.key, category.name_zh, category.name_en) if f]


def _parts(category: CategoryLike) -> list[str]:
    """Halves of a four-character name and words of the English name ("服务", "transport")."""
    forms = [category.name_zh[:2], category.name_zh[2:]] if len(category.name_zh) == 4 else []
    forms += [w for w in re.findall(r"[a-z]{4,}", category.name_en.lower()) if w not in _EN_STOP]
    return [_fold(f) for f in forms if f]


def _names(category: CategoryLike, shared: frozenset[str] = frozenset()) -> list[str]:
    """Every written form of a category's name: full names, then the parts no other name shares
    ("服务" is half of both 为老服务 and 办事服务: it names neither)."""
    return _full_names(category) + [p for p in _parts(category) if p not in shared]


def _shared_parts(categories: Sequence[CategoryLike]) -> frozenset[str]:
    seen: dict[str, int] = {}
    for category in categories:
        for part in set(_parts(category)):
            seen[part] = seen.get(part, 0) + 1
    return frozenset(p for p, n in seen.items() if n > 1)


def _mentions(folded: str, form: str) -> bool:
    """`form` appears in `folded`, not right after a denial ("不是环境卫生"), English on word edges."""
    pattern = rf"\b{re.escape(form)}(e?s)?\b" if form.isascii() else re.escape(form)
    return any(not _DENIED_BEFORE.search(folded[: m.start()]) for m in re.finditer(pattern, folded))


def read_category(text: str | None, categories: Sequence[CategoryLike]) -> str | None:
    """The category key named in the answer (name, part of it, or a keyword), else None.

    Names count before keywords, and "其他" only when no other category is named.
    """
    folded = _fold(text).strip("【】[]「」 ")
    other = next((c.key for c in categories if c.key == "other"), None)
    shared = _shared_parts(categories)
    for names in (_full_names, lambda c: _names(c, shared)):  # a whole name wins over a part
        for category in categories:
            if category.key != "other" and any(_mentions(folded, f) for f in names(category)):
                return category.key
    if other and (OTHER.search(folded) or any(_mentions(folded, f) for f in _names(
        next(c for c in categories if c.key == other)))):  # fmt: skip
        return other
    return guess_category(folded, categories)


def guess_category(text: str | None, categories: Iterable[CategoryLike]) -> str | None:
    """The first category one of whose keywords the text uses (to be offered, not imposed)."""
    folded = _fold(text)
    for category in categories:
        if any(_mentions(folded, _fold(k)) for k in category.keywords if k):
            return category.key
    return None


# --- place ----------------------------------------------------------------------------------

_STOP = set(
    "在到从往去于近的是个了和与跟把给对向边里说我们你他她它这那有就也都还要想议望请为让被得觉映"
)
ROAD = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,6}?)(?P<kind>大道|公路|路(?!灯|面|况|线|过|人|费)|街(?!道办)|弄|巷)"
    r"(?P<rest>(?:\s*\d+\s*(?:支弄|号楼|弄|号|栋|幢))*"
    r"(?:[\u4e00-\u9fff]{0,4}?(?:菜市场|菜场|市场|小区|公园|广场|超市|学校|医院|公交站|地铁站|车站|路口))?"
    r"(?:门口|北门|南门|东门|西门|口|旁边|对面|附近)?)"
)
ESTATE = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,6}?)(?P<kind>菜市场|菜场|小区|新村|花园|公寓|家园|苑|公园)"
    r"(?P<rest>(?:\s*\d+\s*(?:号楼|号|栋|幢|弄))?(?:门口|北门|南门|东门|西门|旁边|对面|附近)?)"
)
PLACE_WORDS = re.compile(
    r"楼|门口|[东南西北]门|大门|后门|入口|出口|街|小区|新村|苑|园|菜场|市场|广场|停车场|车站|公交站|地铁站|旁边|附近|对面|号|弄|栋|幢|桥|河边|路口|拐角|"
    r"\b(building|street|road|lane|gate|near|park|estate|market|station|corner|block)\b",
    re.I,
)


# characters of what people do on a road, never of its name ("晚上跑步看不清路", "老人小孩走路")
NOT_A_ROAD_NAME = re.compile(
    r"[门灯楼区场走跑看步不没很太晚夜黑难骑开停找过行坐哪能怎么样啥弄绕天挖修填堵问带让]"
)
_LEAD_WORDS = re.compile(
    r"^.*(建议|希望|觉得|反映|麻烦|就是|那个|这个|我们|我家|咱们|你们|他们|一下|阿拉|伊拉|侬|我妈|我爸|"
    r"爸妈|我奶奶|我外婆|老人|他家|她家|自家|隔壁)"
)


def _trim(name: str) -> str | None:
    """Cut words that are not part of a name off its front ("建议在铜川" → "铜川"); None if all are."""
    name = _LEAD_WORDS.sub("", name)
    if all(char in _STOP for char in name):
        return None
    cuts = [i for i, char in enumerate(name) if char in _STOP and len(name) - i - 1 >= 2]
    return name[cuts[-1] + 1 :] if cuts else name


EN_ADDRESS = re.compile(
    r"\b(?:\d+ )?(?:[A-Z][a-z]+ ){1,3}(?:Road|Rd|Street|St|Lane|Avenue|Ave|Estate|Market|"
    r"Garden|Gardens|Park|Residences|Village|Community|Compound|"
    r"Lu|Jie|Nong|Jiayuan|Xincun|Huayuan|Xiaoqu|Gongyu|Yuan|Cun)\b(?: (?:No\. ?)?\d+)?"
    # (the last line: an estate or road said in pinyin, "Jinjiang Jiayuan", "Tongchuan Lu")
)


def find_address(text: str | None) -> str | None:
    """A road, estate or market named in `text` by its pattern ("铜川路菜场门口", "XX小区")."""
    raw = (text or "").strip()
    for pattern in (ROAD, ESTATE):
        for match in pattern.finditer(raw):
            name = _trim(match.group("name"))
            if name and not (pattern is ROAD and NOT_A_ROAD_NAME.search(name)):
                return name + match.group("kind") + match.group("rest").strip()
    english = EN_ADDRESS.search(raw)
    return english.group(0) if english else None


def read_place(
    text: str | None, find_places: Callable[[str], list]
) -> tuple[str, str | None] | None:
    """(place as written, standard name or None) from any message, else None.

    The town's known places first (`find_places`, e.g. language.nlp.find_places); then the
    pattern of an address. The written form is the longer of the two when both are found.
    """
    known = find_places(text or "")
    address = find_address(text)
    if known:
        name = known[0].name
        return address or name, name
    if address:
        return address, None
    return None


def looks_like_place(text: str | None) -> bool:
    """A short answer that reads as a place even without a name ("3号楼下面", "小区北门")."""
    folded = _fold(text)
    return bool(PLACE_WORDS.search(folded)) and len(folded) <= 60


def read_location(
    text: str | None, find_places: Callable[[str], list]
) -> tuple[str, str | None] | None:
    """The answer to "where is it?": (place as written, standard name or None), else None."""
    written = (text or "").strip()
    place = read_place(written, find_places)
    if place:
        return written, place[1]
    return (written, None) if looks_like_place(written) else None
