"""Rasa's SQL tracker store, storing every event with residents' personal numbers masked.

A phone, ID-card or e-mail number a resident types is read in memory during its turn (the actions
see the message as typed) but reaches the `events` table only masked (`language.pii.mask`, the
same masking as the project's own tables): in the message's text and parse data, in the slots
Rasa fills from the text (`from_text`), in what the bot says. The next turn reads the masked
events back; a number the conversation still needs is held sealed by the actions
(`store/contact_repo.py`) and named in the slots only by a reference.

Rasa wraps the store in a `FailSafeTrackerStore`, which on a database error keeps the turn in this
process's memory (save) or starts the conversation afresh (retrieve), so that the resident is shown
replies the conversation never recorded. `StrictTrackerStore` stands in for it
(`scripts/run_rasa.py`): the error fails the turn, and the REST channel answers it with the apology
alone (`rasa_addons/channels.py`); sent again, the message goes on from what was saved.

The store makes its own engine (`tuned_engine`) and owns the retention of conversations
(`delete_events_before`, `delete_conversations`, run by `scripts/purge.py` through
`rasa_addons/retention.py`).

Used through `endpoints.yml` (`tracker_store: type: rasa_addons.tracker_store.MaskingSQLTrackerStore`,
written by `scripts/render_endpoints.py`). Rasa falls back to an in-memory store, with only a
warning, when a custom class cannot be imported: `scripts/run_rasa.py` imports this module first,
so that a broken import stops Rasa instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import SingletonThreadPool

from language.pii import mask_tree

UNMASKED = ("event", "timestamp", "name", "input_channel", "message_id")


def masked_event(event: Event) -> Event:
    """A copy of `event` with every personal number in its strings masked."""
    data: dict[str, Any] = event.as_dict()
    masked = {key: value if key in UNMASKED else mask_tree(value) for key, value in data.items()}
    if masked == data:
        return event
    return Event.from_parameters(masked) or event


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _postgres_commit_without_waiting(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET synchronous_commit TO OFF")
    cursor.close()
    dbapi_connection.commit()


def tuned_engine(url: URL) -> Engine:
    """The tracker store's engine: SQL parameters, residents' words, kept out of errors and logs
    (as `store.db.make_engine` does), with Rasa's own options for `url` (PostgreSQL pool size,
    schema). Rasa reads and writes the tracker on its event loop for every message, so a SQLite
    store keeps one connection per thread (closing the last one would checkpoint the WAL) and runs
    in WAL mode without a disk flush per commit, and a PostgreSQL one commits without waiting for
    its WAL flush: a power cut may lose the last messages' events, never corrupt them; a crash of
    Rasa loses nothing. The project's own database (suggestions, answers) keeps full durability."""
    sqlite = url.get_backend_name() == "sqlite"
    options: dict[str, Any] = {**create_engine_kwargs(url), "hide_parameters": True}
    if sqlite:
        options["poolclass"] = SingletonThreadPool
    engine = sa.create_engine(url, **options)
    if sqlite:
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        sa.event.listen(engine, "connect", _postgres_commit_without_waiting)
    return engine


class MaskingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose new events are masked before they are written, on its own engine,
    with the retention of conversations."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Rasa connects (waiting for the database, creating the `events` table), then the store
        # swaps Rasa's plain engine for its own on the same URL.
        super().__init__(*args, **kwargs)
        plain = self.engine
        self.engine = tuned_engine(plain.url)
        self.sessionmaker = sessionmaker(bind=self.engine)
        plain.dispose()

    def _additional_events(self, session, tracker) -> Iterator[Event]:
        for event in super()._additional_events(session, tracker):
            yield masked_event(event)

    def delete_events_before(self, timestamp: float) -> int:
        """Delete every event older than `timestamp` (seconds since the epoch), whoever's; how
        many were deleted."""
        with self.session_scope() as session:
            removed = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.timestamp < timestamp)
                .delete(synchronize_session=False)
            )
            session.commit()
        return removed

    def delete_conversations(self, sender_ids: Iterable[str]) -> int:
        """Delete every event of these conversations (Rasa's sender ids); how many."""
        sender_ids = list(sender_ids)
        if not sender_ids:
            return 0
        with self.session_scope() as session:
            removed = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id.in_(sender_ids))
                .delete(synchronize_session=False)
            )
            session.commit()
        return removed


class StrictTrackerStore(FailSafeTrackerStore):
    """Rasa's wrapper around the tracker store, without its fall-back: an error of the store is
    the turn's error (see the module's docstring)."""

    async def retrieve(self, sender_id: str):  # noqa: ANN201 - Rasa's signature
        return await self._tracker_store.retrieve(sender_id)

    async def retrieve_full_tracker(self, sender_id: str):  # noqa: ANN201
        return await self._tracker_store.retrieve_full_tracker(sender_id)

    async def keys(self):  # noqa: ANN201
        return await self._tracker_store.keys()

    async def save(self, tracker) -> None:  # noqa: ANN001
        await self._tracker_store.save(tracker)
