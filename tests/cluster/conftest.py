"""The `cluster` fixture: `make run-cluster`'s scripts/serve.sh --cluster on free ports, two Rasa
instances and two action servers behind HAProxy, on the test's own PostgreSQL and Redis."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from core.settings import ROOT
from scripts.balancer import Balancer
from scripts.train_if_stale import model_path
from tests.cluster.services import Postgres, Redis
from tests.stack import AUTH_TOKEN, CHANNEL_SECRET, free_port, prepare_database, server_env


@dataclass
class Cluster:
    process: subprocess.Popen
    env: dict
    run_dir: Path
    ports: dict[str, int]
    postgres: Postgres
    redis: Redis

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['balancer']}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {CHANNEL_SECRET}"}

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    @property
    def balancer(self) -> Balancer:
        return Balancer(self.env["BALANCER_SOCKET"])

    @property
    def output(self) -> str:
        return (self.run_dir / "serve.out").read_text()

    def ctl(self, *args: str) -> str:
        """supervisorctl on the cluster's supervisord."""
        answer = subprocess.run(
            [str(ROOT / ".venv/bin/supervisorctl"), "-c", "deploy/cluster.conf", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        return answer.stdout

    def pid(self, program: str) -> int:
        return int(self.ctl("pid", program).strip() or 0)

    def kill(self, program: str) -> int:
        """kill -9 one program's process (a crash); returns the pid killed."""
        pid = self.pid(program)
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_ready(self, seconds: float = 300) -> None:
        """Until every part answers its readiness check."""
        deadline = time.monotonic() + seconds
        while True:
            done = subprocess.run(
                [str(ROOT / ".venv/bin/python"), "-m", "scripts.cluster", "health"],
                cwd=ROOT, env=self.env, capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode == 0:
                return
            assert self.process.poll() is None, self.output
            assert time.monotonic() < deadline, done.stdout + self.output[-3000:]
            time.sleep(1)


def cluster_env(
    tmp: Path, postgres: Postgres, redis: Redis, ports: dict[str, int], rasa: int, actions: int
) -> dict:
    return {
        **server_env(postgres.url("project")),
        "RUN_DIR": str(tmp / "run"),
        "TRACKER_DATABASE_URL": postgres.url("tracker", "postgresql"),
        "REDIS_URL": redis.url,
        "RASA_URL": f"http://127.0.0.1:{ports['balancer']}",
        "ACTION_HOST": "127.0.0.1",
        "ACTION_PORT": str(ports["actions"]),
        "RASA_INSTANCES": ",".join(f"127.0.0.1:{ports[f'rasa-{n}']}" for n in range(rasa)),
        "ACTION_INSTANCES": ",".join(f"127.0.0.1:{ports[f'actions-{n}']}" for n in range(actions)),
        "BALANCER_HOST": "127.0.0.1",
        "BALANCER_STATUS_PORT": str(ports["status"]),
        "BALANCER_SOCKET": str(tmp / "run" / "haproxy.sock"),
        "WEBCHAT_PORT": str(ports["webchat"]),
        "CONSOLE_PORT": str(ports["console"]),
        "TELEGRAM_TOKEN": "",
        "IDENTITY_SECRET": "cluster-test-identity",
        "WEBCHAT_COOKIE_SECRET": "cluster-test-cookie",
        "CONSOLE_SECRET_KEY": "cluster-test-console",
        "CONTACT_KEY": "cluster-test-contact-key",
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def running_cluster(tmp: Path, rasa: int = 2, actions: int = 2, **extra: str) -> Iterator[Cluster]:
    """`make run-cluster` (scripts/serve.sh --cluster) with `rasa` Rasa instances and `actions`
    action servers, on its own PostgreSQL and Redis and free ports; everything stopped after."""
    if not model_path().exists():
        raise RuntimeError("no trained model: run `make train` first")
    names = ["balancer", "actions", "status", "webchat", "console", "postgres", "redis"]
    names += [f"rasa-{n}" for n in range(rasa)] + [f"actions-{n}" for n in range(actions)]
    ports = {name: free_port() for name in names}
    # its own folder: the `postgres` user cannot enter pytest's (root's) temporary folders
    postgres = Postgres(Path(tempfile.mkdtemp(prefix="cluster-pg-")), ports["postgres"])
    redis = Redis(tmp / "redis", ports["redis"])
    process = None
    try:
        postgres.init(["project", "tracker"])
        redis.start()
        env = {**cluster_env(tmp, postgres, redis, ports, rasa, actions), **extra}
        (tmp / "run").mkdir()
        prepare_database(env["DATABASE_URL"])  # the release step (`make release`)
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh", "--cluster"], cwd=ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=(tmp / "run" / "serve.out").open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        running = Cluster(process, env, tmp / "run", ports, postgres, redis)
        running.wait_ready()
        yield running
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        redis.stop()
        postgres.stop("immediate")
        shutil.rmtree(postgres.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    if not model_path().exists():
        pytest.fail("no trained model: run `make train` (make test-cluster does) first")
    with running_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


def served_by(response: httpx.Response) -> str:
    """Which Rasa instance answered (the balancer's X-Served-By header)."""
    return response.headers.get("x-served-by", "")


__all__ = ["AUTH_TOKEN", "Cluster", "served_by"]
