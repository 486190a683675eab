"""What this project's trained Rasa components share: one pickled model in the component's
resource, created and loaded the same way; messages with text to read."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

MODEL_FILE = "model.pkl"


class PickledModelComponent(GraphComponent):
    """A trainable component whose whole model is one picklable object (`self.model`)."""

    def __init__(self, config, model_storage: ModelStorage, resource: Resource) -> None:
        self.config, self._storage, self._resource = config, model_storage, resource
        self.model: Any = None

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config, model_storage, resource)

    def persist(self, model: Any) -> Resource:
        """Keep `model` as this component's model and write it into its resource."""
        self.model = model
        with self._storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps(model))
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any):
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                component.model = pickle.loads((directory / MODEL_FILE).read_bytes())  # noqa: S301 - our own artefact
        except (ValueError, FileNotFoundError):  # not trained (e.g. a core-only model)
            component.model = None
        return component

    def readable(self, messages: list[Message]) -> Iterator[tuple[Message, str]]:
        """The messages with text to read, when there is a model to read them."""
        if self.model is None:
            return
        for message in messages:
            text = message.get(TEXT) or ""
            if text.strip():
                yield message, text
