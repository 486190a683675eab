"""Reference numbers read from residents' text (`language.reference`), on 10,000 generated
messages: any written form of a valid number is found and checks out, one wrong character never
does, and no text makes the readers fail."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from language.reference import ALPHABET, check_char, find_reference, is_valid
from tests.resident_text import BOUNDARY_PAIR, MESSAGE, PROPERTY, fullwidth

# A reference's date and random part, drawn as one integer.
BODY = st.integers(0, 30_000 * len(ALPHABET) ** 4 - 1).map(
    lambda n: (
        f"{date(2020, 1, 1) + timedelta(days=n // len(ALPHABET) ** 4):%Y%m%d}"
        + "".join(ALPHABET[n // len(ALPHABET) ** i % len(ALPHABET)] for i in range(4))
    )
)
# How a resident writes one (one draw): separators, lower case, full width.
WRITING = st.sampled_from([(separator, lower, wide)
                           for separator in ("-", "", " ", "_", "－", "—", " - ")
                           for lower in (False, True) for wide in (False, True)])  # fmt: skip


def written(reference: str, writing: tuple[str, bool, bool]) -> str:
    separator, lower, wide = writing
    text = separator.join(reference.split("-"))
    text = text.lower() if lower else text
    return fullwidth(text) if wide else text


@PROPERTY
@given(MESSAGE, BOUNDARY_PAIR, BODY, WRITING, st.integers(0, 13 * 31 - 1))
def test_a_valid_reference_is_found_however_written_and_one_wrong_character_is_caught(
    text, boundaries, body, writing, change
):
    left, right = boundaries
    reference = f"JY-{body[:8]}-{body[8:]}-{check_char(body)}"
    half = len(text) // 2
    before, after = text[:half] + left, right + text[half:]
    message = before + written(reference, writing) + after
    assert find_reference(message) in (reference, find_reference(before))  # or one written before
    assert is_valid(reference) and isinstance(is_valid(message), bool)
    position, shift = change % 13, 1 + change // 13  # one character replaced by another of its kind
    chars = list(body + check_char(body))
    kind = "0123456789" if position < 8 else ALPHABET
    chars[position] = kind[(kind.index(chars[position]) + 1 + shift % (len(kind) - 1)) % len(kind)]
    assert not is_valid(
        "JY-{}-{}-{}".format(*("".join(chars)[a:b] for a, b in ((0, 8), (8, 12), (12, 13))))
    )
