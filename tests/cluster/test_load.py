"""50 residents at once on the cluster: during a rolling model swap (no failed request, every turn
once and in order in the tracker, every suggestion stored once), and during faults (kill -9 of a
Rasa instance, an action server and the web chat; PostgreSQL and Redis restarted): no number shown
to a resident is lost, and every process comes back by itself."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
import uuid
from collections import Counter

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.residents import QUESTION, Residents, percentile
from core.settings import ROOT
from scripts.train_if_stale import model_path
from store.db import make_engine
from store.models import Suggestion
from tests.stack import AUTH_TOKEN

RESIDENTS = 50


def stored(database_url: str) -> Counter:
    engine = make_engine(database_url)
    with Session(engine) as session:
        references = Counter(session.scalars(select(Suggestion.reference)))
    engine.dispose()
    return references


def user_and_bot_events(cluster, who: str) -> list[tuple[str, str]]:
    response = httpx.get(f"{cluster.rasa_url}/conversations/{who}/tracker",
                         params={"token": AUTH_TOKEN}, timeout=30)  # fmt: skip
    response.raise_for_status()
    kinds = ("user", "bot")
    return [
        (e["event"], e.get("text") or "") for e in response.json()["events"] if e["event"] in kinds
    ]


def in_order(events: list[tuple[str, str]]) -> list[str]:
    """The user messages, each followed by at least one bot message before the next one."""
    said = []
    for n, (kind, text) in enumerate(events):
        if kind == "user":
            following = events[n + 1] if n + 1 < len(events) else ("", "")
            assert following[0] == "bot", f"no answer to {text!r}"
            said.append(text)
    return said


def swap_to(cluster, model) -> tuple[float, float, subprocess.CompletedProcess]:
    started = time.time()
    done = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "scripts.swap", str(model)],
                          cwd=ROOT, env=cluster.env, capture_output=True, text=True)  # fmt: skip
    return started, time.time(), done


def out_of_service(swap_output: str) -> dict[str, tuple[float, float, int]]:
    """When each instance was out of the balancer during the swap, and how many requests the
    balancer sent it meanwhile (scripts/swap.py's lines: its request count at out and at back)."""
    marks = {}
    for line in swap_output.splitlines():
        at, name, what, sent = line.split()
        marks.setdefault(name, {})[what] = (float(at), int(sent))
    return {n: (m["out"][0], m["back"][0], m["back"][1] - m["out"][1]) for n, m in marks.items()}


def test_50_residents_during_a_rolling_model_swap(cluster, tmp_path):
    model = tmp_path / f"swap-{uuid.uuid4().hex[:8]}.tar.gz"
    shutil.copy(model_path(), model)
    residents = Residents(cluster.rasa_url, cluster.headers)
    before = stored(cluster.database_url)
    who = [f"swap-{n}-{uuid.uuid4().hex[:6]}" for n in range(RESIDENTS)]

    async def scenario():
        swapped = asyncio.Event()

        async def talk(w: str, n: int):
            done = await residents.resident(w, n)
            async with httpx.AsyncClient(timeout=60) as client:
                while not swapped.is_set():  # the load lasts until the swap is over
                    await residents.say(client, w, QUESTION)
            return done

        async def probe():  # a new request every 0.25 s whatever the others wait for, so every
            probes = []  # instance's time out of the balancer sees requests start
            async with httpx.AsyncClient(timeout=60) as client:
                while not swapped.is_set():
                    who = f"probe-{len(probes)}-{uuid.uuid4().hex[:6]}"
                    probes.append(asyncio.create_task(residents.say(client, who, QUESTION)))
                    await asyncio.sleep(0.25)
                await asyncio.gather(*probes)

        talks = [asyncio.create_task(talk(w, n)) for n, w in enumerate(who)]
        await asyncio.sleep(2)
        probing = asyncio.create_task(probe())
        swapping = await asyncio.to_thread(swap_to, cluster, model)
        swapped.set()
        await probing
        return await asyncio.gather(*talks), swapping

    results, (swap_start, swap_end, swap) = asyncio.run(scenario())
    assert swap.returncode == 0, swap.stdout + swap.stderr
    for port in (cluster.ports["rasa-0"], cluster.ports["rasa-1"]):
        status = httpx.get(f"http://127.0.0.1:{port}/status", params={"token": AUTH_TOKEN}).json()
        assert status["model_file"].endswith(model.name)  # both instances swapped

    windows = out_of_service(swap.stdout)
    assert set(windows) == {"rasa-0", "rasa-1"}
    for name, (out, back, reached) in windows.items():  # out of the balancer: sent nothing
        made = [a for a in residents.attempts if out < a.started < back]  # though residents talked
        answered = [a for a in made if a.started + a.seconds < back]
        assert made and reached == 0, (name, round(back - out, 3), reached)
        assert all(a.server != name for a in answered), name
    seconds = [a.seconds for a in residents.attempts]
    during = [a.seconds for a in residents.attempts if swap_start <= a.started <= swap_end]
    print(
        f"\nrolling swap under load: {len(seconds)} requests, failed "
        f"{residents.count('unanswered')}, busy {residents.count('busy')}, p95 "
        f"{percentile(seconds, 0.95) * 1000:.0f} ms (during the swap, {len(during)} requests: "
        f"p95 {percentile(during, 0.95) * 1000:.0f} ms), swap {swap_end - swap_start:.1f} s"
    )
    assert residents.count("unanswered") == 0  # no failed request
    assert len(during) > 0

    references = [reference for reference, _ in results]
    assert all(references) and len(set(references)) == RESIDENTS
    new = stored(cluster.database_url) - before
    assert all(new[r] == 1 for r in references) and sum(new.values()) == RESIDENTS
    assert all("已收到" in status for _, status in results)  # each looked up from the database

    servers = {w: {a.server for a in residents.attempts if a.who == w} for w in who}
    assert set().union(*servers.values()) == {"rasa-0", "rasa-1"}
    assert sum(len(s) == 2 for s in servers.values()) >= RESIDENTS * 0.8
    for w in who:  # every answered turn once, in order, answered, whichever instance took it
        answered = [a.text for a in residents.attempts if a.who == w and a.outcome == "answered"]
        assert in_order(user_and_bot_events(cluster, w)) == answered


def test_faults_during_load_lose_no_suggestion_and_every_process_comes_back(cluster):
    residents = Residents(cluster.rasa_url, cluster.headers,
                          f"http://127.0.0.1:{cluster.ports['webchat']}")  # fmt: skip
    before = stored(cluster.database_url)
    programs = ("rasa:rasa-0", "actions:actions-1", "webchat", "balancer", "rasa:rasa-1")
    pids = {program: cluster.pid(program) for program in programs}
    faults = []

    async def inject():
        for name, fault in (
            ("kill -9 rasa-0", lambda: cluster.kill("rasa:rasa-0")),
            ("kill -9 actions-1", lambda: cluster.kill("actions:actions-1")),
            ("kill -9 webchat", lambda: cluster.kill("webchat")),
            ("restart PostgreSQL", cluster.postgres.restart),
            ("restart Redis", cluster.redis.restart),
        ):
            await asyncio.sleep(4)
            await asyncio.to_thread(fault)
            faults.append((name, time.monotonic()))

    async def scenario():
        talks = [
            asyncio.create_task(residents.resident(f"fault-{n}-{uuid.uuid4().hex[:6]}", n, web=n % 5 == 0))
            for n in range(RESIDENTS)
        ]  # fmt: skip
        await inject()
        return await asyncio.gather(*talks)

    started = time.monotonic()
    results = asyncio.run(scenario())
    shown = [reference for reference, _ in results if reference]
    new = stored(cluster.database_url) - before
    lost = [r for r in shown if new[r] != 1]
    print(
        f"\nfaults during load ({', '.join(n for n, _ in faults)}) in "
        f"{time.monotonic() - started:.0f} s: {len(residents.attempts)} requests, "
        f"{residents.count('unanswered')} got no answer (sent again), "
        f"{residents.count('busy')} busy; {len(shown)} numbers shown, {len(lost)} lost, "
        f"{sum(new.values())} stored"
    )
    assert lost == []  # every number shown to a resident is stored, once
    without = {a.who for a in residents.attempts} - {
        a.who for a in residents.attempts if any(r and r in a.reply for r in shown)
    }
    for a in residents.attempts:  # a resident shown no number: the whole conversation, in full
        if a.who in without:
            print(f"{a.started:.3f} {a.who} {a.server or '-'} {a.text!r} {a.outcome}: {a.reply!r}")
    assert len(shown) == RESIDENTS and sum(new.values()) == RESIDENTS, sorted(without)
    cluster.wait_ready(seconds=180)  # every part answers again, by itself
    deadline = time.monotonic() + 60
    while (status := cluster.ctl("status")).count("RUNNING") != 8:  # all but Telegram (off)
        assert time.monotonic() < deadline, status
        time.sleep(1)
    restarted = {p: cluster.pid(p) for p in ("rasa:rasa-0", "actions:actions-1", "webchat")}
    for program, pid in restarted.items():
        assert pid not in (0, pids[program])  # restarted by supervisord
    time.sleep(5)
    assert {p: cluster.pid(p) for p in restarted} == restarted  # and stays up (no port held)
    assert cluster.pid("balancer") == pids["balancer"]
