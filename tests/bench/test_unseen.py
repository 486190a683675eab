"""The unseen evaluation set's schema and the runner's scoring, without starting Rasa."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench import unseen
from bench.unseen_conversations import (
    check_conversation,
    evaluate_conversations,
    run_conversation,
)
from bench.unseen_messages import (
    CORE,
    TOPICS,
    evaluate_facts,
    evaluate_messages,
    format_facts,
    format_messages,
    intent_of,
    load,
    topic_of,
)

SLOTS = {
    "suggestion_text",
    "suggestion_category",
    "suggestion_location",
    "suggestion_reply",
    "suggestion_phone",
    "suggestion_confirm",
}
MESSAGES, FACTS, CONVERSATIONS = (
    load("messages"),
    load("facts"),
    load("conversations"),
)


def test_messages_schema():
    assert len(MESSAGES) >= 600
    assert all(m["topic"] in TOPICS for m in MESSAGES)
    assert all(m["lang"] in ("zh", "en") for m in MESSAGES)
    assert all(re.fullmatch(r"[a-z]+", m["style"]) for m in MESSAGES)
    assert not [t for t, n in Counter(m["text"] for m in MESSAGES).items() if n > 1]
    counts = Counter(m["topic"] for m in MESSAGES)
    assert all(counts[topic] >= 50 for topic in CORE)
    assert counts["out_of_scope"] >= 100
    assert 0.12 <= sum(m["lang"] == "en" for m in MESSAGES) / len(MESSAGES) <= 0.2


def test_facts_schema():
    assert len(FACTS) >= 60
    assert sum(f["topic"] in CORE for f in FACTS) >= 45
    assert all(f["topic"] in TOPICS and f["expect"] and all(f["expect"]) for f in FACTS)
    assert not [q for q, n in Counter(f["question"] for f in FACTS).items() if n > 1]


def test_conversations_schema():
    assert len(CONVERSATIONS) >= 30
    assert len({c["id"] for c in CONVERSATIONS}) == len(CONVERSATIONS)
    assert sum(c["expect"].get("saved") is False for c in CONVERSATIONS) >= 8
    assert any("emergency" in c["expect"] for c in CONVERSATIONS)
    for conversation in CONVERSATIONS:
        assert conversation["first"] and conversation["expect"]
        assert set(conversation["answers"]) <= SLOTS
        assert conversation.get("side_question", {}).get("at", "suggestion_text") in SLOTS


@pytest.mark.parametrize(
    ("intent", "topic"),
    [
        ("elevator_apply", "elevator"),
        ("faq/eldercare_ltc_insurance", "eldercare"),
        ("out_of_scope_weather", "out_of_scope"),
        ("goodbye", "goodbye"),
        ("nlu_fallback", "none"),
        ("something_else", "none"),
        (None, "none"),
    ],
)
def test_topic_of_takes_the_topic_key_the_intent_starts_with(intent, topic):
    assert topic_of(intent) == topic


def test_intent_of_reads_the_full_retrieval_intent():
    parsed = {
        "intent": {"name": "faq"},
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/hotline_rate"}}},
    }
    assert topic_of(intent_of(parsed)) == "hotline"


def test_a_parser_that_always_says_elevator_scores_the_elevator_share():
    summary = evaluate_messages(lambda text: {"intent": {"name": "elevator_apply"}})
    rows = summary["rows"]
    core = [m for m in MESSAGES if m["topic"] in CORE]
    elevator = sum(m["topic"] == "elevator" for m in core)
    assert rows["core topics (elevator, eldercare, employment, hotline, suggestion)"] == (
        elevator,
        len(core),
    )
    assert rows["overall"] == (elevator, len(MESSAGES))
    assert rows["out-of-scope recognised as such"][0] == 0
    assert rows["housing"][0] == 0
    assert summary["confusions"][0][1] == "elevator"
    assert "| overall |" in format_messages(summary)


def test_a_perfect_parser_scores_everything_and_confuses_nothing():
    gold = {m["text"]: m["topic"] for m in MESSAGES}
    summary = evaluate_messages(lambda text: {"intent": {"name": gold[text] + "_x"}})
    assert all(right == total for right, total in summary["rows"].values())
    assert all(right == total for right, total in summary["styles"].values())
    assert summary["confusions"] == []


def test_fallback_keeps_out_of_scope_out_of_town_topics_but_is_not_recognition():
    oos = [m for m in MESSAGES if m["topic"] == "out_of_scope"]
    rows = evaluate_messages(lambda text: {"intent": {"name": "nlu_fallback"}}, oos)["rows"]
    assert rows["out-of-scope recognised as such"] == (0, len(oos))
    assert rows["out-of-scope kept out of town topics (out_of_scope or fallback)"] == (
        len(oos),
        len(oos),
    )


def test_facts_count_a_reply_containing_any_expected_substring():
    answers = {f["question"]: f"报告说：{f['expect'][-1]}。" for f in FACTS}
    summary = evaluate_facts(lambda sender, q: [answers[q]])
    assert summary["rows"]["overall"] == (len(FACTS), len(FACTS))
    silent = evaluate_facts(lambda sender, q: ["不太确定"])
    assert silent["rows"]["core topics"][0] == 0
    assert FACTS[0]["question"] in format_facts(silent)


class FakeForm:
    """A suggestion form: asks text, reply, phone (after a yes to a call-back), then confirm."""

    def __init__(self, reask: str | None = None):
        self.reask, self.states = reask, {}

    def send(self, sender: str, text: str) -> list[str]:
        state = self.states.setdefault(sender, {"slots": {}, "asking": None})
        slot = state["asking"]
        if slot is None:
            state["asking"] = "suggestion_text"
            return ["请立即拨打119"] if "烟" in text else ["请说说您的建议"]
        if slot == self.reask:
            return ["没听懂，请再说一次"]
        if slot == "suggestion_confirm":
            state["asking"] = None
            return ["好的，没有提交"] if "不" in text else ["已提交，编号 JY-20261126-AB3K-7"]
        if "几点" in text:
            return ["全天24小时"]
        state["slots"][slot] = text
        wants_call = slot == "suggestion_reply" and "电话" in text and "不" not in text
        state["asking"] = {
            "suggestion_text": "suggestion_reply",
            "suggestion_reply": "suggestion_phone" if wants_call else "suggestion_confirm",
            "suggestion_phone": "suggestion_confirm",
        }[slot]
        return ["下一个问题"]

    def tracker(self, sender: str) -> dict:
        state = self.states.get(sender, {"slots": {}, "asking": None})
        loop = {"name": "suggestion_form"} if state["asking"] else {}
        return {"active_loop": loop, "slots": {**state["slots"], "requested_slot": state["asking"]}}


ANSWERS = {
    "suggestion_text": "路灯坏了",
    "suggestion_reply": "打电话给我",
    "suggestion_phone": "13912345678",
    "suggestion_confirm": "提交",
}


def _run(conversation: dict, form: FakeForm | None = None) -> list[str]:
    form = form or FakeForm()
    outcome = run_conversation(conversation, form.send, form.tracker, "s1")
    return check_conversation(conversation, outcome)


def test_a_saved_suggestion_with_a_call_back_is_as_expected():
    expect = {"saved": True, "phone_kept": True, "asked": ["suggestion_confirm"]}
    assert _run({"id": "a", "first": "我想提建议", "answers": ANSWERS, "expect": expect}) == []


def test_a_refusal_at_the_read_back_is_not_saved():
    answers = {**ANSWERS, "suggestion_reply": "不用回复", "suggestion_confirm": "不要提交"}
    conversation = {"id": "b", "first": "我想提建议", "answers": answers}
    assert _run({**conversation, "expect": {"saved": False, "phone_kept": False}}) == []
    assert _run({**conversation, "expect": {"saved": True}}) == ["saved is False, expected True"]


def test_a_slot_without_an_answer_and_a_stuck_form_say_why():
    missing = {k: v for k, v in ANSWERS.items() if k != "suggestion_phone"}
    reasons = _run({"id": "c", "first": "建议", "answers": missing, "expect": {"saved": True}})
    assert "asked for suggestion_phone, which has no answer in the file" in reasons
    stuck = _run(
        {"id": "d", "first": "建议", "answers": ANSWERS, "expect": {}},
        FakeForm(reask="suggestion_reply"),
    )
    assert stuck == ["asked for suggestion_reply 4 times"]


def test_emergency_and_side_question_are_checked_in_their_own_replies():
    fire = {"id": "e", "first": "楼道里有烟", "answers": ANSWERS, "expect": {"emergency": "119"}}
    assert _run(fire) == []
    assert _run({**fire, "first": "我想提建议"}) == [
        "no 119 in the reply to first: '请说说您的建议'"
    ]
    side = {"at": "suggestion_reply", "text": "12345几点能打"}
    asking = {"id": "f", "first": "建议", "answers": ANSWERS, "side_question": side}
    assert _run({**asking, "expect": {"saved": True, "side_reply": ["24"]}}) == []
    assert _run({**asking, "expect": {"side_reply": ["人工"]}}) == [
        "side question answered without any of ['人工']"
    ]


def test_every_conversation_is_reported():
    form = FakeForm()
    summary = evaluate_conversations(form.send, form.tracker, CONVERSATIONS[:3], run="t")
    assert summary["completed"][1] == 3
    assert [r["id"] for r in summary["results"]] == [c["id"] for c in CONVERSATIONS[:3]]


def test_a_stack_that_is_down_gives_a_clear_error(capsys):
    assert unseen.main(["--url", "http://127.0.0.1:9", "--only", "facts", "--timeout", "2"]) == 2
    assert "Is the stack running?" in capsys.readouterr().err
