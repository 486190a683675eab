"""scripts/singleton.py: of two Telegram processes (or purges) in a cluster one runs and the other
waits on the lock in Redis; when the running one is killed (kill -9, its command dies with it), the
waiting one takes over once the lock runs out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import ROOT
from tests.cluster.services import Redis
from tests.stack import free_port

# The command each wrapper runs: says who it is, every 0.2 s, into its own file.
WORKER = "import sys, time\nwhile True:\n    open(sys.argv[1], 'a').write('x'); time.sleep(0.2)"


@pytest.fixture
def redis_server(tmp_path) -> Iterator[Redis]:
    server = Redis(tmp_path / "redis", free_port())
    server.start()
    yield server
    server.stop()


def start(redis_server: Redis, tmp_path: Path, name: str) -> subprocess.Popen:
    env = {**os.environ, "REDIS_URL": redis_server.url, "SINGLETON_LOCK_SECONDS": "2"}
    command = [str(ROOT / ".venv/bin/python"), "-m", "scripts.singleton", "telegram", "--",
               sys.executable, "-c", WORKER, str(tmp_path / name)]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=(tmp_path / f"{name}.log").open("w"),
                            stderr=subprocess.STDOUT)  # fmt: skip


def growing(path: Path) -> bool:
    before = path.stat().st_size if path.exists() else 0
    time.sleep(1)
    return (path.stat().st_size if path.exists() else 0) > before


def test_one_runs_the_other_waits_and_takes_over_after_a_kill(redis_server, tmp_path):
    first = start(redis_server, tmp_path, "first")
    time.sleep(2)
    second = start(redis_server, tmp_path, "second")
    try:
        time.sleep(3)
        assert growing(tmp_path / "first") and not growing(tmp_path / "second")
        os.kill(first.pid, signal.SIGKILL)  # its command dies with it; its lock runs out
        first.wait()
        time.sleep(1)
        assert not growing(tmp_path / "first")
        deadline = time.monotonic() + 15
        while not growing(tmp_path / "second"):
            assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()
        assert second.poll() is None
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
    assert not growing(tmp_path / "second")  # stopping the wrapper stops its command
