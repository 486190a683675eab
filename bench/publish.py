"""Residents' reply time while a publish runs: p50/p95/p99 over the REST channel (bench/load.py's
open loop) with no training, then through a whole publish of one added example question, by the
publish's phase (validating, training at nice 10 with one thread per library, testing on the
held-out split and the conversation tests, loading). Starts its own stack on a scratch SQLite
database and installs into a scratch model folder: `make bench-publish [ARGS="--rate 10"]`.
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
from bench.transports import Failed, Send, client, rest_transport
from core import settings
from knowledge import faq_repo
from scripts.train_if_stale import model_path
from store import db, publish_repo

EXAMPLE = ("hotline_contact", "想吐槽一下找谁说")  # a real change: one example question added
PHASES = ("validating", "training", "testing", "loading")


def _job_state(job_id: int) -> str:
    with db.get_sessionmaker()() as session:
        return publish_repo.get(session, job_id).state


class Recorder:
    """A transport that records when each message was sent and how it went (as bench.load
    judges it), so messages can be sorted into the publish's phases afterwards."""

    def __init__(self, send: Send) -> None:
        self.send, self.results = send, []

    async def __call__(self, resident: str, text: str) -> str:
        started = time.monotonic()
        result, reply = await load.timed(self.send, resident, text, 30)
        self.results.append((started, result))
        if not result.ok:
            raise Failed(reply)
        return reply


def row(name: str, results: list, seconds: float) -> str:
    s = load.summarise(results, seconds, 0.0)
    return (f"| {name} | {seconds:.0f} | {s.offered} | {s.p50_ms:.0f} | {s.p95_ms:.0f} "
            f"| {s.p99_ms:.0f} | {s.errors} | {s.busy} |")  # fmt: skip


def table(quiet: list, quiet_seconds: float, timeline: list, results: list, rate: float) -> str:
    """One row with no training, one per publish phase, one for the whole publish."""
    lines = [
        f"| Residents' messages over REST ({rate:g}/s offered) | seconds | messages | p50 ms "
        "| p95 ms | p99 ms | errors | busy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        row("no training", [r for _, r in quiet], quiet_seconds),
    ]
    spans = [(t, state, timeline[i + 1][0] if i + 1 < len(timeline) else t)
             for i, (t, state) in enumerate(timeline)]  # fmt: skip
    for phase in PHASES:
        for begin, state, end in spans:
            if state == phase and end > begin:
                inside = [r for t, r in results if begin <= t < end]
                lines.append(row(f"while the publish is {phase}", inside, end - begin))
    begin, end = timeline[0][0], timeline[-1][0]
    lines.append(row("during the whole publish", [r for t, r in results if begin <= t < end],
                     end - begin))  # fmt: skip
    return "\n".join(lines)


async def measure(stack, rate: float, seconds: float) -> tuple[str, dict]:
    """No training for `seconds`, then an open loop for as long as a publish runs."""
    from console.publish import launch

    async with client() as http:
        rest = rest_transport(http, stack.rasa_url, stack.channel_secret)
        await load.open_loop(rest, rate=5, seconds=5, max_messages=25)  # warm-up
        quiet = Recorder(rest)
        await load.open_loop(quiet, rate=rate, seconds=seconds, max_messages=int(rate * seconds))
        with db.get_sessionmaker().begin() as session:
            entry = faq_repo.get_by_intent(session, intent=EXAMPLE[0])
            faq_repo.save_entry(session, entry.id, editor="bench",
                                values={"examples": [*entry.examples, EXAMPLE[1]]})  # fmt: skip
        busy = Recorder(rest)
        running = asyncio.create_task(
            load.open_loop(busy, rate=rate, seconds=3600, max_messages=10**6)
        )
        await asyncio.sleep(2)
        with db.get_sessionmaker().begin() as session:
            job_id = publish_repo.start(session, actor="bench").id
        timeline = [(time.monotonic(), "queued")]
        process = launch(job_id)
        with db.get_sessionmaker().begin() as session:
            publish_repo.set_pid(session, job_id, process.pid)
        print(f"publish {job_id} started", file=sys.stderr, flush=True)
        while timeline[-1][1] not in publish_repo.FINISHED:
            await asyncio.sleep(0.25)
            state = _job_state(job_id)
            if state != timeline[-1][1]:
                timeline.append((time.monotonic(), state))
                print(f"  {state}", file=sys.stderr, flush=True)
        await asyncio.sleep(2)
        running.cancel()
    with db.get_sessionmaker()() as session:
        job = publish_repo.get(session, job_id)
        outcome = {"state": job.state, "reason": job.reason[-300:],
                   "seconds": timeline[-1][0] - timeline[0][0],
                   "running": job.running_accuracy, "candidate": job.candidate_accuracy,
                   "steps": [m["text"] for m in job.progress]}  # fmt: skip
    return table(quiet.results, seconds, timeline, busy.results, rate), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=10, help="messages per second offered")
    parser.add_argument("--seconds", type=float, default=30, help="with no training")
    parser.add_argument("--niceness", type=int, default=None,
                        help="the runner's nice increment (default PUBLISH_NICENESS, 10)")  # fmt: skip
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
            if args.niceness is not None:
                os.environ["PUBLISH_NICENESS"] = str(args.niceness)
            for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
                cache.cache_clear()
            markdown, outcome = asyncio.run(measure(stack, args.rate, args.seconds))
            db.get_engine().dispose()
    print(markdown)
    print()
    print(f"Publish: {outcome['state']} in {outcome['seconds']:.0f} s; held-out accuracy "
          f"{outcome['running']} → {outcome['candidate']}; runner at nice "
          f"{settings.get_settings().publish_niceness}; {os.cpu_count()} cores.")  # fmt: skip
    if outcome["reason"]:
        print(f"Reason: {outcome['reason']}")
    for step in outcome["steps"]:
        print(f"  - {step}", file=sys.stderr)


if __name__ == "__main__":
    main()
