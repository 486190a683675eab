"""What our processes log: no bot token from HTTP client URLs, no SQL parameters."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core import logs
from store.db import make_engine

PHONE = "13912345678"


def test_http_clients_log_at_warning_only(monkeypatch):
    for name in ("httpx", "httpcore"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    logs.configure("INFO")
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpcore").isEnabledFor(logging.INFO)


def test_a_failed_statement_does_not_carry_its_parameters(tmp_path, caplog):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE contact (phone TEXT NOT NULL UNIQUE)"))
        connection.execute(text("INSERT INTO contact VALUES (:phone)"), {"phone": PHONE})
    with pytest.raises(DBAPIError) as failure, engine.begin() as connection:
        connection.execute(text("INSERT INTO contact VALUES (:phone)"), {"phone": PHONE})
    logging.getLogger("test").exception("saving failed", exc_info=failure.value)
    engine.dispose()
    assert "UNIQUE" in str(failure.value)
    assert PHONE not in str(failure.value) and PHONE not in caplog.text
