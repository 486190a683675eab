""" "Delete my data" through the trained model and the action server: asked first in every channel
(a Rasa rule), only a yes to the question deletes, a refusal is never a yes."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from store import privacy_repo
from store.db import make_engine
from store.identity import sender_hash

pytestmark = pytest.mark.integration
ASKED = ("确定要删除", "Delete your data?")
DELETED = ("已完成", "Done. Your contact details")


def resident() -> str:
    return f"privacy-{uuid.uuid4().hex[:8]}"


def say(stack, who: str, message: str, payload: bool = False) -> tuple[str, list[dict]]:
    replies = stack.send(who, message, payload=payload)
    return "\n".join(r.get("text", "") for r in replies), [
        b for r in replies for b in r.get("buttons") or []
    ]


def deleted(stack, who: str) -> bool:
    engine = make_engine(stack.database_url)
    try:
        with Session(engine) as session:
            return privacy_repo.deletion_requested(session, sender_hash=sender_hash("rest", who))
    finally:
        engine.dispose()


def asks(text: str, buttons: list[dict]) -> bool:
    return any(cue in text for cue in ASKED) and [b["payload"] for b in buttons] == [
        "/affirm",
        "/deny",
    ]


@pytest.mark.parametrize(
    "request_",
    [
        "删除我的信息",
        "我不想让你们保存我的信息了",
        "请把我的数据删掉",
        "please erase my personal information",
    ],
)
def test_delete_my_data_asks_first_and_a_yes_deletes(stack, request_):
    who = resident()
    text, buttons = say(stack, who, request_)
    assert asks(text, buttons), text
    assert not deleted(stack, who)
    text, _ = say(stack, who, "yes" if request_.startswith("please") else "是的")
    assert any(cue in text for cue in DELETED), text
    assert deleted(stack, who)


def test_the_buttons_delete_or_keep(stack):
    who = resident()
    _, buttons = say(stack, who, "/suggestion_delete_data", payload=True)
    yes, no = buttons
    assert "没有删除" in say(stack, who, no["payload"], payload=True)[0]
    assert not deleted(stack, who)
    say(stack, who, "/suggestion_delete_data", payload=True)
    assert "已完成" in say(stack, who, yes["payload"], payload=True)[0]
    assert deleted(stack, who)


@pytest.mark.parametrize(
    "refusal",
    ["不要删", "算了", "no", "No, keep it", "不删了", "先不删", "别删了", "好的不删了", "不可以"],
)
def test_a_refusal_is_never_a_yes(stack, refusal):
    who = resident()
    assert asks(*say(stack, who, "删除我的信息"))
    text, _ = say(stack, who, refusal)
    assert not any(cue in text for cue in DELETED), text
    assert not deleted(stack, who)
    say(stack, who, "好的")  # an "ok" after the refusal is not a late yes
    assert not deleted(stack, who)


def test_anything_else_deletes_nothing_and_a_later_yes_is_no_answer(stack):
    who = resident()
    assert asks(*say(stack, who, "删除我的信息"))
    text, _ = say(stack, who, "加装电梯怎么申请")
    assert "来源" in text  # answered as usual
    say(stack, who, "是的")
    assert not deleted(stack, who)


def test_a_yes_without_the_question_deletes_nothing(stack):
    who = resident()
    say(stack, who, "是的")
    say(stack, who, "/affirm", payload=True)
    assert not deleted(stack, who)


def test_english_is_asked_and_answered_in_english(stack):
    who = resident()
    text, buttons = say(stack, who, "Delete my data")
    assert "Delete your data?" in text and asks(text, buttons)
    assert "nothing was deleted" in say(stack, who, "no")[0]
    assert asks(*say(stack, who, "Delete my data"))
    assert "Done." in say(stack, who, "yes")[0]
    assert deleted(stack, who)


@pytest.mark.parametrize("yes", ["是", "确认删除"])
def test_the_plain_yes_the_question_asks_for_and_its_button_word_delete(stack, yes):
    who = resident()
    assert asks(*say(stack, who, "删除我的信息"))
    assert any(cue in say(stack, who, yes)[0] for cue in DELETED)
    assert deleted(stack, who)


def test_a_repeated_request_read_as_a_refusal_keeps_everything(stack):
    other = resident()
    assert asks(*say(stack, other, "删除我的信息"))
    assert "没有删除" in say(stack, other, "别删了")[0]  # the request's words, refused
    say(stack, other, "好的")
    assert not deleted(stack, other)
