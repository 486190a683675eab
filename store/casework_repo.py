"""What staff do to one suggestion besides answering it: assign it, add internal notes, correct its
category and place, reveal the call-back number, decide an uncertain delivery. Each is audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from store import audit_repo, contact_cipher, outbox_repo, search_index
from store.models import Suggestion, SuggestionCategory, SuggestionNote


def assign(session: Session, suggestion: Suggestion, *, assignee, by: str) -> None:
    """Give the suggestion to a member of staff (an account, or None for nobody)."""
    before = suggestion.assignee.username if suggestion.assignee else None
    suggestion.assignee = assignee
    audit_repo.record(
        session, actor=by, action="assign", object_type="suggestion",
        object_id=suggestion.reference, before={"assignee": before},
        after={"assignee": assignee.username if assignee else None},
    )  # fmt: skip


def add_note(session: Session, suggestion: Suggestion, *, text: str, by: str) -> SuggestionNote:
    """An internal note (never shown to the resident)."""
    if not text.strip():
        raise ValueError("the note is empty")
    note = SuggestionNote(author=by, text=text.strip())
    suggestion.notes.append(note)
    audit_repo.record(
        session, actor=by, action="note", object_type="suggestion",
        object_id=suggestion.reference, after={"note": note.text},
    )  # fmt: skip
    return note


def edit_details(
    session: Session, suggestion: Suggestion, *, category_key: str, location: str | None, by: str
) -> None:
    """Correct the category and the place (the text itself is the resident's and stays)."""
    category = session.get(SuggestionCategory, category_key)
    if category is None:
        raise ValueError(f"unknown category {category_key!r}")
    location = (location or "").strip() or None
    before = {"category": suggestion.category_key, "location": suggestion.location_std}
    suggestion.category_key, suggestion.topic = category.key, category.topic
    suggestion.location_std = location
    if not suggestion.location_text:
        suggestion.location_text = location
    search_index.index(session, suggestion)
    audit_repo.record(
        session, actor=by, action="details", object_type="suggestion",
        object_id=suggestion.reference, before=before,
        after={"category": category.key, "location": location},
    )  # fmt: skip


def reveal_phone(session: Session, suggestion: Suggestion, *, by: str) -> str | None:
    """The call-back number, decrypted for a reviewer who asked to see it; the reveal is audited
    (the audit says whether there was a number, never the number)."""
    audit_repo.record(
        session, actor=by, action="reveal_phone", object_type="suggestion",
        object_id=suggestion.reference, after={"had_phone": suggestion.contact_phone_sealed is not None},
    )  # fmt: skip
    return contact_cipher.unseal(suggestion.contact_phone_sealed)


def resolve_delivery(session: Session, message_id: int, *, delivered: bool, by: str):
    """Staff's decision on an uncertain reply (delivered, or send again), audited."""
    message = outbox_repo.resolve(session, message_id, delivered=delivered, by=by)
    audit_repo.record(
        session, actor=by, action="delivery", object_type="outbox", object_id=message_id,
        before={"state": "uncertain"}, after={"state": message.state},
    )  # fmt: skip
    return message
