"""Deliver staff replies from the outbox, in order; resend only when nothing can have been sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from knowledge import outbox_repo
from knowledge.db import get_sessionmaker

logger = logging.getLogger(__name__)

RETRY = "retry"  # nothing was sent: try again later
Send = Callable[[str, str], Awaitable[None]]
Classify = Callable[[Exception], tuple[str, float]]  # (state or RETRY, seconds to wait)


def _load(channel: str) -> list[tuple[int, str, str]]:
    with get_sessionmaker().begin() as session:
        return [(m.id, m.address, m.text) for m in outbox_repo.pending(session, channel=channel)]


def _mark(message_id: int, state: str, error: str = "") -> None:
    with get_sessionmaker().begin() as session:
        outbox_repo.mark(session, message_id, state=state, error=error)


async def deliver_once(channel: str, send: Send, classify: Classify) -> float:
    """One pass over the pending messages; returns how long to wait before the next pass."""
    for message_id, address, text in await asyncio.to_thread(_load, channel):
        try:
            await send(address, text)
        except Exception as error:  # noqa: BLE001 - every failure is classified and recorded
            state, wait = classify(error)
            logger.warning(
                "outbox %s to %s: %s (%s)", message_id, channel, state, type(error).__name__
            )
            if state == RETRY:
                return wait  # keep the order: nothing after it goes first
            await asyncio.to_thread(_mark, message_id, state, repr(error))
            continue
        await asyncio.to_thread(_mark, message_id, "sent")
    return 0.0


async def run_forever(channel: str, send: Send, classify: Classify, interval: float = 2.0) -> None:
    """Deliver until cancelled."""
    while True:
        try:
            wait = await deliver_once(channel, send, classify)
        except Exception:  # the database may be briefly unavailable
            logger.exception("outbox pass failed")
            wait = interval
        await asyncio.sleep(max(wait, interval))
