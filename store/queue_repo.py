"""The staff queue of suggestions: ordering, filters, Chinese search, counts, pagination."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import Session, selectinload

from language.reference import find_reference
from store import search_index
from store.models import OutboxMessage, Suggestion
from store.suggestion_repo import ENDED, SHANGHAI, shanghai_today

DELIVERY_STATES = ("none", "pending", "sending", "sent", "failed", "uncertain")
PER_PAGE = 25


@dataclass(frozen=True)
class Filters:
    """What the queue is narrowed to; empty fields do not filter."""

    status: str = ""
    category: str = ""
    place: str = ""
    date_from: date | None = None
    date_to: date | None = None
    assignee: str = ""  # an account id, or "none"
    delivery: str = ""  # one of DELIVERY_STATES
    urgent: bool = False
    overdue: bool = False
    q: str = ""

    def without(self, name: str) -> Filters:
        """The same filters less one (for the counts beside that filter's choices)."""
        default = next(f.default for f in fields(self) if f.name == name)
        return replace(self, **{name: default})


def _is_open():
    return Suggestion.status.not_in(ENDED)


def _overdue():
    return and_(_is_open(), Suggestion.answer_due < shanghai_today())


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _delivered(state: str):
    if state == "none":
        return ~exists().where(OutboxMessage.suggestion_id == Suggestion.id)
    return exists().where(
        OutboxMessage.suggestion_id == Suggestion.id, OutboxMessage.state == state
    )


def apply(query: Select, filters: Filters) -> Select:
    """`query` over Suggestion narrowed by `filters`."""
    f = filters
    if f.status:
        query = query.where(Suggestion.status == f.status)
    if f.category:
        query = query.where(Suggestion.category_key == f.category)
    if f.place:
        like = f"%{f.place}%"
        query = query.where(
            Suggestion.location_std.like(like) | Suggestion.location_text.like(like)
        )
    if f.date_from:
        query = query.where(Suggestion.created_at >= _start_of(f.date_from))
    if f.date_to:
        query = query.where(Suggestion.created_at < _start_of(f.date_to + timedelta(days=1)))
    if f.assignee == "none":
        query = query.where(Suggestion.assignee_id.is_(None))
    elif f.assignee.isdigit():
        query = query.where(Suggestion.assignee_id == int(f.assignee))
    if f.delivery in DELIVERY_STATES:
        query = query.where(_delivered(f.delivery))
    if f.urgent:
        query = query.where(Suggestion.urgent, _is_open())
    if f.overdue:
        query = query.where(_overdue())
    if f.q.strip():
        reference = find_reference(f.q)
        if reference:
            query = query.where(Suggestion.reference == reference)
        else:
            query = search_index.restrict(query, search_index.query_words(f.q))
    return query


SORTS = {  # the queue's sortable columns ("-" before a name: descending)
    "reference": (Suggestion.reference,), "created": (Suggestion.created_at,),
    "status": (Suggestion.status,), "category": (Suggestion.category_key,),
    "place": (func.coalesce(Suggestion.location_std, Suggestion.location_text, ""),),
    "assignee": (Suggestion.assignee_id.is_(None), Suggestion.assignee_id),
    "due": (Suggestion.answer_due,),
}  # fmt: skip


def ordered(query: Select, sort: str = "") -> Select:
    """By a column of SORTS when `sort` names one; else open urgent ones first, then open overdue
    ones, then newest first."""
    name = sort.removeprefix("-")
    if name in SORTS:
        keys = [k.desc() if sort.startswith("-") else k.asc() for k in SORTS[name]]
        return query.order_by(*keys, Suggestion.id.desc())
    rank = case(
        (and_(Suggestion.urgent, _is_open()), 0),
        (_overdue(), 1),
        else_=2,
    )
    return query.order_by(rank, Suggestion.created_at.desc(), Suggestion.id.desc())


@dataclass
class Page:
    items: list[Suggestion]
    total: int
    page: int
    pages: int


def page(
    session: Session, filters: Filters, *, number: int = 1, per_page: int = PER_PAGE,
    total: int | None = None, sort: str = "",
) -> Page:  # fmt: skip
    """One page of the queue and the total that matches (`total` when the caller knows it, as
    `counts(...)["total"]`)."""
    if total is None:
        total = session.scalar(apply(select(func.count()).select_from(Suggestion), filters))
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    # the page's ids first (a narrow sort), then its rows
    ids = list(session.scalars(ordered(apply(select(Suggestion.id), filters), sort)
                               .limit(per_page).offset((number - 1) * per_page)))  # fmt: skip
    rows = select(Suggestion).where(Suggestion.id.in_(ids))
    found = {s.id: s for s in session.scalars(rows.options(selectinload(Suggestion.assignee)))}
    return Page(items=[found[i] for i in ids], total=total, page=number, pages=pages)


def all_matching(session: Session, filters: Filters) -> list[Suggestion]:
    """Every suggestion that matches, in queue order (for exports)."""
    query = ordered(apply(select(Suggestion), filters)).options(selectinload(Suggestion.replies))
    return list(session.scalars(query))


def _delivery_flags():
    """Per suggestion with messages: 1 where it has a message in each state (one scan of the
    outbox, joined once, instead of an EXISTS per state and suggestion)."""
    return (
        select(
            OutboxMessage.suggestion_id.label("sid"),
            *(
                func.max(case((OutboxMessage.state == s, 1), else_=0)).label(s)
                for s in DELIVERY_STATES[1:]
            ),
        )  # fmt: skip
        .where(OutboxMessage.suggestion_id.is_not(None))
        .group_by(OutboxMessage.suggestion_id)
        .subquery()
    )


def counts(session: Session, filters: Filters) -> dict:
    """How many match each choice of the status, category and delivery filters (others applied),
    the urgent and overdue flags and the `total`: one grouped query (the search is run once),
    the filters on the grouped columns applied here."""
    sql_side = replace(filters, status="", category="", delivery="", urgent=False, overdue=False)
    flags = _delivery_flags()
    delivered = [func.coalesce(flags.c[s], 0) for s in DELIVERY_STATES[1:]]
    groups = (
        (Suggestion.status, Suggestion.category_key,
         case((and_(Suggestion.urgent, _is_open()), 1), else_=0),
         case((_overdue(), 1), else_=0), case((flags.c.sid.is_(None), 1), else_=0), *delivered)
    )  # fmt: skip
    query = apply(
        select(*groups, func.count()).select_from(Suggestion).outerjoin(
            flags, flags.c.sid == Suggestion.id), sql_side,
    ).group_by(*groups)  # fmt: skip
    out: dict = {"status": {}, "category": {}, "delivery": dict.fromkeys(DELIVERY_STATES, 0),
                 "flags": {"urgent": 0, "overdue": 0}, "total": 0}  # fmt: skip
    for status, category, urgent, overdue, *states, n in session.execute(query):
        has = dict(zip(DELIVERY_STATES, states, strict=True))
        keep = {
            "status": not filters.status or status == filters.status,
            "category": not filters.category or category == filters.category,
            "delivery": not filters.delivery or bool(has[filters.delivery]),
            "flags": (urgent or not filters.urgent) and (overdue or not filters.overdue),
        }
        if all(keep.values()):
            out["total"] += n
            out["flags"]["urgent"] += n * urgent
            out["flags"]["overdue"] += n * overdue
        if all(v for k, v in keep.items() if k != "status"):
            out["status"][status] = out["status"].get(status, 0) + n
        if all(v for k, v in keep.items() if k != "category"):
            out["category"][category] = out["category"].get(category, 0) + n
        if all(v for k, v in keep.items() if k != "delivery"):
            for state, flag in has.items():
                out["delivery"][state] += n * flag
    return out


def delivery_state(session: Session, suggestion: Suggestion) -> str:
    """The state of the suggestion's latest message to the resident, or "none"."""
    state = session.scalar(
        select(OutboxMessage.state)
        .where(OutboxMessage.suggestion_id == suggestion.id)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return state or "none"


def messages(session: Session, suggestion: Suggestion) -> list[OutboxMessage]:
    """Every message queued to the resident about this suggestion, oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.suggestion_id == suggestion.id)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def open_urgent(session: Session, limit: int = 10) -> list[Suggestion]:
    """Open urgent suggestions nobody has acknowledged yet (whatever their status), newest first."""
    query = (
        select(Suggestion)
        .where(Suggestion.urgent, _is_open(), Suggestion.acknowledged_at.is_(None))
        .order_by(Suggestion.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
