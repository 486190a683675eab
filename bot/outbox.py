"""Deliver staff replies from the outbox exactly once, also with several bridges.

Each message is claimed (one transaction) before it is sent and marked after; a retry happens only
after errors that guarantee nothing was sent. A bridge that dies between claim and mark leaves the
claim to expire into `uncertain`, which staff resolve (`make staff ARGS="outbox uncertain"`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable

from core.settings import get_settings
from store import handoff_repo, outbox_repo
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)

RETRY = "retry"  # nothing was sent: try again later
Send = Callable[[str, str], Awaitable[None]]
Classify = Callable[[Exception], tuple[str, float]]  # (state or RETRY, seconds to wait)
Failed = Callable[[int, Exception], None]  # told (in a thread) of a message marked failed
MAX_PER_PASS = 50


def new_owner() -> str:
    """An id for this bridge process, recorded on the rows it claims."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _claim(channel: str, owner: str) -> tuple[int, str, str] | None:
    lease = get_settings().outbox_lease_seconds
    with get_sessionmaker().begin() as session:
        outbox_repo.expire_leases(session, channel=channel)
        handoff_repo.expire(session)  # unanswered requests for a person: the apology goes out
    with get_sessionmaker().begin() as session:
        message = outbox_repo.claim(session, channel=channel, owner=owner, lease_seconds=lease)
        return (message.id, message.address, message.text) if message else None


def _finish(message_id: int, owner: str, state: str, error: str = "") -> None:
    with get_sessionmaker().begin() as session:
        if not outbox_repo.finish(session, message_id, owner=owner, state=state, error=error):
            logger.warning("outbox %s: claim lost before it was marked %s", message_id, state)


def _release(message_id: int, owner: str, error: str) -> None:
    with get_sessionmaker().begin() as session:
        outbox_repo.release(session, message_id, owner=owner, error=error)


async def deliver_once(
    channel: str, send: Send, classify: Classify, owner: str, failed: Failed | None = None
) -> float:
    """Claim, send and mark messages one by one; returns how long to wait before the next pass."""
    for _ in range(MAX_PER_PASS):
        claimed = await asyncio.to_thread(_claim, channel, owner)
        if claimed is None:
            return 0.0
        message_id, address, text = claimed
        try:
            await send(address, text)
        except Exception as error:  # noqa: BLE001 - every failure is classified and recorded
            state, wait = classify(error)
            logger.warning(
                "outbox %s to %s: %s (%s)", message_id, channel, state, type(error).__name__
            )
            if state == RETRY:
                await asyncio.to_thread(_release, message_id, owner, repr(error))
                return wait
            await asyncio.to_thread(_finish, message_id, owner, state, repr(error))
            if state == "failed" and failed is not None:
                await asyncio.to_thread(failed, message_id, error)
            continue
        await asyncio.to_thread(_finish, message_id, owner, "sent")
    return 0.0


async def run_forever(
    channel: str,
    send: Send,
    classify: Classify,
    interval: float = 2.0,
    owner: str | None = None,
    failed: Failed | None = None,
) -> None:
    """Deliver until cancelled."""
    owner = owner or new_owner()
    while True:
        try:
            wait = await deliver_once(channel, send, classify, owner, failed)
        except Exception:  # noqa: BLE001 - any failed pass is logged and retried (the database
            # briefly away, or a bug): an escaping error would end the bridge's only delivery
            # task and stop every delivery in silence.
            logger.exception("outbox pass failed")
            wait = interval
        await asyncio.sleep(max(wait, interval))
