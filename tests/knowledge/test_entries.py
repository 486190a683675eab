"""The entry files: every core topic answerable, facts sourced and dated, nothing invented."""

from __future__ import annotations

import re

import pytest

from core.settings import ROOT, get_settings
from knowledge.entries_io import load_entries, topic_of

REPORT = ROOT / "knowledge" / "source" / "000_17403e73c9389d9e.txt"
TOPICS = {"elevator", "eldercare", "employment", "hotline"}
ENTRIES = load_entries(get_settings().entries_dir)


def test_every_core_topic_has_entries():
    assert {entry.topic for entry in ENTRIES} >= TOPICS


@pytest.mark.parametrize("topic", ["services", "assistance", "housing", "community"])
def test_the_reports_other_topics_have_entries_and_a_topic_level_answer(topic):
    """Three to six specific entries, plus `<topic>_other` pointing to whom to ask."""
    entries = {e.intent: e for e in ENTRIES if e.topic == topic}
    other = entries.pop(f"{topic}_other")
    assert 3 <= len(entries) <= 6
    assert "12345" in other.answer_zh and "12345" in other.answer_en


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_intent_starts_with_a_topic_key(entry):
    keys = TOPICS | {
        "suggestion",
        "human",
        "bot",
        "greet",
        "services",
        "assistance",
        "housing",
        "community",
    }
    assert topic_of(entry.intent) in keys


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_report_figures_are_dated(entry):
    """Any answer quoting the report names its December 2021 date."""
    if entry.source_date:
        assert "2021年12月" in entry.answer_zh + entry.detail_zh
        assert "December 2021" in entry.answer_en + entry.detail_en


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_number_in_an_answer_is_in_the_report(entry):
    """No invented figure or phone number: each number is in the report or an emergency line."""
    report = REPORT.read_text(encoding="utf-8")
    allowed = {"110", "119", "120", "12345", "2021", "2022", "12", "15"}
    text = " ".join([entry.answer_zh, entry.detail_zh, entry.answer_en, entry.detail_en])
    for number in re.findall(r"\d+", text):
        assert number in allowed or number in report, f"{number} in {entry.id} is not in the report"


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.awaiting_detail], ids=lambda e: e.id)
def test_guidance_awaiting_detail_points_to_where_to_ask(entry):
    assert "12345" in entry.answer_zh or "居委" in entry.answer_zh
