"""The audit log: every change staff make, who and when, before and after. Append-only.

There is deliberately no function that updates or deletes an entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import AuditEntry


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
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """Entries newest first (optionally of one object, actor or action, from `since` to before
    `until`), and how many match in all."""
    query = select(AuditEntry)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == str(object_id))
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    page = query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(page)), total


def choices(session: Session) -> tuple[list[str], list[str]]:
    """Who has entries, and which actions occur (for the log's filters)."""
    actors = session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))
    actions = session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return list(actors), list(actions)
