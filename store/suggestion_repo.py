"""Repository functions for suggestions: create (idempotent), look up, change status, reply, privacy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import audit_repo, contact_cipher, contact_repo, outbox_repo, reply_reach, search_index, settings_repo
from core.clock import SHANGHAI, shanghai_day, shanghai_today  # noqa: F401 (re-exported)
from store.models import (
    DeletionRequest,
    OutboxMessage,
    RateEvent,
    Suggestion,
    SuggestionCategory,
    SuggestionNote,
    SuggestionReply,
    SuggestionStatusChange,
    utcnow,
)
from language.reference import new_reference
from core.settings import ROOT, get_settings

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
    audit_repo.record(
        session, actor=by, action="status", object_type="suggestion",
        object_id=suggestion.reference, before={"status": suggestion.status},
        after={"status": status, "note": note},
    )  # fmt: skip
    suggestion.status = status
    suggestion.closed_at = utcnow() if status in CLOSING else None


def publish_reply(
    session: Session, suggestion: Suggestion, *, text: str, by: str, close_as: str | None = None
) -> SuggestionReply:
    """Publish a staff reply; queue one outbox message when the resident asked for one."""
    if not text.strip():
        raise ValueError("the reply is empty")
    reply = SuggestionReply(text=text, published_by=by)
    suggestion.replies.append(reply)
    session.flush()
    audit_repo.record(
        session, actor=by, action="reply", object_type="suggestion",
        object_id=suggestion.reference, after={"text": text},
    )  # fmt: skip
    if suggestion.wants_reply and suggestion.reply_address:
        session.add(
            OutboxMessage(
                suggestion_id=suggestion.id,
                channel=suggestion.channel,
                address=suggestion.reply_address,
                text=reply_message(suggestion, text),
            )
        )
    if close_as != "duplicate":  # a duplicate's own closing message is not the outcome
        reply_reach.forward_to_duplicates(session, suggestion, text, by=by)
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


# --- staff workflow (the console and `make staff` share these; each change is audited) ----------


def tell_staff_chat(session: Session, text: str) -> OutboxMessage | None:
    """A message to the staff Telegram chat through the outbox (when one is configured)."""
    chat = get_settings().staff_telegram_chat_id.strip()
    if not chat:
        return None
    message = OutboxMessage(channel="telegram", address=f"tg-{chat}", text=text)
    session.add(message)
    return message


def alert_staff(session: Session, suggestion: Suggestion) -> OutboxMessage | None:
    """Tell the staff Telegram chat of an urgent suggestion at once (when one is configured)."""
    return tell_staff_chat(
        session, f"⚠️ 紧急建议 {suggestion.reference}\n{suggestion.text[:300]}\n请立即在工作台处理。"
    )


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


def duplicate_message(suggestion: Suggestion, original: Suggestion) -> str:
    """What the resident is told when staff merge their suggestion into an earlier one."""
    if suggestion.language == "en":
        return (
            f"Your suggestion {suggestion.reference} raises the same matter as {original.reference}; "
            f"we are handling them together and will tell you the outcome. "
            f"Ask about {original.reference} to follow it."
        )
    return (
        f"您的建议与 {original.reference} 反映的是同一件事，我们将合并办理，"
        f"办理结果也会告诉您。可查询 {original.reference} 了解进展。"
    )


def mark_duplicate(
    session: Session, suggestion: Suggestion, *, original: Suggestion, by: str
) -> SuggestionReply:
    """Close as a duplicate of `original`; the resident is told which one (a published reply)."""
    if original.id == suggestion.id:
        raise ValueError("a suggestion cannot duplicate itself")
    if original.duplicate_of_id == suggestion.id:
        raise ValueError(f"{original.reference} is already a duplicate of this one")
    suggestion.duplicate_of = original
    audit_repo.record(
        session, actor=by, action="duplicate", object_type="suggestion",
        object_id=suggestion.reference, after={"duplicate_of": original.reference},
    )  # fmt: skip
    reply = publish_reply(
        session, suggestion, text=duplicate_message(suggestion, original), by=by,
        close_as="duplicate",
    )  # fmt: skip
    if original.replies:  # already answered: the resident gets that answer too
        reply_reach.forward(session, suggestion, original, original.replies[-1].text, by=by)
    return reply


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


def all_categories(session: Session) -> list[SuggestionCategory]:
    """Every category, inactive ones too, in display order (admins edit them)."""
    return list(session.scalars(select(SuggestionCategory).order_by(SuggestionCategory.sort_order)))


def save_category(
    session: Session, *, key: str, name_zh: str, name_en: str, topic: str | None,
    location_matters: bool, active: bool, sort_order: int, by: str,
) -> SuggestionCategory:  # fmt: skip
    """Create or change a category (audited)."""
    key = key.strip()
    if not key or not name_zh.strip():
        raise ValueError("a category needs a key and a Chinese name")
    category = session.get(SuggestionCategory, key)
    fields = {"name_zh": name_zh.strip(), "name_en": name_en.strip(), "topic": topic or None,
              "location_matters": location_matters, "active": active, "sort_order": sort_order}  # fmt: skip
    before = None
    if category is None:
        category = SuggestionCategory(key=key, keywords=[])
        session.add(category)
    else:
        before = {name: getattr(category, name) for name in fields}
    for name, value in fields.items():
        setattr(category, name, value)
    audit_repo.record(
        session, actor=by, action="category", object_type="category", object_id=key,
        before=before, after=fields,
    )  # fmt: skip
    return category
