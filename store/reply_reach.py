"""How a staff reply reaches residents beyond the suggestion's own: the residents of its
duplicates, and residents of the REST channel (which cannot be written to first).

A duplicate's resident gets the original's reply as a reply to their own suggestion (kept on it,
so a look-up shows it) and, when they asked for a reply and an address is kept, an outbox
message on their own channel. A REST resident's queued message has no bridge to send it: it is
delivered when the resident looks their suggestion up, and is then marked sent.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from language.catalogue import say
from store import audit_repo
from store.models import OutboxMessage, Suggestion, SuggestionReply, utcnow

REST = "rest"  # Rasa's REST channel: answers only what it is asked


def duplicates_of(session: Session, original: Suggestion) -> list[Suggestion]:
    """The suggestions merged into `original`, oldest first."""
    query = select(Suggestion).where(Suggestion.duplicate_of_id == original.id)
    return list(session.scalars(query.order_by(Suggestion.id)))


def forwarded_message(duplicate: Suggestion, original: Suggestion, text: str) -> str:
    """What a duplicate's resident receives when staff reply to the original."""
    return say(
        "reply_forwarded",
        duplicate.language,
        reference=duplicate.reference,
        original=original.reference,
        text=text,
    )


def forward_to_duplicates(session: Session, original: Suggestion, text: str, *, by: str) -> int:
    """Give the original's reply to every duplicate's resident, each per their own consent;
    returns how many outbox messages were queued."""
    return sum(forward(session, d, original, text, by=by) for d in duplicates_of(session, original))


def forward(session: Session, duplicate: Suggestion, original: Suggestion, text: str, *,
            by: str) -> int:  # fmt: skip
    """The original's reply `text` to one duplicate's resident; 1 when a message was queued."""
    duplicate.replies.append(SuggestionReply(text=text, published_by=by))
    audit_repo.record(
        session, actor=by, action="reply_forwarded", object_type="suggestion",
        object_id=duplicate.reference, after={"from": original.reference, "text": text},
    )  # fmt: skip
    if not (duplicate.wants_reply and duplicate.reply_address):
        return 0
    message = forwarded_message(duplicate, original, text)
    session.add(OutboxMessage(suggestion_id=duplicate.id, channel=duplicate.channel,
                              address=duplicate.reply_address, text=message))  # fmt: skip
    return 1


def seen_by_resident(session: Session, suggestion: Suggestion) -> int:
    """The resident read their suggestion's replies (a look-up): a REST message waiting for them
    is delivered. Returns how many were marked sent."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.suggestion_id == suggestion.id,
            OutboxMessage.channel == REST,
            OutboxMessage.state == "pending",
        )  # fmt: skip
        .values(state="sent", sent_at=utcnow())
    )
    return result.rowcount or 0


def waiting_for_resident(session: Session, suggestion_ids: list[int]) -> set[int]:
    """Which of these suggestions have a REST reply the resident has not looked up yet."""
    if not suggestion_ids:
        return set()
    query = select(OutboxMessage.suggestion_id).where(
        OutboxMessage.suggestion_id.in_(suggestion_ids), OutboxMessage.channel == REST,
        OutboxMessage.state == "pending",
    )  # fmt: skip
    return set(session.scalars(query))
