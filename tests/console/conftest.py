"""Fixtures of the console's tests: the console on a free loopback port over a fresh database,
staff accounts, and suggestions made the way the conversation makes them."""

from __future__ import annotations

import itertools
import re
import threading

import pytest

from core import settings
from store import category_repo, db, staff_repo, suggestion_repo
from tests.bot.webchat_fixtures import free_port

PASSWORD = "correct-horse-battery"
_drafts = itertools.count(1)


@pytest.fixture
def console_env(database_url, monkeypatch):
    """Settings for the console: a fixed secret key, categories imported, an admin, a reviewer
    (wang) and an editor (li)."""
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "test-console-secret-" + "y" * 32)
    settings.get_settings.cache_clear()
    with db.get_sessionmaker().begin() as session:
        category_repo.import_categories(session)
        staff_repo.create_account(
            session, username="admin", password=PASSWORD, role="admin", by="test"
        )
        staff_repo.create_account(
            session, username="wang", password=PASSWORD, role="reviewer", by="test"
        )
        staff_repo.create_account(
            session, username="li", password=PASSWORD, role="editor", by="test"
        )
    yield
    settings.get_settings.cache_clear()


@pytest.fixture
def app(console_env):
    from console import create_app

    return create_app(TESTING=True)


@pytest.fixture
def console(app):
    """The console served by waitress on a free loopback port; yields its URL."""
    from waitress import create_server

    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()


def make_suggestion(text: str = "建议小区增设充电桩", **fields) -> str:
    """Store a suggestion as the conversation does; returns its reference."""
    values = {"draft_id": f"draft-{next(_drafts)}", "text": text, "category_key": "other",
              "channel": "webchat", "sender_hash": "resident", "reply_address": None} | fields  # fmt: skip
    with db.get_sessionmaker().begin() as session:
        saved, _ = suggestion_repo.create_suggestion(
            session, suggestion_repo.NewSuggestion(**values)
        )
        return saved.reference


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def sign_in(client, username: str = "wang", password: str = PASSWORD):
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login", data={"csrf_token": token, "username": username, "password": password}
    )
