"""Run a command as the only one of its name in the whole cluster: a lock in Redis.

    python -m scripts.singleton NAME -- COMMAND [ARGS…]

The first to take the lock `changzheng:singleton:NAME` runs COMMAND and renews the lock while it
runs (SINGLETON_LOCK_SECONDS); any other waits, and takes over once the lock is free (the holder
stopped, or died and its lock ran out). COMMAND dies with this process (the kernel's parent-death
signal), so a kill -9 here never leaves a second copy running. When the lock was taken by another
(Redis lost it and another holder came first), COMMAND is stopped and this one waits again. Without
REDIS_URL (one machine) COMMAND just runs. Used for Telegram and the purge (deploy/cluster.conf).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
import uuid

import redis

from core import logs
from core.settings import get_settings

logger = logging.getLogger("singleton")
RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"  # noqa: E501
RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"  # noqa: E501
)
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Lock:
    def __init__(self, client: redis.Redis, name: str, seconds: float) -> None:
        self.client, self.key = client, f"changzheng:singleton:{name}"
        self.token, self.ms = uuid.uuid4().hex, int(seconds * 1000)

    def take(self) -> bool:
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ms))

    def keep(self) -> bool:
        """Renew; False only when another holds it. Redis away: kept (it cannot be known)."""
        try:
            if self.client.eval(RENEW, 1, self.key, self.token, self.ms):
                return True
            return self.take()  # Redis restarted empty: take it again if nobody else did
        except redis.RedisError:
            return True

    def release(self) -> None:
        with contextlib.suppress(redis.RedisError):
            self.client.eval(RELEASE, 1, self.key, self.token)


def run(name: str, command: list[str]) -> int:
    settings = get_settings()
    if not settings.redis_url:
        os.execvp(command[0], command)
    lock = Lock(redis.Redis.from_url(settings.redis_url, socket_timeout=3), name,
                settings.singleton_lock_seconds)  # fmt: skip
    child: subprocess.Popen | None = None

    def stop(_signum, _frame) -> None:
        if child and child.poll() is None:
            child.terminate()
            child.wait()
        lock.release()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    told = False
    while True:
        try:
            taken = lock.take()
        except redis.RedisError:
            taken = False
        if not taken:
            if not told:
                logger.info("%s: another one runs (lock in Redis); waiting", name)
                told = True
            time.sleep(min(2.0, settings.singleton_lock_seconds / 3))
            continue
        logger.info("%s: lock taken, starting", name)
        child = subprocess.Popen(command, preexec_fn=_die_with_parent)  # noqa: PLW1509
        while child.poll() is None:
            time.sleep(settings.singleton_lock_seconds / 3)
            if not lock.keep():
                logger.warning("%s: the lock went to another; stopping", name)
                child.terminate()
                child.wait()
                break
        else:
            lock.release()
            return child.returncode  # supervisord starts it again
        told = False


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    logs.configure(get_settings().log_level)
    return run(argv[0], argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
