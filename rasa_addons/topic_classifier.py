"""Rasa's intent classifier for this assistant: the topic first, then the entry within the topic.

Wraps `rasa_addons.topic_model.TopicModel`; `topic_model.decide` chooses the intent to act on.
The parse result also carries `topic` ({name, confidence}) and `topic_ranking`.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_addons.component import PickledModelComponent
from rasa_addons.topic_model import TopicModel, decide, topic_of

RANKING = "intent_ranking"
# where one question ends and another begins ("有没有人上门照顾老人，还有我们楼能不能装电梯")
CLAUSES = re.compile(
    r"[？?。；;！!]+|[，,\s]*(?:还有|另外|以及|顺便问一?下|再问一?下|and also|also)[，,\s]*"
)
MIN_CLAUSE = 5  # characters: shorter parts are no question of their own
OTHER_QUESTION = 0.5  # how sure the model must be of a second question
NOT_QUESTIONS = {"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank", "affirm", "deny",
                 "suggestion", "bot", "human"}  # fmt: skip


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicIntentClassifier(PickledModelComponent, IntentClassifier):
    """Two-level TF-IDF + logistic regression classifier with topic-level fallbacks."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "c_topic": 20.0,
            "c_intent": 20.0,
            "weights": [1.0, 0.6, 0.6],  # characters, words, pinyin
            "topic_thresholds": {"short": 0.3, "medium": 0.3, "long": 0.3},
            "entry_threshold": 0.4,
            "out_of_scope_threshold": 0.25,
            "ranking_length": 10,
        }

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        return self.persist(
            TopicModel(
                c_topic=self.config["c_topic"],
                c_intent=self.config["c_intent"],
                weights=tuple(self.config["weights"]),
            ).fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples])
        )

    def process(self, messages: list[Message]) -> list[Message]:
        for message, text in self.readable(messages):
            prediction = self.model.predict(text)
            name, confidence = decide(prediction, text, self.config)
            ranking = [
                {"name": n, "confidence": c}
                for n, c in prediction.intents[: self.config["ranking_length"]]
            ]
            topic, topic_p = prediction.topics[0]
            message.set(INTENT, {"name": name, "confidence": confidence}, add_to_output=True)
            message.set(RANKING, ranking, add_to_output=True)
            message.set("topic", {"name": topic, "confidence": topic_p}, add_to_output=True)
            message.set(
                "topic_ranking",
                [{"name": n, "confidence": c} for n, c in prediction.topics[:5]],
                add_to_output=True,
            )
            message.set("other_questions", self.other_questions(text, name), add_to_output=True)
            message.set("topic_intents", self.topic_intents(prediction), add_to_output=True)
        return messages

    @staticmethod
    def topic_intents(prediction) -> dict[str, dict]:
        """Each topic's likeliest entry and its probability within the topic: a short follow-up
        is read within the topic of the answer before it (actions/followup.py)."""
        topics = dict(prediction.topics)
        best: dict[str, dict] = {}
        for name, p in prediction.intents:
            topic = topic_of(name)
            if topic not in best and topics.get(topic):
                best[topic] = {"name": name, "confidence": p / topics[topic]}
        return best

    def other_questions(self, text: str, first: str) -> list[dict]:
        """Questions on other topics than `first`'s asked in the same message."""
        parts = [p.strip() for p in CLAUSES.split(text[:600]) if len(p.strip()) >= MIN_CLAUSE]
        found, seen = [], {topic_of(first)}
        for part in parts if len(parts) > 1 else []:
            name, confidence = decide(self.model.predict(part), part, self.config)
            topic = name.split("_", 1)[0]
            if (
                confidence >= OTHER_QUESTION
                and topic not in seen
                and name != "nlu_fallback"
                and (
                    topic
                    not in ("out", "greet", "goodbye", "thank", "affirm", "deny", "suggestion")
                )
            ):
                seen.add(topic)
                found.append({"intent": name, "confidence": confidence, "text": part})
        return found
