"""The console served on the running stack's database (what the action server writes), signed
in as a new account of any role; for browser tests that talk to the real assistant first."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from core import settings
from store import db, staff_repo
from tests.bot.webchat_fixtures import free_port
from tests.console.conftest import PASSWORD


def _clear_caches() -> None:
    for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cache.cache_clear()


@contextmanager
def console_on_stack(stack, monkeypatch, role: str) -> Iterator[tuple[str, str]]:
    """Serve the console on the stack's database; yields (its URL, a new `role` account's name)."""
    from waitress import create_server

    from console import create_app

    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "test-console-secret-" + "z" * 32)
    _clear_caches()
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    with db.get_sessionmaker().begin() as session:
        staff_repo.create_account(session, username=username, password=PASSWORD, role=role,
                                  by="test")  # fmt: skip
    server = create_server(create_app(TESTING=True), host="127.0.0.1", port=free_port(), threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", username
    finally:
        server.close()
        db.get_engine().dispose()
        _clear_caches()
