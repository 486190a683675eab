"""Marks each message with its language as a `language` entity, which fills the `language` slot."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from language.text import detect_language


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds {"entity": "language", "value": "zh"|"en"} when the language is clear."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            language = detect_language(message.get(TEXT) or "", default=None)
            if language:
                entity = {
                    "entity": "language",
                    "value": language,
                    "start": 0,
                    "end": 0,
                    "extractor": "LanguageDetector",
                }
                message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
