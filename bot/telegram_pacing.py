"""How fast and in what order the Telegram bridge works: the limiter that knows how many requests
wait in it (the bridge answers "busy" when too many do), and updates handled many chats at once
while each chat's own updates keep their order."""

from __future__ import annotations

import asyncio

from telegram.ext import AIORateLimiter, BaseUpdateProcessor

RESIDENTS_AT_ONCE = 64  # updates handled concurrently; Rasa's REST channel turns the excess away


class CountingLimiter(AIORateLimiter):
    """python-telegram-bot's limiter (Telegram allows about 30 messages a second per bot) that
    knows how many requests wait in it; the typing indicator goes around it."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = 0

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint == "sendChatAction":  # cosmetic: never queued behind residents' answers
            return await callback(*args, **kwargs)
        self.waiting += 1
        try:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            self.waiting -= 1


class OneChatInOrder(BaseUpdateProcessor):
    """Many residents served at once (one at a time would cap the bot at one reply per round trip
    to Rasa), each chat's updates still one after another, in the order they came."""

    def __init__(self, limit: int = RESIDENTS_AT_ONCE) -> None:
        super().__init__(limit)
        self._chats: dict[int | None, tuple[asyncio.Lock, int]] = {}  # only chats with work

    async def do_process_update(self, update: object, coroutine) -> None:
        """Run the update's handlers after the same chat's earlier updates."""
        chat = getattr(getattr(update, "effective_chat", None), "id", None)
        lock, users = self._chats.get(chat) or (asyncio.Lock(), 0)
        self._chats[chat] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._chats[chat]
            if users == 1:
                del self._chats[chat]
            else:
                self._chats[chat] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
