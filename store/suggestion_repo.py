"""Suggestions as records: their statuses, storing one once per draft, looking them up.

Elsewhere: categories (`category_repo`), staff's answers and status changes (`reply_repo`), the rest
of staff's case work (`casework_repo`), privacy and retention (`privacy_repo`), rate limits
(`rate_repo`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import SHANGHAI, shanghai_day, shanghai_today  # noqa: F401 (re-exported)
from language.catalogue import LANGUAGES, say
from language.reference import new_reference
from store import contact_cipher, outbox_repo, search_index, settings_repo
from store.models import (
    OutboxMessage,
    Suggestion,
    SuggestionCategory,
    SuggestionStatusChange,
    utcnow,
)

STATUSES = ("received", "in_review", "forwarded", "answered", "adopted", "not_adopted", "duplicate",
            "withdrawn")  # fmt: skip
CLOSING = frozenset({"answered", "adopted", "not_adopted", "duplicate"})
WITHDRAWN = "withdrawn"  # the resident took it back (only residents set it)
ENDED = CLOSING | {WITHDRAWN}


def status_name(status: str, lang: str) -> str:
    """A status as residents and staff read it (the catalogue's `suggestion_status_<status>`);
    an unknown status as it is."""
    return say(f"suggestion_status_{status}", lang) if status in STATUSES else status


class _StatusNames(Mapping[str, dict[str, str]]):
    """`STATUS_NAMES[lang][status]`: every status's name in `lang`, read from the catalogue when
    asked."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return {status: status_name(status, lang) for status in STATUSES}

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


STATUS_NAMES = _StatusNames()


# --- creating ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSuggestion:
    """What the conversation collected (text already masked)."""

    draft_id: str
    text: str
    category_key: str
    channel: str
    sender_hash: str
    reply_address: str | None
    language: str = "zh"
    location_text: str | None = None
    location_std: str | None = None
    urgent: bool = False
    wants_reply: bool = False
    contact_phone: str | None = None


def create_suggestion(session: Session, new: NewSuggestion) -> tuple[Suggestion, bool]:
    """Store a suggestion once per draft; returns (suggestion, created). Retries on a number clash."""
    existing = session.scalars(
        select(Suggestion).where(Suggestion.draft_id == new.draft_id)
    ).first()
    if existing:
        return existing, False
    category = session.get(SuggestionCategory, new.category_key)
    today = shanghai_today()
    for _ in range(5):
        suggestion = Suggestion(
            reference=new_reference(today),
            draft_id=new.draft_id,
            text=new.text,
            category_key=new.category_key,
            topic=category.topic if category else None,
            location_text=new.location_text,
            location_std=new.location_std,
            language=new.language,
            urgent=new.urgent,
            wants_reply=new.wants_reply,
            sender_hash=new.sender_hash,
            channel=new.channel,
            reply_address=new.reply_address if new.wants_reply else None,
            contact_phone_sealed=contact_cipher.seal(new.contact_phone)
            if new.contact_phone and new.wants_reply
            else None,
            contact_consent_at=utcnow() if new.contact_phone and new.wants_reply else None,
            answer_due=today
            + timedelta(days=settings_repo.get_int(session, "suggestion_answer_days")),
        )
        suggestion.history.append(
            SuggestionStatusChange(to_status="received", changed_by="resident")
        )
        try:
            with session.begin_nested():
                session.add(suggestion)
                session.flush()
            search_index.index(session, suggestion)
            if suggestion.urgent:
                alert_staff(session, suggestion)
            return suggestion, True
        except IntegrityError:
            clash = session.scalars(
                select(Suggestion).where(Suggestion.draft_id == new.draft_id)
            ).first()
            if clash:  # the same draft was saved concurrently
                return clash, False
    raise RuntimeError("could not allocate a unique reference number")


def alert_staff(session: Session, suggestion: Suggestion) -> OutboxMessage | None:
    """Tell the staff Telegram chat of an urgent suggestion at once (when one is configured)."""
    return outbox_repo.tell_staff_chat(session, say("staff_chat_urgent", "zh", reference=suggestion.reference,
                                                    text=suggestion.text[:300]))  # fmt: skip


# --- looking up -------------------------------------------------------------------------------


def get_by_reference(session: Session, *, reference: str) -> Suggestion | None:
    """The suggestion with this (canonical) reference."""
    return session.scalars(select(Suggestion).where(Suggestion.reference == reference)).first()


def list_for_sender(session: Session, *, sender_hash: str, limit: int = 10) -> list[Suggestion]:
    """A resident's own suggestions, newest first."""
    query = (
        select(Suggestion)
        .where(Suggestion.sender_hash == sender_hash)
        .order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def list_suggestions(
    session: Session,
    *,
    status: str | None = None,
    category: str | None = None,
    overdue: bool = False,
) -> list[Suggestion]:
    """Suggestions for staff, newest first, optionally filtered."""
    query = select(Suggestion).order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
    if status:
        query = query.where(Suggestion.status == status)
    if category:
        query = query.where(Suggestion.category_key == category)
    if overdue:
        query = query.where(
            Suggestion.status.not_in(ENDED), Suggestion.answer_due < shanghai_today()
        )
    return list(session.scalars(query))


def is_overdue(suggestion: Suggestion) -> bool:
    """Open past its promised answer date."""
    return suggestion.status not in ENDED and suggestion.answer_due < shanghai_today()


def same_text_recently(
    session: Session, *, sender_hash: str, text: str, hours: int = 24
) -> Suggestion | None:
    """The resident's identical suggestion of the last `hours`, if any (repeats are not stored)."""
    since = utcnow() - timedelta(hours=hours)
    query = select(Suggestion).where(
        Suggestion.sender_hash == sender_hash,
        Suggestion.text == text,
        Suggestion.created_at >= since,
    )
    return session.scalars(query).first()
