"""Read a suggestion's text: meaningful or not, abuse, advertising, urgency, category, cancel."""

from __future__ import annotations

import re

from language.text import normalise

FILLER = re.compile(
    r"我想|我要|想要|我有|有个|一个|一条|提个|提一个|提点|提|给镇里|给镇政府|给政府|给你们|建议|意见|想法|反映|"
    r"人民建议|征集|一下|的|吧|啊|呀|i'?d like to|i want to|i have|make|a suggestion|suggest|report|"
    r"problem|please|something|anything|an idea|ideas?|a thing|thoughts?|to say|[\s\W_]",
    re.IGNORECASE,
)
INSULTS = re.compile(
    r"傻[逼比b]|sb|垃圾政府|滚|去死|妈的|他妈|操你|fuck|shit|idiot|白痴|废物|混蛋", re.I
)
# Advertising is told by what it asks the reader to do, not by single words: residents write
# 代理 (acting for someone), 赚钱 (earning a living), 微信 (a group for notices), and link to
# government sites. Refused: a link to a site that is not a government one, an account to add
# (a WeChat id, a QQ number), sales phrases (unless the resident is warning about them), or a
# phone number with several sales words. Measured by `python -m bench.moderation`.
# A link ends at a space or a comma, semicolon or closing bracket, in either width (the text is
# read normalised: "，" is "," by then).
_LINK_END = r"\s,，。、;；)）】"
LINK = re.compile(
    rf"(?:https?://|www\.)[^{_LINK_END}]+"
    r"|(?<![\w.@-])(?:[a-z0-9-]+\.)+(?:com|cn|net|org|biz|info|co|hk|me|io|top|xyz|vip|cc|tv|win|"
    rf"link|ly|app|shop|club|site|online)\b[^{_LINK_END}]*",
    re.I,
)
SCHEME = re.compile(r"https?://|www\.", re.I)  # where a link starts, also inside another one
GOVERNMENT_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*gov\.cn$")
ACCOUNT = re.compile(
    r"(?:微信号?|微信id|薇信|威信|v信|(?<![a-z])vx|(?<![a-z])wx|加v|加我)\s*(?:号|是|为)?\s*[:：]?\s*"
    r"[a-z][a-z0-9_-]{4,}|(?<![a-z])(?:qq|扣扣)(?:号|群)?\s*[:：]?\s*\d{5,}",
    re.I,
)
SALES = re.compile(
    r"刷单|日结|日赚|日入|月入|躺着赚|躺赚|稳赚|轻松赚钱|在家赚钱|在家就能做|赚钱项目|招代理|诚招|"
    r"代理加盟|加盟费|优惠券|点击链接|免费领取|秒批|秒到账|秒下|无抵押|套现|代开发票|博彩|娱乐城|荐股|"
    r"牛股|带单|刷粉|增粉|一手货源|高仿|办证|刻章|代孕|返利|返现|保本保息|高价回收|代练|点赞员|"
    r"零投资|高回报|无需经验|零门槛|大酬宾|guaranteed returns?|make money|earn \$|click here|"
    r"free gift|no credit check|claim your|win an? ",
    re.I,
)
SALES_WORDS = re.compile(
    r"代理|赚钱|兼职|加盟|优惠|特价|低价|出售|回收|贷款|理财|价格|免费|代购|正品|微商|招募|💰|🔥"
)
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
WARNING = re.compile(
    r"诈骗|骗|举报|防范|警惕|小心|提醒|宣传|小广告|清理|整治|冒充|scam|fraud", re.I
)
URGENT = re.compile(
    r"漏水|爆管|水管爆|爆裂|燃气|煤气|着火|起火|冒烟|漏电|电线.*(掉|断|裸露)|倒塌|塌了|坍塌|掉下来|"
    r"被困|困在电梯|安全隐患|\bburst\b|\bgas\b|\bfire\b|\bcollapsed?\b|\btrapped\b",
    re.I,
)
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


def _host(link: str) -> str:
    """The host a link starts with ("gov.cn,http://x.com" → "gov.cn")."""
    rest = re.sub(r"^(?:https?://)", "", link, flags=re.I)
    return re.match(r"[a-z0-9.-]*", rest.lower()).group().rstrip(".")


def is_advertising(text: str) -> bool:
    """Advertising: a non-government link, an account to add, or sales talk (not a warning).

    `normalise` folds digits, so phone numbers are looked for in the text as written.
    """
    folded = normalise(text or "")
    starts = {m.start() for pattern in (LINK, SCHEME) for m in pattern.finditer(folded)}
    if any(not GOVERNMENT_HOST.match(_host(folded[start:])) for start in starts):
        return True
    if ACCOUNT.search(folded):
        return True
    if WARNING.search(folded):
        return False
    selling = len(SALES_WORDS.findall(folded))
    return bool(SALES.search(folded)) or (selling >= 2 and bool(PHONE.search(text or "")))


def is_urgent(text: str) -> bool:
    """A matter that cannot wait for a suggestion's answer time."""
    return bool(URGENT.search(normalise(text or "")))
