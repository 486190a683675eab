"""Shared texts of the channels, long replies split for the app's limit, input trimmed."""

from __future__ import annotations

# The cut and the busy answer are shared with Rasa's REST channel; re-exported for the bridges.
from language.text import BUSY, MAX_INPUT, TOO_LONG, clean_input, is_too_long  # noqa: F401

APOLOGY = {
    "zh": "抱歉，助手暂时无法回答，请稍后再试。急事请拨打12345市民服务热线。",
    "en": "Sorry, the assistant can't answer right now. Please try again later; for urgent matters call 12345.",
}
UNSUPPORTED = {
    "zh": "我目前只能看懂文字消息。请用文字告诉我您的问题或建议。",
    "en": "I can only read text messages for now. Please type your question or suggestion.",
}
RATE_LIMITED = {
    "zh": "您发消息太快了，请稍等一会儿再发。",
    "en": "You're sending messages very quickly; please wait a moment.",
}
EXPIRED_BUTTON = {
    "zh": "这个按钮已过期，请重新提问。",
    "en": "This button has expired; please ask again.",
}
LOCATION_THANKS = {
    "zh": "谢谢！也请告诉我小区名或路名，方便工作人员找到。",
    "en": "Thank you! Please also tell me the estate or street name so that staff can find it.",
}
CHOOSE_LANGUAGE = "请选择语言 / Choose a language"
PRIVACY = {
    "zh": "隐私说明：为了回答和跟进您的建议，我们会保存对话；电话号码只在您同意时保存，可随时发送“删除我的信息”。",
    "en": "Privacy: conversations are kept to answer and follow up your suggestions; a phone number only with your consent. Send 'delete my data' any time.",
}

RATING_PAYLOAD = "/bot_rate_answer"  # the 👍 / 👎 after an answer (actions/rating.py)


def is_rating(button: dict) -> bool:
    """A 👍 / 👎 button: the bridges show the two side by side, smaller than the questions."""
    return str(button.get("payload") or "").startswith(RATING_PAYLOAD)


def split_text(text: str, limit: int = 4096) -> list[str]:
    """Split at paragraph or line ends so that each part fits `limit` characters."""
    parts: list[str] = []
    rest = text or ""
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        cut = cut if cut > limit // 2 else limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest or not parts:
        parts.append(rest)
    return parts
