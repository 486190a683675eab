"""Talking to the shared stack as a resident does: a new resident, a message and its replies, the
suggestion form answered until its read-back, a whole suggestion, and what the database stored."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from language.reference import find_reference
from store import suggestion_repo
from store.db import make_engine
from store.models import Suggestion


def resident() -> str:
    return f"resident-{uuid.uuid4().hex[:8]}"


def say(stack, who: str, message: str) -> str:
    return "\n".join(reply.get("text", "") for reply in stack.send(who, message))


QUESTIONS = {
    "对吗": "category_confirm",
    "Is that right": "category_confirm",
    "哪一类": "category",
    "Which area": "category",
    "具体在哪里": "location",
    "Where is it": "location",
    "需要工作人员给您回复": "reply",
    "reply from town staff": "reply",
    "请输入手机号码": "phone",
    "type your phone number": "phone",
    "要继续提交刚才的建议吗": "go_on",
    "Shall we go on": "go_on",
}


def answer_until_read_back(
    stack, who: str, first_reply: str, forbid: tuple[str, ...] = (), **answers: str
) -> str:
    """Answer whatever the form asks, as a resident would, until the read-back; return it.

    A question in `forbid` must not be asked (the flow already knows, or must not ask, it).
    """
    answers = {
        "category": "其他", "category_confirm": "对", "location": "跳过", "reply": "不需要回复",
        "go_on": "继续", **answers,
    }  # fmt: skip
    text = first_reply
    for _ in range(8):
        if "请核对" in text or "Please check" in text:
            return text
        asked = next((slot for cue, slot in QUESTIONS.items() if cue in text), None)
        assert asked, f"unexpected reply: {text!r}"
        assert asked not in forbid, f"asked for the {asked}: {text!r}"
        text = say(stack, who, answers[asked])
    raise AssertionError("the form never reached the read-back")


def suggest(stack, who: str, first: str, **answers: str) -> str:
    """A whole suggestion: the first message, the answers, the confirmation; returns the number."""
    answer_until_read_back(stack, who, say(stack, who, first), **answers)
    reference = find_reference(say(stack, who, answers.get("confirm", "确认提交")))
    assert reference
    return reference


def stored(stack, reference: str | None = None):
    engine = make_engine(stack.database_url)
    with Session(engine) as session:
        if reference is None:
            return session.scalar(select(func.count()).select_from(Suggestion))
        found = suggestion_repo.get_by_reference(session, reference=reference)
        if found:
            session.expunge(found)
        return found
