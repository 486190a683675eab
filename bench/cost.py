"""What the assistant costs: training time and memory, start-up time (`make bench-cost`).

- Full training: `rasa train` as `make train` runs it, with an empty training cache.
- Incremental training: the same again after one domain change (a new response), with the cache
  of the full training: Rasa retrains only what the change touches.
- Start-up: from starting the action server and Rasa (the throwaway stack of tests/stack.py) to
  the first answered message.

Peak memory is the training process's maximum RSS (`/usr/bin/time`). Memory of every running
process at rest and under load is in `make bench-speed`'s table.

    .venv/bin/python -m bench.cost [--record]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.record import record, run_header
from core.settings import ROOT

TRAINING_TARGET_S = 180
RASA_MEMORY_TARGET_MB = 1536


def train(out: Path, cache: Path, domain: Path) -> tuple[float, float]:
    """One `rasa train` (as scripts/train_if_stale.py runs it); wall seconds and peak RSS in MB."""
    from scripts.build_training_data import build

    build()
    env = {
        **os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_CACHE_DIRECTORY": str(cache),
    }  # fmt: skip
    command = [
        "/usr/bin/time", "-f", "peak-kb %M", str(ROOT / ".venv-rasa/bin/rasa"), "train",
        "--config", "config.yml", "--domain", str(domain), "--data", "nlu_data", "build/nlu",
        "--out", str(out), "--fixed-model-name", "bench",
    ]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    seconds = time.monotonic() - started
    peak = next(
        int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak-kb")
    )
    return seconds, peak / 1024


def start_up(tmp: Path) -> float:
    """Seconds from starting the servers to the first answered message."""
    from tests.conftest import create_database
    from tests.stack import prepare_database, running_stack

    database_url, drop = create_database(tmp)
    prepare_database(database_url)  # migrations are not start-up
    started = time.monotonic()
    with running_stack(tmp, database_url, drop) as stack:
        while not stack.send("bench-start", "你好"):
            time.sleep(0.1)
        return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="write the table into RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cost-") as name:
        tmp = Path(name)
        domain = tmp / "domain"
        from scripts.build_training_data import build

        build()
        shutil.copytree(ROOT / "build" / "domain", domain)
        full = train(tmp / "models", tmp / "cache", domain)
        print(f"full training: {full[0]:.0f} s, {full[1]:.0f} MB", file=sys.stderr)
        (domain / "bench_probe.yml").write_text(
            'version: "3.1"\nresponses:\n  utter_bench_probe:\n    - text: "probe"\n', "utf-8"
        )
        incremental = train(tmp / "models", tmp / "cache", domain)
        print(f"incremental: {incremental[0]:.0f} s, {incremental[1]:.0f} MB", file=sys.stderr)
        first = start_up(tmp / "stack")
    mark = "✓" if full[0] <= TRAINING_TARGET_S else "✗"
    text = "\n\n".join([
        run_header("Cost", " ".join(["python -m bench.cost", *sys.argv[1:]])),
        "| measure | value | target |\n| --- | --- | --- |\n"
        f"| full training | {full[0]:.0f} s, peak {full[1]:.0f} MB | ≤ {TRAINING_TARGET_S} s {mark} |\n"
        f"| incremental training (one domain response added) | {incremental[0]:.0f} s, peak "
        f"{incremental[1]:.0f} MB | |\n"
        f"| start-up (action server + Rasa) to the first answered message | {first:.1f} s | |",
    ])  # fmt: skip
    print(text)
    if args.record:
        record(text)


if __name__ == "__main__":
    main()
