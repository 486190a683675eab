"""Engine and session factory, created on first use; SQLite runs in WAL mode."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from core.settings import ROOT, get_settings


class Base(DeclarativeBase):
    """Declarative base of every table of the project."""


def resolve_url(url: str) -> str:
    """Make a relative SQLite path relative to the project root and create its folder."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != "sqlite:///:memory:":
        path = Path(url[len(prefix) :])
        if not path.is_absolute():
            path = ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return prefix + str(path)
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url` (SQL parameters never in logs or errors); SQLite gets WAL, foreign keys
    and a busy timeout."""
    url = resolve_url(url)
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for DATABASE_URL."""
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker:
    """The process-wide session factory: `with get_sessionmaker().begin() as session:`."""
    return sessionmaker(get_engine(), expire_on_commit=False)
