"""Conversation analytics: one row per resident turn, added to the session the action already
has open (no round trip of its own: it is written with the action's own commit).

Outcomes, one per turn:
- answered: a knowledge entry answered the question (`entry_id` says which); no text kept;
- fallback: not understood, the closest entries offered as buttons (masked text kept);
- handoff: told to call 12345, a person or an emergency number (masked text kept);
- conversation: a social turn (greeting, thanks, yes/no outside a flow, what the assistant is);
- suggestion: a step of giving a suggestion, or a status / withdraw / my-data request about one;
- rating: the resident pressed 👍 / 👎 (or typed it) for an earlier answer.

A turn is keyed by Rasa's message id (`turn_key`): every action of one turn writes the same row,
the last one's outcome wins (a form step that ends in a submit stays one row).

Ratings: one `AnswerRating` per answered turn, owned by the resident who was answered; pressing
again changes it. `worst_rated` lists entries by their share of 👎.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from knowledge import topics
from store.models import AnswerRating, ConversationTurn, FaqEntry, utcnow

OUTCOMES = ("answered", "fallback", "handoff", "conversation", "suggestion", "rating")
UNANSWERED = ("fallback", "handoff")
RATINGS = ("up", "down")
MAX_TEXT = 500


def topic_of(name: str | None) -> str:
    """The topic key an intent or entry id starts with (topics.yml); `out_of_scope` is
    one key, and Rasa's `nlu_fallback` (nothing understood) has none."""
    if not name or name == "nlu_fallback":
        return ""
    return (topics.topic_of(name) or name.split("_", 1)[0])[:32]


def record_turn(
    session: Session, *, sender_hash: str, channel: str, language: str, intent: str,
    confidence: float | None, outcome: str, entry_id: str | None = None,
    masked_text: str | None = None, turn_key: str | None = None,
) -> ConversationTurn:  # fmt: skip
    """Add this turn, or update it when an earlier action of the same turn (`turn_key`) wrote it.
    An unanswered turn keeps its masked text; any other keeps no text."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    turn = None
    if turn_key:
        turn = session.scalars(
            select(ConversationTurn).where(
                ConversationTurn.sender_hash == sender_hash,
                ConversationTurn.turn_key == turn_key[:64],
            )
        ).one_or_none()
    if turn is None:
        turn = ConversationTurn(
            sender_hash=sender_hash, turn_key=turn_key[:64] if turn_key else None
        )
        session.add(turn)
    turn.channel, turn.language, turn.intent = channel[:32], language[:8], intent[:96]
    turn.topic = topic_of(entry_id or intent)
    turn.confidence, turn.outcome, turn.entry_id = confidence, outcome, entry_id
    turn.masked_text = (masked_text or "")[:MAX_TEXT] if outcome in UNANSWERED else None
    return turn


def outcome_counts(session: Session) -> dict[str, int]:
    """How many turns ended each way."""
    query = select(ConversationTurn.outcome, func.count()).group_by(ConversationTurn.outcome)
    return {outcome: count for outcome, count in session.execute(query)}


def unanswered(session: Session, *, limit: int = 200) -> list[ConversationTurn]:
    """The latest turns the assistant could not answer (masked text), newest first."""
    query = select(ConversationTurn).where(ConversationTurn.outcome.in_(UNANSWERED))
    return list(session.scalars(query.order_by(ConversationTurn.id.desc()).limit(limit)))


def rate_answer(
    session: Session, *, sender_hash: str, rating: str, turn_id: int | None = None
) -> ConversationTurn | None:
    """Rate `turn_id` up or down (a second rating of it changes the first); without a turn id (a
    typed 👍 / 👎), this resident's latest answer, only when it is not rated yet. None when there
    is no such answer of this resident, or the latest answer is rated already."""
    if rating not in RATINGS:
        raise ValueError(rating)
    query = select(ConversationTurn).where(
        ConversationTurn.sender_hash == sender_hash,
        ConversationTurn.outcome == "answered",
        ConversationTurn.entry_id.is_not(None),
    )
    if turn_id is not None:
        query = query.where(ConversationTurn.id == turn_id)
    turn = session.scalars(query.order_by(ConversationTurn.id.desc()).limit(1)).first()
    if turn is None:
        return None
    existing = session.get(AnswerRating, turn.id)
    if existing is not None and turn_id is None:  # a typed thumb never replaces a pressed rating
        return None
    if existing is None:
        session.add(AnswerRating(turn_id=turn.id, entry_id=turn.entry_id, rating=rating))
    else:
        existing.rating, existing.rated_at = rating, utcnow()
    return turn


def rating_of(session: Session, *, turn_id: int) -> str | None:
    """The rating of one turn, if any."""
    rating = session.get(AnswerRating, turn_id)
    return rating.rating if rating else None


@dataclass(frozen=True)
class RatedEntry:
    """An entry's ratings: counts, the share of 👎 and when it was last rated."""

    entry_id: str
    title: str
    up: int
    down: int
    last_rated: datetime

    @property
    def down_share(self) -> float:
        return self.down / (self.up + self.down)


def worst_rated(session: Session, *, lang: str = "zh", limit: int = 50) -> list[RatedEntry]:
    """Rated entries, the largest share of 👎 first (then the most 👎, then the latest)."""
    down = func.sum(case((AnswerRating.rating == "down", 1), else_=0))
    total = func.count()
    title = FaqEntry.title_en if lang == "en" else FaqEntry.title_zh
    query = (
        select(AnswerRating.entry_id, title, total - down, down, func.max(AnswerRating.rated_at))
        .outerjoin(FaqEntry, FaqEntry.id == AnswerRating.entry_id)
        .group_by(AnswerRating.entry_id, title)
        .order_by((down * 1.0 / total).desc(), down.desc(), func.max(AnswerRating.rated_at).desc())
        .limit(limit)
    )
    return [
        RatedEntry(entry_id, title or entry_id, int(up), int(down_count), last)
        for entry_id, title, up, down_count, last in session.execute(query)
    ]
