"""A clerk's day on the queue: bulk actions, assignment that tells the assignee (a console
notification, and the staff Telegram chat through the outbox), the department an item was
forwarded to, the urgent acknowledgement, what an urgent resident was told, reply templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from language.catalogue import say
from language.emergency import emergency_kinds
from language.places import town_places
from store import (
    audit_repo,
    casework_repo,
    outbox_repo,
    reply_repo,
    suggestion_repo,
    template_repo,
)
from store.models import StaffAccount, StaffNotification, Suggestion, utcnow
from store.suggestion_repo import CLOSING, ENDED, STATUSES, WITHDRAWN

BULK_ACTIONS = ("assign", "status", "duplicate")
# the line a resident is given for each kind of emergency (actions/helpers.py EMERGENCY_NUMBERS)
EMERGENCY_LINES = {"fire": "119", "medical": "120", "police": "110"}


# --- assignment and notifications -------------------------------------------------------------


def assign(session: Session, suggestion: Suggestion, *, assignee: StaffAccount | None, by: str):
    """Assign (audited) and tell the assignee: a console notification and, when
    STAFF_TELEGRAM_CHAT_ID is set, a message to the staff chat through the outbox."""
    if assignee is not None and suggestion.assignee_id == assignee.id:
        return
    casework_repo.assign(session, suggestion, assignee=assignee, by=by)
    if assignee is None:
        return
    if assignee.username != by:  # taking it oneself needs no notice
        text = say("notice_assigned_to_you", "zh", by=by, reference=suggestion.reference,
                   text=suggestion.text[:80])  # fmt: skip
        session.add(
            StaffNotification(account_id=assignee.id, suggestion_id=suggestion.id, text=text)
        )
    name = assignee.display_name or assignee.username
    outbox_repo.tell_staff_chat(session, say("staff_chat_assigned", "zh", reference=suggestion.reference,
                                             name=name, by=by, text=suggestion.text[:200]))  # fmt: skip


def unread_count(session: Session, account_id: int) -> int:
    query = select(func.count()).select_from(StaffNotification)
    return session.scalar(
        query.where(StaffNotification.account_id == account_id, StaffNotification.read_at.is_(None))
    )


def notifications(session: Session, account_id: int, limit: int = 50) -> list[StaffNotification]:
    """The account's latest notifications, newest first."""
    query = select(StaffNotification).where(StaffNotification.account_id == account_id)
    return list(session.scalars(query.order_by(StaffNotification.id.desc()).limit(limit)))


def mark_read(session: Session, account_id: int) -> None:
    session.execute(
        update(StaffNotification)
        .where(StaffNotification.account_id == account_id, StaffNotification.read_at.is_(None))
        .values(read_at=utcnow())
    )


# --- status, forwarding, urgent ---------------------------------------------------------------


def change_status(
    session: Session, suggestion: Suggestion, *, status: str, by: str, note: str = "",
    department: str = "",
) -> None:  # fmt: skip
    """Change the status; "forwarded" records the department it went to (audited)."""
    department = department.strip()[:100]
    if status == "forwarded" and not department:
        raise ValueError("name the department it is forwarded to")
    reply_repo.change_status(session, suggestion, status=status, by=by, note=note)
    if status == "forwarded":
        suggestion.forwarded_to = department
        audit_repo.record(
            session, actor=by, action="status", object_type="suggestion",
            object_id=suggestion.reference, after={"department": department},
        )  # fmt: skip


def acknowledge(session: Session, suggestion: Suggestion, *, by: str) -> None:
    """Staff have seen an urgent suggestion (who, when), whatever its status."""
    if not suggestion.urgent:
        raise ValueError("only urgent suggestions are acknowledged")
    if suggestion.acknowledged_at is not None:
        return
    suggestion.acknowledged_by, suggestion.acknowledged_at = by, utcnow()
    audit_repo.record(session, actor=by, action="acknowledge", object_type="suggestion",
                      object_id=suggestion.reference)  # fmt: skip


def told_resident(suggestion: Suggestion) -> list[str]:
    """The emergency lines an urgent resident was given (fire 119, medical 120, police 110),
    read from the text as the assistant read it; the 12345 hotline always."""
    if not suggestion.urgent:
        return []
    lines = [EMERGENCY_LINES[k] for k in emergency_kinds(suggestion.text)]
    return [*lines, "12345"]


# --- bulk -------------------------------------------------------------------------------------


@dataclass
class BulkResult:
    changed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # reference, why


def bulk(
    session: Session, ids: list[int], *, action: str, value: str, by: str, department: str = ""
) -> BulkResult:
    """Apply one action to several suggestions: assign (an account id or "" for nobody), status,
    or duplicate of a reference. Each change is the single one's (audited, residents told); the
    ones that cannot take it are refused with the reason and the others still change."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    result = BulkResult()
    chosen = session.scalars(select(Suggestion).where(Suggestion.id.in_(ids[:200])))
    account, original = None, None
    if action == "assign" and value:
        account = session.get(StaffAccount, int(value)) if value.isdigit() else None
        if account is None or not account.active:
            raise ValueError(f"unknown account {value!r}")
    if action == "status" and (value not in STATUSES or value == WITHDRAWN):
        raise ValueError(f"unknown status {value!r}")
    if action == "duplicate":
        original = suggestion_repo.get_by_reference(session, reference=value.strip())
        if original is None:
            raise ValueError(f"unknown suggestion {value!r}")
    for suggestion in sorted(chosen, key=lambda s: s.id):
        try:  # every refusal is raised before anything of that suggestion changed
            if action == "assign":
                assign(session, suggestion, assignee=account, by=by)
            elif action == "status":
                if value in CLOSING and not suggestion.replies:
                    raise ValueError("closing needs a published reply first")
                change_status(session, suggestion, status=value, by=by, department=department)
            elif suggestion.id != original.id:
                if suggestion.status in ENDED:
                    raise ValueError("already closed")
                reply_repo.mark_duplicate(session, suggestion, original=original, by=by)
            else:
                continue
            result.changed.append(suggestion.reference)
        except ValueError as error:
            result.refused.append((suggestion.reference, str(error)))
    return result


# --- places and reply templates ---------------------------------------------------------------


@lru_cache
def known_places() -> list[str]:
    """The town's places (knowledge/places.yml), in the file's order."""
    return [place.name for place in town_places()]


def templates_for(session: Session, *, category_key: str, language: str) -> list[dict]:
    """The active reply templates of a category (then the general ones), in their sort order and
    in the resident's language: [{"title", "text"}] (the Chinese text where no English one)."""
    lang = "en" if language == "en" else "zh"
    return [
        {"title": getattr(t, f"title_{lang}") or t.title_zh,
         "text": getattr(t, f"text_{lang}") or t.text_zh}
        for t in template_repo.offered(session, category_key=category_key)
    ]  # fmt: skip
