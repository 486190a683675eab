"""Staff's answer to a suggestion: status changes, published replies (with one outbox message when
the resident asked for one), duplicates merged into an earlier suggestion. Each is audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from language.catalogue import say
from store import audit_repo, reply_reach
from store.models import OutboxMessage, Suggestion, SuggestionReply, SuggestionStatusChange, utcnow
from store.suggestion_repo import CLOSING, STATUSES, WITHDRAWN


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
    return say("reply_to_resident", suggestion.language, reference=suggestion.reference, text=text)


def duplicate_message(suggestion: Suggestion, original: Suggestion) -> str:
    """What the resident is told when staff merge their suggestion into an earlier one."""
    return say(
        "reply_merged",
        suggestion.language,
        reference=suggestion.reference,
        original=original.reference,
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
