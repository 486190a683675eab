"""An intent classifier over character n-grams (TF-IDF + logistic regression), blended with DIET.

Placed after DIETClassifier: its probabilities are averaged with DIET's ranking, so the two
models' different mistakes cancel out (measured with `make bench-nlu`).
"""

from __future__ import annotations

import pickle
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from language.text import normalise

RANKING = "intent_ranking"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CharTfidfIntentClassifier(GraphComponent, IntentClassifier):
    """TF-IDF over normalised character 1–3-grams, logistic regression; `weight` of the blend."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": 0.5, "c": 10.0, "max_ngram": 3, "ranking_length": 10}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self.config, self._storage, self._resource = config, model_storage, resource
        self.model = None

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, self.config["max_ngram"]), preprocessor=normalise
        )
        features = vectorizer.fit_transform([m.get(TEXT) for m in examples])
        classifier = LogisticRegression(max_iter=2000, C=self.config["c"])
        classifier.fit(features, [m.get(INTENT) for m in examples])
        self.model = (vectorizer, classifier)
        with self._storage.write_to(self._resource) as directory:
            (directory / "model.pkl").write_bytes(pickle.dumps(self.model))
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any):
        component = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as directory:
            component.model = pickle.loads((directory / "model.pkl").read_bytes())  # noqa: S301 - our own artefact
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        vectorizer, classifier = self.model
        weight = self.config["weight"]
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip():
                continue
            probabilities = classifier.predict_proba(vectorizer.transform([text]))[0]
            previous = {r["name"]: r["confidence"] for r in message.get(RANKING) or []}
            blended = {
                name: weight * float(p) + (1 - weight) * previous.get(name, 0.0)
                for name, p in zip(classifier.classes_, probabilities, strict=True)
            }
            ranking = sorted(
                ({"name": n, "confidence": c} for n, c in blended.items()),
                key=lambda r: -r["confidence"],
            )[: self.config["ranking_length"]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(RANKING, ranking, add_to_output=True)
        return messages
