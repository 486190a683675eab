"""Conversation analytics: one row per resident turn, added to the session the action already
has open (no round trip of its own: it is written with the action's own commit)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.models import ConversationTurn

OUTCOMES = ("answered", "fallback", "handoff")
MAX_TEXT = 500


def record_turn(
    session: Session, *, sender_hash: str, channel: str, language: str, intent: str,
    confidence: float | None, outcome: str, entry_id: str | None = None,
    masked_text: str | None = None,
) -> None:  # fmt: skip
    """Add one turn. An answered question keeps no text; an unanswered one its masked text."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    session.add(ConversationTurn(
        sender_hash=sender_hash, channel=channel[:32], language=language[:8], intent=intent[:96],
        topic=(entry_id or intent).split("_", 1)[0][:32] if intent or entry_id else "",
        confidence=confidence, outcome=outcome, entry_id=entry_id,
        masked_text=None if outcome == "answered" else (masked_text or "")[:MAX_TEXT],
    ))  # fmt: skip


def outcome_counts(session: Session) -> dict[str, int]:
    """How many turns ended each way."""
    query = select(ConversationTurn.outcome, func.count()).group_by(ConversationTurn.outcome)
    return {outcome: count for outcome, count in session.execute(query)}


def unanswered(session: Session, *, limit: int = 200) -> list[ConversationTurn]:
    """The latest turns the assistant could not answer (masked text), newest first."""
    query = select(ConversationTurn).where(ConversationTurn.outcome != "answered")
    return list(session.scalars(query.order_by(ConversationTurn.id.desc()).limit(limit)))
