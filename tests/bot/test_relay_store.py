"""What the relay remembers: in Redis when REDIS_URL is set (shared by every bridge process, kept
across restarts), else in the process's memory."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from bot import store as stores
from bot.relay import Incoming, Relay
from core import settings
from language.catalogue import say

REDIS = "redis://127.0.0.1:6379/0"


class NoRasa:
    """Rasa is not asked in these tests."""

    async def close(self) -> None:
        pass


@pytest.fixture
def use_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", REDIS)
    settings.get_settings.cache_clear()
    yield
    settings.get_settings.cache_clear()


async def test_tokens_issued_by_one_process_work_in_another_and_after_a_restart(use_redis):
    sender = f"tg-{uuid.uuid4().hex}"
    first, second = Relay("telegram", rasa=NoRasa()), Relay("telegram", rasa=NoRasa())
    assert isinstance(first.store, stores.RedisStore)
    token = await first.issue(sender, "/faq_ltc")
    await first.close()
    restarted = Relay("telegram", rasa=NoRasa())
    assert await second.redeem(sender, token) == "/faq_ltc"
    assert await restarted.redeem(sender, token) == "/faq_ltc"
    assert await restarted.redeem("tg-someone-else", token) is None  # only its own resident
    await second.close()
    await restarted.close()


async def test_the_rate_limit_and_its_one_warning_are_shared_between_processes(use_redis):
    sender = f"web-{uuid.uuid4().hex}"
    relays = [
        Relay("webchat", store=stores.RedisStore(REDIS, limit=3), rasa=NoRasa()) for _ in range(2)
    ]
    allowed = [await relays[i % 2].store.allow(sender) for i in range(5)]
    warnings = [await relays[i % 2].store.should_warn(sender) for i in range(4)]
    assert allowed == [True, True, True, False, False] and warnings == [True, False, False, False]
    for relay in relays:
        await relay.close()


async def test_the_memory_store_when_redis_is_not_configured(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.setenv("MESSAGES_PER_MINUTE", "2")
    settings.get_settings.cache_clear()
    relay = Relay("telegram", rasa=NoRasa())
    assert isinstance(relay.store, stores.MemoryStore)
    flood = [await relay.handle(Incoming("tg-1", token="forged", lang="en")) for _ in range(4)]
    assert [o.notices for o in flood] == [
        [say("expired_button", "en")],
        [say("expired_button", "en")],
        [say("too_fast", "en")],
        [],
    ]
    assert await stores.MemoryStore(2).once("k", 60) is True
    settings.get_settings.cache_clear()


async def test_the_language_a_resident_writes_is_remembered_for_later_notices(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "")
    settings.get_settings.cache_clear()
    relay = Relay("telegram", rasa=NoRasa())
    await relay.remember_language("tg-2", "en")
    expired = await relay.handle(Incoming("tg-2", token="forged", lang="zh"))
    assert expired.notices == [say("expired_button", "en")]
    settings.get_settings.cache_clear()


async def test_a_burst_at_once_counts_exactly_the_limit_and_warns_once():
    store, sender = stores.RedisStore(REDIS, limit=20), f"web-{uuid.uuid4().hex}"

    async def one() -> tuple[bool, bool]:
        allowed = await store.allow(sender)
        return allowed, (not allowed) and await store.should_warn(sender)

    results = await asyncio.gather(*(one() for _ in range(40)))
    assert sum(a for a, _ in results) == 20 and sum(w for _, w in results) == 1
    await store.close()
