"""Reply speed through the REST channel, the web chat and the Telegram bridge (`make bench-speed`).

Starts a throwaway stack (action server + Rasa with the SQL tracker store, as `make run` does,
on free loopback ports) on SQLite, and on PostgreSQL when it is reachable; the web chat and the
Telegram bridge (the real one, against the fake Bot API of tests/bot/fake_telegram.py) in front of
it; then runs bench/load.py's residents: open loop at 10 and 30 messages/s, closed loop with 50
and 200 residents. Prints the tables (each figure beside its target), the CPU each process spent
per reply and the memory (RSS) of every process at rest and under load; `--record` writes them at
the top of bench/RESULTS.md.

    .venv/bin/python -m bench.speed [--seconds 30] [--channels rest,webchat,telegram] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench import load
from bench.processes import Watch, rss_mb
from bench.record import record, run_header
from bench.transports import Send, client, rest_transport, telegram_transport, webchat_transport
from core.settings import ROOT

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SCENARIOS = (  # name, open-loop rate or closed-loop residents, p95 target ms, replies/s target
    ("10 msg/s offered", {"rate": 10}, 100, None),
    ("30 msg/s offered", {"rate": 30}, 200, None),
    ("50 residents, no think time", {"residents": 50}, None, 50),
    ("200 residents, no think time", {"residents": 200}, None, 50),
)
TELEGRAM_LIMIT = 30  # messages a second Telegram itself lets one bot send (its flood limit)
BRIDGE_ENV = {"MESSAGES_PER_MINUTE": "100000", "RASA_TIMEOUT_SECONDS": "8"}


# -- the bridges ----------------------------------------------------------------------------------


def _free_port() -> int:
    from tests.stack import free_port

    return free_port()


@contextmanager
def bridge(module: str, env: dict[str, str], log: Path, ready_url: str | None = None):
    """Start `python -m module` with `env`; stop it (and its children) afterwards."""
    from tests.stack import _stop, _wait

    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-m", module], cwd=ROOT, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        if ready_url:
            _wait(ready_url, process, log, seconds=60)
        yield process
    finally:
        _stop(process)


# -- a run ----------------------------------------------------------------------------------------


async def run_scenarios(send: Send, seconds: float, watch: dict[str, int]) -> list[dict]:
    """Every scenario on one transport, after a short warm-up; one row each."""
    await load.open_loop(send, rate=5, seconds=min(5, seconds), max_messages=40)
    rows = []
    for name, shape, p95_target, rate_target in SCENARIOS:
        with Watch(watch) as watched:
            if "rate" in shape:
                summary = await load.open_loop(
                    send,
                    rate=shape["rate"],
                    seconds=seconds,
                    max_messages=int(shape["rate"] * seconds),
                )
            else:
                summary = await load.closed_loop(
                    send, residents=shape["residents"], seconds=seconds, max_messages=100_000
                )
        served = max(summary.replies + summary.busy, 1)
        rows.append({
            "load": name, "summary": summary, "p95_target": p95_target, "rate_target": rate_target,
            "cpu_ms": {k: 1000 * v / served for k, v in watched.cpu.items()},
            "peak_mb": watched.peak, "loadavg": os.getloadavg()[0],
        })  # fmt: skip
        print(f"  {name}: {summary}", file=sys.stderr, flush=True)
    return rows


def _mark(value: float, target: float | None, below: bool = True) -> str:
    if target is None:
        return f"{value:.0f}"
    met = value <= target if below else value >= target
    return f"{value:.0f} ({'≤' if below else '≥'} {target} {'✓' if met else '✗'})"


def table(results: list[tuple[str, str, list[dict]]]) -> str:
    """The speed table, each figure beside its target."""
    lines = [
        "| channel | tracker store | load | offered | replies/s | p50 ms | p95 ms | p99 ms | errors "
        "| busy | Rasa CPU ms/reply | actions CPU ms/reply | generator CPU | load avg |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for channel, database, rows in results:
        for row in rows:
            s = row["summary"]
            target = row["rate_target"]
            if channel == "telegram" and target:  # no bot can be answered faster than Telegram lets
                target = min(target, TELEGRAM_LIMIT)
            rate = (
                _mark(s.replies_per_second, target, below=False)
                if target
                else f"{s.replies_per_second:.1f}"
            )
            if channel == "telegram":  # beside what Telegram itself allows one bot
                rate += f" of ≤{TELEGRAM_LIMIT} Telegram allows"
            errors = f"{s.errors}" + (" (0 ✓)" if row["p95_target"] and not s.errors else "")
            lines.append(
                f"| {channel} | {database} | {row['load']} | {s.offered} | {rate} | {s.p50_ms:.0f} "
                f"| {_mark(s.p95_ms, row['p95_target'])} | {s.p99_ms:.0f} | {errors} | {s.busy} "
                f"| {row['cpu_ms'].get('rasa', 0):.1f} | {row['cpu_ms'].get('actions', 0):.1f} "
                f"| {100 * s.generator_cpu:.0f} % | {row['loadavg']:.1f} |"
            )
    return "\n".join(lines)


def memory_table(rest: dict[str, float], results: list[tuple[str, str, list[dict]]]) -> str:
    """RSS of every process at rest and at its peak under load."""
    peak: dict[str, float] = {}
    for _, _, rows in results:
        for row in rows:
            for name, value in row["peak_mb"].items():
                peak[name] = max(peak.get(name, 0.0), value)
    lines = [
        "| process | RSS at rest MB | peak RSS under load MB | target |",
        "| --- | --- | --- | --- |",
    ]
    for name, value in rest.items():
        target = (
            "≤ 1536 " + ("✓" if peak.get(name, value) <= 1536 else "✗") if name == "rasa" else ""
        )
        lines.append(f"| {name} | {value:.0f} | {peak.get(name, value):.0f} | {target} |")
    return "\n".join(lines)


def bench_database(
    database: str, channels: list[str], seconds: float, tmp: Path
) -> tuple[list, dict]:
    """Start a stack on `database` ('sqlite' or 'postgresql'), run every channel's scenarios."""
    if database == "postgresql":
        os.environ["DATABASE_URL"] = POSTGRES
    else:
        os.environ.pop("DATABASE_URL", None)
    import importlib

    import tests.conftest
    import tests.stack

    importlib.reload(tests.conftest)
    stack_module = importlib.reload(tests.stack)
    database_url, drop = tests.conftest.create_database(tmp)
    results, rest_mb = [], {}
    with stack_module.running_stack(tmp, database_url, drop) as stack, ExitStack() as bridges:
        processes = {"rasa": stack.processes["rasa"].pid, "actions": stack.processes["actions"].pid}
        env = {
            **stack.env,
            **BRIDGE_ENV,
            "RASA_URL": stack.rasa_url,
            "CHANNEL_SECRET": stack.channel_secret,
        }
        transports = {}
        if "webchat" in channels:
            port = _free_port()
            process = bridges.enter_context(bridge(
                "bot.webchat", {**env, "WEBCHAT_PORT": str(port)}, tmp / "webchat.log",
                f"http://127.0.0.1:{port}/",
            ))  # fmt: skip
            processes["webchat"] = process.pid
            transports["webchat"] = ("webchat", f"http://127.0.0.1:{port}")
        if "telegram" in channels:
            from tests.bot.fake_telegram import FakeTelegram

            fake = FakeTelegram()
            bridges.callback(fake.close)
            process = bridges.enter_context(bridge(
                "bot.telegram", {**env, "TELEGRAM_TOKEN": "123:bench", "TELEGRAM_BASE_URL": fake.url},
                tmp / "telegram.log",
            ))  # fmt: skip
            processes["telegram"] = process.pid
            transports["telegram"] = ("telegram", fake)
        time.sleep(2)
        rest_mb = {name: rss_mb(pid) for name, pid in processes.items()}

        async def everything() -> list:
            out = []
            async with client() as http:
                for channel in channels:
                    print(f"{database} / {channel}", file=sys.stderr, flush=True)
                    if channel == "rest":
                        send = rest_transport(http, stack.rasa_url, stack.channel_secret)
                    elif channel == "webchat":
                        send = webchat_transport(http, transports["webchat"][1])
                    else:
                        send = telegram_transport(transports["telegram"][1])
                    out.append((channel, database, await run_scenarios(send, seconds, processes)))
            return out

        results = asyncio.run(everything())
    return results, rest_mb


def postgres_reachable() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="per scenario")
    parser.add_argument("--channels", default="rest,webchat,telegram")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--rasa-workers", type=int, default=1,
        help="Sanic workers of Rasa (SANIC_WORKERS; more than one needs Redis: REDIS_URL)",
    )  # fmt: skip
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    parser.add_argument(
        "--record", action="store_true", help="write the tables into bench/RESULTS.md"
    )
    args = parser.parse_args()
    channels = args.channels.split(",")
    if args.rasa_workers > 1:
        os.environ["SANIC_WORKERS"] = str(args.rasa_workers)
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    results, memory = [], ""
    for database in args.databases.split(","):
        if database == "postgresql" and not postgres_reachable():
            print("PostgreSQL not reachable: SQLite only", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory(prefix=f"bench-{database}-") as tmp:
            work = Path(tmp)
            if args.logs:
                work = args.logs / database
                work.mkdir(parents=True, exist_ok=True)
            measured, rest_mb = bench_database(
                database, channels if database == "sqlite" else ["rest"], args.seconds, work
            )
        results += measured
        if database == "sqlite":
            memory = memory_table(rest_mb, measured)
    text = "\n\n".join([
        run_header("Reply speed", " ".join(["python -m bench.speed", *sys.argv[1:]]))
        + f" Rasa: {args.rasa_workers} process(es), lock store "
        + ("Redis." if os.environ.get("REDIS_URL") else "in memory."),
        "Open loop: residents with think time (mean 3 s), Poisson arrivals; closed loop: no think "
        "time. Latency over answered messages; `busy` = the channel's polite busy reply "
        "(counted apart, not an error; Telegram's when its send queue is long). Telegram lets one "
        f"bot send about {TELEGRAM_LIMIT} messages a second: no Telegram bridge answers faster. CPU ms/reply = the process's CPU time over replies.",
        table(results), "Memory (RSS, the process and its children):", memory,
    ])  # fmt: skip
    print(text)
    if args.record:
        record(text)


if __name__ == "__main__":
    main()
