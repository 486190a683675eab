"""Every function that reads residents' text gives a clear answer for the messages the project
must survive: empty, blank, 50 KB, emoji only, HTML and script, SQL-looking text, a typed command.

The servers are sent the same messages end to end (`tests/integration/test_http.py`,
`tests/bot/test_telegram.py`); here each reader is asked directly, and its answer is named: a
value, or the message itself (`SAME`). The property tests (`tests/**/test_*_properties.py`) give
the same readers 10,000 generated messages each.
"""

from __future__ import annotations

import pytest

from actions import suggestion_reading as reading
from language import emergency, glossary, moderation, nlp, reference, retrieval, search, text
from rasa_addons import topic_model
from tests.actions.test_suggestion_reading_properties import CATEGORIES
from tests.resident_text import BAD_INPUTS

MESSAGES = {**BAD_INPUTS, "command": "/restart", "intent": '/elevator_progress{"x": 1}'}
SAME = object()  # the answer is the message as it came

READERS = {
    # channels: cleaning, language, typed commands
    "is_too_long": (text.is_too_long, {"50KB": True, "*": False}),
    "detect_language": (text.detect_language, {"script": "en", "sql": "en", "*": "zh"}),
    "neutralise": (lambda message: text.neutralise(message, None),
                   {"command": "／restart", "intent": '／elevator_progress{"x": 1}', "*": SAME}),
    # personal data and places
    "mask": (nlp.mask, {"*": SAME}),
    "find_personal_data": (nlp.find_personal_data, {"*": []}),
    "extract_phone": (nlp.extract_phone, {"*": None}),
    "find_places": (nlp.find_places, {"*": []}),
    "find_reference": (reference.find_reference, {"*": None}),
    "is_valid": (reference.is_valid, {"*": False}),
    # moderation and emergencies
    "is_meaningful": (moderation.is_meaningful,
                      {"empty": False, "blank": False, "emoji": False, "*": True}),
    "is_abuse": (moderation.is_abuse, {"*": False}),
    "is_advertising": (moderation.is_advertising, {"*": False}),
    "is_urgent": (moderation.is_urgent, {"*": False}),
    "emergency_kinds": (emergency.emergency_kinds, {"*": []}),
    "is_emergency": (emergency.is_emergency, {"*": False}),
    "read_kinds": (lambda message: emergency.read_kinds(message, None), {"*": []}),
    "chinese_words": (glossary.chinese_words, {"intent": ["电梯"], "*": []}),
    # the suggestion form's answers
    "find_phone": (reading.find_phone, {"*": None}),
    "read_category": (lambda message: reading.read_category(message, CATEGORIES),
                      {"50KB": "elevator", "*": None}),
    "guess_category": (lambda message: reading.guess_category(message, CATEGORIES),
                       {"50KB": "elevator", "*": None}),
    "find_address": (reading.find_address, {"*": None}),
    "read_place": (lambda message: reading.read_place(message, nlp.find_places), {"*": None}),
    "looks_like_place": (reading.looks_like_place, {"*": False}),
    "read_location": (lambda message: reading.read_location(message, nlp.find_places),
                      {"*": None}),
    "about_elsewhere": (topic_model.about_elsewhere, {"*": False}),
}  # fmt: skip
# Readers whose answer is text made from the message, and what that text must be.
MAKERS = {
    "clean_input": (text.clean_input, lambda message, got: got == message.strip()[:2000]),
    "normalise": (text.normalise, lambda message, got: len(got) == len(message)),
    "content": (moderation.content, lambda message, got: len(got) <= len(message)),
    "exact_form": (retrieval.exact_form, lambda message, got: len(got) <= len(message)),
    "prepare": (topic_model.prepare, lambda message, got: isinstance(got, str)),
    "features": (retrieval.features, lambda message, got: all(isinstance(f, str) for f in got)),
    "tokens": (search.tokens, lambda message, got: all(t.strip() for t in got)),
    "words": (lambda message: topic_model.words(topic_model.prepare(message)),
              lambda message, got: all(w.strip() for w in got)),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(READERS))
@pytest.mark.parametrize("kind", list(MESSAGES))
def test_a_reader_answers_a_bad_message_clearly(name, kind):
    read, answers = READERS[name]
    message = MESSAGES[kind]
    expected = answers.get(kind, answers["*"])
    assert read(message) == (message if expected is SAME else expected)


@pytest.mark.parametrize("name", sorted(MAKERS))
@pytest.mark.parametrize("kind", list(MESSAGES))
def test_a_reader_making_text_answers_a_bad_message_with_text_of_its_shape(name, kind):
    make, holds = MAKERS[name]
    assert holds(MESSAGES[kind], make(MESSAGES[kind]))


def test_none_is_read_as_an_empty_message():
    assert text.clean_input(None) == "" and not text.is_too_long(None)
    assert text.detect_language(None) == "zh" and text.neutralise(None, None) is None
    assert reading.find_phone(None) is None and reading.find_address(None) is None
    assert nlp.mask("") == "" and reference.find_reference("") is None
