"""The scenario table every adapter runs (tests/bot/test_scenarios.py): the same resident's steps
and the same expectations on Telegram, the web chat and WeChat, against the real Rasa and action
server. A scenario names what it needs of the app ("photo"); an adapter whose app lacks it (the
web chat has no photos) does not run it."""

from __future__ import annotations

from datetime import date

from console import rasa_api
from language.catalogue import say
from language.reference import find_reference, new_reference
from store import handoff_repo, privacy_repo
from store.db import get_sessionmaker
from store.identity import sender_hash

APOLOGIES = {say("apology", "zh"), say("apology", "en")}
THUMBS = ("👍", "👎")


def texts(said) -> list[str]:
    return [s.text for s in said]


def questions(said) -> list[str]:
    return [b for s in said for b in s.buttons if not b.startswith(THUMBS)]


async def start(d) -> None:
    said = await d.command("start")
    notice = say("privacy", "zh") + "\n" + say("privacy", "en")
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
    assert texts(expired) == [say("expired_button", "zh")]


async def english_expired_button(d) -> None:
    """The expired-button notice is in the language the resident writes."""
    said = await d.say("How do I apply to install an elevator?")
    assert any(s.buttons for s in said) and "电梯" not in said[0].text, texts(said)
    assert texts(await d.press_expired()) == [say("expired_button", "en")]


async def photo(d) -> None:
    said = await d.photo()
    assert "文字" in said[0].text and "text" in said[0].text


async def html(d) -> None:
    said = await d.say("<script>alert(1)</script>")
    assert said and not APOLOGIES & set(texts(said)) and "<script>" not in said[-1].text


async def long_text(d) -> None:
    said = await d.say("加装电梯" * 12_500)
    everything = "\n".join(texts(said))  # WeChat joins what fits into one passive reply
    assert said[0].text.startswith(say("too_long")) and everything.count(say("too_long")) == 1
    assert len(everything) > len(say("too_long")) + 20 and not APOLOGIES & set(texts(said))


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


OFFICE_HOURS = "1-5 09:00-17:00"


def staff_step(d, step, event: str | None = None):
    """What a staff member does in the console: a handoff step, and Rasa's pause or resume."""

    def act() -> None:
        with get_sessionmaker().begin() as session:
            handoff = handoff_repo.open_for(session, d.sender)
            assert handoff is not None, "the resident is not on the live queue"
            step(session, handoff.id)
            if event:
                rasa_api.append(d.sender, event)

    return act


def transcript_has(d, text: str) -> bool:
    return any(text in line["text"] for line in rasa_api.transcript(d.sender))


async def handoff(d) -> None:
    """转人工 in office hours; a clerk takes over (Rasa paused) and writes through the outbox;
    the resident's message meanwhile reaches the conversation, with no apology; the clerk ends
    it; the assistant answers again."""
    with get_sessionmaker().begin() as session:
        handoff_repo.set_hours(session, "1-7 00:00-24:00", by="test")
    try:
        said = await d.say("我想找工作人员说话")
        assert "转接工作人员" in said[-1].text, texts(said)
        take = staff_step(d, lambda s, i: handoff_repo.take(s, i, by="clerk"), "pause")
        assert texts(await d.staff(take)) == [handoff_repo.TOLD["taken"]["zh"]]
        await d.say_quietly("楼道灯坏了三天了", lambda: transcript_has(d, "楼道灯坏了"))
        reply = "您好，我们马上派电工去修。"
        write = staff_step(d, lambda s, i: handoff_repo.say(s, i, reply, by="clerk"))
        assert texts(await d.staff(write)) == [reply]  # and no apology for Rasa's silence
        end = staff_step(d, lambda s, i: handoff_repo.end(s, i, by="clerk"), "resume")
        assert texts(await d.staff(end)) == [handoff_repo.TOLD["ended"]["zh"]]
        said = await d.say("加装电梯现在装了多少台")
        assert any("23台" in t for t in texts(said)), texts(said)
    finally:
        with get_sessionmaker().begin() as session:
            handoff_repo.set_hours(session, OFFICE_HOURS, by="test")


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
    "handoff": (handoff, {"handoff"}),  # the web chat's: tests/console/test_handoff_browser.py
}
