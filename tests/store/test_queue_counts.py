"""The queue's counts come from one grouped query (the search runs once per page, not once per
count) and agree with counting each filter's choices one by one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, func, select

from store import category_repo, queue_repo, reply_repo, suggestion_repo
from store.models import OutboxMessage, Suggestion


@pytest.fixture
def session(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        for n in range(12):
            made = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
                draft_id=f"d{n}", text=("楼道里有煤气味" if n % 2 else "路灯太暗") + f"{n}",
                category_key="other" if n % 3 else "environment", channel="webchat",
                sender_hash=f"h{n}", reply_address=f"web-{n}", wants_reply=True,
                urgent=n % 4 == 0))[0]  # fmt: skip
            if n % 5 == 0:
                reply_repo.publish_reply(session, made, text="已处理", by="wang")
            if n == 5:
                session.scalars(select(OutboxMessage)).all()[-1].state = "failed"
        yield session


def count(session, filters) -> int:
    query = queue_repo.apply(select(func.count()).select_from(Suggestion), filters)
    return session.scalar(query)


CASES = [queue_repo.Filters(**f) for f in (
    {}, {"q": "煤气"}, {"status": "answered"}, {"category": "other", "q": "灯"},
    {"delivery": "pending"}, {"delivery": "none", "urgent": True}, {"overdue": True},
    {"status": "received", "category": "environment", "delivery": "none"},
)]  # fmt: skip


@pytest.mark.parametrize("filters", CASES)
def test_counts_agree_with_counting_each_choice(session, filters):
    counts = queue_repo.counts(session, filters)
    assert counts["total"] == count(session, filters)
    for status in suggestion_repo.STATUSES:
        expected = count(session, replace(filters, status=status))
        assert counts["status"].get(status, 0) == expected, status
    for category in ("other", "environment"):
        expected = count(session, replace(filters, category=category))
        assert counts["category"].get(category, 0) == expected, category
    for state in queue_repo.DELIVERY_STATES:
        assert counts["delivery"][state] == count(session, replace(filters, delivery=state))
    assert counts["flags"] == {
        "urgent": count(session, replace(filters, urgent=True)),
        "overdue": count(session, replace(filters, overdue=True)),
    }


def test_a_search_page_and_its_counts_take_three_statements(session):
    session.flush()
    statements = []
    engine = session.get_bind()
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        filters = queue_repo.Filters(q="煤气 味")
        counts = queue_repo.counts(session, filters)
        page = queue_repo.page(session, filters, total=counts["total"])
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert counts["total"] == page.total == 6 and len(page.items) == 6
    # the grouped counts, the page's ids, its rows (assignees: none to load)
    assert len(statements) == 3, statements
    assert [s.id for s in page.items] == [s.id for s in queue_repo.page(session, filters).items]
