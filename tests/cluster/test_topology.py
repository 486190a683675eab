"""The cluster's shape: every part ready, one resident's turns answered by both Rasa instances in
order, and the balancer taking out an instance that is not ready (and putting it back)."""

from __future__ import annotations

import os
import subprocess
import time

import httpx

from core.settings import ROOT, Settings
from scripts.balancer import config
from scripts.processes import stop
from scripts.train_if_stale import model_path
from tests.cluster.conftest import served_by
from tests.stack import free_port

NO_MODEL_EXIT = 3  # rasa_addons/health.py (Rasa's environment: not importable here)


def test_the_balancer_configuration_from_the_settings_is_valid(tmp_path):
    settings = Settings(rasa_url="http://10.0.0.5:7005", rasa_instances="10.0.0.6:7006,10.0.0.7:7006",
                        action_host="10.0.0.5", action_port=7055, action_instances="10.0.0.8:7056",
                        balancer_host="10.0.0.5")  # fmt: skip
    text = config(settings, tmp_path / "haproxy.sock")
    assert "bind 10.0.0.5:7005" in text and "bind 10.0.0.5:7055" in text
    assert "server rasa-1 10.0.0.7:7006 check" in text
    assert "server actions-0 10.0.0.8:7056 check" in text and "127.0.0.1" not in text
    (tmp_path / "haproxy.cfg").write_text(text)
    checked = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")],
                             capture_output=True, text=True)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


def turn(cluster, who: str, text: str) -> tuple[str, str]:
    response = httpx.post(f"{cluster.rasa_url}/webhooks/rest/webhook", headers=cluster.headers,
                          json={"sender": who, "message": text}, timeout=60)  # fmt: skip
    response.raise_for_status()
    return served_by(response), "\n".join(m.get("text", "") for m in response.json())


def events(cluster, who: str) -> list[dict]:
    response = httpx.get(f"{cluster.rasa_url}/conversations/{who}/tracker",
                         params={"token": cluster.env["RASA_AUTH_TOKEN"]}, timeout=30)  # fmt: skip
    return response.json()["events"]


def test_every_part_is_ready_and_one_residents_turns_reach_both_instances(cluster):
    health = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "scripts.cluster", "health"],
                            cwd=ROOT, env=cluster.env, capture_output=True, text=True)  # fmt: skip
    assert health.returncode == 0, health.stdout
    for name in ("rasa-0", "rasa-1", "actions-0", "actions-1", "balancer", "redis", "tracker"):
        assert f"{name} " in health.stdout
    said = ["镇里装了多少台电梯", "加装电梯怎么申请", "加装电梯费用谁出", "谢谢"]
    served = [turn(cluster, "topology-1", text) for text in said]
    assert {server for server, _ in served} == {"rasa-0", "rasa-1"}
    assert "23台" in served[0][1]
    users = [e["text"] for e in events(cluster, "topology-1") if e["event"] == "user"]
    assert users == said  # every turn once, in order, whichever instance took it


def test_an_instance_that_is_not_ready_is_taken_out_and_comes_back(cluster):
    cluster.ctl("stop", "rasa:rasa-1")
    deadline = time.monotonic() + 10
    while cluster.balancer.servers("rasa")["rasa-1"]["status"] == "UP":
        assert time.monotonic() < deadline, "the balancer kept a stopped instance"
        time.sleep(0.2)
    assert {turn(cluster, "topology-2", "你好")[0] for _ in range(4)} == {"rasa-0"}
    cluster.ctl("start", "rasa:rasa-1")
    cluster.wait_ready()
    cluster.balancer.wait_up("rasa", "rasa-1", seconds=30)
    assert "rasa-1" in {turn(cluster, "topology-3", "你好")[0] for _ in range(4)}


def test_a_rasa_that_could_not_load_its_model_exits_to_be_started_again(tmp_path):
    truncated = tmp_path / "broken.tar.gz"  # as read while another process rewrites the file
    truncated.write_bytes(model_path().read_bytes()[:1_000_000])
    log = tmp_path / "rasa.log"
    rasa = subprocess.Popen(
        [str(ROOT / ".venv-rasa/bin/python"), "-m", "scripts.run_rasa", "-i", "127.0.0.1",
         "-p", str(free_port()), "--model", str(truncated), "--credentials",
         str(ROOT / "credentials.yml")],
        cwd=ROOT, env={**os.environ, "RASA_AUTH_TOKEN": "t", "RASA_TELEMETRY_ENABLED": "false"},
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        assert rasa.wait(timeout=240) == NO_MODEL_EXIT, log.read_text()[-2000:]
    finally:
        stop(rasa)
