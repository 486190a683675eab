"""The town's clock: moments are kept in UTC (aware; `store.models.UtcDateTime` stores and
reads them so), and every date or time residents and staff see is an Asia/Shanghai one, whatever
the server's zone. Standard library only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The present moment, aware, in UTC (the one clock the dates below read; tests fix it)."""
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # a naive moment's zone is unknown: never guess it
        raise ValueError(f"naive datetime {moment!r}: moments are timezone-aware")
    return moment


def shanghai_today(at: datetime | None = None) -> date:
    """The town's date now (or at the aware moment `at`); not the server's `date.today()`."""
    return _aware(at or now()).astimezone(SHANGHAI).date()


def shanghai_day(moment: datetime) -> date:
    """The Shanghai date of an aware moment."""
    return _aware(moment).astimezone(SHANGHAI).date()


def shanghai_time(moment: datetime | None) -> str:
    """An aware moment as the town reads it ("2026-12-07 04:00"); "" for none."""
    return "" if moment is None else f"{_aware(moment).astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
