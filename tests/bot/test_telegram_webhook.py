"""The Telegram bridge in webhook mode (fake Bot API): requests without the secret refused,
`python -m bot.telegram` setting the webhook, and refusing to start without a secret."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess

import httpx
import pytest

from bot.telegram import build_application
from core import settings
from core.settings import ROOT
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_bridge import CHATS, wait_for
from tests.stack import free_port

pytestmark = pytest.mark.integration


async def test_webhook_mode_refuses_requests_without_the_secret(fake, bridge_env):
    config = settings.get_settings().model_copy(
        update={"telegram_token": "123:TEST", "telegram_base_url": fake.url}
    )
    app = build_application(config)
    port = 18443
    await app.initialize()
    await app.start()
    await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="hook", secret_token="s3cret",
                                    webhook_url="https://example.invalid/hook")  # fmt: skip
    try:
        async with httpx.AsyncClient() as client:
            refused = await client.post(f"http://127.0.0.1:{port}/hook", json={"update_id": 1})
            allowed = await client.post(f"http://127.0.0.1:{port}/hook", json={"update_id": 2},
                                        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})  # fmt: skip
        assert refused.status_code == 403 and allowed.status_code == 200
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def start_main(fake: FakeTelegram, log, **env: str) -> subprocess.Popen:
    """`python -m bot.telegram` (its `main()`), as `make run` starts it."""
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.telegram"], cwd=ROOT,
        env={**os.environ, "TELEGRAM_TOKEN": "123:TEST", "TELEGRAM_BASE_URL": fake.url, **env},
        stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


async def test_main_in_webhook_mode_sets_the_webhook_and_answers_only_with_the_secret(
    fake, bridge_env, tmp_path
):
    port, chat, log = free_port(), next(CHATS), tmp_path / "webhook.log"
    process = start_main(
        fake, log, TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_URL="https://example.invalid/hook",
        TELEGRAM_WEBHOOK_SECRET="s3cret", TELEGRAM_WEBHOOK_PORT=str(port),
    )  # fmt: skip
    try:
        for _ in range(600):
            if "setWebhook" in fake.methods():
                break
            assert process.poll() is None, log.read_text()
            await asyncio.sleep(0.1)
        (registered,) = [p for m, p in fake.calls if m == "setWebhook"]
        assert registered["url"] == "https://example.invalid/hook"
        assert registered["secret_token"] == "s3cret"
        update = {"update_id": 7, "message": fake._message(chat, text="长护险怎么申请")}
        async with httpx.AsyncClient() as client:
            for _ in range(100):  # the listener comes up right after setWebhook
                try:
                    refused = await client.post(f"http://127.0.0.1:{port}/", json=update)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert refused.status_code == 403
            await asyncio.sleep(1)
            assert fake.texts(chat) == []  # nothing was handled
            allowed = await client.post(
                f"http://127.0.0.1:{port}/", json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
            )  # fmt: skip
        assert allowed.status_code == 200
        texts = await wait_for(fake, chat, 1)
        assert "长护险" in texts[0]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_main_refuses_webhook_mode_without_a_secret(fake, tmp_path):
    log = tmp_path / "webhook.log"
    process = start_main(fake, log, TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_URL="https://x.invalid/h",
                         TELEGRAM_WEBHOOK_SECRET="")  # fmt: skip
    assert process.wait(timeout=60) != 0
    assert "TELEGRAM_WEBHOOK_SECRET" in log.read_text()
    assert "setWebhook" not in fake.methods()
