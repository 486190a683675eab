"""Fixtures of the channel tests: Rasa behind a switch, and the bridge's settings."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from core import settings
from store import db
from tests.bot.fake_telegram import FakeTelegram
from tests.stack import AUTH_TOKEN


class RasaSwitch:
    """A loopback proxy in front of Rasa that can be switched off (answers 503) and on again."""

    def __init__(self, target: str) -> None:
        self.down = False
        switch = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the console reads a conversation
                self.do_POST(method="GET")

            def do_POST(self, method: str = "POST") -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if switch.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                forwarded = {"Content-Type": "application/json"}
                if self.headers.get("Authorization"):
                    forwarded["Authorization"] = self.headers["Authorization"]
                answer = httpx.request(method, target + self.path, content=body or None,
                                       headers=forwarded, timeout=30)  # fmt: skip
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def fake():
    server = FakeTelegram()
    yield server
    server.close()


@pytest.fixture
def switch(stack):
    proxy = RasaSwitch(stack.rasa_url)
    yield proxy
    proxy.server.shutdown()


@pytest.fixture
def bridge_env(stack, switch, monkeypatch):
    """The bridge's settings: Rasa behind the switch, the stack's database."""
    monkeypatch.setenv("RASA_URL", switch.url)
    monkeypatch.setenv("CHANNEL_SECRET", stack.channel_secret)
    monkeypatch.setenv("RASA_AUTH_TOKEN", AUTH_TOKEN)  # the console's calls (handoff)
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("RASA_TIMEOUT_SECONDS", "5")
    for cached in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()
    yield
    db.get_engine().dispose()
    for cached in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()
