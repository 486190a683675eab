"""The audit log: every change staff make, who and when, before and after. Append-only.

There is deliberately no function that updates or deletes an entry.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry."""
    entry = AuditEntry(
        actor=actor, action=action, object_type=object_type, object_id=str(object_id),
        before=before, after=after,
    )  # fmt: skip
    session.add(entry)
    return entry


def entries(
    session: Session,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """Entries newest first (optionally of one object or actor), and how many there are in all."""
    query = select(AuditEntry)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == str(object_id))
    if actor:
        query = query.where(AuditEntry.actor == actor)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    page = query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(page)), total
