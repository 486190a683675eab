"""The `stack` fixture: the real action server and Rasa server (trained model), once per session."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy.orm import Session

from core.settings import ROOT, Settings
from knowledge.entries_io import load_entries
from knowledge.faq_sync import import_entries
from scripts.processes import NotUp, stop, wait_until_up
from scripts.render_endpoints import endpoints
from scripts.train_if_stale import model_path
from store.category_repo import import_categories
from store.db import make_engine
from store.template_repo import import_templates
from tests.conftest import create_database, migrate

AUTH_TOKEN = "integration-secret"  # Rasa's HTTP API (`?token=`)
CHANNEL_SECRET = "integration-channel-secret"  # the REST channel (`Authorization: Bearer …`)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    """The running servers and how to reach them."""

    rasa_url: str
    action_port: int
    database_url: str
    endpoints_file: Path
    log_dir: Path
    env: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)
    channel_secret: str = CHANNEL_SECRET
    tracker_url: str = ""  # Rasa's tracker store (its own database)

    @property
    def headers(self) -> dict[str, str]:
        """What the channel layer sends with every message to the REST channel."""
        return {"Authorization": f"Bearer {self.channel_secret}"}

    def send(
        self, sender: str, message: str, timeout: float = 30, payload: bool = False
    ) -> list[dict]:
        """Send a message (or a pressed button's payload) over the REST channel; return replies."""
        response = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": {"payload": payload}},
            headers=self.headers,
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def start_actions(self) -> None:
        """Start (or restart) the action server and wait until it answers."""
        log = self.log_dir / "actions.log"
        self.processes["actions"] = subprocess.Popen(
            [str(ROOT / ".venv/bin/python"), "-m", "scripts.run_actions", "127.0.0.1",
             str(self.action_port)],
            cwd=ROOT, env=self.env, stdout=log.open("a"), stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group (kill_actions kills it whole)
        )  # fmt: skip
        _wait(f"http://127.0.0.1:{self.action_port}/health", self.processes["actions"], log)

    def kill_actions(self) -> None:
        """Kill the action server and its workers at once (SIGKILL), as a crash would."""
        process = self.processes["actions"]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        _wait_closed(self.action_port)


def _wait_closed(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    stop(process)


def _wait(url: str, process: subprocess.Popen, log: Path, seconds: int = 240) -> None:
    try:
        wait_until_up(url, process, seconds)
    except NotUp as error:
        raise RuntimeError(f"{error}; log:\n{log.read_text()[-3000:]}") from error


def prepare_database(database_url: str) -> None:
    """Migrate the database and import the knowledge entries, categories and reply templates
    (as `make migrate` does)."""
    migrate(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session, session.begin():
        import_entries(session, load_entries(ROOT / "knowledge" / "entries"))
        import_categories(session)
        import_templates(session)
    engine.dispose()


def server_env(database_url: str) -> dict[str, str]:
    """The environment of the servers a test starts: known secrets, no telemetry, loopback."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CHANNEL_SECRET": CHANNEL_SECRET,
        "RASA_AUTH_TOKEN": AUTH_TOKEN,
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_HOST": "127.0.0.1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


@contextmanager
def running_stack(
    tmp: Path, database_url: str, drop_db=lambda: None, kind: str | None = None
) -> Iterator[Stack]:
    """Action server + Rasa on free loopback ports, on `database_url` and a fresh tracker store
    (of the same `kind` as `create_database` makes)."""
    if not model_path().exists():
        pytest.fail("no trained model: run `make train` (make test does) first")
    tracker_url, drop_tracker = create_database(tmp, kind)
    tracker_url = tracker_url.replace("postgresql+psycopg://", "postgresql://")
    prepare_database(database_url)

    action_port, rasa_port = free_port(), free_port()
    settings = Settings(
        database_url=database_url,
        tracker_database_url=tracker_url,
        redis_url=os.environ.get("REDIS_URL", ""),
        action_port=action_port,
    )
    endpoints_file = tmp / "endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints(settings)))
    env = server_env(database_url)
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    stack = Stack(
        rasa_url, action_port, database_url, endpoints_file, tmp, env, tracker_url=tracker_url
    )
    rasa_log = tmp / "rasa.log"
    try:
        stack.start_actions()
        stack.processes["rasa"] = subprocess.Popen(
            [str(ROOT / ".venv-rasa/bin/python"), "-m", "scripts.run_rasa", "-i", "127.0.0.1",
             "-p", str(rasa_port), "--model", str(model_path()), "--endpoints", str(endpoints_file),
             "--credentials", str(ROOT / "credentials.yml")],
            cwd=ROOT, env={**env, "SANIC_REQUEST_MAX_SIZE": "1048576"},
            stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        _wait(f"{stack.rasa_url}/status?token={AUTH_TOKEN}", stack.processes["rasa"], rasa_log)
        yield stack
    finally:
        for process in stack.processes.values():
            _stop(process)
        drop_db()
        drop_tracker()


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """The shared stack, on DATABASE_URL's kind of database (PostgreSQL in CI, else SQLite)."""
    tmp = tmp_path_factory.mktemp("stack")
    database_url, drop_db = create_database(tmp)
    with running_stack(tmp, database_url, drop_db) as running:
        yield running
