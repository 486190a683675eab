"""Starting and stopping the assistant's servers from scripts and tests: wait until a server
answers, stop one with everything it started."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import httpx


class NotUp(RuntimeError):
    """The server exited, or did not answer in time."""


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 240) -> None:
    """Return once `url` answers (any status below 500); NotUp when `process` exits first or
    `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NotUp(f"the server exited (status {process.returncode})")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise NotUp(f"{url} did not answer within {seconds:.0f} s")


def stop(process: subprocess.Popen, seconds: float = 20) -> None:
    """Stop a server started in its own session and everything it started (SIGTERM, then
    SIGKILL after `seconds`)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
