"""The tracker store (`rasa_addons.tracker_store`): its own engine, and the retention of
conversations through it (`make purge`), on SQLite and PostgreSQL, with the real Rasa."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from core import settings
from scripts import purge
from scripts.render_endpoints import tracker_store
from store import privacy_repo
from store.identity import sender_hash
from tests.conftest import create_database
from tests.rasa_env import rasa_python

NOW = datetime.now(UTC)

# Writes conversations the way Rasa does (`save`), then answers with the store's engine settings.
SAVE = """
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_addons.retention import open_store

request = json.load(sys.stdin)
store = open_store(request["store"])
for sender, said in request["conversations"].items():
    tracker = DialogueStateTracker(sender, slots=[])
    for text, timestamp in said:
        tracker.update(UserUttered(text, timestamp=timestamp))
    asyncio.run(store.save(tracker))
print(json.dumps({"pool": type(store.engine.pool).__name__,
                  "hide_parameters": store.engine.hide_parameters}))
"""

# What the store holds: each conversation's messages, read back through Rasa's `retrieve`.
READ = """
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa_addons.retention import open_store

request = json.load(sys.stdin)
store = open_store(request["store"])
store.domain = Domain.empty()
held = {}
for sender in request["senders"]:
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    held[sender] = [e.text for e in tracker.events if e.type_name == "user"] if tracker else []
print(json.dumps(held))
"""

# The engine's settings as the database sees them, and an error's words.
ENGINE = """
import json, sys
import sqlalchemy as sa
from rasa_addons.retention import open_store

store = open_store(json.load(sys.stdin)["store"])
seen = {}
with store.engine.connect() as connection:
    if store.engine.dialect.name == "sqlite":
        seen["journal_mode"] = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        seen["synchronous"] = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        seen["busy_timeout"] = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    else:
        seen["synchronous_commit"] = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
with store.session_scope() as session:
    try:
        session.execute(sa.text("SELECT * FROM events WHERE no_such = :phone"), {"phone": "13812345678"})
    except sa.exc.SQLAlchemyError as error:
        seen["error"] = str(error)
print(json.dumps(seen))
"""


def in_rasa(code: str, request: dict) -> dict:
    """Run `code` in Rasa's environment with `request` (JSON) on its standard input."""
    done = rasa_python(code, stdin=json.dumps(request))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_url(request, tmp_path, monkeypatch):
    """An empty tracker store database of each kind, the one the settings name."""
    url, drop = create_database(tmp_path, request.param)
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    settings.get_settings.cache_clear()
    yield url
    drop()


def days_ago(days: float) -> float:
    return (NOW - timedelta(days=days)).timestamp()


def test_retention_goes_through_the_tracker_store(tracker_url, session_factory, capsys):
    store = {"store": tracker_store(tracker_url)}
    conversations = {
        "tg-1": [("old", days_ago(181)), ("recent", days_ago(1))],
        "tg-2": [("asked to be forgotten", days_ago(1))],
        "wx-3": [("forgotten on WeChat", days_ago(3))],
        "web-x": [("kept", days_ago(2))],
    }
    in_rasa(SAVE, {**store, "conversations": conversations})
    with session_factory.begin() as session:
        for channel, sender in (("telegram", "tg-2"), ("wechat", "wx-3")):
            privacy_repo.delete_personal_data(session, sender_hash=sender_hash(channel, sender))

    assert purge.main() == 0
    assert "3 conversation events deleted" in capsys.readouterr().out
    held = in_rasa(READ, {**store, "senders": list(conversations)})
    assert held == {"tg-1": ["recent"], "tg-2": [], "wx-3": [], "web-x": ["kept"]}
    assert purge.main() == 0  # nothing more to delete
    assert "0 conversation events deleted" in capsys.readouterr().out


def test_the_store_makes_its_own_engine(tracker_url):
    store = {"store": tracker_store(tracker_url)}
    made = in_rasa(SAVE, {**store, "conversations": {}})
    seen = in_rasa(ENGINE, store)
    assert made["hide_parameters"] is True
    error = seen.pop("error")  # residents' words stay out of SQLAlchemy's errors and logs
    assert "[SQL parameters hidden due to hide_parameters=True]" in error
    if tracker_url.startswith("sqlite"):  # (psycopg2 itself quotes the failing statement)
        assert "13812345678" not in error
        assert made["pool"] == "SingletonThreadPool"  # one connection kept: no WAL checkpoint
        assert seen == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 5000}
    else:
        assert made["pool"] == "QueuePool"
        assert seen == {"synchronous_commit": "off"}
