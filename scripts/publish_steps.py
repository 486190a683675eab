"""The publish runner's steps (`scripts/publish.py`): each a subprocess with one thread per numeric
library and its output in a log; a failure is `StepFailed` with the log's last lines, scrubbed of
colours and secrets (they are shown to staff)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from core.settings import ROOT, channel_secret, rasa_auth_token

# One thread per numeric library: a training shares the machine with the residents' assistant.
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                                  "TF_NUM_INTEROP_THREADS", "MKL_NUM_THREADS",
                                  "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")}  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class StepFailed(Exception):
    """A step failed; the message says why (shown to staff)."""


def scrub(text: str) -> str:
    """Text without ANSI colours, secrets or token parameters."""
    text = ANSI.sub("", text)
    for secret in (rasa_auth_token(), channel_secret()):
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"token=[^\s&\"']+", "token=***", text)


def tail(log: Path, lines: int = 15) -> str:
    """The last lines of a step's output."""
    if not log.exists():
        return ""
    text = log.read_text(encoding="utf-8", errors="replace")
    return scrub("\n".join(text.strip().splitlines()[-lines:]))


def environment(**extra: str) -> dict[str, str]:
    """The steps' environment: one thread per library, no telemetry, quiet TensorFlow."""
    return {**os.environ, **THREADS, "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2", **extra}  # fmt: skip


def run_step(what: str, command: list[str], log: Path, *, timeout: float, env=None) -> str:
    """Run one step, its output into `log`; StepFailed with the last lines when it fails."""
    with log.open("w", encoding="utf-8") as out:
        try:
            done = subprocess.run(command, cwd=ROOT, env=env or environment(), stdout=out,
                                  stderr=subprocess.STDOUT, timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired as error:
            raise StepFailed(f"{what} took longer than {timeout:.0f} s\n{tail(log)}") from error
    if done.returncode != 0:
        raise StepFailed(f"{what} failed (exit status {done.returncode}):\n{tail(log)}")
    return log.read_text(encoding="utf-8", errors="replace")
