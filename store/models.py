"""Typed ORM models of the knowledge base."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from store.db import Base


def utcnow() -> datetime:
    """Timezone-aware now in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A moment: written and read back as an aware UTC datetime, on SQLite (which keeps it as
    text without a zone) and PostgreSQL (`timestamp with time zone`) alike. A naive datetime is
    refused: its zone is unknown. The column stays `DateTime(timezone=True)` in the database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware moments (utcnow())")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class FaqEntry(Base):
    """One answer of the assistant; served by `action_answer_faq` for its intent."""

    __tablename__ = "faq_entry"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), index=True)
    intent: Mapped[str] = mapped_column(String(96), unique=True, index=True)
    title_zh: Mapped[str] = mapped_column(String(100), default="")
    title_en: Mapped[str] = mapped_column(String(100), default="")
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer_zh: Mapped[str] = mapped_column(Text)
    detail_zh: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text)
    detail_en: Mapped[str] = mapped_column(Text, default="")
    # What entries awaiting staff detail lack (addresses, opening hours, office phone numbers),
    # written by staff; numbers in it may appear in the answer.
    staff_detail_zh: Mapped[str] = mapped_column(Text, default="")
    staff_detail_en: Mapped[str] = mapped_column(Text, default="")
    next_questions_zh: Mapped[list[str]] = mapped_column(JSON, default=list)
    next_questions_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_zh: Mapped[str] = mapped_column(String(200))
    source_en: Mapped[str] = mapped_column(String(200))
    source_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    awaiting_detail: Mapped[bool] = mapped_column(Boolean, default=False)
    last_reviewed: Mapped[date] = mapped_column(Date)
    # Hash of the answer fields as last imported from knowledge/entries; when the database copy
    # no longer hashes to it, somebody edited it here and an import must not overwrite it.
    import_hash: Mapped[str] = mapped_column(String(64))
    # The synchronised fields as last imported from the file (the common base of a three-way
    # comparison): a field differing from it was changed here, however and by whomever.
    imported: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="import")
    # the Chinese answer changed after the English one was last written or confirmed
    answer_en_outdated: Mapped[bool] = mapped_column(Boolean, default=False)


class FaqEntryVersion(Base):
    """One saved version of an entry (every save, import and restore keeps one). Append-only."""

    __tablename__ = "faq_entry_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("faq_entry.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")


class ConversationTurn(Base):
    """One resident message and what became of it, for the analytics (no text when answered;
    the masked text when not, so staff can teach the assistant the question)."""

    __tablename__ = "conversation_turn"
    # The dashboard counts turns of a date range by day, topic, channel and outcome from the
    # first index alone (migration 0011); the second makes a turn one row (migration 0008).
    __table_args__ = (
        Index("ix_conversation_turn_dashboard", "at", "topic", "channel", "outcome"),
        Index("ix_conversation_turn_key", "sender_hash", "turn_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    intent: Mapped[str] = mapped_column(String(96))
    topic: Mapped[str] = mapped_column(String(32), index=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    # answered (an entry), fallback (entries offered as buttons), handoff (told to call 12345)
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    masked_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Staff handled an unanswered turn (the unanswered list): added as an example question of an
    # entry (`example`), made a new entry (`new_entry`), or not a question for the town (`dismissed`).
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    handled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    handled_as: Mapped[str | None] = mapped_column(String(16), nullable=True)
    handled_entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The resident's message this row stands for (Rasa's message id): every action of the turn
    # writes the same row, so a turn is one row however many actions it runs.
    turn_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SuggestionCategory(Base):
    """A staff-editable category of suggestions, mapped to a topic key where one exists."""

    __tablename__ = "suggestion_category"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(32), nullable=True)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    location_matters: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Suggestion(Base):
    """A resident's suggestion (人民建议): text masked, contact only with consent."""

    __tablename__ = "suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    # The conversation's draft id: confirming twice never makes two records.
    draft_id: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    category_key: Mapped[str] = mapped_column(ForeignKey("suggestion_category.key"))
    topic: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    location_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    location_std: Mapped[str | None] = mapped_column(String(100), nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="zh")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    wants_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    # Keyed hash of channel + sender: who may see the text and the reply, and analytics.
    sender_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # Where to deliver the staff reply (channel address); cleared after closing + retention.
    channel: Mapped[str] = mapped_column(String(32), default="rest")
    reply_address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The call-back number, sealed (`store/contact_cipher.py`): read only on an audited reveal.
    contact_phone_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    answer_due: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id"), nullable=True, index=True
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion.id"), nullable=True)
    # reference, text and place folded for search (store/search_index.py)
    search_text: Mapped[str] = mapped_column(Text, default="")
    forwarded_to: Mapped[str | None] = mapped_column(String(100), nullable=True)  # a department
    # an urgent one acknowledged by staff (who, when), whatever its status
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    assignee: Mapped[StaffAccount | None] = relationship()
    duplicate_of: Mapped[Suggestion | None] = relationship(remote_side="Suggestion.id")
    notes: Mapped[list[SuggestionNote]] = relationship(
        order_by="SuggestionNote.id", cascade="all, delete-orphan"
    )
    history: Mapped[list[SuggestionStatusChange]] = relationship(
        back_populates="suggestion",
        order_by="SuggestionStatusChange.id",
        cascade="all, delete-orphan",
    )
    replies: Mapped[list[SuggestionReply]] = relationship(
        back_populates="suggestion", order_by="SuggestionReply.id", cascade="all, delete-orphan"
    )


class HeldContact(Base):
    """A number typed during a suggestion, sealed, until the resident agrees to a call-back (it
    moves into the suggestion) or refuses, cancels or goes quiet (it is deleted). Slots and Rasa's
    events name it only by `ref` beside a masked form."""

    __tablename__ = "held_contact"

    ref: Mapped[str] = mapped_column(String(32), primary_key=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone_sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class SuggestionStatusChange(Base):
    """One status change, timestamped with who made it."""

    __tablename__ = "suggestion_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    suggestion: Mapped[Suggestion] = relationship(back_populates="history")


class SuggestionReply(Base):
    """A staff reply, published to the resident."""

    __tablename__ = "suggestion_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    suggestion: Mapped[Suggestion] = relationship(back_populates="replies")


class OutboxMessage(Base):
    """One outgoing message to a resident; the channel layer delivers it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestion.id"), nullable=True, index=True
    )
    channel: Mapped[str] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # pending → sending (claimed by one bridge or web chat page, with a lease) → sent | failed |
    # uncertain. Telegram: uncertain (a lease expired, or a timeout after sending) waits for staff,
    # never resent alone. Web chat: a claim the page never acknowledged is handed out again after
    # its lease (the page skips ids it already showed), so nothing is shown twice or lost.
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    suggestion: Mapped[Suggestion | None] = relationship()
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RateEvent(Base):
    """One counted event (a lookup, a suggestion) per keyed sender, for rate limits."""

    __tablename__ = "rate_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class DeletionRequest(Base):
    """A resident asked for their personal data to be deleted; `make purge` also clears conversations."""

    __tablename__ = "deletion_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_hash: Mapped[str] = mapped_column(String(64), index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    conversations_purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class StaffAccount(Base):
    """A member of staff who signs in to the console: reviewer, editor or admin."""

    __tablename__ = "staff_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # set by an admin's create or password reset: the first sign-in asks for a new password
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)


class StaffNotification(Base):
    """A console notification for one member of staff (an assignment); read when opened."""

    __tablename__ = "staff_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("staff_account.id"), index=True)
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    suggestion: Mapped[Suggestion | None] = relationship()


class AuditEntry(Base):
    """One change made by staff: who, when, what, before and after. Append-only."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class SuggestionNote(Base):
    """An internal note on a suggestion; residents never see it."""

    __tablename__ = "suggestion_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SuggestionToken(Base):
    """One character, or two neighbouring characters, of a suggestion's search text: search by
    any part of a word through indexed lookups (store/search_index.py)."""

    __tablename__ = "suggestion_token"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AppSetting(Base):
    """A setting admins change in the console (overrides the environment's default)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AnswerRating(Base):
    """A resident's 👍 / 👎 for one answered turn: one row per turn, a second press changes it."""

    __tablename__ = "answer_rating"

    turn_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_turn.id", ondelete="CASCADE"), primary_key=True
    )
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    rating: Mapped[str] = mapped_column(String(8))  # up or down
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PublishJob(Base):
    """One publish: the entries' examples validated, trained on, tested and loaded into the
    running assistant by scripts/publish.py (a background process). One at a time."""

    __tablename__ = "publish_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # queued → validating → training → testing → loading → done | failed
    state: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    step: Mapped[str] = mapped_column(String(200), default="")
    progress: Mapped[list] = mapped_column(JSON, default=list)  # [{"at": iso, "text": …}]
    reason: Mapped[str] = mapped_column(Text, default="")
    running_accuracy: Mapped[float | None] = mapped_column(Float, nullable=True)
    candidate_accuracy: Mapped[float | None] = mapped_column(Float, nullable=True)
    conversation_result: Mapped[str] = mapped_column(String(200), default="")
    model_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    requested_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # 1 while the job runs, NULL once it ended: the unique index admits one running job only.
    running: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)


class Handoff(Base):
    """A resident asked for a person (store/handoff_repo.py): waiting → active (a staff member
    took it; Rasa is paused for the resident) → ended, or waiting → expired (nobody took it in
    time: the assistant goes on, with an apology)."""

    __tablename__ = "handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(200), index=True)  # Rasa's conversation id
    channel: Mapped[str] = mapped_column(String(32))  # the outbox channel that reaches them
    language: Mapped[str] = mapped_column(String(8), default="zh")
    state: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    taken_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
