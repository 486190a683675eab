"""The gates a publish's candidate model passes before Rasa loads it (`scripts/publish.py`):
held-out accuracy measured the same way for the installed model and the candidate, and the
conversation tests against a private action server on a scratch database."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from core.settings import ROOT, get_settings
from knowledge.entries_io import load_entries
from knowledge.faq_sync import import_entries
from scripts.processes import NotUp, stop, wait_until_up
from scripts.publish_steps import StepFailed, environment, run_step, scrub, tail
from store.category_repo import import_categories
from store.db import make_engine

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
STORIES = ROOT / "tests" / "conversations"


def heldout(models: list[Path], log: Path) -> list[dict]:
    """Held-out accuracy of each model, measured the same way (scripts/heldout_accuracy.py)."""
    command = [str(RASA_PYTHON), "-m", "scripts.heldout_accuracy", *map(str, models)]
    output = run_step("the held-out measurement", command, log, timeout=1200)
    line = next(x for x in reversed(output.splitlines()) if x.startswith("[{"))
    return json.loads(line)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_database(path: Path) -> str:
    """A fresh SQLite database with the entries and categories: the conversation tests' actions
    write there, never into the assistant's database."""
    from alembic import command
    from alembic.config import Config

    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "store" / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        import_entries(session, load_entries(get_settings().entries_dir))
        import_categories(session)
    engine.dispose()
    return url


def conversation_tests(candidate: Path, work: Path) -> int:
    """`rasa test core` on tests/conversations with the candidate and a private action server on
    a scratch database; returns how many passed (all), StepFailed with the failed stories."""
    url = scratch_database(work / "conversations.db")
    port = free_port()
    endpoints = work / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump(
        {"action_endpoint": {"url": f"http://127.0.0.1:{port}/webhook"}}))  # fmt: skip
    log = work / "actions.log"
    env = environment(DATABASE_URL=url, REDIS_URL="", ACTION_PORT=str(port))
    actions = subprocess.Popen(
        [sys.executable, "-m", "scripts.run_actions", "127.0.0.1", str(port)],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        try:
            wait_until_up(f"http://127.0.0.1:{port}/health", actions, seconds=180)
        except NotUp as error:
            raise StepFailed(
                f"the test action server did not start ({error}):\n{tail(log)}"
            ) from error
        results = work / "conversation-results"
        shutil.rmtree(results, ignore_errors=True)
        command = [str(RASA), "test", "core", "--stories", str(STORIES), "--model", str(candidate),
                   "--endpoints", str(endpoints), "--out", str(results),
                   "--fail-on-prediction-errors", "--no-plot"]  # fmt: skip
        try:
            run_step("the conversation tests", command, work / "conversations.log", timeout=1200)
        except StepFailed as error:
            failed = results / "failed_test_stories.yml"
            if failed.exists():
                raise StepFailed("conversation tests failed:\n"
                                 + scrub(failed.read_text()[:2000])) from error  # fmt: skip
            raise
    finally:
        stop(actions)
    stories = sum(
        len((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("stories", []))
        for p in sorted(STORIES.glob("*.yml"))
    )
    return stories
