"""Fixtures of the web chat's own tests: the web chat in front of a fake Rasa, on a fresh database."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from bot.webchat import listen, make_app
from core import settings
from tests.bot.fake_rasa import FakeRasa

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
COOKIE_SECRET = "test-cookie-secret-" + "x" * 32


def chromium(path: Path = CHROMIUM) -> Path:
    """Debian's Chromium; its absence fails the test in CI (skips only on a developer's machine)."""
    if path.exists():
        return path
    message = f"{path} is missing: `bash scripts/install.sh --test` installs Debian's chromium"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fake_rasa(database_url, monkeypatch):
    """A fake Rasa; the web chat's settings point at it and at a fresh database."""
    fake = FakeRasa()
    monkeypatch.setenv("RASA_URL", fake.url)
    monkeypatch.setenv("RASA_TIMEOUT_SECONDS", "8")
    monkeypatch.setenv("MESSAGES_PER_MINUTE", "20")
    monkeypatch.setenv("WEBCHAT_COOKIE_SECRET", COOKIE_SECRET)
    settings.get_settings.cache_clear()
    yield fake
    fake.close()
    settings.get_settings.cache_clear()


@pytest.fixture
async def chat(fake_rasa):
    """The web chat on a free loopback port, in front of the fake Rasa; yields its URL."""
    port = free_port()
    app = make_app()
    server = listen(app, port, "127.0.0.1")
    yield f"http://127.0.0.1:{port}"
    server.stop()
    await app.settings["bridge"].rasa.close()


@pytest.fixture
async def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.async_api import async_playwright

    path = chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(path), args=FLAGS)
        yield launched
        await launched.close()
