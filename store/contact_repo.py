"""Numbers held during a suggestion, sealed, until the resident agrees to a call-back or not.

A number typed in a suggestion conversation (in the first message, or at the phone question) is
held here so that "打我刚才那个号码" works a few turns later; Rasa's events and the slots name it
only by its `ref` beside a masked form. It leaves when the suggestion is saved (`take`: it moves
into the suggestion, sealed), when the resident refuses a call-back or deletes their data
(`forget`), or after `HOLD` (`purge_expired`, also run by `make purge`).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store import contact_cipher
from store.models import HeldContact, utcnow

HOLD = timedelta(hours=2)  # longer than a set-aside draft is kept (30 minutes)


def hold(session: Session, sender_hash: str, phone: str) -> str:
    """Hold `phone` for `sender_hash`, sealed; returns its reference. Expired holds are dropped."""
    purge_expired(session)
    ref = secrets.token_urlsafe(16)
    session.add(
        HeldContact(ref=ref, sender_hash=sender_hash, phone_sealed=contact_cipher.seal(phone))
    )
    return ref


def take(session: Session, ref: str | None, sender_hash: str) -> str | None:
    """The number held as `ref` for this resident, in clear (for the suggestion, which seals it
    again); every number held for the resident is then deleted. None when expired or unknown."""
    sealed = session.scalar(
        select(HeldContact.phone_sealed).where(
            HeldContact.ref == (ref or ""),
            HeldContact.sender_hash == sender_hash,
            HeldContact.created_at >= utcnow() - HOLD,
        )
    )
    forget(session, sender_hash)
    return contact_cipher.unseal(sealed)


def forget(session: Session, sender_hash: str) -> int:
    """Delete every number held for the resident; returns how many."""
    result = session.execute(delete(HeldContact).where(HeldContact.sender_hash == sender_hash))
    return result.rowcount or 0


def purge_expired(session: Session, *, now: datetime | None = None) -> int:
    """Delete the numbers held longer than `HOLD`; returns how many."""
    cutoff = (now or utcnow()) - HOLD
    result = session.execute(delete(HeldContact).where(HeldContact.created_at < cutoff))
    return result.rowcount or 0


def held_refs(session: Session, sender_hash: str) -> list[str]:
    """The references held for the resident (for tests and the console's privacy view)."""
    return list(
        session.scalars(select(HeldContact.ref).where(HeldContact.sender_hash == sender_hash))
    )
