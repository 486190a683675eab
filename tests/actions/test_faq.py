"""action_answer_faq: answers from the database with source and date, in the resident's language."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from sqlalchemy import text

from actions.faq import ActionAnswerFaq
from knowledge import faq_repo
from tests.actions.conftest import run_action, tracker_for


async def run(message: str, intent: str, language: str | None = None, ranking=None):
    return await run_action(ActionAnswerFaq(), tracker_for(message, intent, language, ranking))


async def test_elevator_progress_quotes_the_report_with_its_date(imported):
    messages, events = await run("镇里装了多少台电梯", "elevator_progress")
    reply = messages[0]["text"]
    assert "23台" in reply and "55台" in reply and "2021年12月" in reply
    assert "来源：《长征镇政府工作报告》一、5" in reply
    assert SlotSet("language", "zh") in events and SlotSet("last_topic", "elevator") in events


async def test_hotline_figures(imported):
    messages, _ = await run("12345满意率多少", "hotline_performance")
    assert "100%" in messages[0]["text"] and "80%" in messages[0]["text"]


async def test_english_question_gets_the_english_answer(imported):
    messages, events = await run("how many elevators are in use", "elevator_progress")
    assert messages[0]["text"].startswith(
        "According to the town government work report of December 2021"
    )
    assert "Source:" in messages[0]["text"]
    assert SlotSet("language", "en") in events


async def test_emoji_only_message_keeps_the_chosen_language(imported):
    messages, _ = await run("👍", "elevator_progress", language="en")
    assert "Source:" in messages[0]["text"]


async def test_next_questions_become_buttons(imported):
    messages, _ = await run("加装电梯怎么申请", "elevator_apply")
    questions = [b for b in messages[0]["buttons"] if not b["payload"].startswith("/bot_rate")]
    assert "加装电梯费用谁出" in [button["title"] for button in questions]
    assert all(button["payload"] == button["title"] for button in questions)


async def test_awaiting_detail_is_said_once(imported):
    messages, _ = await run("长护险怎么申请", "eldercare_ltc_insurance")
    assert messages[0]["text"].count("待工作人员补充") == 1
    source_line = messages[0]["text"].splitlines()[-1]
    assert source_line.startswith("来源") and "待工作人员补充" not in source_line


async def test_the_fact_asked_for_leads_the_answer(imported):
    messages, _ = await run("今年新签约了几台电梯", "elevator_progress")
    first_line = messages[0]["text"].splitlines()[0]
    assert "签约55台" in first_line and first_line.startswith("据2021年12月镇政府工作报告")
    plain, _ = await run("加装电梯进展怎么样", "elevator_progress")
    assert plain[0]["text"].splitlines()[0].startswith("据2021年12月镇政府工作报告，全镇")


async def test_topic_level_answer_offers_only_that_topics_entries(imported):
    ranking = [{"name": "eldercare_care_home", "confidence": 0.2}]
    messages, _ = await run("我照顾老伴太累了，能不能歇几天", "eldercare_other", ranking=ranking)
    payloads = [b["payload"] for b in messages[0]["buttons"]][:-2]  # then 👍 / 👎
    assert payloads[0] == "/eldercare_care_home"
    assert payloads and all(p.startswith("/eldercare_") for p in payloads)
    assert "/eldercare_other" not in payloads


async def test_an_edit_in_the_database_is_the_next_answer(imported):
    with imported.begin() as session:
        faq_repo.update_answer(
            session, intent="elevator_cost", editor="clerk", answer_zh="费用说明已由工作人员更新。"
        )
    messages, _ = await run("装电梯多少钱", "elevator_cost")
    assert messages[0]["text"].startswith("费用说明已由工作人员更新。")


async def test_intent_without_entry_gets_a_polite_pointer_to_12345(imported):
    messages, events = await run("随便问问", "no_such_intent")
    assert "12345" in messages[0]["text"] and events == []


async def test_database_failure_is_a_kind_reply_not_a_crash(imported):
    with imported.begin() as session:
        session.execute(text("DROP TABLE faq_entry_version"))  # it refers to faq_entry
        session.execute(text("DROP TABLE faq_entry"))
    messages, events = await run("加装电梯怎么申请", "elevator_apply")
    assert "稍后再试" in messages[0]["text"] and events == []


async def test_a_topic_level_guess_answers_an_entry_no_model_knows_yet(imported):
    """A new entry, created in the console: its example questions reach it before any training."""
    from rasa_sdk.executor import CollectingDispatcher

    from tests.actions.test_fallback import NEW_ENTRY, _create_new_entry

    _create_new_entry(imported)
    domain = {"intents": ["eldercare_other", "eldercare_overview"]}
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("社区食堂在哪", "eldercare_other")
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(NEW_ENTRY["answer_zh"])
    assert SlotSet("last_topic", "eldercare") in events
    known = {
        "intents": [*domain["intents"], "eldercare_canteen"]
    }  # once trained: the model decides
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker, known)
    assert not dispatcher.messages[0]["text"].startswith(NEW_ENTRY["answer_zh"])


async def test_an_answered_turn_is_recorded_without_its_text(imported):
    from sqlalchemy import select

    from store.models import ConversationTurn

    await run("镇里装了多少台电梯", "elevator_progress")
    with imported.begin() as session:
        turn = session.scalars(select(ConversationTurn)).one()
        assert (turn.outcome, turn.entry_id, turn.topic) == ("answered", "elevator_progress",
                                                             "elevator")  # fmt: skip
        assert (
            turn.masked_text is None
            and turn.confidence == 0.95
            and turn.sender_hash != "resident-1"
        )


async def test_a_fact_stated_in_another_entry_of_the_topic_is_found(imported):
    # the question lands on the topic-level entry; the fact sits in the progress entry
    messages, _ = await run("镇里已经投入使用的加装电梯一共多少台", "elevator_other")
    assert "23台" in messages[0]["text"].splitlines()[0]


async def test_a_fact_question_read_as_out_of_scope_is_answered_from_the_report(imported):
    from actions.conversation import ActionAnswerConversation
    from tests.actions.conftest import run_action, tracker_for

    messages, _ = await run_action(
        ActionAnswerConversation(), tracker_for("12345的市民满意率是多少", "out_of_scope")
    )
    assert "80%" in messages[0]["text"] and "第一.4部分" in messages[0]["text"]
    plain, _ = await run_action(
        ActionAnswerConversation(), tracker_for("帮我推荐一部电影", "out_of_scope")
    )
    assert plain[0]["response"] == "utter_out_of_scope"


async def test_a_rare_name_of_the_report_is_enough_out_of_scope_and_common_words_are_not(imported):
    """What the question shares with a sentence is weighed by its rarity in the report: a building
    only one part names (信泰中心) is enough, asked in Shanghainese; the town's name and a road are
    not, however many of their characters a question has."""
    from actions.conversation import ActionAnswerConversation
    from tests.actions.conftest import run_action, tracker_for

    messages, _ = await run_action(
        ActionAnswerConversation(), tracker_for("信泰中心啥辰光造好？", "out_of_scope")
    )
    assert "信泰中心即将竣工" in messages[0]["text"] and "第一" in messages[0]["text"]
    for question in ("长征镇有几个地铁站", "金沙江路上那家火锅店人均多少钱"):
        plain, _ = await run_action(
            ActionAnswerConversation(), tracker_for(question, "out_of_scope")
        )
        assert plain[0]["response"] == "utter_out_of_scope", question
