"""The request's database session: opened on first use, closed when the request ends."""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy.orm import Session

from store.db import get_sessionmaker


def db() -> Session:
    """The request's database session (committed by the route that changes something)."""
    if "db" not in g:
        g.db = get_sessionmaker()()
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
