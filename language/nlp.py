"""The town's places found by spaCy (Chinese language class, jieba segmentation) with an
EntityRuler over places.yml; personal data is masked by `language/pii.py` (re-exported here). No
pretrained pipeline is needed or downloaded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from language.pii import find_personal_data, mask  # noqa: F401 (the text tools' masking)
from language.places import PLACES_FILE, Place, load_places  # noqa: F401 (re-exported)
from language.text import jieba_tokenizer


@lru_cache(maxsize=1)
def nlp():
    """The spaCy pipeline (the town's places), built once on first use."""
    import spacy

    tokenizer = jieba_tokenizer()  # spaCy's jieba segmenter uses this same set-up
    for form in load_places():
        tokenizer.add_word(form, freq=2000)
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PLACE", "pattern": form, "id": place.name}
            for form, place in load_places().items()
        ]
    )
    return pipeline


def find_places(text: str) -> list[Place]:
    """The town's places mentioned in `text`, in order, without repeats."""
    pipeline = nlp()
    places = load_places()
    seen: dict[str, Place] = {}
    for ent in pipeline(text or "").ents:
        if ent.label_ == "PLACE":
            place = places.get(ent.text) or Place(ent.ent_id_, "")
            seen.setdefault(place.name, place)
    return list(seen.values())


def extract_phone(text: str) -> str | None:
    """The first phone number in `text`, digits only, or None."""
    for label, value in find_personal_data(text):
        if label == "PHONE":
            return re.sub(r"\D", "", value)
    return None
