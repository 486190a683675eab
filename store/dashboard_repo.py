"""The console dashboard's figures: conversation turns per Shanghai day by topic and by channel,
outcome shares, suggestions by status, category and place, the median time to a closing reply,
and the overdue count. Every count is a GROUP BY in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import Float, String, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from language.places import town_places
from store import queue_repo
from store.models import (
    AnswerRating,
    ConversationTurn,
    FaqEntry,
    Suggestion,
    SuggestionCategory,
    SuggestionReply,
)
from store.suggestion_repo import CLOSING, SHANGHAI, shanghai_today

# A resident's question, by what is known of its answer: answered by an entry (and not rated 👎),
# the emergency numbers given, a topic-level general answer (an entry `…_other`: the base does
# not cover the question), answered but rated 👎, the closest entries offered (fallback), or
# pointed to 12345 (handoff). Other turns (greetings, suggestion steps, ratings) are no questions.
QUESTIONS = ("answered", "emergency", "general", "rated_down", "fallback", "handoff")
KNOWN_ANSWERED = ("answered", "emergency")
RANGES = (7, 30, 90)
DEFAULT_RANGE = 30
OTHER_PLACE = "其他/未注明"


# --- SQL that differs between the two databases ----------------------------------------------


class shanghai_date(FunctionElement):
    """The Asia/Shanghai calendar date of a stored UTC moment (ISO text from SQLite, a date from
    PostgreSQL); no DST, so SQLite shifts by 8 hours."""

    type = String()
    name = "shanghai_date"
    inherit_cache = True


@compiles(shanghai_date)
def _shanghai_date_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(shanghai_date, "postgresql")
def _shanghai_date_postgresql(element, compiler, **kw) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(timezone('Asia/Shanghai', {moment}) AS date)"  # str() of it is ISO


class epoch_seconds(FunctionElement):
    """Seconds since the epoch of a stored moment."""

    type = Float()
    name = "epoch_seconds"
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_sqlite(element, compiler, **kw) -> str:
    return f"(julianday({compiler.process(element.clauses, **kw)}) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element, compiler, **kw) -> str:
    return f"extract(epoch from {compiler.process(element.clauses, **kw)})"


# --- the window ------------------------------------------------------------------------------


def days_of(days: int, *, today: date | None = None) -> list[date]:
    """The last `days` Shanghai dates, oldest first, ending today."""
    end = today or shanghai_today()
    return [end - timedelta(days=n) for n in range(days - 1, -1, -1)]


def window(days: int, *, today: date | None = None) -> tuple[datetime, datetime]:
    """The first moment and the moment after the last (UTC) of the last `days` Shanghai dates."""
    dates = days_of(days, today=today)

    def start(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=SHANGHAI).astimezone(UTC)

    return start(dates[0]), start(dates[-1] + timedelta(days=1))


# --- conversations ---------------------------------------------------------------------------


def turn_counts(
    session: Session, *, since: datetime, until: datetime
) -> list[tuple[str, str, str, str, int]]:
    """(Shanghai date, topic, channel, kind, turns) from `since` until `until`, kind being the
    outcome refined by what is known (QUESTIONS). The outcomes come in one pass over the covering
    index ix_conversation_turn_dashboard (at most days × topics × channels × outcomes rows); the
    few turns whose kind differs (rated 👎, a general answer, the emergency numbers) are counted
    apart through small indexed lookups and moved from their outcome to their kind."""
    t = ConversationTurn
    day = shanghai_date(t.at)
    window_ = (t.at >= since, t.at < until)
    counts: dict[tuple[str, str, str, str], int] = {}
    query = select(day, t.topic, t.channel, t.outcome, func.count()).where(*window_)
    for d, topic, channel, outcome, n in session.execute(
        query.group_by(day, t.topic, t.channel, t.outcome)
    ):
        key = (str(d), topic or "", channel or "", outcome)
        counts[key] = counts.get(key, 0) + n
    down = select(AnswerRating.turn_id).where(AnswerRating.rating == "down")
    # the topic-level entries (`…_other`: a general answer for a topic), from the small entry table
    general = select(FaqEntry.id).where(FaqEntry.id.like("%\\_other", escape="\\"))
    moves = (  # (kind, condition): each narrowed by its own index; the outcome checked here
        ("rated_down", and_(t.outcome == "answered", t.id.in_(down))),
        ("general", and_(t.entry_id.in_(general), t.id.not_in(down))),
        (
            "emergency",
            and_(t.outcome == "handoff", t.intent.like("hotline\\_emergency%", escape="\\")),
        ),
    )
    for kind, condition in moves:
        moved = select(day, t.topic, t.channel, t.outcome, func.count()).where(*window_, condition)
        grouped = moved.group_by(day, t.topic, t.channel, t.outcome)
        for d, topic, channel, outcome, n in session.execute(grouped):
            if outcome != ("handoff" if kind == "emergency" else "answered"):
                continue
            place = (str(d), topic or "", channel or "")
            counts[(*place, outcome)] -= n
            counts[(*place, kind)] = counts.get((*place, kind), 0) + n
    return [(*key, n) for key, n in counts.items() if n]


# --- suggestions -----------------------------------------------------------------------------


def suggestions_by(session: Session, *, since: datetime, by: str) -> dict[str, int]:
    """Suggestions made since `since` per "status" or "category" (its key)."""
    column = {"status": Suggestion.status, "category": Suggestion.category_key}[by]
    query = select(column, func.count()).where(Suggestion.created_at >= since).group_by(column)
    return dict(session.execute(query).all())


@cache
def report_places() -> tuple[tuple[str, str], ...]:
    """The report's places (knowledge/places.yml): standard name and kind, in the file's order."""
    return tuple((place.name, place.kind) for place in town_places())


def suggestions_by_place(session: Session, *, since: datetime) -> list[tuple[str, str, int]]:
    """(place, kind, count) for every place of the report, most suggestions first, then one row
    for the rest: no place recognised, or one the report does not name (kind "")."""
    query = (
        select(Suggestion.location_std, func.count())
        .where(Suggestion.created_at >= since)
        .group_by(Suggestion.location_std)
    )
    counts = dict(session.execute(query).all())
    rows = [(name, kind, counts.pop(name, 0)) for name, kind in report_places()]
    rows.sort(key=lambda row: -row[2])  # stable: the file's order among equals
    return [*rows, (OTHER_PLACE, "", sum(counts.values()))]


def median_closing_seconds(session: Session, *, since: datetime) -> tuple[float | None, int]:
    """For suggestions closed since `since`: the median time from creation to the reply that
    closed them (the last one published before closing), and how many there were."""
    closing_reply = (
        select(SuggestionReply.suggestion_id, func.max(SuggestionReply.published_at).label("at"))
        .join(Suggestion, Suggestion.id == SuggestionReply.suggestion_id)
        .where(
            Suggestion.status.in_(CLOSING),
            Suggestion.closed_at >= since,
            SuggestionReply.published_at <= Suggestion.closed_at,
        )
        .group_by(SuggestionReply.suggestion_id)
        .subquery()
    )
    taken = (epoch_seconds(closing_reply.c.at) - epoch_seconds(Suggestion.created_at)).label("s")
    durations = select(taken).join(closing_reply, closing_reply.c.suggestion_id == Suggestion.id)
    n = session.scalar(select(func.count()).select_from(durations.subquery()))
    if not n:
        return None, 0
    middle = durations.order_by(taken).offset((n - 1) // 2).limit(2 - n % 2).subquery()
    return float(session.scalar(select(func.avg(middle.c.s)))), n


def overdue_count(session: Session) -> int:
    """Open suggestions past their promised answer date (the queue's own rule)."""
    query = select(func.count()).select_from(Suggestion)
    return session.scalar(queue_repo.apply(query, queue_repo.Filters(overdue=True)))


def category_names(session: Session) -> dict[str, tuple[str, str]]:
    """Every category key with its Chinese and English names."""
    query = select(SuggestionCategory.key, SuggestionCategory.name_zh, SuggestionCategory.name_en)
    return {key: (zh, en) for key, zh, en in session.execute(query)}


# --- the whole page --------------------------------------------------------------------------


@dataclass
class Conversations:
    days: list[str]
    by_topic: dict[str, list[int]]
    by_channel: dict[str, list[int]]
    outcomes: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    @property
    def questions(self) -> int:
        """Turns that asked something: answered, fallback or handoff (not greetings, suggestion
        steps or ratings)."""
        return sum(self.outcomes.get(o, 0) for o in QUESTIONS)

    @property
    def answered_share(self) -> float | None:
        """Questions known to be answered (an entry not rated 👎, or the emergency numbers) over
        questions; None when nobody asked anything."""
        known = sum(self.outcomes.get(o, 0) for o in KNOWN_ANSWERED)
        return known / self.questions if self.questions else None

    @property
    def other_turns(self) -> int:
        """Turns that asked nothing: greetings, suggestion steps, ratings."""
        return self.total - self.questions


@dataclass
class Suggestions:
    by_status: dict[str, int]
    by_category: dict[str, int]
    places: list[tuple[str, str, int]]
    median_closing_seconds: float | None
    closed: int
    overdue: int
    category_names: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def _series(per_key: dict[str, dict[str, int]], days: list[str]) -> dict[str, list[int]]:
    """Counts per key as one list over every day (0 where none), biggest total first."""
    series = {key: [counts.get(day, 0) for day in days] for key, counts in per_key.items()}
    return dict(sorted(series.items(), key=lambda item: (-sum(item[1]), item[0])))


def conversations(session: Session, *, days: int, today: date | None = None) -> Conversations:
    """The conversation half of the dashboard over the last `days` Shanghai dates."""
    since, until = window(days, today=today)
    labels = [d.isoformat() for d in days_of(days, today=today)]
    by_topic: dict[str, dict[str, int]] = {}
    by_channel: dict[str, dict[str, int]] = {}
    outcomes: dict[str, int] = {}
    for day, topic, channel, outcome, n in turn_counts(session, since=since, until=until):
        for per_key, key in ((by_topic, topic), (by_channel, channel)):
            counts = per_key.setdefault(key, {})
            counts[day] = counts.get(day, 0) + n
        outcomes[outcome] = outcomes.get(outcome, 0) + n
    return Conversations(
        days=labels,
        by_topic=_series(by_topic, labels),
        by_channel=_series(by_channel, labels),
        outcomes=outcomes,
    )


def suggestions(session: Session, *, days: int, today: date | None = None) -> Suggestions:
    """The suggestion half of the dashboard over the last `days` Shanghai dates."""
    since, _ = window(days, today=today)
    median, closed = median_closing_seconds(session, since=since)
    return Suggestions(
        by_status=suggestions_by(session, since=since, by="status"),
        by_category=suggestions_by(session, since=since, by="category"),
        places=suggestions_by_place(session, since=since),
        median_closing_seconds=median,
        closed=closed,
        overdue=overdue_count(session),
        category_names=category_names(session),
    )
