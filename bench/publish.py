"""Residents' reply time while a publish runs: p95 over the REST channel with no training, while
a publish trains (the runner at nice 10, one thread per library), and while it tests the new model
(held-out split, conversation tests). Starts its own stack on a scratch SQLite database and
installs into a scratch model folder: `make bench-publish [ARGS="--rate 10 --seconds 25"]`.
Prints a markdown table."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import load
from knowledge import db, publish_repo, settings
from scripts.train_if_stale import model_path


def _job_state(job_id: int) -> str:
    with db.get_sessionmaker()() as session:
        return publish_repo.get(session, job_id).state


async def _wait_for(job_id: int, states: tuple[str, ...], timeout: float = 900) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _job_state(job_id)
        if state in states or state in publish_repo.FINISHED:
            return state
        await asyncio.sleep(0.25)
    raise TimeoutError(f"publish job {job_id} did not reach {states}")


def table(rows: list[tuple[str, load.Summary, str]], rate: float) -> str:
    lines = [
        f"| Residents' messages over REST ({rate:g}/s offered) | messages | p50 ms | p95 ms "
        "| p99 ms | errors | busy | publish state at the end |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, s, state in rows:
        lines.append(f"| {name} | {s.offered} | {s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.p99_ms:.0f} "
                     f"| {s.errors} | {s.busy} | {state} |")  # fmt: skip
    return "\n".join(lines)


async def measure(stack, rate: float, seconds: float) -> tuple[list, dict]:
    """The three phases; returns the rows and the job's results."""
    from console.publish import launch

    rows = []
    async with load.client() as http:
        send = load.rest_transport(http, stack.rasa_url, stack.channel_secret)
        await load.open_loop(send, rate=5, seconds=5, max_messages=25)  # warm-up
        quiet = await load.open_loop(send, rate=rate, seconds=seconds,
                                     max_messages=int(rate * seconds))  # fmt: skip
        rows.append(("no training", quiet, "–"))
        with db.get_sessionmaker().begin() as session:
            job_id = publish_repo.start(session, actor="bench").id
        process = launch(job_id)
        with db.get_sessionmaker().begin() as session:
            publish_repo.set_pid(session, job_id, process.pid)
        print(f"publish {job_id} started", file=sys.stderr, flush=True)
        await _wait_for(job_id, ("training",))
        training = await load.open_loop(send, rate=rate, seconds=seconds,
                                        max_messages=int(rate * seconds))  # fmt: skip
        rows.append(("while a publish trains", training, _job_state(job_id)))
        await _wait_for(job_id, ("testing",))
        testing = await load.open_loop(send, rate=rate, seconds=seconds,
                                       max_messages=int(rate * seconds))  # fmt: skip
        rows.append(("while it tests the new model", testing, _job_state(job_id)))
        await _wait_for(job_id, publish_repo.FINISHED)
    with db.get_sessionmaker()() as session:
        job = publish_repo.get(session, job_id)
        started = job.created_at
        outcome = {"state": job.state, "reason": job.reason[-300:],
                   "seconds": (job.finished_at - started).total_seconds(),
                   "running": job.running_accuracy, "candidate": job.candidate_accuracy,
                   "steps": [m["text"] for m in job.progress]}  # fmt: skip
    return rows, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=10, help="messages per second offered")
    parser.add_argument("--seconds", type=float, default=25, help="per phase")
    args = parser.parse_args()
    from tests.conftest import create_database
    from tests.stack import AUTH_TOKEN, running_stack

    with tempfile.TemporaryDirectory(prefix="bench-publish-") as name:
        tmp = Path(name)
        models = tmp / "models"
        shutil.copytree(model_path().parent, models)
        database_url, drop = create_database(tmp)
        with running_stack(tmp, database_url, drop) as stack:
            os.environ.update(DATABASE_URL=database_url, RASA_URL=stack.rasa_url,
                              RASA_AUTH_TOKEN=AUTH_TOKEN, MODEL_DIR=str(models))  # fmt: skip
            for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
                cache.cache_clear()
            rows, outcome = asyncio.run(measure(stack, args.rate, args.seconds))
            db.get_engine().dispose()
    print(table(rows, args.rate))
    print()
    print(f"Publish: {outcome['state']} in {outcome['seconds']:.0f} s; held-out accuracy "
          f"{outcome['running']} → {outcome['candidate']}; {os.cpu_count()} cores.")  # fmt: skip
    if outcome["reason"]:
        print(f"Reason: {outcome['reason']}")
    for step in outcome["steps"]:
        print(f"  - {step}", file=sys.stderr)


if __name__ == "__main__":
    main()
