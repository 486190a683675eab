"""Write a benchmark run's tables at the top of bench/RESULTS.md (newest first)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"


def run_header(title: str, command: str) -> str:
    """The run's title with its date, commit, command, core count and load average."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    load = os.getloadavg()[0]
    return (
        f"# {title}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}\n\n"
        f"`{command}` on {os.cpu_count()} cores (load average {load:.1f} at the end: the machine "
        "is shared, so latency depends on what else runs; CPU per reply does not)."
    )


def record(text: str, path: Path = RESULTS) -> None:
    """Insert `text` before everything already in `path`."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(text.rstrip() + "\n\n" + old, encoding="utf-8")


if __name__ == "__main__":  # python -m bench.record TITLE COMMAND FILE: a printed table, recorded
    title, command, printed = sys.argv[1:4]
    record(run_header(title, command) + "\n\n" + Path(printed).read_text(encoding="utf-8"))
