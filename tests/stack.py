"""The `stack` fixture: the real action server and Rasa server (trained model), once per session."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from knowledge.db import make_engine
from knowledge.entries_io import load_entries
from knowledge.faq_repo import import_entries
from knowledge.settings import ROOT, Settings
from knowledge.suggestion_repo import import_categories
from scripts.render_endpoints import endpoints
from scripts.train_if_stale import model_path
from tests.conftest import create_database, migrate

AUTH_TOKEN = "integration-secret"


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

    def send(
        self, sender: str, message: str, timeout: float = 30, payload: bool = False
    ) -> list[dict]:
        """Send a message (or a pressed button's payload) over the REST channel; return replies."""
        response = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": {"payload": payload}},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()


def _wait(url: str, process: subprocess.Popen, log: Path, seconds: int = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited; log:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up; log:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """Action server + Rasa on free loopback ports, on fresh databases."""
    if not model_path().exists():
        pytest.fail("no trained model: run `make train` (make test does) first")
    tmp = tmp_path_factory.mktemp("stack")
    database_url, drop_db = create_database(tmp)
    tracker_url, drop_tracker = create_database(tmp)
    tracker_url = tracker_url.replace("postgresql+psycopg://", "postgresql://")
    migrate(database_url)
    engine = make_engine(database_url)
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        import_entries(session, load_entries(ROOT / "knowledge" / "entries"))
        import_categories(session)
    engine.dispose()

    action_port, rasa_port = free_port(), free_port()
    settings = Settings(
        database_url=database_url,
        tracker_database_url=tracker_url,
        redis_url=os.environ.get("REDIS_URL", ""),
        action_port=action_port,
    )
    endpoints_file = tmp / "endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints(settings)))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_HOST": "127.0.0.1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    action_log, rasa_log = tmp / "actions.log", tmp / "rasa.log"
    actions = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
         "--port", str(action_port)],
        cwd=ROOT, env=env, stdout=action_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    rasa = subprocess.Popen(
        [str(ROOT / ".venv-rasa/bin/rasa"), "run", "--enable-api", "-i", "127.0.0.1",
         "-p", str(rasa_port), "--model", str(model_path()), "--endpoints", str(endpoints_file),
         "--credentials", str(ROOT / "credentials.yml"), "--auth-token", AUTH_TOKEN],
        cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{action_port}/health", actions, action_log)
        _wait(f"http://127.0.0.1:{rasa_port}/status?token={AUTH_TOKEN}", rasa, rasa_log)
        yield Stack(f"http://127.0.0.1:{rasa_port}", action_port, database_url, endpoints_file, tmp)
    finally:
        for process in (rasa, actions):
            process.terminate()
        for process in (rasa, actions):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        drop_db()
        drop_tracker()
