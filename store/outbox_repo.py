"""The outbox: staff replies waiting for the channel layer, with their delivery states.

Exactly once: a bridge claims a message (`sending`, its owner id, a lease) in one transaction
before it sends, and marks the outcome after. A claim whose lease expires (the bridge died between
claim and send, or hangs) becomes `uncertain` and is never resent by itself: staff check with the
resident and resolve it as delivered or to be resent.

The web chat claims the same way (`claim_address`: one resident's messages, for the page that
asked) and finishes a claim when the page acknowledges what it showed. An unfinished web chat
claim is claimed again once its lease has run out: the page never showed it (the tab closed, the
connection broke), or showed it and remembers its id, so nothing is shown twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from core.settings import get_settings
from store.models import OutboxMessage, utcnow

FINAL = ("sent", "failed", "uncertain")


def claim(
    session: Session, *, channel: str, owner: str, lease_seconds: float
) -> OutboxMessage | None:
    """Claim the oldest pending message on `channel` for `owner`; None when nothing is free.

    Only the first undelivered message of each address is eligible, so one resident's replies
    arrive in order even with several bridges. PostgreSQL skips rows another bridge is claiming
    (`FOR UPDATE SKIP LOCKED`); on SQLite writers are serialised and the conditional UPDATE's
    row count tells whether this bridge won.
    """
    earlier = aliased(OutboxMessage)
    candidate = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.state == "pending",
            ~exists().where(
                and_(
                    earlier.channel == OutboxMessage.channel,
                    earlier.address == OutboxMessage.address,
                    earlier.id < OutboxMessage.id,
                    earlier.state.in_(("pending", "sending")),
                )
            ),
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidate = candidate.with_for_update(skip_locked=True)
    message_id = session.scalar(candidate)
    if message_id is None:
        return None
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == "pending")
        .values(
            state="sending",
            claimed_by=owner,
            lease_until=utcnow() + timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # another bridge claimed it first
        return None
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    return message


def claim_address(
    session: Session,
    *,
    channel: str,
    address: str,
    owner: str,
    lease_seconds: float,
    now: datetime | None = None,
    limit: int = 50,
) -> list[OutboxMessage]:
    """Claim for `owner`, oldest first, what waits for one address: pending messages and claims
    whose lease ran out (the web chat: the page that took them never acknowledged them).

    Stops at a message another reader still holds, so replies are shown in order. Two readers at
    once (two tabs) get each message once: the conditional UPDATE re-checks every row (PostgreSQL
    re-evaluates a row another transaction changed; SQLite serialises writers), and what this
    reader won is read back by its owner id.
    """
    now = now or utcnow()
    waiting = session.execute(
        select(OutboxMessage.id, OutboxMessage.state, OutboxMessage.lease_until)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.address == address,
            OutboxMessage.state.in_(("pending", "sending")),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    free = []
    for message_id, state, lease_until in waiting:
        if state == "sending" and (lease_until is None or lease_until >= now):
            break  # another reader holds it: the later ones wait too
        free.append(message_id)
    if not free:
        return []
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(free),
            or_(
                OutboxMessage.state == "pending",
                and_(OutboxMessage.state == "sending", OutboxMessage.lease_until < now),
            ),
        )
        .values(
            state="sending",
            claimed_by=owner,
            lease_until=now + timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    won = (
        select(OutboxMessage)
        .where(
            OutboxMessage.id.in_(free),
            OutboxMessage.claimed_by == owner,
            OutboxMessage.state == "sending",
        )
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(won))


def finish(
    session: Session,
    message_id: int,
    *,
    owner: str,
    state: str,
    error: str = "",
    address: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Record the outcome of `owner`'s send (to `address`, when given); False when the claim was
    no longer its own."""
    if state not in FINAL:
        raise ValueError(state)
    values: dict = {"state": state, "last_error": error[:500], "lease_until": None}
    if state == "sent":
        values["sent_at"] = now or utcnow()
    query = update(OutboxMessage).where(
        OutboxMessage.id == message_id,
        OutboxMessage.claimed_by == owner,
        # a send that outlived its lease still knows best what happened
        OutboxMessage.state.in_(("sending", "uncertain")),
    )
    if address is not None:
        query = query.where(OutboxMessage.address == address)
    result = session.execute(query.values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def release(session: Session, message_id: int, *, owner: str, error: str = "") -> bool:
    """Give a claim back (nothing was sent: connection refused, 429): pending again."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == owner,
            OutboxMessage.state == "sending",
        )
        .values(state="pending", claimed_by=None, lease_until=None, last_error=error[:500])
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def expire_leases(session: Session, *, channel: str, now: datetime | None = None) -> int:
    """`channel`'s claims whose lease ran out become `uncertain` (maybe sent, maybe not); returns
    how many. Only a bridge's own channel: the web chat's unfinished claims are claimed again."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.state == "sending",
            OutboxMessage.lease_until < (now or utcnow()),
        )
        .values(state="uncertain", last_error="lease expired: the bridge stopped while sending")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def by_state(session: Session, *, state: str) -> list[OutboxMessage]:
    """Messages in one state (staff check the uncertain ones)."""
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.state == state).order_by(OutboxMessage.id)
        )
    )


def uncertain(session: Session) -> list[OutboxMessage]:
    """Messages that may or may not have reached the resident: staff resolve them."""
    return by_state(session, state="uncertain")


def resolve(session: Session, message_id: int, *, delivered: bool, by: str) -> OutboxMessage:
    """Staff's decision on an uncertain message: delivered (sent) or to be sent again (pending)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise ValueError(f"no outbox message {message_id}")
    if message.state != "uncertain":
        raise ValueError(f"outbox message {message_id} is {message.state}, not uncertain")
    message.resolved_by, message.resolved_at = by, utcnow()
    message.claimed_by, message.lease_until = None, None
    if delivered:
        message.state, message.sent_at = "sent", message.sent_at or utcnow()
    else:
        message.state = "pending"
    return message


def clear_addresses(session: Session, suggestion_ids: list[int], *, reason: str) -> int:
    """Forget where these suggestions' replies go: queued ones are never delivered; returns queued."""
    if not suggestion_ids:
        return 0
    ours = OutboxMessage.suggestion_id.in_(suggestion_ids)
    queued = session.execute(
        update(OutboxMessage)
        .where(ours, OutboxMessage.state.in_(("pending", "uncertain", "failed")))
        .values(state="failed", address="", last_error=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.execute(
        update(OutboxMessage)
        .where(ours, OutboxMessage.state == "sent")
        .values(address="")
        .execution_options(synchronize_session=False)
    )
    return queued


def tell_staff_chat(session: Session, text: str) -> OutboxMessage | None:
    """A message to the staff Telegram chat through the outbox (when one is configured)."""
    chat = get_settings().staff_telegram_chat_id.strip()
    if not chat:
        return None
    message = OutboxMessage(channel="telegram", address=f"tg-{chat}", text=text)
    session.add(message)
    return message
