"""Messages of the suggestion flow, and reading a suggestion's text (shared by its actions)."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions import suggestion_reading as reading
from store import suggestion_repo
from language import moderation, nlp

SLOTS = (
    "suggestion_draft_id", "suggestion_text", "suggestion_category", "suggestion_location",
    "suggestion_location_std", "suggestion_reply", "suggestion_phone", "suggestion_confirm",
    "suggestion_urgent", "suggestion_category_guess", "suggestion_paused", "suggestion_retries",
    "suggestion_outcome",
)  # fmt: skip
MESSAGES = {
    "urgent": {
        "zh": "这件事听起来比较急：我会把它记录为紧急建议，工作人员会立即收到并尽快处理。等不及的话，请马上拨打12345市民服务热线。",
        "en": "This sounds urgent: I'll record it as urgent, so staff see it at once and act on it quickly. If it can't wait, call the 12345 hotline now.",
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
    "hint_suggestion_category": {
        "zh": "没看出是哪一类。请点下面的一个类别，或者写出类别名，比如“环境卫生”“交通出行”；都不像就选“其他”。",
        "en": 'I couldn\'t tell the category. Please press one below or write its name, e.g. "Transport"; if none fits, choose "Other".',
    },
    "hint_suggestion_location": {
        "zh": "没看出具体地点。请写小区、路名或门牌，比如“中江路菜场门口”“上钞苑3号楼”；说不清就点“跳过”。",
        "en": 'I couldn\'t tell the place. Please write an estate, road or building, e.g. "Zhongjiang Road market gate"; or press Skip.',
    },
    "hint_suggestion_reply": {
        "zh": "没看出您想怎么收到答复。请选一个：回复到这个聊天、电话回访，或者不需要回复。",
        "en": "I couldn't tell how you'd like the answer. Please choose: reply in this chat, call me back, or no reply needed.",
    },
    "hint_suggestion_phone": {
        "zh": "这看起来不像电话号码。请直接输入手机号，比如13812345678；不想留电话请回复“跳过”。",
        "en": "That doesn't look like a phone number. Please type it, e.g. 13812345678, or 'skip'.",
    },
    "hint_suggestion_confirm": {
        "zh": "还没有提交，也没有保存。要提交请点“确认提交”，要修改请点“修改内容”或“修改类别”，不想提了请点“取消”。",
        "en": "Nothing is sent or saved yet. Press Submit to send it, Edit to change it, or Cancel.",
    },
    "wait_suggestion_confirm": {
        "zh": "好的，先不提交，也没有保存。想好了请点“确认提交”；不想提了请点“取消”。",
        "en": "All right, not sent and not saved. When you're ready press Submit, or Cancel.",
    },
    "way_out_suggestion_category": {
        "zh": "没关系，先记为“其他”，工作人员会重新归类。",
        "en": 'No problem, I\'ll file it under "Other"; staff will sort it.',
    },
    "way_out_suggestion_location": {
        "zh": "没关系，地点先跳过，您可以在建议里补充。",
        "en": "No problem, I'll leave the place out; you can add it to the text.",
    },
    "way_out_suggestion_reply": {
        "zh": "没关系，先记为不需要回复；您随时可以发编号查询进度。",
        "en": "No problem, I'll note no reply needed; you can check its status with the reference number.",
    },
    "way_out_suggestion_phone": {
        "zh": "没关系，不留电话，答复会发到这个聊天。",
        "en": "No problem, no phone number; the answer will come to this chat.",
    },
    "hint_go_on": {
        "zh": "还没有保存。要接着提交刚才的建议请点“继续”，不提了请点“不继续了”。",
        "en": 'Nothing is saved yet. Press "Go on" to carry on with your suggestion, or "No, drop it".',
    },
    "unknown_question": {
        "zh": "这个问题我暂时答不上来，可以拨打12345市民服务热线咨询。",
        "en": "I can't answer that one, sorry; the 12345 citizen hotline can help.",
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


def place_slots(text: str) -> dict:
    """The place named in `text` (a known place or an address pattern) as slots, or nothing."""
    place = reading.read_place(text, nlp.find_places)
    if not place:
        return {}
    return {"suggestion_location": nlp.mask(place[0])[:200], "suggestion_location_std": place[1]}


def read_text(session: Session, text: str, emergency: bool = False) -> dict:
    """Slots read from a suggestion's text: masked text, urgency, a category to offer, place."""
    slots: dict = {"suggestion_text": nlp.mask(text.strip())[:2000]}
    if emergency or moderation.is_urgent(text):
        slots["suggestion_urgent"] = True
    guess = reading.guess_category(text, suggestion_repo.list_categories(session))
    if guess:
        slots["suggestion_category_guess"] = guess
    return slots | place_slots(text)
