"""Dates are Asia/Shanghai's whatever the server's zone (one clock, `core.clock`); moments are
written and read back as aware UTC (`UtcDateTime`) on SQLite and PostgreSQL, with no migration."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, select, text
from sqlalchemy.exc import StatementError

from core import clock
from core.settings import ROOT
from knowledge import faq_repo
from store import category_repo, db, queue_repo, suggestion_repo
from store.db import Base
from store.models import Suggestion, UtcDateTime

EVENING_UTC = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)  # 2026-12-07 04:00 in Shanghai
# A fixed clock far from any real today, so that the server's own date can never agree with it.
FAR = datetime(2031, 3, 31, 18, 30, tzinfo=UTC)  # 2031-04-01 02:30 in Shanghai
CODE = (
    "actions",
    "bot",
    "console",
    "knowledge",
    "store",
    "core",
    "scripts",
    "rasa_addons",
    "language",
)


def test_the_town_s_date_is_shanghai_s_not_the_server_s():
    assert clock.shanghai_today(EVENING_UTC) == date(2026, 12, 7)
    assert clock.shanghai_today(datetime(2026, 12, 6, 15, 59, tzinfo=UTC)) == date(2026, 12, 6)
    assert clock.shanghai_day(EVENING_UTC.astimezone(timezone(timedelta(hours=-8)))) == date(
        2026, 12, 7
    )
    assert clock.shanghai_time(EVENING_UTC) == "2026-12-07 04:00"
    assert clock.shanghai_time(None) == ""
    with pytest.raises(ValueError, match="naive"):
        clock.shanghai_day(datetime(2026, 12, 6, 20, 0))


def test_today_reads_the_one_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FAR)
    assert clock.shanghai_today() == date(2031, 4, 1)
    assert suggestion_repo.shanghai_today() == date(2031, 4, 1)  # the due dates' today too


def test_a_new_entry_is_reviewed_on_the_town_s_date(session_factory, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FAR)
    with session_factory.begin() as session:
        row = faq_repo.create_entry(
            session, editor="li", entry_id="eldercare_canteen", intent="eldercare_canteen",
            values={"title_zh": "长者食堂", "title_en": "Canteen", "answer_zh": "问居委会。",
                    "answer_en": "Ask.", "source_zh": "工作人员", "source_en": "Staff",
                    "examples": ["长者食堂在哪里吃饭"]},
        )  # fmt: skip
        assert row.last_reviewed == date(2031, 4, 1)


def test_a_suggestion_is_due_from_the_town_s_date(session_factory, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FAR)
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
            draft_id="d", text="建议增设路灯", category_key="other", channel="rest",
            sender_hash="h", reply_address=None,
        ))  # fmt: skip
        assert saved.answer_due == date(2031, 4, 16)  # 15 days (the default) after 1 April
        assert saved.reference.startswith("JY-20310401-")


def _suggestion(session, created_at: datetime) -> Suggestion:
    category_repo.import_categories(session)
    saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
        draft_id="d", text="建议增设路灯", category_key="other", channel="rest", sender_hash="h",
        reply_address=None,
    ))  # fmt: skip
    saved.created_at = created_at
    return saved


def test_a_moment_is_written_and_read_back_aware_utc(session_factory):
    in_shanghai = EVENING_UTC.astimezone(clock.SHANGHAI)  # the same moment, another zone
    with session_factory.begin() as session:
        saved = _suggestion(session, in_shanghai)
        saved.closed_at = None
        number = saved.id
    with session_factory.begin() as session:
        found = session.get(Suggestion, number)
        assert found.created_at == EVENING_UTC
        assert found.created_at.tzinfo is UTC and found.created_at.utcoffset() == timedelta(0)
        assert found.closed_at is None
        assert found.history[0].changed_at.tzinfo is UTC  # a default (utcnow) read back
        latest = session.scalar(select(Suggestion.created_at))  # a column, not an object
        assert latest == EVENING_UTC and latest.tzinfo is UTC
        stored = session.execute(text("SELECT created_at FROM suggestion")).scalar_one()
    if db.get_engine().dialect.name == "sqlite":  # kept as UTC wall time, as before
        assert str(stored).startswith("2026-12-06 20:00:00")
    else:
        assert stored == EVENING_UTC


def test_a_naive_moment_is_refused(session_factory):
    with pytest.raises(StatementError, match="naive"), session_factory.begin() as session:
        _suggestion(session, datetime(2026, 12, 6, 20, 0))
        session.flush()


def test_a_shanghai_date_filter_compares_moments_not_wall_times(session_factory):
    """The queue's date filter starts at Shanghai's midnight: 16:00 UTC the day before."""
    with session_factory.begin() as session:
        _suggestion(session, datetime(2026, 11, 29, 17, 30, tzinfo=UTC))  # 30 Nov 01:30 there
    with session_factory.begin() as session:
        on_the_30th = queue_repo.Filters(date_from=date(2026, 11, 30), date_to=date(2026, 11, 30))
        on_the_29th = queue_repo.Filters(date_from=date(2026, 11, 29), date_to=date(2026, 11, 29))
        assert queue_repo.page(session, on_the_30th, number=1).total == 1
        assert queue_repo.page(session, on_the_29th, number=1).total == 0


def test_every_moment_column_is_utc_aware():
    moments = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, DateTime)  # a bare DateTime would read back naive on SQLite
    ]
    assert moments == []
    assert isinstance(Suggestion.__table__.c.created_at.type, UtcDateTime)


def test_the_models_match_the_migrations(database_url):
    """The type decorator changed no column: autogenerate finds nothing to migrate."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "store" / "migrations"))
    config.attributes["url"] = database_url
    command.check(config)  # raises AutogenerateDiffsDetected on any difference


def test_no_hand_made_zone_fixes_remain():
    """Naive datetimes were patched by hand after reads; UtcDateTime is the one place now."""
    found = []
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "replace"
                    and any(k.arg == "tzinfo" for k in node.keywords)
                    and path.relative_to(ROOT).as_posix() != "store/models/columns.py"
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == "today"
                    and isinstance(node.value, ast.Name)
                    and node.value.id in ("date", "datetime")
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.today")
    assert found == []
