"""The suggestion form's reading of residents' answers (`actions/suggestion_reading.py`), on 10,000
generated answers: a category, a place, a phone number or nothing, never a failure; and a mobile
number written with ASCII or full-width digits, grouped 3-4-4 by a space or a dash (or not), is
always found, whatever text is around it."""

from __future__ import annotations

from types import SimpleNamespace

import yaml
from hypothesis import given
from hypothesis import strategies as st

from actions import suggestion_reading as reading
from language.nlp import Place, load_places
from store.category_repo import CATEGORIES_FILE
from tests.resident_text import MESSAGE, PROPERTY, fullwidth

CATEGORIES = [
    SimpleNamespace(**{"keywords": [], **raw})
    for raw in yaml.safe_load(CATEGORIES_FILE.read_text(encoding="utf-8"))
]
KEYS = {category.key for category in CATEGORIES}
PLACES = load_places()


def find_places(text: str) -> list[Place]:
    """The town's places named in `text` (what spaCy's EntityRuler finds, without spaCy)."""
    return list({place.name: place for form, place in PLACES.items() if form in text}.values())


# A mobile number (one integer) and how it is written (one draw).
MOBILE = st.integers(3 * 10**9, 10**10 - 1).map("1{}".format)
WRITING = st.sampled_from([(separator, wide) for separator in ("", " ", "-", "\u3000", "－", "—")
                           for wide in (False, True)])  # fmt: skip


@PROPERTY
@given(MESSAGE, MOBILE, WRITING)
def test_every_reading_of_an_answer_is_a_value_or_nothing_and_a_mobile_is_found(
    text, number, writing
):
    assert reading.read_category(text, CATEGORIES) in KEYS | {None}
    assert reading.guess_category(text, CATEGORIES) in KEYS | {None}
    address = reading.find_address(text)
    assert address is None or isinstance(address, str) and address.strip()
    place = reading.read_place(text, find_places)
    assert place is None or isinstance(place[0], str) and place[0]
    location = reading.read_location(text, find_places)
    assert location is None or location[0] == text.strip()
    assert isinstance(reading.looks_like_place(text), bool)
    phone = reading.find_phone(text)
    assert phone is None or phone.isdigit() and 8 <= len(phone) <= 12
    separator, wide = writing
    digits = fullwidth(number) if wide else number
    written = separator.join((digits[:3], digits[3:7], digits[7:]))
    around = "".join(char for char in text if not char.isdecimal())  # the only number in it
    half = len(around) // 2
    assert reading.find_phone(around[:half] + written + around[half:]) == number
