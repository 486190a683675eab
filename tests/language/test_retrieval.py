"""BM25 over example questions: words and character pairs, a confidence, and when it is clear."""

from __future__ import annotations

from language.retrieval import Index, clear_match

DOCS = [("canteen", "社区食堂在哪里"), ("canteen", "哪里有长者食堂"),
        ("ltc", "长护险怎么申请"), ("ltc", "长期护理保险"), ("jobs", "失业了怎么登记")]  # fmt: skip


def test_a_question_asked_as_an_example_is_clear_with_full_confidence():
    matches = Index(DOCS).search("长护险怎么申请")
    assert matches[0].key == "ltc" and matches[0].confidence == 1.0
    assert clear_match(matches).key == "ltc"


def test_traditional_characters_and_other_words_still_reach_the_entry():
    assert Index(DOCS).search("長護險要怎麼辦")[0].key == "ltc"
    assert Index(DOCS).search("食堂在什么地方")[0].key == "canteen"


def test_a_vague_question_is_offered_not_answered():
    matches = Index(DOCS).search("怎么办")
    assert clear_match(matches) is None


def test_nothing_in_common_finds_nothing():
    assert Index(DOCS).search("😀") == [] and Index([]).search("食堂") == []
