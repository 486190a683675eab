"""A 100 KB message through each bridge: read in part, the resident told once, answered in seconds."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from bot.webchat import make_app
from language.catalogue import say
from tests.bot.telegram_bridge import CHATS, Running, wait_for
from tests.integration.test_trust import LONG

pytestmark = pytest.mark.integration


async def test_telegram_reads_a_100kb_message_in_part_and_answers(fake, bridge_env):
    chat = next(CHATS)
    async with Running(fake):
        started = time.monotonic()
        fake.text(chat, LONG)
        texts = await wait_for(fake, chat, 2)
        elapsed = time.monotonic() - started
    print(f"\nTelegram, 100 KB message: answered in {elapsed:.2f} s")
    assert texts[0] == say("too_long") and texts.count(say("too_long")) == 1
    assert texts[1] and texts[1] != say("apology")  # an answer, not "the assistant is unavailable"


async def test_the_web_chat_reads_a_100kb_message_in_part_and_answers(bridge_env):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = make_app().listen(port, address="127.0.0.1")
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            await client.get(url)
            body = json.dumps({"text": LONG}, ensure_ascii=False).encode()  # as a browser sends it
            started = time.monotonic()
            response = await client.post(
                f"{url}/api/message", content=body, headers={"Content-Type": "application/json"}
            )
            elapsed = time.monotonic() - started
    finally:
        server.stop()
    messages = [m["text"] for m in response.json()["messages"]]
    print(f"\nweb chat, 100 KB message: answered in {elapsed:.2f} s")
    assert messages[0] == say("too_long") and messages.count(say("too_long")) == 1
    assert len(messages) >= 2 and messages[1] and messages[1] != say("apology")
