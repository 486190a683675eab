"""What the models read of a message (`rasa_addons/topic_model.py`: the topic model's and the form
step model's features), on 10,000 generated messages: preparing a message and cutting it into
words never fails and gives text. (The pinyin syllables need Rasa's environment: they are read in
`test_topic_model.py` through the trained model.)"""

from __future__ import annotations

from hypothesis import given

from rasa_addons.topic_model import about_elsewhere, prepare, words
from tests.resident_text import MESSAGE, PROPERTY


@PROPERTY
@given(MESSAGE)
def test_a_message_is_prepared_and_cut_into_words(text):
    prepared = prepare(text)
    assert isinstance(prepared, str)
    assert all(word.strip() and word in prepared for word in words(prepared))
    assert isinstance(about_elsewhere(text), bool)
