"""Migration 0013 folds every stored suggestion into `search_text` and indexes its n-grams."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from core.settings import ROOT
from tests.conftest import create_database


def _to(url: str, revision: str, down: bool = False) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "store" / "migrations"))
    config.attributes["url"] = url
    (command.downgrade if down else command.upgrade)(config, revision)


CATEGORY = {"key": "other", "name_zh": "其他", "name_en": "Other", "keywords": "[]",
            "active": True, "sort_order": 0, "location_matters": True}  # fmt: skip
ROW = {"reference": "JY-20261201-M328-X", "draft_id": "d", "text": "煤氣味很重", "language": "zh",
       "category_key": "other", "urgent": False, "status": "received", "wants_reply": False,
       "channel": "rest", "location_text": "长征新村"}  # fmt: skip


def _insert(connection, table: str, values: dict) -> None:
    names = ", ".join(values)
    connection.execute(
        text(f"INSERT INTO {table} ({names}) VALUES (:{', :'.join(values)})"), values
    )


def test_stored_suggestions_become_searchable_by_part_of_a_word(tmp_path):
    url, drop = create_database(tmp_path)
    engine = create_engine(url)
    try:
        _to(url, "0012")
        with engine.begin() as connection:
            _insert(connection, "suggestion_category", CATEGORY)
            _insert(connection, "suggestion", ROW | {"created_at": datetime.now(UTC),
                                                     "answer_due": date.today()})  # fmt: skip
        _to(url, "0013")
        with engine.begin() as connection:
            folded = connection.execute(text("SELECT search_text FROM suggestion")).scalar()
            grams = set(connection.execute(text("SELECT token FROM suggestion_token")).scalars())
        assert folded == "jy-20261201-m328-x 煤气味很重 长征新村"
        assert {"煤气", "气味", "灯"} - grams == {"灯"} and "m3" in grams
        _to(url, "0012", down=True)
        with engine.begin() as connection:
            words = set(connection.execute(text("SELECT token FROM suggestion_token")).scalars())
        assert "m3" not in words and "长征" in words
    finally:
        engine.dispose()
        drop()
