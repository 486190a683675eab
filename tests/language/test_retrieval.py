"""BM25 over example questions: words and character pairs, a confidence, and when it is clear."""

from __future__ import annotations

import pytest

from language.retrieval import Index, clear_match, exact_form, exact_table

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


@pytest.mark.parametrize(
    ("asked", "example"),
    [
        ("长护险怎么申请？", "长护险怎么申请"),
        ("请问 長護險怎麼申請", "长护险怎么申请"),
        ("长护险怎么申请吗", "长护险怎么申请"),
        ("ＡＰＰ怎么下载!!", "app怎么下载"),
        ("What titles has the town won?", "what titles has the town won"),
    ],
)
def test_the_exact_form_ignores_punctuation_width_script_and_particles(asked, example):
    assert exact_form(asked) == exact_form(example)


@pytest.mark.parametrize("asked", ["长护险怎么申请呢要多久", "长护险", "护险怎么申请"])
def test_other_wordings_have_another_exact_form(asked):
    assert exact_form(asked) != exact_form("长护险怎么申请")


def test_an_example_of_two_keys_names_neither():
    table = exact_table([("ltc", "长护险怎么申请"), ("care", "长护险怎么申请？"), ("jobs", "失业")])
    assert table[exact_form("长护险怎么申请")] is None and table["失业"] == "jobs"
