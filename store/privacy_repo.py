"""Residents' privacy: deleting a resident's personal data on request (and the question whether
they asked), withdrawing a suggestion, and clearing contact details past the retention period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store import contact_repo, outbox_repo, settings_repo
from store.models import DeletionRequest, RateEvent, Suggestion, SuggestionStatusChange, utcnow
from store.suggestion_repo import CLOSING, WITHDRAWN, get_by_reference


def deletion_requested(session: Session, *, sender_hash: str) -> bool:
    """True when the resident behind `sender_hash` asked for their data to be deleted."""
    query = select(DeletionRequest.id).where(DeletionRequest.sender_hash == sender_hash).limit(1)
    return session.scalars(query).first() is not None


def delete_personal_data(session: Session, *, sender_hash: str) -> int:
    """Remove contact details, delivery addresses (queued replies too) and the identity link.

    Returns how many suggestions were touched.
    """
    suggestions = list(
        session.scalars(select(Suggestion).where(Suggestion.sender_hash == sender_hash))
    )
    for suggestion in suggestions:
        _clear_contact(suggestion)
        suggestion.sender_hash = None
    outbox_repo.clear_addresses(
        session, [s.id for s in suggestions], reason="deleted at the resident's request"
    )
    session.execute(delete(RateEvent).where(RateEvent.sender_hash == sender_hash))
    contact_repo.forget(session, sender_hash)
    session.add(DeletionRequest(sender_hash=sender_hash))
    return len(suggestions)


def _clear_contact(suggestion: Suggestion) -> None:
    suggestion.contact_phone_sealed = None
    suggestion.contact_consent_at = None
    suggestion.reply_address = None
    suggestion.wants_reply = False


def purge_expired(session: Session, *, now: datetime | None = None) -> int:
    """Clear contact details and reply addresses kept longer than the retention period.

    Closed (or withdrawn) suggestions keep them `RETENTION_DAYS` after closing; suggestions never
    closed keep them `RETENTION_DAYS` after they were made. Returns how many were cleared.
    """
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=settings_repo.get_int(session, "retention_days"))
    has_contact = (Suggestion.reply_address.is_not(None)) | (
        Suggestion.contact_phone_sealed.is_not(None)
    )
    expired = list(
        session.scalars(
            select(Suggestion).where(
                has_contact,
                (Suggestion.closed_at < cutoff)
                | (Suggestion.closed_at.is_(None) & (Suggestion.created_at < cutoff)),
            )
        )
    )
    for suggestion in expired:
        _clear_contact(suggestion)
    outbox_repo.clear_addresses(session, [s.id for s in expired], reason="retention period over")
    session.execute(delete(RateEvent).where(RateEvent.at < now - timedelta(days=1)))
    return len(expired)


def withdraw(
    session: Session, *, reference: str, sender_hash: str
) -> tuple[str, Suggestion | None]:
    """The resident takes back their own open suggestion; contact details are cleared at once.

    Returns (outcome, suggestion): "withdrawn", "already" (withdrawn before), "closed" (staff
    closed it), "not_yours" (another resident's number) or "unknown".
    """
    suggestion = get_by_reference(session, reference=reference)
    if suggestion is None:
        return "unknown", None
    if suggestion.sender_hash is None or suggestion.sender_hash != sender_hash:
        return "not_yours", None  # nothing about someone else's suggestion is revealed
    if suggestion.status == WITHDRAWN:
        return "already", suggestion
    if suggestion.status in CLOSING:
        return "closed", suggestion
    suggestion.history.append(
        SuggestionStatusChange(
            from_status=suggestion.status, to_status=WITHDRAWN, changed_by="resident"
        )
    )
    suggestion.status, suggestion.closed_at = WITHDRAWN, utcnow()
    _clear_contact(suggestion)
    outbox_repo.clear_addresses(session, [suggestion.id], reason="withdrawn by the resident")
    return "withdrawn", suggestion
