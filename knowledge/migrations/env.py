"""Alembic environment: the project's models and DATABASE_URL; batch mode for SQLite."""

from alembic import context

from knowledge import models  # noqa: F401  (registers the tables)
from knowledge.db import Base, get_engine, make_engine

config = context.config


def run_migrations_online() -> None:
    """Run migrations against the configured engine (or one passed in by tests)."""
    connectable = config.attributes.get("connection")
    url = config.attributes.get("url")
    if connectable is None:
        engine = make_engine(url) if url else get_engine()
        with engine.begin() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
