"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL when DATABASE_URL points there)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import settings
from core.settings import ROOT
from store import db

pytest_plugins = ["tests.stack"]
BASE_URL = os.environ.get("DATABASE_URL", "")


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


# The PostgreSQL server every machine and CI run has (trust auth), for tests that run on both.
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def create_database(tmp_path, kind: str | None = None) -> tuple[str, callable]:
    """A new empty database: a PostgreSQL database when DATABASE_URL is PostgreSQL, else SQLite;
    `kind` ("sqlite" or "postgresql") chooses one whatever DATABASE_URL says."""
    kind = kind or ("postgresql" if _is_postgres(BASE_URL) else "sqlite")
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / f'test-{uuid.uuid4().hex[:8]}.db'}", lambda: None
    base = BASE_URL if _is_postgres(BASE_URL) else POSTGRES_URL
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def migrate(url: str) -> None:
    """Run the Alembic migrations against `url`."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "store" / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "head")


def _clear_caches() -> None:
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()
    db.get_sessionmaker.cache_clear()


@pytest.fixture
def database_url(tmp_path, monkeypatch) -> Iterator[str]:
    """A fresh, migrated database that the process-wide settings point to."""
    url, drop = create_database(tmp_path)
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    _clear_caches()
    yield url
    db.get_engine().dispose()
    _clear_caches()
    drop()


@pytest.fixture
def session_factory(database_url):
    """The process-wide session factory, bound to the fresh database."""
    return db.get_sessionmaker()
