"""The unanswered list's speed with 2,000 open unanswered turns.

`python -m bench.unanswered --n 2000 --runs 10` fills a fresh database (SQLite in a temporary
folder, or a new PostgreSQL database when DATABASE_URL points at one) with `n` unanswered turns
whose texts are the held-out questions (bench/data/heldout.yml: residents' own wordings, typos,
Traditional, English) asked a few times each, then times reading, grouping, suggesting and the
whole /unanswered page, and prints p50 / p95 in ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta

import yaml
from sqlalchemy import insert

from bench.console import PASSWORD, fresh_database, p
from core import settings
from core.settings import ROOT, get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import db, staff_repo, unanswered_repo
from store.models import ConversationTurn, utcnow

HELDOUT = ROOT / "bench" / "data" / "heldout.yml"


def questions() -> list[str]:
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    return [line.strip().removeprefix("- ").strip() for block in data["nlu"]
            for line in block["examples"].splitlines() if line.strip()]  # fmt: skip


def fill(n: int) -> int:
    """`n` unanswered turns over the last 30 days; how many distinct texts they hold."""
    rng = random.Random(7)
    texts = questions()
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        staff_repo.create_account(session, username="bench", password=PASSWORD, role="editor",
                                  by="bench")  # fmt: skip
    rows, used = [], set()
    for _ in range(n):
        text = rng.choice(texts)
        used.add(text)
        rows.append({"at": utcnow() - timedelta(minutes=rng.randrange(30 * 24 * 60)),
                     "sender_hash": f"s{rng.randrange(500)}", "channel": "webchat",
                     "language": "zh", "intent": "nlu_fallback", "topic": "nlu",
                     "confidence": 0.2, "outcome": rng.choice(["fallback", "handoff"]),
                     "masked_text": text})  # fmt: skip
    with db.get_engine().begin() as connection:
        connection.execute(insert(ConversationTurn), rows)
    return len(used)


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=unanswered_repo.MAX_ROWS)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    url, drop = fresh_database(os.environ.get("DATABASE_URL", ""))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CONSOLE_SECRET_KEY", "bench-" + "z" * 32)
    for cache in (settings.get_settings, db.get_engine, db.get_sessionmaker):
        cache.cache_clear()
    from tests.conftest import migrate

    try:
        migrate(url)
        distinct = fill(args.n)
        from console import create_app
        from tests.console.conftest import csrf_from

        client = create_app(TESTING=True).test_client()
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"csrf_token": token, "username": "bench", "password": PASSWORD})
        with db.get_sessionmaker()() as session:
            turns = unanswered_repo.open_turns(session)
            groups = unanswered_repo.group_turns(turns)
            unanswered_repo.suggest(session, groups[:100])  # warm: jieba, the entries' index
            results = {
                "read the open turns": timed(lambda: unanswered_repo.open_turns(session), args.runs),
                "group them": timed(lambda: unanswered_repo.group_turns(turns), args.runs),
                "suggest entries (100 largest groups)": timed(
                    lambda: unanswered_repo.suggest(session, groups[:100]), args.runs),
                "all of it (unanswered_groups)": timed(
                    lambda: unanswered_repo.unanswered_groups(session), args.runs),
            }  # fmt: skip
        results["/unanswered page"] = timed(lambda: _page(client), args.runs)
        dialect = db.get_engine().dialect.name
        print(f"\n{len(turns)} open unanswered turns ({distinct} distinct texts, {len(groups)} "
              f"groups) on {dialect}, {args.runs} runs each\n")  # fmt: skip
        print("| step | p50 ms | p95 ms |\n| --- | --- | --- |")
        for name, values in results.items():
            print(f"| {name} | {statistics.median(values):.0f} | {p(values, 95):.0f} |")
    finally:
        db.get_engine().dispose()
        drop()
    return 0


def _page(client) -> None:
    response = client.get("/unanswered")
    assert response.status_code == 200, response.status_code


if __name__ == "__main__":
    raise SystemExit(main())
