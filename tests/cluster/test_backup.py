"""Backup and restore of the project's database (scripts/backup.py): a suggestion moved to
"under review" is backed up, restored into a new database, and its status look-up is answered
from there (PostgreSQL: the test's own server; SQLite: files)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from actions.suggestion_status import describe
from core.settings import ROOT
from store import reply_repo, suggestion_repo
from store.db import make_engine
from tests.cluster.services import Postgres
from tests.stack import free_port, prepare_database

SENDER = "backup-test-sender-hash"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    server = Postgres(Path(tempfile.mkdtemp(prefix="backup-pg-")), free_port())
    server.init(["live", "restored"])
    yield server
    server.stop("immediate")
    shutil.rmtree(server.folder, ignore_errors=True)


def make_suggestion(url: str) -> str:
    prepare_database(url)  # the release step: migrations, entries, categories
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        new = suggestion_repo.NewSuggestion(
            draft_id="backup-draft-1", text="建议在中江路路口增设红绿灯", category_key="traffic",
            channel="rest", sender_hash=SENDER, reply_address="backup-test", location_std="中江路",
        )  # fmt: skip
        suggestion, _ = suggestion_repo.create_suggestion(session, new)
        reply_repo.change_status(session, suggestion, status="in_review", by="staff")
        reference = suggestion.reference
    engine.dispose()
    return reference


def backup(command: str, path: Path, url: str) -> None:
    done = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "scripts.backup", command,
                           str(path)], cwd=ROOT, env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr


def look_up(url: str, reference: str) -> str:
    engine = make_engine(url)
    with Session(engine) as session:
        found = suggestion_repo.get_by_reference(session, reference=reference)
        answer = describe(found, "zh", owner=found.sender_hash == SENDER) if found else ""
    engine.dispose()
    return answer


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_a_restored_backup_answers_a_status_look_up(kind, postgres, tmp_path):
    if kind == "postgresql":
        live, restored = postgres.url("live"), postgres.url("restored")
    else:
        live, restored = f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'new.db'}"
    reference = make_suggestion(live)
    backup("dump", tmp_path / "backup", live)
    backup("restore", tmp_path / "backup", restored)
    answer = look_up(restored, reference)
    assert f"建议 {reference}" in answer and "正在研究" in answer
    assert "中江路路口增设红绿灯" in answer  # the author's own text, from the restored rows
