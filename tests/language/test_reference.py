"""Reference numbers: format, alphabet, check character, forgiving lookups."""

from __future__ import annotations

from datetime import date

import pytest

from language.reference import ALPHABET, find_reference, is_valid, new_reference


def test_new_reference_has_the_format_and_is_valid():
    reference = new_reference(date(2026, 11, 26))
    assert reference.startswith("JY-20261126-") and len(reference) == 18
    assert is_valid(reference)
    assert not set(reference[12:16]) & set("01OI")


def test_numbers_are_not_guessable():
    references = {new_reference(date(2026, 11, 26)) for _ in range(2000)}
    assert len(references) > 1990  # 32**4 random parts


def test_one_wrong_character_is_caught():
    reference = new_reference(date(2026, 1, 2))
    for position in range(12, 16):
        for char in ALPHABET:
            if char != reference[position]:
                changed = reference[:position] + char + reference[position + 1 :]
                assert not is_valid(changed)


@pytest.mark.parametrize(
    "written",
    [
        "jy-20261126-ab3k-7",
        "ＪＹ－２０２６１１２６－ＡＢ３Ｋ－７",
        "JY 20261126 AB3K 7",
        "我的建议JY20261126AB3K7怎么样了",
    ],
)
def test_lookups_accept_lower_case_full_width_and_spaces(written):
    assert find_reference(written) == "JY-20261126-AB3K-7"


@pytest.mark.parametrize("text", ["", "我的建议", "JY-2026-AB", "12345"])
def test_text_without_a_reference(text):
    assert find_reference(text) is None
