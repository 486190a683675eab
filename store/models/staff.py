"""The staff side: accounts, notifications, the audit log, console settings, publish jobs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.db import Base
from store.models.columns import UtcDateTime, utcnow

if TYPE_CHECKING:
    from store.models.suggestion import Suggestion


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


class AppSetting(Base):
    """A setting admins change in the console (overrides the environment's default)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


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
