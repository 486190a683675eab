"""The channels' input cleaning and the readers' first steps (`language.text`), on 10,000 generated
messages (every function on each): cutting to MAX_INPUT, typed commands made text, normalising
that keeps every offset and hides long numbers, language detection; none fails on any text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from language.text import (
    FULLWIDTH_SOLIDUS,
    MAX_INPUT,
    clean_input,
    detect_language,
    is_too_long,
    neutralise,
    normalise,
)
from tests.resident_text import ANY_LENGTH, PROPERTY

# What the channel layer says of a message (nothing, or whether a button was pressed) and the
# language chosen before, in one draw.
METADATA = [None, {}, {"payload": True}, {"payload": False}, {"payload": "true"}, {"payload": 1},
            {"other": True}]  # fmt: skip
CONTEXT = st.sampled_from([(metadata, default) for metadata in METADATA
                           for default in ("zh", "en", None)])  # fmt: skip


@PROPERTY
@given(ANY_LENGTH, CONTEXT)
def test_input_cleaning_and_first_readings_hold_for_any_message(text, context):
    metadata, default = context
    cleaned = clean_input(text)
    assert len(cleaned) <= MAX_INPUT and text.strip().startswith(cleaned)
    assert is_too_long(text) == (cleaned != text.strip())
    read = neutralise(cleaned, metadata)
    if (metadata or {}).get("payload") is True:  # a button the channel layer pressed
        assert read == cleaned
    else:  # Rasa strips a message, and takes one starting with "/" for an intent
        assert not (read or "").strip().startswith("/")
        assert read in (cleaned, FULLWIDTH_SOLIDUS + cleaned.lstrip()[1:])
    normal = normalise(cleaned)
    assert len(normal) == len(cleaned)  # token offsets on the normalised text hold for the original
    assert not re.search(r"[A-ZＡ-Ｚａ-ｚ０-９]", normal)  # half-width, lower case
    for run in re.findall(r"\d{6,}", normal):  # a date's zeros or a phone number's nines
        assert set(run) in ({"0"}, {"9"}), run
    assert detect_language(cleaned, default) in ("zh", "en", default)
