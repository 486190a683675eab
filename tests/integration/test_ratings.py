"""👍 / 👎 through the real assistant (trained model, action server, Rasa's REST channel), and one
analytics row for every kind of resident turn."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.db import make_engine
from store.models import AnswerRating, ConversationTurn

pytestmark = pytest.mark.integration


def resident() -> str:
    return f"rater-{uuid.uuid4().hex[:8]}"


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def thumbs(replies: list[dict]) -> dict[str, str]:
    """The rating buttons of the replies: title → payload."""
    return {
        b["title"]: b["payload"]
        for r in replies
        for b in r.get("buttons") or []
        if b["payload"].startswith("/bot_rate_answer")
    }


def db(stack):
    engine = make_engine(stack.database_url)
    return engine, Session(engine)


def ratings(stack) -> dict[int, str]:
    engine, session = db(stack)
    with session:
        found = {r.turn_id: r.rating for r in session.scalars(select(AnswerRating))}
    engine.dispose()
    return found


def turn_count(stack) -> int:
    engine, session = db(stack)
    with session:
        count = session.scalar(select(func.count()).select_from(ConversationTurn))
    engine.dispose()
    return count


def test_pressing_thumbs_up_rates_the_answer_and_thumbs_down_changes_it(stack):
    who = resident()
    buttons = thumbs(stack.send(who, "我们镇加装电梯现在装了多少台"))
    assert list(buttons) == ["👍 有帮助", "👎 没帮助"]
    turn = int(buttons["👍 有帮助"].split('"turn":"')[1].split('"')[0])
    assert "谢谢您的评价" in texts(stack.send(who, buttons["👍 有帮助"], payload=True))
    assert ratings(stack)[turn] == "up"
    reply = texts(stack.send(who, buttons["👎 没帮助"], payload=True))
    assert "12345" in reply and ratings(stack)[turn] == "down"
    # another resident pressing the same (copied) button changes nothing
    stack.send(resident(), buttons["👍 有帮助"], payload=True)
    assert ratings(stack)[turn] == "down"


def test_a_typed_thumb_rates_the_last_answer_in_english_too(stack):
    who = resident()
    buttons = thumbs(stack.send(who, "How many elevators have been installed in the town?"))
    assert list(buttons) == ["👍 Helpful", "👎 Not helpful"]
    turn = int(buttons["👍 Helpful"].split('"turn":"')[1].split('"')[0])
    assert "Thank you" in texts(stack.send(who, "👍"))
    assert ratings(stack)[turn] == "up"


def test_an_old_thumb_inside_the_suggestion_form_is_thanked_then_go_on(stack):
    who = resident()
    buttons = thumbs(stack.send(who, "12345热线怎么打"))
    question = texts(stack.send(who, "我想提个建议")).splitlines()[-1]
    reply = texts(stack.send(who, buttons["👍 有帮助"], payload=True))
    assert "谢谢您的评价" in reply and "要继续" in reply.splitlines()[-1]
    assert list(ratings(stack).values()).count("up") >= 1
    assert texts(stack.send(who, "继续")).splitlines()[-1] == question


@pytest.mark.parametrize(
    "message",
    ["你好", "谢谢", "帮我订一张去北京的机票", "我们镇加装电梯现在装了多少台", "嗯嗯那个啥",
     "我要找人工客服", "我想提个建议", "👍"],
)  # fmt: skip
def test_every_kind_of_turn_writes_exactly_one_row(stack, message):
    who = resident()
    if message == "👍":
        stack.send(who, "12345热线怎么打")
    before = turn_count(stack)
    assert stack.send(who, message)
    assert turn_count(stack) == before + 1


def test_each_step_of_a_suggestion_is_one_row(stack):
    who = resident()
    before = turn_count(stack)
    for step in ["我想提个建议", "希望社区能多组织一些活动", "其他", "不需要回复", "算了不提了"]:
        stack.send(who, step)
    assert turn_count(stack) == before + 5
