"""Keyword search over the entries' questions (the fallback's suggestions)."""

from __future__ import annotations

import pytest

from core.settings import get_settings
from knowledge import faq_repo, faq_sync
from knowledge import faq_search as search
from knowledge.entries_io import load_entries


@pytest.fixture
def imported(session_factory):
    with session_factory.begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
    return session_factory


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电梯 钱", "elevator_cost"),
        ("長護險", "eldercare_ltc_insurance"),
        ("孵化基地", "employment_startup"),
        ("12345 满意率", "hotline_performance"),
    ],
)
def test_search_finds_the_entry(imported, query, expected):
    with imported.begin() as session:
        found = [entry.intent for entry in search.search(session, query)]
    assert found and found[0] == expected


@pytest.mark.parametrize("query", ["", "😀😀", "的了吗", "x" * 50_000])
def test_search_without_content_finds_nothing_and_does_not_crash(imported, query):
    with imported.begin() as session:
        assert search.search(session, query) == []


def test_an_example_asked_word_for_word_names_its_entry(imported):
    with imported.begin() as session:
        entry = faq_repo.get_by_intent(session, intent="community_education")
        asked = f"请问，{entry.examples[0]}？"
        assert search.exact_answer(session, asked).intent == "community_education"
        assert search.exact_answer(session, entry.examples[0] + "要多久") is None
        assert search.exact_answer(session, "") is None
