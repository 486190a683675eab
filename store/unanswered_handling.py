"""What staff make of a group of the unanswered list (`store/unanswered_repo.py`): an example
question of an entry, a new entry, or dismissed. Handling marks every turn of the group (audited)
and it leaves the list; a second editor handling the same group at once marks nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from knowledge import faq_repo
from store import audit_repo
from store.models import AuditEntry, ConversationTurn, FaqEntry, utcnow
from store.unanswered_repo import MAX_ROWS, check_example

HANDLED_AS = ("example", "new_entry", "dismissed")
AUDIT_ACTIONS = {"example": "unanswered_example", "new_entry": "unanswered_new_entry",
                 "dismissed": "unanswered_dismiss"}  # fmt: skip


def _handle(
    session: Session, *, turn_ids: list[int], by: str, handled_as: str,
    entry_id: str | None = None, example: str | None = None,
) -> int:  # fmt: skip
    """Mark the still open turns among `turn_ids` handled (audited); how many were (0: none
    was open any more, nothing audited)."""
    if handled_as not in HANDLED_AS:
        raise ValueError(handled_as)
    ids = sorted({int(i) for i in turn_ids})[:MAX_ROWS]
    # one UPDATE: when two editors handle the same group at once, the second marks nothing
    marked = session.execute(
        update(ConversationTurn)
        .where(ConversationTurn.id.in_(ids), ConversationTurn.outcome != "answered",
               ConversationTurn.handled_at.is_(None))
        .values(handled_at=utcnow(), handled_by=by[:64], handled_as=handled_as,
                handled_entry_id=entry_id)
        .returning(ConversationTurn.id)
    ).scalars().all()  # fmt: skip
    if not marked:
        return 0
    after = {"turns": len(marked), "turn_ids": sorted(marked)[:100], "entry": entry_id}
    if example:
        after["example"] = example
    audit_repo.record(session, actor=by, action=AUDIT_ACTIONS[handled_as],
                      object_type="conversation_turn", object_id=min(marked), after=after)  # fmt: skip
    return len(marked)


def add_as_example(
    session: Session, *, turn_ids: list[int], entry_id: str, example: str, editor: str
) -> FaqEntry:
    """Add `example` to the entry's example questions as the editor saves (a new version, audited)
    and mark the group handled. Reachable by chat at once (retrieval), by the model after Publish."""
    entry = session.get(FaqEntry, entry_id)
    if entry is None:
        raise LookupError(entry_id)
    example = check_example(session, example, intent=entry.intent)
    if not _handle(session, turn_ids=turn_ids, by=editor, handled_as="example",
                   entry_id=entry_id, example=example):  # fmt: skip
        raise LookupError("already handled")
    return faq_repo.save_entry(session, entry_id, editor=editor,
                               values={"examples": [*entry.examples, example]},
                               note="example question from the unanswered list")  # fmt: skip


def dismiss(session: Session, *, turn_ids: list[int], by: str) -> int:
    """Not a question for the town: the group leaves the list (audited); how many turns."""
    if not (count := _handle(session, turn_ids=turn_ids, by=by, handled_as="dismissed")):
        raise LookupError("already handled")
    return count


def made_new_entry(session: Session, *, turn_ids: list[int], entry_id: str, by: str) -> int:
    """A new entry was made from the group (the editor's /entries/new): the group leaves."""
    return _handle(session, turn_ids=turn_ids, by=by, handled_as="new_entry", entry_id=entry_id)


def examples_added_since(session: Session, since: datetime | None) -> int:
    """How many example questions the unanswered list added since `since` (e.g. the last training)."""
    query = select(func.count()).where(AuditEntry.action == AUDIT_ACTIONS["example"])
    if since is not None:
        query = query.where(AuditEntry.at > since)
    return session.scalar(query) or 0


def parse_ids(text: str | None) -> list[int]:
    """Turn ids from a form's comma-separated field; anything else is ignored."""
    return [int(part) for part in (text or "").split(",")[:MAX_ROWS] if part.strip().isdigit()]
