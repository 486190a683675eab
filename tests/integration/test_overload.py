"""Above saturation, residents get the polite busy reply at once rather than a timeout."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from language.catalogue import say
from tests.conftest import create_database
from tests.stack import running_stack

pytestmark = pytest.mark.integration


async def everyone_at_once(stack, count: int) -> list[str]:
    async with httpx.AsyncClient(timeout=60) as client:

        async def ask(index: int) -> str:
            response = await client.post(
                f"{stack.rasa_url}/webhooks/rest/webhook",
                json={"sender": f"crowd-{index}", "message": "加装电梯怎么申请"},
                headers=stack.headers,
            )
            response.raise_for_status()
            return "\n".join(m.get("text", "") for m in response.json())

        return await asyncio.gather(*(ask(i) for i in range(count)))


def test_a_crowd_beyond_the_channel_limit_gets_the_busy_reply_and_is_served_again_after(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("CHANNEL_MAX_CONCURRENT", "1")  # one message at a time, no waiting
    monkeypatch.setenv("CHANNEL_QUEUE_SECONDS", "0")
    database_url, drop = create_database(tmp_path)
    with running_stack(tmp_path, database_url, drop) as stack:
        replies = asyncio.run(everyone_at_once(stack, 12))
        busy = [r for r in replies if r == say("busy")]
        answered = [r for r in replies if "来源" in r]
        assert busy and answered and len(busy) + len(answered) == 12
        turned_away = replies.index(say("busy"))
        again = "\n".join(
            m.get("text", "") for m in stack.send(f"crowd-{turned_away}", "加装电梯怎么申请")
        )
        assert "来源" in again
