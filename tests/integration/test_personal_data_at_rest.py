"""A phone number typed in a conversation is stored nowhere in clear (real Rasa, action server and
console, on SQLite and on PostgreSQL): refused, it is gone from every table, WAL file and log;
agreed, it is sealed in the suggestion and only the console's audited reveal shows it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core import settings
from language.reference import find_reference
from store import db, staff_repo
from store.models import AuditEntry, HeldContact, Suggestion
from tests.conftest import create_database
from tests.console.conftest import PASSWORD, csrf_from, sign_in
from tests.integration.resident_talk import answer_until_read_back, say
from tests.stack import running_stack

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kind_stack(request, tmp_path_factory) -> Iterator:
    """A stack of its own on each kind of database, whatever DATABASE_URL says."""
    tmp = tmp_path_factory.mktemp(f"at-rest-{request.param}")
    database_url, drop_db = create_database(tmp, request.param)
    with running_stack(tmp, database_url, drop_db, kind=request.param) as stack:
        stack.kind = request.param
        yield stack


def tracker_url(stack) -> str:
    """The tracker store's database, from the endpoints file the stack wrote."""
    import yaml

    store = yaml.safe_load(stack.endpoints_file.read_text())["tracker_store"]
    assert store["type"] == "rasa_addons.tracker_store.MaskingSQLTrackerStore"
    if store["dialect"] == "sqlite":
        return f"sqlite:///{store['db']}"
    return f"postgresql+psycopg://{store['username']}@{store['url']}:{store['port']}/{store['db']}"


def every_row(url: str) -> str:
    """Every row of every table of the database at `url`, as text."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            assert tables
            return "\n".join(  # (not repr(row): SQLAlchemy shortens long values there)
                "\t".join(str(value) for value in row) for table in tables
                for row in connection.execute(text(f'SELECT * FROM "{table}"'))
            )  # fmt: skip
    finally:
        engine.dispose()


def files_of(stack, url: str) -> list[Path]:
    """The SQLite database file of `url` with its WAL and shared-memory files, and every log."""
    found = list(stack.log_dir.glob("*.log"))
    if url.startswith("sqlite"):
        path = Path(make_url(url).database)
        found += list(path.parent.glob(path.name + "*"))  # -wal and -shm when present
    return found


def assert_nowhere(stack, number: str) -> None:
    """`number` is in no row of either database, no database file, WAL file or log."""
    urls = [stack.database_url, tracker_url(stack)]
    tracker_rows = every_row(urls[1])
    assert "events" in inspect(create_engine(urls[1])).get_table_names()
    assert len(re.findall(r"user", tracker_rows)) > 3  # the conversation was stored, masked
    for url in urls:
        assert number not in every_row(url), url
        for path in files_of(stack, url):
            assert number.encode() not in path.read_bytes(), path


def resident() -> str:
    return f"at-rest-{uuid.uuid4().hex[:8]}"


def test_a_number_given_then_refused_is_nowhere(kind_stack):
    stack, who, number = kind_stack, resident(), "13912340001"
    first = say(stack, who, f"建议物业把楼道灯修好，有问题打我电话{number}")
    read_back = answer_until_read_back(stack, who, first, reply="不用打电话，回复到这里就行")
    assert number not in first + read_back
    reference = find_reference(say(stack, who, "确认提交"))
    engine = db.make_engine(stack.database_url)
    with Session(engine) as session:
        saved = session.scalars(select(Suggestion).where(Suggestion.reference == reference)).one()
        assert saved.contact_phone_sealed is None
        assert session.scalars(select(HeldContact)).all() == []
    engine.dispose()
    assert "139****0001" in every_row(tracker_url(stack))  # masked, not dropped
    assert_nowhere(stack, number)


def test_a_number_agreed_to_is_sealed_and_only_the_audited_reveal_shows_it(kind_stack, monkeypatch):
    stack, who, number = kind_stack, resident(), "13912340002"
    first = say(stack, who, "建议在金沙江路口增设斑马线")
    answer_until_read_back(stack, who, first, reply=f"可以留电话，{number}")
    reference = find_reference(say(stack, who, "确认提交"))
    assert reference
    assert_nowhere(stack, number)

    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("CONSOLE_SECRET_KEY", "test-console-secret-" + "z" * 32)
    for cached in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()
    with db.get_sessionmaker().begin() as session:
        staff_repo.create_account(
            session, username=f"wang{stack.kind}", password=PASSWORD, role="reviewer", by="test"
        )
    from console import create_app

    client = create_app(TESTING=True).test_client()
    sign_in(client, f"wang{stack.kind}")
    page = client.get(f"/suggestions/{reference}").text
    assert number not in page and 'id="show-phone"' in page
    shown = client.post(f"/suggestions/{reference}/phone", data={"csrf_token": csrf_from(page)})
    assert shown.status_code == 200 and f'<p id="phone" class="phone">{number}</p>' in shown.text
    with db.get_sessionmaker().begin() as session:
        audit = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "reveal_phone", AuditEntry.object_id == reference
            )
        ).one()
        assert audit.actor == f"wang{stack.kind}" and number not in repr(audit.after)
    db.get_engine().dispose()
    for cached in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cached.cache_clear()
    assert_nowhere(stack, number)  # the reveal and its audit stored nothing in clear
