"""Repository functions for suggestions: create (idempotent), look up, change status, reply, privacy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge import outbox_repo
from knowledge.models import (
    DeletionRequest,
    OutboxMessage,
    RateEvent,
    Suggestion,
    SuggestionCategory,
    SuggestionReply,
    SuggestionStatusChange,
    utcnow,
)
from knowledge.reference import new_reference
from knowledge.settings import ROOT, get_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
STATUSES = ("received", "in_review", "forwarded", "answered", "adopted", "not_adopted", "duplicate",
            "withdrawn")  # fmt: skip
CLOSING = frozenset({"answered", "adopted", "not_adopted", "duplicate"})
WITHDRAWN = "withdrawn"  # the resident took it back (only residents set it)
ENDED = CLOSING | {WITHDRAWN}
STATUS_NAMES = {
    "zh": {"received": "已收到", "in_review": "正在研究", "forwarded": "已转交相关部门", "answered": "已答复",
           "adopted": "已采纳", "not_adopted": "未采纳", "duplicate": "重复建议，已合并", "withdrawn": "已撤回"},
    "en": {"received": "received", "in_review": "under review", "forwarded": "forwarded to the department",
           "answered": "answered", "adopted": "adopted", "not_adopted": "not adopted",
           "duplicate": "duplicate, merged", "withdrawn": "withdrawn"},
}  # fmt: skip
CATEGORIES_FILE = ROOT / "knowledge" / "categories.yml"


def shanghai_today() -> date:
    """Today's date in Shanghai."""
    return datetime.now(SHANGHAI).date()


def shanghai_day(moment: datetime) -> date:
    """The Shanghai date of a stored moment (stored in UTC; SQLite gives it back without a zone)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(SHANGHAI).date()


# --- categories -------------------------------------------------------------------------------


def import_categories(session: Session) -> int:
    """Add the categories of categories.yml that are missing; staff edits are kept. Returns added."""
    added = 0
    for order, raw in enumerate(yaml.safe_load(CATEGORIES_FILE.read_text(encoding="utf-8"))):
        if session.get(SuggestionCategory, raw["key"]) is None:
            session.add(SuggestionCategory(sort_order=order, **raw))
            added += 1
    return added


def list_categories(session: Session) -> list[SuggestionCategory]:
    """Active categories in display order."""
    query = (
        select(SuggestionCategory)
        .where(SuggestionCategory.active)
        .order_by(SuggestionCategory.sort_order)
    )
    return list(session.scalars(query))


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
            contact_phone=new.contact_phone if new.wants_reply else None,
            contact_consent_at=utcnow() if new.contact_phone and new.wants_reply else None,
            answer_due=today + timedelta(days=get_settings().suggestion_answer_days),
        )
        suggestion.history.append(
            SuggestionStatusChange(to_status="received", changed_by="resident")
        )
        try:
            with session.begin_nested():
                session.add(suggestion)
                session.flush()
            return suggestion, True
        except IntegrityError:
            clash = session.scalars(
                select(Suggestion).where(Suggestion.draft_id == new.draft_id)
            ).first()
            if clash:  # the same draft was saved concurrently
                return clash, False
    raise RuntimeError("could not allocate a unique reference number")


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


# --- rate limits ------------------------------------------------------------------------------


def hit(session: Session, *, sender_hash: str, kind: str, limit: int, window: timedelta) -> bool:
    """Count one event; False when the sender already reached `limit` within `window`."""
    since = utcnow() - window
    count = session.scalar(
        select(func.count())
        .select_from(RateEvent)
        .where(RateEvent.sender_hash == sender_hash, RateEvent.kind == kind, RateEvent.at >= since)
    )
    if count >= limit:
        return False
    session.add(RateEvent(sender_hash=sender_hash, kind=kind))
    return True


def count_recent(session: Session, *, sender_hash: str, hours: int = 1) -> int:
    """How many suggestions the sender stored in the last `hours`."""
    since = utcnow() - timedelta(hours=hours)
    return session.scalar(
        select(func.count())
        .select_from(Suggestion)
        .where(Suggestion.sender_hash == sender_hash, Suggestion.created_at >= since)
    )


# --- staff ------------------------------------------------------------------------------------


def change_status(
    session: Session, suggestion: Suggestion, *, status: str, by: str, note: str = ""
) -> None:
    """Move a suggestion to `status`; closing needs a published reply first."""
    if status not in STATUSES or status == WITHDRAWN:
        raise ValueError(
            f"unknown status {status!r}" if status != WITHDRAWN else "only the resident withdraws"
        )
    if status in CLOSING and not suggestion.replies:
        raise ValueError(f"{status} closes the suggestion: publish a reply first")
    suggestion.history.append(
        SuggestionStatusChange(
            from_status=suggestion.status, to_status=status, changed_by=by, note=note
        )
    )
    suggestion.status = status
    suggestion.closed_at = utcnow() if status in CLOSING else None


def publish_reply(
    session: Session, suggestion: Suggestion, *, text: str, by: str, close_as: str | None = None
) -> SuggestionReply:
    """Publish a staff reply; queue one outbox message when the resident asked for one."""
    reply = SuggestionReply(text=text, published_by=by)
    suggestion.replies.append(reply)
    session.flush()
    if suggestion.wants_reply and suggestion.reply_address:
        session.add(
            OutboxMessage(
                suggestion_id=suggestion.id,
                channel=suggestion.channel,
                address=suggestion.reply_address,
                text=reply_message(suggestion, text),
            )
        )
    if close_as:
        change_status(session, suggestion, status=close_as, by=by)
    return reply


def reply_message(suggestion: Suggestion, text: str) -> str:
    """The message a resident receives when staff reply."""
    if suggestion.language == "en":
        return f"Reply to your suggestion {suggestion.reference}:\n{text}"
    return f"您的建议 {suggestion.reference} 有了答复：\n{text}"


# --- privacy ----------------------------------------------------------------------------------


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
    session.add(DeletionRequest(sender_hash=sender_hash))
    return len(suggestions)


def _clear_contact(suggestion: Suggestion) -> None:
    suggestion.contact_phone = None
    suggestion.contact_consent_at = None
    suggestion.reply_address = None
    suggestion.wants_reply = False


def purge_expired(session: Session, *, now: datetime | None = None) -> int:
    """Clear contact details and reply addresses kept longer than the retention period.

    Closed (or withdrawn) suggestions keep them `RETENTION_DAYS` after closing; suggestions never
    closed keep them `RETENTION_DAYS` after they were made. Returns how many were cleared.
    """
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=get_settings().retention_days)
    has_contact = (Suggestion.reply_address.is_not(None)) | (Suggestion.contact_phone.is_not(None))
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


# --- withdrawing ------------------------------------------------------------------------------


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
