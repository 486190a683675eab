"""Reading a resident's short answers in the suggestion flow: plain functions, no Rasa.

Every reader takes the message as typed (buttons send plain words too) and returns what it
understood, or None when it did not: the form then says what it expects instead of guessing.
A refusal is never read as a yes: negation is looked for before agreement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from language.text import normalise

# Words that agree although they hold a negation character (没问题, 不错) are replaced first.
_AGREEING = re.compile(r"没问题|没错|不错|没毛病|可不可以都行|no problem|not bad|why not", re.I)
NEGATION = re.compile(
    r"不用|不要|不想|不必|不需|不留|不给|不了|不行|不好|不是|不对|不可以|不能|不愿|不方便|不提交|不确认|"
    r"^不[\W了啦呀吧]*$|不继续|先别|别|算了|无需|免了|甭|没必要|拒绝|先不|暂时不|暂不|没有|否|"
    r"\bno\b|\bnot\b|\bnope\b|\bnah\b|\bdon'?t\b|\bdo not\b|\bnever\b|\bcancel|\bstop\b|"
    r"\bno thanks\b|\brather not\b|\bwithout\b|👎|🙅|❌|✖",
    re.I,
)
AGREEMENT = re.compile(
    r"是|对|好|可以|行|要|嗯|确认|确定|提交|没问题|当然|需要|继续|同意|愿意|"
    r"\bok(ay)?\b|\bk\b|\byes\b|\byeah\b|\byep\b|\byup\b|\bsure\b|\bconfirm|\bsubmit|\bright\b|"
    r"\bcorrect\b|\bgo ahead\b|\bgo on\b|\bcontinue\b|\bagree|\bfine\b|\bplease do\b|\bgood\b|\bgreat\b|"
    r"\by\b|👍|👌|✅|🆗|✔|🙆",
    re.I,
)
WAIT = re.compile(
    r"再想想|想一想|想想|考虑一下|考虑考虑|再看看|等等|等一下|等一等|稍等|晚点|晚些|回头再|以后再|再说吧|"
    r"\bwait\b|\bhold on\b|\blater\b|\bnot now\b|\bnot yet\b|\bthink about|\bnot sure\b|\bhang on\b",
    re.I,
)


QUESTION = re.compile(
    r"吗|？|\?|怎么|怎样|咋|多少|什么|啥|谁|哪里|哪儿|哪个|哪能|哪搭|哪块|几点|几时|几号|为什么|是不是|"
    r"要不要|能不能|可不可以|有没有|(?<![不没])(?!动)([\u4e00-\u9fff])[不没]\1|"
    r"\b(how|what|where|when|why|which|who|can you|do you|can i|could (i|you)|is there|are there|"
    r"do i)\b",
    re.I,
)  # A-not-A ("开不开", "有没有") asks too; not "不用不用", nor "动不动" ("动不动就坏")
# Questions after information (how, where, when, how much, who), as opposed to "is it X?"
SEEKS_INFORMATION = re.compile(
    r"怎么|怎样|咋|多少|什么|啥|谁|哪里|哪儿|哪能|哪搭|哪块|几点|几时|几号|为什么|"
    r"\b(how|what|where|when|why|who)\b",
    re.I,
)
# Shanghainese (and spoken) sentence-final question particles: "图书馆周末开门伐", "低保呢"
QUESTION_TAIL = re.compile(r"(伐|哦|呢)[\W_]*$")
STRONG_CANCEL = re.compile(
    r"不提了|不想提了|不提建议|不想提建议|不建议了|取消建议|取消|撤回|不要提交了|别提交了|不交了|"
    r"\bcancel\b|\bnever ?mind\b|\bforget (it|about it)\b",
    re.I,
)
DOUBT = re.compile(
    r"你好|您好|哈喽|\bhello\b|\bhi\b|对不起|不好意思|抱歉|错|好像|似乎|可能|也许|大概|不确定|不知道|随便|改|补充|编辑|"
    r"\bsorry\b|\bwrong\b|\bmistake|\bmaybe\b|\bperhaps\b|\bedit\b|\bchange\b|\bwhatever\b",
    re.I,
)
_NOISE = re.compile(r"[\W_]+")


def _fold(text: str | None) -> str:
    return normalise((text or "").strip())


def _content(folded: str) -> str:
    return _NOISE.sub("", folded)


def is_question(text: str | None) -> bool:
    """A question rather than an answer ("加装电梯要多少钱", "是不是要排队")."""
    folded = _fold(text)
    asks = QUESTION.search(folded) or QUESTION_TAIL.search(folded)
    return bool(asks) and len(_content(folded)) > 3


ABOUT_ASSISTANT = re.compile(
    r"你(能|会|可以)(做|干|帮|回答|问)|你是(谁|什么|机器人|真人)|能问(你)?什么|怎么用你|"
    r"\bwhat can you do\b|\bwho are you\b|\bare you a (bot|robot|person|human)\b|^\W*(help|帮助)\W*$",
    re.I,
)


def asks_about_assistant(text: str | None) -> bool:
    """'你能做什么', 'what can you do': a question about the assistant, not an answer."""
    return bool(ABOUT_ASSISTANT.search(_fold(text)))


ANSWER_SHAPE = re.compile(
    r"^((对|是|嗯|没错|对的|是的|不对|不是|错了|都不是|不|yes|no)[\W_]*)?(我觉得|我看|还是)*"
    r"(这个|这条|这)?(就|那)?(算|归|属于|应该(是|算)|是|选|记)|"
    r"(吧|啊|呀|嘛|咯|喽|类|方面|那类|那一类|的事|的问题)[\W_]*$|^(it'?s|put it)\b",
    re.I,
)  # "对，算公共设施", "不是，应该是养老的问题", "公共设施啊", "就算其他吧"


def shaped_as_answer(text: str | None) -> bool:
    """Short, or opening / ending the way an answer to a choice does ("不对，是交通", "其他吧")."""
    folded = _fold(text)
    short = _size(folded) <= 4  # one word ("教育") at a choice is an attempt at an answer
    return short or bool(ANSWER_SHAPE.search(folded))


def answers_a_choice(text: str | None) -> bool:
    """Shaped as an answer to the question asked ("算文化活动吧"), not as a new question
    ("低保哪能申请", "周末图书馆开不开": side questions, answered before the choice is asked again)."""
    return shaped_as_answer(text) and not is_question(text)


def is_cancel(text: str | None) -> bool:
    """Words that end the whole suggestion at any step ("不提了", "取消", "cancel")."""
    return bool(STRONG_CANCEL.search(_fold(text)))


_UNITS = re.compile(r"[a-z']+|\d+|[^\W\d_a-z]|[^\w\s,.!;:，。！；：、~～…]", re.I)


def _size(folded: str) -> int:
    """Length in units a reader feels: a Chinese character, an English word, a number, an emoji."""
    return len(_UNITS.findall(folded))


def _agrees(folded: str) -> bool:
    """An agreement that is the answer itself: a short message, or one that opens with it.

    Doubt, an apology or a wish to change something is never agreement ("好像写错了").
    """
    if DOUBT.search(folded) or "?" in folded or not AGREEMENT.search(folded):
        return False
    lead = re.sub(r"^[\W_]+", "", folded)
    return _size(folded) <= 4 or (bool(AGREEMENT.match(lead)) and _size(folded) <= 10)


def read_yes_no(text: str | None) -> str | None:
    """'yes', 'no' (any refusal, "wait" included) or None when the answer says neither."""
    folded = _AGREEING.sub("好", _fold(text))
    if is_question(folded) or _size(folded) > 20:
        return None
    if NEGATION.search(folded) or WAIT.search(folded):
        return "no"
    if _agrees(folded):
        return "yes"
    return None


# --- the read-back --------------------------------------------------------------------------

_NO_CHANGE = re.compile(r"不用改|不改了|不需要改|不用修改|别改了|\bno changes?\b", re.I)
EDITS = [
    ("edit_text", re.compile(r"(改|修改|换|重写|补充).{0,2}(内容|文字|建议|描述)|\bedit text\b|"
                             r"\bchange (the )?text\b|\brewrite\b", re.I)),
    ("edit_category", re.compile(r"(改|修改|换|调整).{0,2}(类别|分类|类型)|\bcategory\b", re.I)),
    ("edit_location", re.compile(r"(改|修改|换).{0,2}(地点|地址|位置)|\b(location|place|address)\b",
                                 re.I)),
    ("edit_reply", re.compile(r"(改|修改|换).{0,2}(回复|电话|联系)|留电话|\bphone\b|\breply\b", re.I)),
]  # fmt: skip


EXPLICIT_YES = re.compile(r"确认|确定|提交|\bconfirm|\bsubmit|\bsend it\b|\bgo ahead\b", re.I)


def read_confirmation(text: str | None) -> str | None:
    """The answer to the read-back: 'yes', 'cancel', 'wait', 'edit_<field>' or None (unclear).

    Only an explicit agreement with no refusal and no hesitation in it is a 'yes'.
    """
    folded = _NO_CHANGE.sub("好", _AGREEING.sub("好", _fold(text)))
    if QUESTION.search(folded):
        return None
    for choice, pattern in EDITS:
        if pattern.search(folded):
            return choice
    if WAIT.search(folded):
        return "wait"
    if PHONE_REFUSED.search(folded) or REPLY_REFUSED_BY_NAME.search(folded):
        return (
            "edit_reply"  # "不用打电话" refuses a call, not the suggestion: ask about replies again
        )
    if NEGATION.search(folded) or is_cancel(folded):
        return "cancel"
    if _agrees(folded) or (EXPLICIT_YES.search(folded) and not DOUBT.search(folded)):
        return "yes"
    return None


# --- reply choice and phone -----------------------------------------------------------------

MOBILE = re.compile(r"(?<!\d)(1[3-9]\d(?:[\s\-]?\d){8})(?!\d)")
LANDLINE = re.compile(r"(?<!\d)((?:0\d{2,3}[\s\-]?)?[2-9]\d{3}[\s\-]?\d{4})(?!\d)")
_PHONE_WORDS = (
    r"(打|留|给|来|回)?(个)?(电话|手机|号码|联系方式|回电|来电)|打给我|\bcall|\bphone|\bring me\b"
)
PHONE_WANTED = re.compile(_PHONE_WORDS + r"|电话回访|\bcall ?back\b|📞|☎", re.I)
PHONE_REFUSED = re.compile(
    r"(不用|不要|不想|不必|不需要|别|先别|不留|不给|无需|没必要|不方便)(再)?(给我)?(打|留|给|接)?(个)?"
    r"(电话|手机|号码|联系方式|回电|来电)|不留了|不想留|"
    r"\b(don'?t|do not|no|not|never)\b.{0,12}\b(call|phone|ring|number)|\bno (phone|call)s?\b",
    re.I,
)
CHAT_WANTED = re.compile(
    r"这里|这儿|这边|聊天|在这|本对话|对话里|消息|微信|留言|网上|线上|发给我|回复我|回我|回复到|"
    r"\bchat\b|\bhere\b|\bmessage|\btext me\b|\bonline\b|\bin this\b",
    re.I,
)
_NO_REPLY = (
    r"(不用|不要|不想|不必|不需要|无需|没必要|别|免)(要)?(了)?(回复|答复|回我|回应|回音|反馈|联系)|"
    r"\bno (reply|answer)\b|\bdon'?t (reply|answer)\b"
)
REPLY_REFUSED_BY_NAME = re.compile(_NO_REPLY, re.I)  # names what is refused: a reply
REPLY_REFUSED = re.compile(
    _NO_REPLY + r"|\bno need\b|\bdon'?t (need|want)\b|\bnot needed\b|\bno thanks\b", re.I
)


def find_phone(text: str | None) -> str | None:
    """The first mobile or landline number in `text`, digits only."""
    folded = (text or "").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    for pattern in (MOBILE, LANDLINE):
        match = pattern.search(folded)
        if match:
            return re.sub(r"\D", "", match.group(1))
    return None


def read_reply_choice(text: str | None) -> tuple[str | None, str | None]:
    """('chat' | 'phone' | 'none' | None, phone number or None) from an answer about replies."""
    folded, phone = _fold(text), find_phone(text)
    phone_refused = bool(PHONE_REFUSED.search(folded))
    if phone and not phone_refused:
        return "phone", phone
    if PHONE_WANTED.search(folded) and not phone_refused:
        return "phone", None
    if CHAT_WANTED.search(folded) and not REPLY_REFUSED.search(folded):
        return "chat", None
    if phone_refused or REPLY_REFUSED.search(folded):
        return "none", None
    answer = read_yes_no(folded)
    if answer == "no":
        return "none", None
    if answer == "yes":
        return "chat", None
    return None, None


SKIP = re.compile(
    r"跳过|略过|不知道|不清楚|不记得|说不清|没有|没(手机|电话|号码)|无|不留|不给|不方便|不想|不用|算了|"
    r"\bskip\b|\bnone\b|\bno\b|\bn/?a\b|\bdon'?t\b|\bnot\b|\bpass\b|^-+$",
    re.I,
)


def read_phone(text: str | None) -> tuple[str, str | None] | None:
    """At the phone question: ('phone', digits), ('refused', None) or None when neither."""
    folded, phone = _fold(text), find_phone(text)
    if phone and not PHONE_REFUSED.search(folded):
        return "phone", phone
    if SKIP.search(folded) or NEGATION.search(folded) or PHONE_REFUSED.search(folded):
        return "refused", None
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


def _names(category: CategoryLike) -> list[str]:
    """Every written form of a category's name: full names, halves of four-character names, words."""
    forms = [category.key, category.name_zh, category.name_en]
    if len(category.name_zh) == 4:
        forms += [category.name_zh[:2], category.name_zh[2:]]
    forms += [w for w in re.findall(r"[a-z]{4,}", category.name_en.lower()) if w not in _EN_STOP]
    return [_fold(f) for f in forms if f]


def _mentions(folded: str, form: str) -> bool:
    """`form` appears in `folded`, not right after a denial ("不是环境卫生"), English on word edges."""
    pattern = rf"\b{re.escape(form)}(e?s)?\b" if form.isascii() else re.escape(form)
    return any(not _DENIED_BEFORE.search(folded[: m.start()]) for m in re.finditer(pattern, folded))


def read_category(text: str | None, categories: Sequence[CategoryLike]) -> str | None:
    """The category key named in the answer (name, part of it, or a keyword), else None.

    Names count before keywords, and "其他" only when no other category is named. A question not
    shaped as an answer names no category: its words are its subject ("低保哪能申请").
    """
    folded = _fold(text).strip("【】[]「」 ")
    if is_question(text) and not shaped_as_answer(text):
        if SEEKS_INFORMATION.search(folded):
            return None  # "低保哪能申请", "养老院怎么申请": a side question
        # a tentative answer naming a category outright ("环境卫生？", "养老的问题伐",
        # "这个能算公共设施吗"); keywords and "其他" are not enough here
        return next((c.key for c in categories if c.key != "other"
                     and any(_mentions(folded, f) for f in _names(c))), None)  # fmt: skip
    other = next((c.key for c in categories if c.key == "other"), None)
    for category in categories:
        if category.key != "other" and any(_mentions(folded, f) for f in _names(category)):
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
    r"楼|门|口|路|街|区|村|苑|园|场|站|旁|边|附近|对面|里|号|弄|栋|幢|中间|之间|桥|河|角|前|后|下|上|"
    r"\b(building|street|road|lane|gate|near|park|estate|market|station|corner|block)\b",
    re.I,
)


_LEAD_WORDS = re.compile(
    r"^.*(建议|希望|觉得|反映|麻烦|就是|那个|这个|我们|我家|咱们|你们|他们|一下)"
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
    r"Garden|Gardens|Park|Residences|Village)\b(?: (?:No\. ?)?\d+)?"
)


def find_address(text: str | None) -> str | None:
    """A road, estate or market named in `text` by its pattern ("铜川路菜场门口", "XX小区")."""
    raw = (text or "").strip()
    for pattern in (ROAD, ESTATE):
        for match in pattern.finditer(raw):
            name = _trim(match.group("name"))
            if name and not (pattern is ROAD and re.search(r"[门灯楼区场]", name)):
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


def is_skip(text: str | None) -> bool:
    """'跳过', '不知道', 'skip' and the like: the resident gives no place (or no number)."""
    return bool(SKIP.search(_fold(text)))


def read_location(
    text: str | None, find_places: Callable[[str], list]
) -> tuple[str, str | None] | None:
    """The answer to "where is it?": (place as written, standard name or None), ('-', None) when
    the resident skips, None when the answer says neither."""
    written = (text or "").strip()
    place = read_place(written, find_places)
    if place:
        return written, place[1]
    if looks_like_place(written) and not is_skip(written) and not is_question(written):
        return written, None
    return ("-", None) if is_skip(written) else None
