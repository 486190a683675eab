"""Messages of the suggestion flow, and reading a suggestion's text (shared by its actions)."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from knowledge import moderation, nlp, suggestion_repo

SLOTS = (
    "suggestion_draft_id", "suggestion_text", "suggestion_category", "suggestion_location",
    "suggestion_location_std", "suggestion_reply", "suggestion_phone", "suggestion_confirm",
    "suggestion_urgent",
)  # fmt: skip
MESSAGES = {
    "urgent": {
        "zh": "这件事听起来很紧急，请不要等待回复：马上拨打12345市民服务热线；如有危险，请拨打110（报警）、119（火警）或120（急救）。我会把它记录为紧急建议。",
        "en": "This sounds urgent, so please don't wait for a reply: call the 12345 hotline now; if anyone is in danger call 110 (police), 119 (fire) or 120 (ambulance). I'll record it as urgent.",
    },
    "abuse": {
        "zh": "我理解您可能很着急或不满。请告诉我具体是什么问题、在哪里，我会认真记录并转给工作人员。",
        "en": "I understand you may be upset. Please tell me what the problem is and where, and I will pass it on to staff.",
    },
    "advertising": {
        "zh": "这条消息像是广告或链接，我不能作为建议保存。如果您有对镇里的建议，请直接写下来。",
        "en": "This looks like an advertisement or a link, so I can't save it as a suggestion. If you have a suggestion for the town, please write it out.",
    },
    "flood": {
        "zh": "您这一小时内已经提交了不少建议，谢谢您的热心！请稍后再提交新的建议；急事请拨打12345。",
        "en": "You have sent quite a few suggestions this hour, thank you! Please send new ones a little later; for urgent matters call 12345.",
    },
    "repeat": {
        "zh": "您刚才已经提交过相同的建议，编号 {reference}，不用重复提交。",
        "en": "You already sent the same suggestion, reference {reference}; no need to send it again.",
    },
    "too_short": {
        "zh": "能再具体说说吗？比如是什么问题、希望镇里怎么改进（至少写一句话）。",
        "en": "Could you say a bit more? For example what the problem is and what you would like the town to do.",
    },
}


def say(dispatcher: CollectingDispatcher, key: str, lang: str, **values: str) -> None:
    """Utter one of the flow's messages in the resident's language."""
    dispatcher.utter_message(text=MESSAGES[key][lang].format(**values))


def refusal(session: Session, text: str, sender_hash: str) -> tuple[str, dict]:
    """Why a text must not be stored ('' when it may be), with values for the message."""
    if moderation.is_advertising(text):
        return "advertising", {}
    if moderation.is_abuse(text):
        return "abuse", {}
    repeat = suggestion_repo.same_text_recently(
        session, sender_hash=sender_hash, text=nlp.mask(text)
    )
    if repeat:
        return "repeat", {"reference": repeat.reference}
    return "", {}


def read_text(session: Session, text: str) -> dict:
    """Slots read from a suggestion's text: masked text, urgency, category and place if clear."""
    slots: dict = {"suggestion_text": nlp.mask(text.strip())[:2000]}
    if moderation.is_urgent(text):
        slots["suggestion_urgent"] = True
    lowered = text.lower()
    for category in suggestion_repo.list_categories(session):
        if any(keyword.lower() in lowered for keyword in category.keywords):
            slots["suggestion_category"] = category.key
            break
    places = nlp.find_places(text)
    if places:
        slots["suggestion_location"] = places[0].name
        slots["suggestion_location_std"] = places[0].name
    return slots
