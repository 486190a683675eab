"""Questions about residents' deletion requests, asked by the channel layer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import DeletionRequest


def deletion_requested(session: Session, *, sender_hash: str) -> bool:
    """True when the resident behind `sender_hash` asked for their data to be deleted."""
    query = select(DeletionRequest.id).where(DeletionRequest.sender_hash == sender_hash).limit(1)
    return session.scalars(query).first() is not None
