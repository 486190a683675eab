"""The scenario table every adapter runs (tests/bot/test_scenarios.py): the same resident's steps
and the same expectations on Telegram, the web chat and WeChat, against the real Rasa and action
server. A scenario names what it needs of the app ("photo"); an adapter whose app lacks it (the
web chat has no photos) does not run it."""

from __future__ import annotations

from datetime import date

from bot.render import APOLOGY, EXPIRED_BUTTON, PRIVACY, TOO_LONG
from knowledge import privacy_repo
from knowledge.db import get_sessionmaker
from knowledge.identity import sender_hash
from knowledge.reference import find_reference, new_reference

APOLOGIES = {APOLOGY["zh"], APOLOGY["en"]}
THUMBS = ("👍", "👎")


def texts(said) -> list[str]:
    return [s.text for s in said]


def questions(said) -> list[str]:
    return [b for s in said for b in s.buttons if not b.startswith(THUMBS)]


async def start(d) -> None:
    said = await d.command("start")
    notice = PRIVACY["zh"] + "\n" + PRIVACY["en"]
    assert said[0].text.startswith(notice) and not APOLOGIES & set(texts(said))
    assert len("".join(texts(said))) > len(notice) + 20  # and Rasa's greeting (WeChat: one text)


async def question(d) -> None:
    said = await d.say("加装电梯现在装了多少台")
    assert any("23台" in t and "来源" in t for t in texts(said)), texts(said)


async def buttons(d) -> None:
    said = await d.say("加装电梯怎么申请")
    assert questions(said), said
    follow = await d.press(questions(said)[0])
    assert any(w in t for t in texts(follow) for w in ("业主", "同意", "费用")), texts(follow)
    expired = await d.press_expired()
    assert texts(expired) == [EXPIRED_BUTTON["zh"]]


async def english_expired_button(d) -> None:
    """The expired-button notice is in the language the resident writes."""
    said = await d.say("How do I apply to install an elevator?")
    assert any(s.buttons for s in said) and "电梯" not in said[0].text, texts(said)
    assert texts(await d.press_expired()) == [EXPIRED_BUTTON["en"]]


async def photo(d) -> None:
    said = await d.photo()
    assert "文字" in said[0].text and "text" in said[0].text


async def html(d) -> None:
    said = await d.say("<script>alert(1)</script>")
    assert said and not APOLOGIES & set(texts(said)) and "<script>" not in said[-1].text


async def long_text(d) -> None:
    said = await d.say("加装电梯" * 12_500)
    everything = "\n".join(texts(said))  # WeChat joins what fits into one passive reply
    assert said[0].text.startswith(TOO_LONG["zh"]) and everything.count(TOO_LONG["zh"]) == 1
    assert len(everything) > len(TOO_LONG["zh"]) + 20 and not APOLOGIES & set(texts(said))


async def suggestion_with_refusal(d) -> None:
    """A suggestion, a call-back refused (reply here instead), confirmed: a reference number."""
    await d.say("建议在中江路口增设一个红绿灯")
    await d.say("对")  # the category read from the text, confirmed
    await d.say("不用打电话，回复到这里就行")
    said = await d.say("确认提交")
    assert find_reference(said[-1].text), texts(said)


async def gas_smell(d) -> None:
    said = await d.say("楼道里有煤气味")
    assert "119" in said[0].text, texts(said)


async def status(d) -> None:
    said = await d.command("status", new_reference(date(2020, 1, 1)))  # a number nobody has
    assert any("没有找到" in t for t in texts(said)), texts(said)
    assert not APOLOGIES & set(texts(await d.command("mine")))


def deletion_requested(d) -> bool:
    with get_sessionmaker()() as session:
        hashed = sender_hash(d.channel, d.sender)
        return privacy_repo.deletion_requested(session, sender_hash=hashed)


async def delete(d) -> None:
    said = await d.command("delete")
    assert "确定要删除" in said[0].text and said[0].buttons == ["确认删除", "不删除"]
    assert "没有删除" in (await d.press("不删除"))[0].text
    assert not deletion_requested(d)
    await d.command("delete")
    assert any("已完成" in t for t in texts(await d.say("是的"))), "a typed yes deletes"
    assert deletion_requested(d)


SCENARIOS = {  # name → (steps, what the app must offer)
    "start": (start, set()),
    "question": (question, set()),
    "buttons": (buttons, set()),
    "english-expired-button": (english_expired_button, set()),
    "photo": (photo, {"photo"}),
    "html": (html, set()),
    "long-text": (long_text, set()),
    "suggestion-with-refusal": (suggestion_with_refusal, set()),
    "gas-smell": (gas_smell, set()),
    "status": (status, set()),
    "delete": (delete, set()),
}
