"""Alembic environment: the project's models and DATABASE_URL; batch mode for SQLite."""

from alembic import context

from store import models  # registers the tables
from store.db import Base, get_engine, make_engine

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


def render_item(kind: str, obj, autogen_context):
    """Autogenerate writes the models' UtcDateTime as the column type it is in the database."""
    if kind == "type" and isinstance(obj, models.UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False  # the default rendering


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True,
        render_item=render_item,
    )  # fmt: skip
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
