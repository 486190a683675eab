"""Two-level understanding: the topic first (nearly always right), then the entry within the topic.

Pure scikit-learn, no Rasa: the Rasa component in `rasa_addons/topic_classifier.py` wraps it and
`bench/nlu.py` measures it directly. Features are TF-IDF over
- normalised characters (1–4-grams within words: robust to typos and Traditional characters),
- jieba words and word pairs,
- pinyin syllables and syllable pairs, so that typed pinyin ("zhang hu xian"), tone marks or digits
  ("jia1 zhuang1") and homophone typos (长户险 for 长护险) meet the characters they stand for.
Cost is linear in the message's length, and the text read is capped (`MAX_CHARS`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from knowledge import topics
from language.glossary import chinese_words
from language.places import load_places
from language.text import jieba_tokenizer, normalise

MAX_CHARS = 600  # a resident's question is in its first few hundred characters
_HAN = re.compile(r"[\u3400-\u9fff]")
_TOKEN = re.compile(r"[\u3400-\u9fff]|[a-z]+|\d+")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?![0-9])")


def topic_of(intent: str) -> str:
    """The topic key an intent belongs to (`out_of_scope` and `nlu_fallback` are their own)."""
    if intent == "nlu_fallback":
        return intent
    return topics.topic_of(intent) or intent.split("_", 1)[0]


_LATIN = re.compile(r"[a-z]{2,}")


ELSEWHERE_FILE = Path(__file__).resolve().parent.parent / "language" / "elsewhere.yml"
ELSEWHERE = " elsewhereplace "  # a word no resident writes


@lru_cache(maxsize=1)
def _elsewhere() -> re.Pattern:
    """Other cities, districts and streets (one pattern, longest names first)."""
    import yaml

    names = yaml.safe_load(ELSEWHERE_FILE.read_text(encoding="utf-8"))
    zh = sorted(names["zh"], key=len, reverse=True)
    en = sorted(names["en"], key=len, reverse=True)
    parts = [re.escape(n) + "(?!河)" for n in zh]  # 苏州河 (Suzhou Creek) runs through the town
    parts += [r"\b" + re.escape(n) + r"\b" for n in en]
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def _local() -> re.Pattern:
    """Words and places that keep a message about this town (knowledge/places.yml included)."""
    import yaml

    words = yaml.safe_load(ELSEWHERE_FILE.read_text(encoding="utf-8"))["local"]
    words += list(load_places())
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def about_elsewhere(text: str) -> bool:
    """The message names another city, district or street, and nothing of this town."""
    text = normalise((text or "")[:MAX_CHARS])
    return bool(_elsewhere().search(text)) and not _local().search(text)


def prepare(text: str) -> str:
    """Normalised (Simplified, half-width, lower case), tone marks and tone digits removed, capped;
    other places than this town read as one word (`language/elsewhere.yml`); English words
    also said in the Chinese words of `language/glossary.yml`."""
    text = normalise((text or "")[:MAX_CHARS])
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _TONE_DIGIT.sub("", text)
    text = _elsewhere().sub(ELSEWHERE, text)
    if _LATIN.search(text):
        said = chinese_words(text)
        if said:
            text = f"{text} {' '.join(said)}"
    return text


def words(text: str) -> list[str]:
    """jieba words of prepared text (spaces dropped)."""
    return [w for w in jieba_tokenizer().lcut(text) if w.strip()]


@lru_cache(maxsize=20000)
def _syllable(char: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


def syllables(text: str) -> list[str]:
    """Pinyin of each Chinese character; Latin words split into pinyin-like syllables when typed so."""
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if _HAN.match(token):
            out.append(_syllable(token))
        else:
            out.extend(_split_pinyin(token))
    return out


_INITIALS = "zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw]"
_FINALS = (
    "iang|iong|uang|ang|eng|ing|ong|uai|ian|iao|uan|van|ai|ei|ao|ou|an|en|er|in|un|vn|ia|ie|iu|"
    "ua|uo|ue|ui|ve|a|o|e|i|u|v"
)
_PINYIN_WORD = re.compile(rf"^(?:(?:{_INITIALS})?(?:{_FINALS}))+$")
_PINYIN_SYLLABLE = re.compile(rf"(?:{_INITIALS})?(?:{_FINALS})(?![aeiouv])")


def _split_pinyin(token: str) -> list[str]:
    """'jiazhuang' → ['jia', 'zhuang'] when the whole word reads as pinyin; else the word itself."""
    if len(token) > 6 and _PINYIN_WORD.match(token):
        parts = _PINYIN_SYLLABLE.findall(token)
        if "".join(parts) == token:
            return parts
    return [token]


# The three models of a message (topic, form act, emergency) read the same prepared text: its
# words and syllables are cut once.
@lru_cache(maxsize=256)
def _analyzer_words(text: str) -> tuple[str, ...]:
    tokens = words(text)
    return (*tokens, *(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)))


@lru_cache(maxsize=256)
def _analyzer_pinyin(text: str) -> tuple[str, ...]:
    tokens = syllables(text)
    return (*tokens, *(f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)))


def vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1),
        TfidfVectorizer(analyzer=_analyzer_words, sublinear_tf=True),
        TfidfVectorizer(analyzer=_analyzer_pinyin, sublinear_tf=True),
    ]


def features(weights, fitted: list, prepared: list[str]):
    """The weighted TF-IDF features of prepared texts, from fitted vectorizers side by side."""
    from scipy.sparse import hstack

    return hstack([w * tfidf(v, prepared) for w, v in zip(weights, fitted, strict=False)]).tocsr()


def tfidf(vectorizer, prepared: list[str]):
    """`vectorizer.transform(prepared)` of a fitted TfidfVectorizer, the same numbers without the
    checks scikit-learn repeats on every call: they sum its idf from a diagonal matrix of the whole
    vocabulary each time, a tenth of Rasa's time per message (py-spy, under load). The idf is
    kept beside the vectorizer once read (tests/rasa_addons/test_topic_model.py compares both)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    idf = vectorizer.__dict__.get("_idf_vector")
    if idf is None:
        idf = vectorizer.__dict__["_idf_vector"] = vectorizer.idf_
    counts = CountVectorizer.transform(vectorizer, prepared).astype(np.float64)
    if vectorizer.sublinear_tf:
        np.log(counts.data, out=counts.data)
        counts.data += 1
    counts.data *= idf[counts.indices]
    return normalize(counts, norm=vectorizer.norm, copy=False) if vectorizer.norm else counts


@dataclass
class Prediction:
    """Topic and intent rankings (best first) with probabilities; intent = P(topic) × P(intent|topic)."""

    topics: list[tuple[str, float]]
    intents: list[tuple[str, float]]
    within: list[tuple[str, float]] = field(default_factory=list)  # P(intent | best topic)
    known: int = 1  # how many of the message's features the model has seen in training
    elsewhere: bool = False  # about another city or district (`about_elsewhere`)


class TopicModel:
    """Topic classifier over all examples, plus one intent classifier per topic with >1 intent."""

    def __init__(self, c_topic: float = 20.0, c_intent: float = 20.0, weights=(1.0, 0.6, 0.6)):
        self.c_topic, self.c_intent, self.weights = c_topic, c_intent, weights
        self.vectorizers = []
        self.topic_clf = None
        self.intent_clfs: dict[str, object] = {}
        self.single: dict[str, str] = {}

    def _features(self, prepared: list[str]):
        return features(self.weights, self.vectorizers, prepared)

    def fit(self, texts: list[str], intents: list[str]) -> TopicModel:
        from scipy.sparse import hstack
        from sklearn.linear_model import LogisticRegression

        prepared = [prepare(t) for t in texts]
        self.vectorizers = vectorizers()
        x = hstack(
            [
                w * v.fit_transform(prepared)
                for w, v in zip(self.weights, self.vectorizers, strict=False)
            ]
        ).tocsr()
        topics = np.array([topic_of(i) for i in intents])
        labels = np.array(intents)
        self.topic_clf = LogisticRegression(C=self.c_topic, solver="liblinear").fit(x, topics)
        for name in sorted(set(topics)):
            rows = np.where(topics == name)[0]
            kinds = sorted(set(labels[rows]))
            if len(kinds) == 1:
                self.single[name] = kinds[0]
                continue
            self.intent_clfs[name] = LogisticRegression(C=self.c_intent, solver="liblinear").fit(
                x[rows], labels[rows]
            )
        return self

    def predict(self, text: str) -> Prediction:
        x = self._features([prepare(text)])
        topic_p = self.topic_clf.predict_proba(x)[0]
        topics = sorted(
            zip(self.topic_clf.classes_, map(float, topic_p), strict=False), key=lambda kv: -kv[1]
        )
        intents: list[tuple[str, float]] = []
        within: list[tuple[str, float]] = []
        for rank, (name, p_topic) in enumerate(topics):
            if name in self.single:
                pairs = [(self.single[name], 1.0)]
            else:
                clf = self.intent_clfs[name]
                pairs = sorted(
                    zip(clf.classes_, map(float, clf.predict_proba(x)[0]), strict=False),
                    key=lambda kv: -kv[1],
                )
            if rank == 0:
                within = pairs
            intents += [(intent, p_topic * p) for intent, p in pairs]
        intents.sort(key=lambda kv: -kv[1])
        return Prediction(
            topics=topics,
            intents=intents,
            within=within,
            known=int(x.nnz),
            elsewhere=about_elsewhere(text),
        )


FALLBACK = "nlu_fallback"
# emergencies, suggestions and the conversation itself are handled wherever the resident comes from
KEEP_ELSEWHERE = {"suggestion", "greet", "goodbye", "thank", "affirm", "deny", "bot", "human"}


def decide(prediction: Prediction, text: str, config: dict[str, Any]) -> tuple[str, float]:
    """The intent to act on and its confidence, from the two levels' probabilities:
    - nothing in the message was seen in training → `nlu_fallback`;
    - out of scope is the likeliest topic (≥ `out_of_scope_threshold`) → `out_of_scope`;
    - the topic's probability is under the threshold for the message's length → `nlu_fallback`;
    - the message names another city or district and nothing of this town → `out_of_scope`
      (not for emergencies, suggestions or the conversation itself);
    - the topic is clear but no entry of it is (within-topic probability under `entry_threshold`)
      and the topic has a `<topic>_other` intent → that intent: the topic-level answer;
    - otherwise the best intent."""
    topic, topic_p = prediction.topics[0]
    length = len(text.strip())
    bucket = "short" if length <= 4 else "medium" if length <= 30 else "long"
    if not prediction.known:
        return FALLBACK, topic_p
    if topic == "out_of_scope" and topic_p >= config["out_of_scope_threshold"]:
        return topic, topic_p  # the likeliest reading is "not for this assistant": say so
    if topic_p < config["topic_thresholds"][bucket]:
        return FALLBACK, topic_p
    best, best_p = prediction.within[0]
    if prediction.elsewhere and topic not in KEEP_ELSEWHERE and not best.endswith("_emergency"):
        return "out_of_scope", topic_p  # this town's assistant does not answer for other cities

    other = f"{topic}_other"
    known = {name for name, _ in prediction.intents}
    if best_p < config["entry_threshold"] and other in known and best != other:
        return other, topic_p
    return best, topic_p * best_p
