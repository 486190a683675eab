"""Rasa's SQL tracker store, storing every event with residents' personal numbers masked.

A phone, ID-card or e-mail number a resident types is read in memory during its turn (the actions
see the message as typed) but reaches the `events` table only masked (`language.pii.mask`, the
same masking as the project's own tables): in the message's text and parse data, in the slots
Rasa fills from the text (`from_text`), in what the bot says. The next turn reads the masked
events back; a number the conversation still needs is held sealed by the actions
(`store/contact_repo.py`) and named in the slots only by a reference.

Used through `endpoints.yml` (`tracker_store: type: rasa_addons.tracker_store.MaskingSQLTrackerStore`,
written by `scripts/render_endpoints.py`). Rasa falls back to an in-memory store, with only a
warning, when a custom class cannot be imported: `scripts/run_rasa.py` imports this module first,
so that a broken import stops Rasa instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event

from language.pii import mask_tree

UNMASKED = ("event", "timestamp", "name", "input_channel", "message_id")


def masked_event(event: Event) -> Event:
    """A copy of `event` with every personal number in its strings masked."""
    data: dict[str, Any] = event.as_dict()
    masked = {key: value if key in UNMASKED else mask_tree(value) for key, value in data.items()}
    if masked == data:
        return event
    return Event.from_parameters(masked) or event


class MaskingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose new events are masked before they are written."""

    def _additional_events(self, session, tracker) -> Iterator[Event]:
        for event in super()._additional_events(session, tracker):
            yield masked_event(event)
