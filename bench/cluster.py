"""One Rasa instance against two behind HAProxy, on PostgreSQL and Redis (`make bench-cluster`).

Starts the cluster of `make run-cluster` (tests/cluster/conftest.py: its own PostgreSQL and Redis,
free ports) with one Rasa instance and one action server, then with two of each, and runs
bench/load.py's residents (questions, small talk, status look-ups and whole suggestion forms)
through the balancer: open loop at 30 msg/s, closed loop with 50 residents. Prints replies/s,
p50/p95/p99, the CPU each process spent per reply, and a projection of the instances a city-wide
load needs; `--record` writes them at the top of bench/RESULTS.md.

    .venv/bin/python -m bench.cluster [--seconds 30] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import tempfile
from pathlib import Path

from bench import load, transports
from bench.processes import Watch
from bench.record import record, run_header
from tests.cluster.conftest import Cluster, running_cluster
from tests.stack import CHANNEL_SECRET

SCENARIOS = (("30 msg/s offered", {"rate": 30}), ("50 residents, no think time", {"residents": 50}))
CONTACTS_PER_DAY = 100_000
PEAK_HOUR_SHARE = 0.15  # assumed: the busiest hour carries 15 % of a day's messages
UTILISATION = 0.6  # assumed: plan cores to run at most 60 % busy at the peak


def processes(cluster: Cluster, rasa: int, actions: int) -> dict[str, int]:
    """The pids to watch: every Rasa and action server, the balancer, PostgreSQL and Redis."""
    pids = {f"rasa-{n}": cluster.pid(f"rasa:rasa-{n}") for n in range(rasa)}
    pids |= {f"actions-{n}": cluster.pid(f"actions:actions-{n}") for n in range(actions)}
    pids["balancer"] = cluster.pid("balancer")
    pids["postgres"] = int((cluster.postgres.data / "postmaster.pid").read_text().split()[0])
    pids["redis"] = cluster.redis.process.pid
    return pids


async def scenarios(url: str, seconds: float, watch: dict[str, int]) -> list[dict]:
    async with transports.client() as client:
        send = transports.rest_transport(client, url, CHANNEL_SECRET)
        await load.open_loop(send, rate=5, seconds=min(5, seconds), max_messages=40)  # warm-up
        rows = []
        for name, shape in SCENARIOS:
            with Watch(watch) as watched:
                if "rate" in shape:
                    summary = await load.open_loop(send, rate=shape["rate"], seconds=seconds,
                                                   max_messages=int(shape["rate"] * seconds))  # fmt: skip
                else:
                    summary = await load.closed_loop(send, residents=shape["residents"],
                                                     seconds=seconds, max_messages=100_000)  # fmt: skip
            answered = max(summary.replies, 1)  # busy replies cost little: counted against these
            cpu = {k: 1000 * v / answered for k, v in watched.cpu.items()}
            rows.append(
                {"load": name, "summary": summary, "cpu_ms": cpu, "loadavg": os.getloadavg()[0]}
            )
            print(f"  {name}: {summary}", file=sys.stderr, flush=True)
    return rows


def _group(cpu: dict[str, float], prefix: str) -> float:
    return sum(v for k, v in cpu.items() if k.startswith(prefix))


def table(results: list[tuple[str, list[dict]]]) -> str:
    lines = [
        "| topology | load | offered | replies/s | p50 ms | p95 ms | p99 ms | errors | busy "
        "| CPU ms per answered reply: Rasa (all) | action servers | HAProxy | PostgreSQL | Redis "
        "| load avg |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for topology, rows in results:
        for row in rows:
            s, c = row["summary"], row["cpu_ms"]
            lines.append(
                f"| {topology} | {row['load']} | {s.offered} | {s.replies_per_second:.1f} "
                f"| {s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.p99_ms:.0f} | {s.errors} | {s.busy} "
                f"| {_group(c, 'rasa'):.1f} | {_group(c, 'actions'):.1f} | {c['balancer']:.2f} "
                f"| {c['postgres']:.1f} | {c['redis']:.2f} | {row['loadavg']:.1f} |"
            )
    return "\n".join(lines)


def projection(results: list[tuple[str, list[dict]]], messages_per_contact: float) -> str:
    """Cores and Rasa instances for a city-wide day, from the measured CPU per reply."""
    row = results[-1][1][0]  # two instances, open loop: CPU per reply below saturation
    c = row["cpu_ms"]
    total_ms = sum(c.values())
    peak_rate = CONTACTS_PER_DAY * messages_per_contact * PEAK_HOUR_SHARE / 3600
    cores = peak_rate * total_ms / 1000 / UTILISATION
    rasa_cores = peak_rate * _group(c, "rasa") / 1000 / UTILISATION
    return (
        f"**Projection, not a measurement.** {CONTACTS_PER_DAY:,} contacts a day × "
        f"{messages_per_contact:.1f} messages a contact (this bench's mix) with "
        f"{PEAK_HOUR_SHARE:.0%} of the day in the busiest hour is {peak_rate:.0f} messages/s at the "
        f"peak. At the {total_ms:.0f} ms of CPU a reply costs in all processes measured here "
        f"(Rasa {_group(c, 'rasa'):.0f} ms, action servers {_group(c, 'actions'):.0f} ms, "
        f"PostgreSQL {c['postgres']:.0f} ms) and cores kept {UTILISATION:.0%} busy, that is "
        f"{cores:.1f} cores, of which {rasa_cores:.1f} for Rasa: **{math.ceil(rasa_cores)} Rasa "
        f"instances** (one per core: an instance's event loop uses one core at most) and "
        f"{math.ceil(peak_rate * _group(c, 'actions') / 1000 / UTILISATION)} action server(s), "
        "plus PostgreSQL on its own machine. Each instance holds about 1 GB of memory."
    )


def mean_conversation_length(samples: int = 2000) -> float:
    """Messages per resident's visit in bench/load.py's mix (the form asks its four steps)."""
    steps = ["哪一类", "具体在哪里", "需要工作人员给您回复", "请核对"]
    rng, total = random.Random(7), 0
    for _ in range(samples):
        talk = load.conversation(rng)
        try:
            next(talk)
            total += 1
            for n in range(20):
                talk.send(steps[n] if n < len(steps) else "")
                total += 1
        except StopIteration:
            pass
    return total / samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    results = []
    for rasa in (1, 2):
        topology = f"{rasa} Rasa + {rasa} action server{'s' if rasa > 1 else ''}"
        print(f"{topology}: starting", file=sys.stderr, flush=True)
        with (
            tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp,
            running_cluster(Path(tmp), rasa=rasa, actions=rasa, LOG_LEVEL="WARNING") as cluster,
        ):
            watch = processes(cluster, rasa, rasa)
            results.append(
                (topology, asyncio.run(scenarios(cluster.rasa_url, args.seconds, watch)))
            )
    text = table(results) + "\n\n" + projection(results, mean_conversation_length())
    print(text)
    if args.record:
        record(run_header("Cluster: one Rasa instance against two behind HAProxy", "make bench-cluster")
               + "\n\n" + text)  # fmt: skip


if __name__ == "__main__":
    main()
