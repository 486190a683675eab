"""What a resident's message does at a step of the suggestion form: its act, learned from data.

`nlu_data/suggestion_steps.yml` holds residents' replies at each step of the form, each labelled
with its act (affirm, cancel, hold, reply_none, correct_place, question, ...), written by helpers
in several voices. `TextModel` is TF-IDF (characters, jieba words, pinyin: the same features as
the topic model) with logistic regression (`TextModel`); the Rasa component puts its reading on every parsed
message as `form_act` ({name, confidence}) and `form_act_ranking`, and the form's validation
(`actions/suggestion_form.py`) acts on it. The FAQ questions of the training data are added to
the act `question`, and the suggestions themselves to `inform`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_addons.component import PickledModelComponent
from rasa_addons.topic_model import features, prepare, topic_of, vectorizers

ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)")
NOT_QUESTIONS = ("suggestion", "greet", "goodbye", "thank", "affirm", "deny", "bot", "human",
                 "out_of_scope")  # fmt: skip
QUESTIONS_PER_INTENT = 6  # FAQ examples added to the act `question`, per intent
OUT_OF_SCOPE_TAKEN = 200  # out-of-scope examples added to the act `other`


def source_fingerprint(*paths: Path) -> str:
    """A hash of data files and of the code that trains on them (this package's modules)."""
    digest = hashlib.sha256()
    for path in (*paths, *sorted(Path(__file__).parent.glob("*.py"))):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def plain(text: str) -> str:
    """`地点不对，是[上钞苑](place)` → `地点不对，是上钞苑`."""
    return ANNOTATION.sub(r"\1", text)


def load_steps(path: Path) -> list[dict]:
    """The labelled replies of `nlu_data/suggestion_steps.yml` (text without annotations)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [{**item, "text": plain(str(item["text"]))} for item in data.get("suggestion_steps", [])]


class TextModel:
    """Logistic regression over the topic model's features; `predict` gives labels, best first."""

    def __init__(self, c: float = 10.0, weights=(1.0, 0.6, 0.6), balanced: bool = False):
        self.c, self.weights, self.balanced = c, weights, balanced
        self.vectorizers: list = []
        self.clf = None

    def _features(self, texts: list[str], fit: bool = False):
        from scipy.sparse import hstack

        prepared = [prepare(t) for t in texts]
        if not fit:
            return features(self.weights, self.vectorizers, prepared)
        parts = [
            w * v.fit_transform(prepared)
            for w, v in zip(self.weights, self.vectorizers, strict=False)
        ]
        return hstack(parts).tocsr()

    def fit(self, texts: list[str], acts: list[str]) -> TextModel:
        from sklearn.linear_model import LogisticRegression

        self.vectorizers = vectorizers()
        x = self._features(texts, fit=True)
        weight = "balanced" if getattr(self, "balanced", False) else None
        self.clf = LogisticRegression(C=self.c, solver="liblinear", class_weight=weight).fit(
            x, acts
        )
        return self

    def predict(self, text: str) -> list[tuple[str, float]]:
        p = self.clf.predict_proba(self._features([text]))[0]
        return sorted(zip(self.clf.classes_, map(float, p), strict=False), key=lambda kv: -kv[1])


def training_pairs(steps: list[dict], examples: Iterable[tuple[str, str]]) -> tuple[list, list]:
    """(texts, acts): the labelled replies, and of the (text, intent) training examples some FAQ
    questions as `question`, the suggestions as `inform` and out-of-scope messages as `other`."""
    texts = [s["text"] for s in steps]
    acts = [s["act"] for s in steps]
    taken: dict[str, int] = {}
    for text, intent in examples:
        if not text or not intent:
            continue
        if intent == "suggestion_give":
            texts.append(text)
            acts.append("inform")
        elif intent == "out_of_scope" and taken.get(intent, 0) < OUT_OF_SCOPE_TAKEN:
            taken[intent] = taken.get(intent, 0) + 1  # "帮我推荐一部电影" announces nothing
            texts.append(text)
            acts.append("other")
        elif topic_of(intent) not in NOT_QUESTIONS and taken.get(intent, 0) < QUESTIONS_PER_INTENT:
            taken[intent] = taken.get(intent, 0) + 1
            texts.append(text)
            acts.append("question")
    return texts, acts


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class FormActClassifier(PickledModelComponent):
    """Adds `form_act` and `form_act_ranking` to every parsed message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"data": "nlu_data/suggestion_steps.yml", "c": 20.0, "ranking_length": 20}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The labelled replies live outside Rasa's training data, and how they are read is this
        module's code: retrain when either changes (Rasa's cache sees neither)."""
        return source_fingerprint(Path(config.get("data") or cls.get_default_config()["data"]))

    def train(self, training_data: TrainingData) -> Resource:
        examples = ((m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples)
        texts, acts = training_pairs(load_steps(Path(self.config["data"])), examples)
        if len(set(acts)) < 2:
            return self._resource
        return self.persist(TextModel(c=self.config["c"]).fit(texts, acts))

    def process(self, messages: list[Message]) -> list[Message]:
        for message, text in self.readable(messages):
            ranking = self.model.predict(text)[: self.config["ranking_length"]]
            name, confidence = ranking[0]
            message.set("form_act", {"name": name, "confidence": confidence}, add_to_output=True)
            message.set(
                "form_act_ranking",
                [{"name": n, "confidence": c} for n, c in ranking],
                add_to_output=True,
            )
        return messages
