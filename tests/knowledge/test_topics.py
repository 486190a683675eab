"""The topic registry (topics.yml): valid, the keys of every intent, the web chat's buttons, the
console's labels and the lists of what the assistant answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core.settings import ROOT
from knowledge import topics
from knowledge.entries_io import load_entries

RASA_INTENTS = {"nlu_fallback"}  # Rasa's own (a rule's step), never trained


def intent_names() -> dict[str, set[str]]:
    """Every intent named in nlu_data/ (examples, rules, stories), domain/ and the entries files →
    where it is named."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "nlu_data").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names = {b["intent"] for b in data.get("nlu") or [] if "intent" in b}
        for flow in [*(data.get("rules") or []), *(data.get("stories") or [])]:
            names |= {s["intent"] for s in flow.get("steps") or [] if "intent" in s}
        for name in names - RASA_INTENTS:
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", []):
            name = item if isinstance(item, str) else next(iter(item))
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    for entry in load_entries(ROOT / "knowledge" / "entries"):
        found.setdefault(entry.intent, set()).add(f"knowledge/entries/{entry.topic}.yml")
    return found


def test_every_intent_starts_with_a_registered_key():
    names = intent_names()
    assert len(names) > 60  # the scan sees the data
    assert {n: sorted(w) for n, w in names.items() if topics.topic_of(n) is None} == {}
    assert topics.topic_of("faq/elevator_cost") == "elevator"  # a retrieval intent, after the /
    assert topics.topic_of("out_of_scope") == "out_of_scope" and topics.topic_of("outside") is None


def test_every_topic_key_owns_intents():
    """No key is left over: each has intents in the data (a registry of words nobody is asked)."""
    owners = {topics.topic_of(n) for n in intent_names()}
    assert set(topics.keys()) - owners == set()


def test_the_registry_holds_the_topics_of_the_report_and_the_conversation_keys():
    keys = topics.keys()
    assert keys[:5] == ("elevator", "eldercare", "employment", "hotline", "suggestion")
    assert {"services", "assistance", "housing", "community"} <= set(keys)
    conversation = {t.key for t in topics.topics() if t.kind == "conversation"}
    assert conversation == {"greet", "goodbye", "thank", "affirm", "deny", "bot", "human",
                            "out_of_scope"}  # fmt: skip
    assert {t.key for t in topics.topics() if t.core} == set(keys[:5])
    for topic in topics.topics():
        assert re.search(r"[\u4e00-\u9fff]", topic.label.zh), topic.key
        assert topic.asks and topic.label.en and topic.name.en


def test_the_console_labels_come_from_the_registry():
    assert topics.label("elevator", "zh") == "加装电梯"
    assert topics.label("out_of_scope", "en") == "Out of scope"
    assert topics.label("affirm", "en") == "Yes"  # quoted in the file, never a boolean
    assert topics.label("unknown_key", "zh") == "unknown_key"


def test_the_web_chat_buttons_are_the_topics_with_a_button_in_order_in_both_languages():
    zh, en = topics.buttons("zh"), topics.buttons("en")
    assert [b["label"] for b in zh] == ["加装电梯", "养老服务", "就业创业", "12345热线", "提建议",
                                        "办事服务/一网通办", "救助帮困", "旧房修缮", "社区生活"]  # fmt: skip
    assert [b["key"] for b in zh] == [b["key"] for b in en]
    assert en[0] == {"key": "elevator", "label": "Elevators",
                     "question": "How do I apply to install an elevator?"}  # fmt: skip
    assert not {"greet", "bot", "human", "out_of_scope"} & {b["key"] for b in zh}


def test_what_the_assistant_answers_lists_the_answerable_topics_in_order():
    assert topics.answerable_prose("en") == (
        "I can answer questions about elevator installation, elder care, jobs and starting a "
        "business, the 12345 hotline, government services, social assistance, housing and "
        "community life."
    )
    assert topics.answerable_list("zh") == (
        "加装电梯、养老服务、就业创业、12345热线、办事服务、社会救助、住房小区和社区生活"
    )
    assert topics.answerable_prose("zh").startswith("我可以回答加装电梯、")


def test_the_domain_lists_are_filled_in_each_reply_s_language(tmp_path):
    written = (ROOT / "domain" / "conversation.yml").read_text(encoding="utf-8")
    assert topics.MARKER in written
    filled = yaml.safe_load(topics.fill_domain(written))
    greet = filled["responses"]["utter_greet"]
    assert topics.answerable_list("en") in greet[0]["text"]
    assert topics.answerable_list("zh") in greet[1]["text"]
    assert topics.MARKER not in topics.fill_domain(written)
    plain = (ROOT / "domain" / "suggestion_withdraw.yml").read_text(encoding="utf-8")
    assert topics.fill_domain(plain) == plain  # no marker: the file as it is


def write(tmp_path: Path, items: list[dict]) -> Path:
    path = tmp_path / "topics.yml"
    path.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {"key": "parking", "kind": "topic", "name": {"zh": "停车", "en": "parking"},
        "label": {"zh": "停车", "en": "Parking"}, "asks": "parking"}  # fmt: skip


@pytest.mark.parametrize(
    ("items", "error"),
    [
        ([GOOD, GOOD], "listed twice"),
        ([GOOD | {"label": {"zh": "停车"}}], "label needs zh and en"),
        ([GOOD | {"name": {"zh": "停车", "en": " "}}], "name is empty in en"),
        ([GOOD, GOOD | {"key": "parking_lot"}], "starts another"),
        ([GOOD | {"key": "Parking"}], "lower-case"),
        (
            [GOOD | {"kind": "conversation", "button": GOOD["label"], "question": GOOD["name"]}],
            "no button",
        ),  # fmt: skip
        ([GOOD | {"button": GOOD["label"]}], "question needs zh and en"),
        ([GOOD | {"asks": ""}], "asks"),
        ([GOOD | {"colour": "red"}], "unknown fields"),
    ],
)
def test_a_broken_registry_is_refused_and_says_why(tmp_path, items, error):
    with pytest.raises(topics.TopicsError, match=error):
        topics.load(write(tmp_path, items))


def test_the_registry_is_read_once(monkeypatch, tmp_path):
    first = topics.topics()
    monkeypatch.setattr(topics, "REGISTRY", write(tmp_path, [GOOD]))
    assert topics.topics() is first  # cached: a changed file needs a restart (or cache_clear)
    topics.topics.cache_clear()
    try:
        assert topics.keys() == ("parking",)
    finally:
        monkeypatch.undo()
        topics.topics.cache_clear()
