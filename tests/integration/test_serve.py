"""`make run`'s scripts/serve.sh on free ports: supervisord restarts Rasa after a SIGKILL while the
others keep serving, no secret or phone number reaches a log, and Ctrl-C stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from core.settings import ROOT
from scripts.train_if_stale import model_path
from tests.bot.fake_telegram import FakeTelegram
from tests.conftest import create_database
from tests.stack import AUTH_TOKEN, CHANNEL_SECRET, free_port, prepare_database, server_env

pytestmark = pytest.mark.integration
BOT_TOKEN = "424242:known-bot-token-Xy7"
PHONE = "13987654321"
CHAT = 777_001


@dataclass
class Served:
    process: subprocess.Popen
    env: dict
    run_dir: Path
    ports: dict[str, int]
    fake: FakeTelegram

    @property
    def output(self) -> str:
        return (self.run_dir / "serve.out").read_text()

    def pid(self, program: str) -> int:
        """The pid supervisord reports for one of its programs."""
        answer = subprocess.run(
            [str(ROOT / ".venv/bin/supervisorctl"), "-c", "deploy/supervisord.conf", "pid", program],
            cwd=ROOT, env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return int(answer.stdout.strip())

    def send(self, text: str, timeout: float = 30) -> list[dict]:
        response = httpx.post(
            f"http://127.0.0.1:{self.ports['rasa']}/webhooks/rest/webhook",
            json={"sender": "serve-test", "message": text},
            headers={"Authorization": f"Bearer {CHANNEL_SECRET}"},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()


def _open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    if not model_path().exists():
        pytest.fail("no trained model: run `make train` (make test does) first")
    tmp = tmp_path_factory.mktemp("serve")
    database_url, drop = create_database(tmp)
    prepare_database(database_url)
    fake = FakeTelegram()
    ports = {name: free_port() for name in ("rasa", "actions", "webchat", "console")}
    env = {
        **server_env(database_url),
        "RUN_DIR": str(tmp),
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp / 'tracker.db'}",
        "RASA_PORT": str(ports["rasa"]),
        "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "ACTION_PORT": str(ports["actions"]),
        "WEBCHAT_PORT": str(ports["webchat"]),
        "CONSOLE_PORT": str(ports["console"]),  # serve.sh waits until the console answers
        "TELEGRAM_TOKEN": BOT_TOKEN,
        "TELEGRAM_BASE_URL": fake.url,
        "IDENTITY_SECRET": "serve-test-identity",
        "LOG_LEVEL": "INFO",
    }
    process = subprocess.Popen(
        ["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        stdout=(tmp / "serve.out").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group, as a terminal's foreground job
    )  # fmt: skip
    running = Served(process, env, tmp, ports, fake)
    try:
        deadline = time.monotonic() + 300
        while "Press Ctrl-C" not in running.output:
            assert process.poll() is None, running.output
            assert time.monotonic() < deadline, running.output
            time.sleep(1)
        yield running
    finally:
        if process.poll() is None:  # a test failed before Ctrl-C: supervisord stops its programs
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        fake.close()
        drop()


def test_make_run_prints_where_to_talk_and_no_secret(served):
    assert f"http://127.0.0.1:{served.ports['webchat']}/" in served.output
    assert "Telegram bot: on" in served.output and "make shell" in served.output
    assert "Authorization: Bearer <CHANNEL_SECRET from .env>" in served.output
    for secret in (CHANNEL_SECRET, AUTH_TOKEN, BOT_TOKEN):
        assert secret not in served.output


def test_rasa_killed_with_sigkill_answers_again_within_a_minute_while_the_others_keep_serving(
    served,
):
    assert served.send("镇里装了多少台电梯")
    others = {name: served.pid(name) for name in ("actions", "webchat", "telegram")}
    os.kill(served.pid("rasa"), signal.SIGKILL)
    killed = time.monotonic()
    page = httpx.get(f"http://127.0.0.1:{served.ports['webchat']}/", timeout=5)
    assert page.status_code == 200  # the web chat still serves (and apologises) meanwhile
    while True:
        try:
            if "23台" in "".join(r.get("text", "") for r in served.send("镇里装了多少台电梯")):
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() - killed < 60, "Rasa did not answer again within a minute"
        time.sleep(1)
    print(f"\nRasa answered again {time.monotonic() - killed:.1f} s after SIGKILL")
    assert {name: served.pid(name) for name in others} == others


def test_no_bot_token_secret_or_phone_number_reaches_any_log(served):
    fake = served.fake
    for count, text in enumerate(
        [f"建议在中江路口增设一个红绿灯，我的电话是{PHONE}", "对", "回复到这里", "确认提交"],
        start=1,
    ):
        fake.text(CHAT, text)
        fake.wait_for(CHAT, count, timeout=90)
    assert any("JY-" in text for text in fake.texts(CHAT))
    logs = sorted((served.run_dir / "log").glob("*.log"))
    assert {"rasa.log", "actions.log", "telegram.log", "webchat.log"} <= {p.name for p in logs}
    assert "getUpdates" in fake.methods()
    for path in logs:
        text = path.read_text(errors="replace")
        for secret in (BOT_TOKEN, PHONE, CHANNEL_SECRET, AUTH_TOKEN):
            assert secret not in text, f"{secret!r} in {path.name}"


def test_ctrl_c_stops_everything(served):
    pids = [served.pid(name) for name in ("rasa", "actions", "webchat", "telegram", "purge")]
    os.killpg(served.process.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground job
    served.process.wait(timeout=60)
    time.sleep(1)
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()]
    assert not [name for name, port in served.ports.items() if _open(port)]
