"""Whether a message reports an emergency, and which line fits: learned from residents' words.

`nlu_data/emergencies.yml` holds emergencies (fire → 119, medical → 120, police → 110) and
nuisances (noise, smells, broken lights: never an emergency number) written by helpers in several
voices; the emergency entries' examples add their kinds, and some suggestions and questions of
the training data are `none`. The component puts its reading on every parsed message as
`emergency` ({name, confidence, p_emergency}); `language.emergency.read_kinds` combines it with the
rules for explicit emergencies.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from language.emergency import (
    ANOTHER_READING_SURE,
    EMERGENCY_IN_A_QUESTION,
    EMERGENCY_OVER_ANOTHER_READING,
    EMERGENCY_OVERRIDE,
    asks,
    read_kinds,
)
from rasa_addons.component import PickledModelComponent
from rasa_addons.form_act import TextModel, load_steps, source_fingerprint
from rasa_addons.topic_model import topic_of

KINDS = ("fire", "medical", "police")
FROM_INTENT = {f"hotline_emergency_{kind}": kind for kind in KINDS}
SHORT_REPLY, REPLY_STRIDE = 60, 2  # replies at the form's steps, one in two, as `none`
NONE_PER_INTENT = 15  # questions of each intent taken as `none` (40 suggestions as nuisances)


def load_labelled(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [item for item in data.get("emergencies", []) if item.get("text")]


def training_pairs(
    labelled: list[dict], examples: Iterable[tuple[str, str]], steps: list[dict] = ()
) -> tuple[list, list]:
    """(texts, labels): the labelled messages, the emergency entries' examples by kind, a few
    examples of every other intent as `none` (suggestions as `nuisance`), and the replies at the
    suggestion form's steps as `none` ("其他", "菜场门口" are no emergency)."""
    texts = [str(item["text"]) for item in labelled]
    labels = [item["label"] for item in labelled]
    replies = [s["text"] for s in steps if s.get("step") not in ("start", "text")]
    replies = [r for r in replies if len(r) <= SHORT_REPLY][::REPLY_STRIDE]
    texts += replies
    labels += ["none"] * len(replies)
    by_intent: dict[str, list[str]] = {}
    for text, intent in examples:
        if text and intent and intent != "hotline_emergency":
            by_intent.setdefault(intent, []).append(text)
    for intent, said in by_intent.items():
        if intent in FROM_INTENT:
            texts += said
            labels += [FROM_INTENT[intent]] * len(said)
            continue
        wanted = 40 if intent == "suggestion_give" else NONE_PER_INTENT
        chosen = said[:: max(1, len(said) // wanted)][:wanted]  # spread: Chinese and English
        texts += chosen
        labels += ["nuisance" if topic_of(intent) == "suggestion" else "none"] * len(chosen)
    return texts, labels


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmergencyClassifier(PickledModelComponent):
    """Adds `emergency` to every parsed message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"data": "nlu_data/emergencies.yml", "steps": "nlu_data/suggestion_steps.yml",
                "c": 20.0}  # fmt: skip

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The labelled messages live outside Rasa's training data: retrain when they or the code
        reading them change."""
        default = cls.get_default_config()
        return source_fingerprint(
            *(Path(config.get(key) or default[key]) for key in ("data", "steps"))
        )

    def train(self, training_data: TrainingData) -> Resource:
        examples = ((m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples)
        steps = load_steps(Path(self.config["steps"]))
        texts, labels = training_pairs(load_labelled(Path(self.config["data"])), examples, steps)
        if len(set(labels)) < 2:
            return self._resource
        # balanced: the form's many replies as `none` must not drown the emergencies
        return self.persist(TextModel(c=self.config["c"], balanced=True).fit(texts, labels))

    def process(self, messages: list[Message]) -> list[Message]:
        for message, text in self.readable(messages):
            ranking = self.model.predict(text)
            name, confidence = ranking[0]
            p_emergency = sum(p for label, p in ranking if label in KINDS)
            reading = {"name": name, "confidence": confidence, "p_emergency": p_emergency}
            message.set("emergency", reading, add_to_output=True)
            self.emergency_first(message, text, reading)
        return messages

    @staticmethod
    def emergency_first(message: Message, text: str, reading: dict) -> None:
        """An emergency read as anything else ("Two men are fighting with knives…" as out of
        scope) is the emergency intent: its number comes first. A suggestion keeps its intent (the
        suggestion flow gives the number first itself)."""
        intent = message.get(INTENT) or {}
        name = intent.get("name") or ""
        if name == "suggestion_give" or name.startswith("hotline_emergency"):
            return
        likely = EMERGENCY_IN_A_QUESTION if asks(message.get("form_act")) else EMERGENCY_OVERRIDE
        another = name not in ("out_of_scope", "nlu_fallback")
        if another and (intent.get("confidence") or 0) >= ANOTHER_READING_SURE:
            likely = max(likely, EMERGENCY_OVER_ANOTHER_READING)
        if read_kinds(text, reading, likely):
            confidence = max(reading["p_emergency"], intent.get("confidence") or 0)
            message.set(INTENT, {"name": "hotline_emergency", "confidence": confidence},
                        add_to_output=True)  # fmt: skip
