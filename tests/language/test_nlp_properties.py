"""Masking (`language.nlp.mask`), on 10,000 generated messages: each holds a mobile number, a
landline number, an ID-card number and an e-mail address (so 10,000 of each), written as residents
write them (ASCII or full-width, grouped by spaces or dashes), inside any text. None of them gets
through, masking never fails, and masking the masked text changes nothing."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from language.nlp import mask
from tests.resident_text import (
    ANY,
    BOUNDARY,
    EMAIL,
    ID_NUMBER,
    LANDLINE,
    MOBILE,
    NUMBER_BOUNDARY,
    PROPERTY,
    folded,
    mixed_text,
)

SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


def squeezed(text: str) -> str:
    """Digits and letters as a reader sees them, the separators between groups left out."""
    return SEPARATORS.sub("", folded(text))


# A message holding one of each, in any text: (text, between, number, between, text, …); it opens
# with any Unicode at all.
TEXT = mixed_text(max_size=30)
PARTS = st.tuples(st.text(ANY, max_size=20), NUMBER_BOUNDARY, MOBILE, NUMBER_BOUNDARY, TEXT,
                  NUMBER_BOUNDARY, LANDLINE, NUMBER_BOUNDARY, TEXT, NUMBER_BOUNDARY, ID_NUMBER,
                  BOUNDARY, TEXT, BOUNDARY, EMAIL, BOUNDARY, TEXT)  # fmt: skip


@PROPERTY
@given(PARTS)
def test_no_phone_id_or_email_gets_through(parts):
    message = "".join(part if isinstance(part, str) else part[0] for part in parts)
    masked = mask(message)
    assert mask(masked) == masked  # stored text masked again (Rasa's events) stays as it is
    for index, kind in ((2, "mobile"), (6, "landline"), (10, "ID")):
        number = parts[index][1]  # its digits, separators left out, in any width
        chance = sum(squeezed(p).count(number) for i, p in enumerate(parts) if i != index
                     and isinstance(p, str))  # fmt: skip
        assert squeezed(masked).count(number) <= chance, f"{kind} {parts[index][0]!r}: {masked!r}"
    written, name, domain = parts[14]  # the address's name must not be there in full
    before, after = parts[12], parts[16]  # (checked on its own sentence: digits of the numbers
    alone = mask(before + parts[13] + written + parts[15] + after)  # could spell a short name)
    chance = sum(folded(part).count(folded(name)) for part in (before, after, domain))
    assert folded(alone).count(folded(name)) <= chance, f"e-mail {written!r}: {alone!r}"
