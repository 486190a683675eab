"""Read a suggestion's text: meaningful or not, abuse, advertising, urgency, category, cancel."""

from __future__ import annotations

import re

from knowledge.text import normalise

FILLER = re.compile(
    r"我想|我要|想要|我有|有个|一个|一条|提个|提一个|提点|提|给镇里|给镇政府|给政府|给你们|建议|意见|想法|反映|"
    r"人民建议|征集|一下|的|吧|啊|呀|i'?d like to|i want to|i have|make|a suggestion|suggest|report|"
    r"problem|please|something|anything|an idea|ideas?|a thing|thoughts?|to say|[\s\W_]",
    re.IGNORECASE,
)
INSULTS = re.compile(
    r"傻[逼比b]|sb|垃圾政府|滚|去死|妈的|他妈|操你|fuck|shit|idiot|白痴|废物|混蛋", re.I
)
ADVERTISING = re.compile(
    r"https?://|www\.|加微信|加v|微信号|vx|代理|兼职日结|刷单|赚钱|优惠券|点击链接|免费领取|贷款秒批",
    re.I,
)
URGENT = re.compile(
    r"漏水|爆管|水管爆|爆裂|燃气|煤气|着火|起火|冒烟|漏电|电线.*(掉|断|裸露)|倒塌|塌了|坍塌|掉下来|"
    r"被困|困在电梯|安全隐患|\bburst\b|\bgas\b|\bfire\b|\bcollapsed?\b|\btrapped\b",
    re.I,
)
CANCEL = re.compile(
    r"算了|不提了|不想提了|取消|不要了|不用了|撤回|cancel|never ?mind|forget it|stop", re.I
)
CANCEL_FILLER = re.compile(r"[\W_]|吧|啊|呀|了|我|的|建议|还是|先|it|the|suggestion", re.I)
MIN_CHARS = 6


def content(text: str) -> str:
    """What is left of a message once the words that only say 'I have a suggestion' are removed."""
    return FILLER.sub("", normalise(text or ""))


def is_meaningful(text: str) -> bool:
    """Enough content to be a suggestion by itself (about six characters or two English words)."""
    rest = content(text)
    latin = len(re.findall(r"[a-z]{2,}", rest))
    return len(rest) >= MIN_CHARS or latin >= 2


def is_abuse(text: str) -> bool:
    """Insults with no content left once the insults are removed."""
    return bool(INSULTS.search(text or "")) and not is_meaningful(INSULTS.sub("", text or ""))


def is_advertising(text: str) -> bool:
    """Links and advertising phrases."""
    return bool(ADVERTISING.search(normalise(text or "")))


def is_urgent(text: str) -> bool:
    """A matter that cannot wait for a suggestion's answer time."""
    return bool(URGENT.search(normalise(text or "")))


def is_cancel(text: str) -> bool:
    """'算了不提了', 'cancel' and the like, with nothing else said."""
    folded = normalise((text or "").strip())
    return bool(CANCEL.search(folded)) and len(CANCEL_FILLER.sub("", CANCEL.sub("", folded))) <= 2
