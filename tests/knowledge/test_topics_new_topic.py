"""Adding a topic is one item in topics.yml plus its entries: a throw-away topic (parking) in a copy
of the registry, with a throw-away entry file, reaches the web chat's buttons, the console's label,
the generated rules, domain and lists, and an answer. No model is trained here: the generated
training data and domain are checked, and the FAQ action answers the rule's intent."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import httpx
import pytest
import yaml

from actions.fallback import nothing_close
from actions.faq import ActionAnswerFaq
from core.settings import ROOT
from knowledge import faq_sync, topics, training_data
from knowledge.entries_io import load_entries
from tests.actions.conftest import run_action, tracker_for
from tests.bot.webchat_fixtures import chat, fake_rasa  # noqa: F401

PARKING = """
- key: parking
  kind: topic
  name: {zh: 停车管理, en: parking}
  label: {zh: 停车管理, en: Parking}
  button: {zh: 停车, en: Parking}
  question: {zh: 小区停车怎么办理, en: "How do I get a parking space in my estate?"}
  answerable: true
  asks: parking spaces in the estates, parking fees, cars blocking fire lanes
"""
ENTRY = """# 停车: a throw-away topic's entry.
- id: parking_space
  title: {zh: "小区停车", en: "Parking in the estate"}
  intent: parking_space
  examples: [小区停车位怎么申请, 停车月卡在哪里办, how do I get a parking space]
  answer:
    zh: 小区停车位请向物业或居委会申请。
    en: Ask your property management company or residents' committee for a parking space.
  source: {zh: 一般指引, en: General guidance}
  awaiting_detail: true
  last_reviewed: 2026-12-01
"""


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """A copy of topics.yml with the parking topic added, in force for this test."""
    copy = tmp_path / "topics.yml"
    copy.write_text(topics.REGISTRY.read_text(encoding="utf-8") + PARKING, encoding="utf-8")
    monkeypatch.setattr(topics, "REGISTRY", copy)
    topics.topics.cache_clear()
    yield copy
    monkeypatch.undo()
    topics.topics.cache_clear()


@pytest.fixture
def entries_dir(tmp_path) -> Path:
    """A copy of knowledge/entries/ with the parking entry file added."""
    directory = tmp_path / "entries"
    shutil.copytree(ROOT / "knowledge" / "entries", directory)
    (directory / "parking.yml").write_text(ENTRY, encoding="utf-8")
    return directory


def test_the_console_label_and_the_lists(registry):
    assert (
        topics.label("parking", "zh") == "停车管理" and topics.label("parking", "en") == "Parking"
    )
    assert topics.answerable_list("en").endswith("community life and parking")
    assert "停车管理" in nothing_close("zh") and "parking" in nothing_close("en")


async def test_the_web_chat_shows_its_button(registry, chat):  # noqa: F811
    async with httpx.AsyncClient() as client:
        page = (await client.get(chat)).text
    block = re.search(r'<script type="application/json" id="topics">(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    assert data["zh"][-1] == {"key": "parking", "label": "停车", "question": "小区停车怎么办理"}
    assert data["en"][-1]["question"] == "How do I get a parking space in my estate?"
    assert [b["key"] for b in data["zh"]] == [b["key"] for b in data["en"]]


def test_the_training_data_gets_its_rule_domain_and_lists(registry, entries_dir, tmp_path):
    out = tmp_path / "build"
    training_data.build(out, training_data.entries_from_files(entries_dir))
    nlu = yaml.safe_load((out / "nlu" / "entries.yml").read_text(encoding="utf-8"))
    examples = {b["intent"]: b["examples"] for b in nlu["nlu"]}
    assert "小区停车位怎么申请" in examples["parking_space"]
    rule = {"rule": "answer parking_space",
            "steps": [{"intent": "parking_space"}, {"action": "action_answer_faq"}]}  # fmt: skip
    assert rule in nlu["rules"]
    declared = yaml.safe_load((out / "domain" / "entries.yml").read_text(encoding="utf-8"))
    assert "parking_space" in declared["intents"]
    domain = yaml.safe_load((out / "domain" / "core.yml").read_text(encoding="utf-8"))
    default = domain["responses"]["utter_default"]
    assert "community life and parking" in default[0]["text"] and "停车管理" in default[1]["text"]


def test_an_entry_under_no_registered_topic_is_refused(entries_dir):
    entries = training_data.entries_from_files(entries_dir)  # the registry without parking
    with pytest.raises(training_data.TrainingDataError, match="parking_space.*topics.yml"):
        training_data.training_examples(entries)


async def test_the_faq_action_answers_its_intent(registry, entries_dir, session_factory):
    with session_factory.begin() as session:
        faq_sync.import_entries(session, load_entries(entries_dir))
    messages, _ = await run_action(
        ActionAnswerFaq(), tracker_for("停车月卡在哪里办", "parking_space")
    )
    assert messages[0]["text"].startswith("小区停车位请向物业或居委会申请。")
    english, _ = await run_action(
        ActionAnswerFaq(), tracker_for("how do I get a parking space", "parking_space")
    )
    assert english[0]["text"].startswith("Ask your property management company")
