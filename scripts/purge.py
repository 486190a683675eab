"""Retention: clear expired contact details (closed, or never closed, for the retention period) and
old conversations.

Rasa's tracker store keeps raw conversations; they get the same retention, and the conversations
of residents who asked for deletion go at once. The tracker store deletes them itself
(`rasa_addons.tracker_store.MaskingSQLTrackerStore`), in Rasa's environment
(`rasa_addons/retention.py`): this script only says what goes. The retention period is the one
admins set in the console (`settings_repo`; RETENTION_DAYS is only its default). One function per
kind of data. `make purge`; `make run` also runs it daily. A database that cannot be read or
written fails the run (a log line, exit status 1): retention is never skipped in silence.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from core import logs
from core.settings import ROOT, get_settings
from scripts.render_endpoints import tracker_store
from store import contact_repo, privacy_repo, settings_repo
from store.db import get_sessionmaker
from store.identity import sender_hash
from store.models import DeletionRequest

logger = logging.getLogger(__name__)
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
CHANNELS = ("rest", "telegram", "webchat", "wechat")  # the channels a sender id may come from
TIMEOUT = 600  # seconds the tracker store has for one command


class TrackerStoreError(Exception):
    """The tracker store could not be read or written; the message says why."""


def purge_contact_details(now: datetime) -> int:
    """Clear contact details and reply addresses kept past the retention period; how many."""
    with get_sessionmaker().begin() as session:
        return privacy_repo.purge_expired(session, now=now)


def purge_held_numbers(now: datetime) -> int:
    """Delete call-back numbers held for a suggestion never confirmed (`contact_repo.HOLD`)."""
    with get_sessionmaker().begin() as session:
        return contact_repo.purge_expired(session, now=now)


def purge_conversations(now: datetime) -> int:
    """Delete tracker events older than the retention period, and every event of residents who
    asked for deletion (their requests are then marked done); how many events."""
    with get_sessionmaker().begin() as session:
        cutoff = now - timedelta(days=settings_repo.get_int(session, "retention_days"))
        requests = select(DeletionRequest).where(DeletionRequest.conversations_purged_at.is_(None))
        forget = {r.sender_hash for r in session.scalars(requests)}
    removed = delete_events(cutoff, forget)
    with get_sessionmaker().begin() as session:
        for request in session.scalars(
            select(DeletionRequest).where(DeletionRequest.sender_hash.in_(forget))
        ):
            request.conversations_purged_at = now
    return removed


def delete_events(cutoff: datetime, forget: set[str]) -> int:
    """Have the tracker store delete its events older than `cutoff` and the conversations of the
    residents in `forget` (sender hashes); how many events."""
    gone = []
    if forget:
        senders = tracker_store_command("senders")
        gone = [s for s in senders if any(sender_hash(c, s) in forget for c in CHANNELS)]
    answer = tracker_store_command("delete", before=cutoff.timestamp(), senders=gone)
    return answer["deleted"]


def tracker_store_command(command: str, **request: Any) -> Any:
    """Run one `rasa_addons.retention` command on the settings' tracker store, in Rasa's
    environment; its answer. `TrackerStoreError` when it fails or does not answer in time."""
    request["store"] = tracker_store(get_settings().tracker_database_url)
    try:
        done = subprocess.run(
            [str(RASA_PYTHON), "-m", "rasa_addons.retention", command],
            input=json.dumps(request), capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
            env={**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
        )  # fmt: skip
    except subprocess.TimeoutExpired as error:
        raise TrackerStoreError(f"tracker store: no answer in {TIMEOUT} s") from error
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        raise TrackerStoreError(lines[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _databases() -> str:
    """The two databases a run uses, passwords hidden."""
    settings = get_settings()
    urls = (settings.database_url, settings.tracker_database_url)
    return " and ".join(make_url(u).render_as_string(hide_password=True) for u in urls)


def main() -> int:
    """One purge run; prints what it removed. Exit status 1 when a database failed."""
    now = datetime.now(UTC)
    try:
        cleared = purge_contact_details(now)
        held = purge_held_numbers(now)
        events = purge_conversations(now)
    except (SQLAlchemyError, TrackerStoreError) as error:
        logger.error("purge failed, retention not applied (%s): %s", _databases(), error)
        return 1
    print(
        f"purge: contact details cleared on {cleared} suggestions, {held} held numbers deleted, "
        f"{events} conversation events deleted"
    )
    return 0


if __name__ == "__main__":
    logs.configure(get_settings().log_level)
    raise SystemExit(main())
