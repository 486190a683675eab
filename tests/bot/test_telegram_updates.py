"""The Telegram bridge serves many residents at once, each resident's updates in order."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from bot.telegram_pacing import OneChatInOrder


def update(chat: int) -> SimpleNamespace:
    return SimpleNamespace(effective_chat=SimpleNamespace(id=chat))


async def run(processor: OneChatInOrder, updates: list[tuple[int, str]]) -> list[str]:
    log: list[str] = []

    async def handle(chat: int, name: str) -> None:
        log.append(f"start {name}")
        await asyncio.sleep(0.01)
        log.append(f"end {name}")

    await processor.initialize()
    await asyncio.gather(
        *(processor.process_update(update(chat), handle(chat, name)) for chat, name in updates)
    )
    await processor.shutdown()
    return log


def test_one_chats_updates_run_one_after_another_in_order():
    log = asyncio.run(run(OneChatInOrder(), [(1, "a1"), (1, "a2"), (1, "a3")]))
    assert log == ["start a1", "end a1", "start a2", "end a2", "start a3", "end a3"]


def test_different_chats_are_served_at_the_same_time():
    log = asyncio.run(run(OneChatInOrder(), [(1, "a"), (2, "b"), (3, "c")]))
    assert log[:3] == ["start a", "start b", "start c"]


def test_nothing_is_remembered_about_chats_once_their_updates_are_done():
    processor = OneChatInOrder()
    asyncio.run(run(processor, [(chat, str(chat)) for chat in range(50)]))
    assert processor._chats == {}
