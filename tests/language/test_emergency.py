"""The emergency line that fits a message comes first."""

from __future__ import annotations

import pytest

from language.emergency import emergency_kinds, intents_for, read_kinds


@pytest.mark.parametrize(
    ("message", "first"),
    [
        ("楼下着火了", "hotline_emergency_fire"),
        ("家裡有煤氣味", "hotline_emergency_fire"),
        ("我爸突然晕倒了", "hotline_emergency_medical"),
        ("someone collapsed", "hotline_emergency_medical"),
        ("有小偷在撬门", "hotline_emergency_police"),
        ("救命", "hotline_emergency"),
    ],
)
def test_first_line_fits_the_emergency(message, first):
    intents = intents_for(read_kinds(message, None))
    assert intents[0] == first and intents[-1] == "hotline_emergency"


@pytest.mark.parametrize(
    "message",
    [
        "I have a problem with the rubbish bins",  # "problem" contains "rob"
        "Who is my social assistance adviser?",
        "社会救助顾问是谁",
        "The lift is often broken, it's a real problem",
        "建议公园里设禁止吸烟的标志",  # smoking is not smoke
        "燃气费怎么交",
        "建议燃气管道改造",
        "火车站怎么走",
        "I'd like a firework show at new year",  # "fire" inside a longer word
        "gasoline prices",
        "there is a therapist at the centre",  # "the rapist" is not a word here
        "the robot vacuum next door is loud",
        "我想问问社区医院几点开门",
    ],
)
def test_no_emergency_in_ordinary_words(message):
    from language.emergency import is_emergency

    assert emergency_kinds(message) == [] and not is_emergency(message)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("There is smoke in the stairwell", "fire"),
        ("the kitchen is on fire", "fire"),
        ("I smell gas in the corridor", "fire"),
        ("楼道里冒烟了，有股烧焦的味道", "fire"),
        ("my neighbour fell down the stairs", "medical"),
        ("an old man collapsed", "medical"),
        ("someone was robbed outside the market", "police"),
        ("two men are fighting with a knife", "police"),
        ("楼下有人打架", "police"),
        ("老人在楼梯上摔倒了", "medical"),
    ],
)
def test_emergency_words_found_on_word_boundaries(message, kind):

    assert emergency_kinds(message)[0] == kind


def test_the_model_finds_what_no_rule_words():
    reading = {"name": "fire", "confidence": 0.8, "p_emergency": 0.9}
    assert read_kinds("外头走廊里黑乎乎的 眼睛睁勿开 楼梯走勿下去", reading) == ["fire"]


def test_a_nuisance_the_model_is_sure_of_gets_no_emergency_line_whatever_its_words():
    reading = {"name": "nuisance", "confidence": 0.95, "p_emergency": 0.03}
    assert read_kinds("救命啊 楼上小孩天天跑跳 咚咚咚一晚上", reading) == []
    assert read_kinds("救命啊 楼上小孩天天跑跳 咚咚咚一晚上", None) == ["general"]


def test_an_explicit_emergency_stands_when_the_model_is_merely_unsure():
    reading = {"name": "nuisance", "confidence": 0.6, "p_emergency": 0.35}
    assert read_kinds("厨房着火了", reading) == ["fire"]


def test_a_question_is_an_emergency_only_in_a_rules_words_or_on_a_very_sure_reading():
    from language.emergency import EMERGENCY_IN_A_QUESTION, asks

    question = {"name": "question", "confidence": 0.9}
    reading = {"name": "medical", "confidence": 0.6, "p_emergency": 0.7}
    text = "my grandma needs care, is there long-term care insurance?"
    assert asks(question) and read_kinds(text, reading, EMERGENCY_IN_A_QUESTION) == []
    assert read_kinds(text, reading) == ["medical"]  # the same reading, not asked as a question
    assert read_kinds("老人摔倒了怎么办", reading, EMERGENCY_IN_A_QUESTION) == ["medical"]
