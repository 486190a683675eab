"""Staff console speed: the queue page and Chinese search with 10,000 suggestions, and the
dashboard with 100,000 conversation turns.

`make bench-console` (or `python -m bench.console --n 10000 --turns 100000 --runs 40`; `--turns 0`
leaves the dashboard out, `--only-dashboard` the queue) fills a fresh database
(SQLite in a temporary folder, or a new PostgreSQL database when DATABASE_URL points at one),
then times the console's own pages through Flask's test client and prints p50 / p95 in ms.
Search by part of a word (煤气 in 煤气味, one character 灯, a reference fragment M3) is timed
over the same 10,000 suggestions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from core import settings
from language.reference import new_reference
from store import category_repo, db, reply_repo, search_index, staff_repo, suggestion_repo
from store.models import (
    ConversationTurn,
    Suggestion,
    SuggestionStatusChange,
    SuggestionToken,
    utcnow,
)

PHRASES = ["楼道里有煤气味", "建议小区增设电动自行车充电桩", "楼道里堆满了杂物没人管", "长征公园晚上路灯太暗",
           "希望增加社区食堂的供餐时间", "加装电梯的补贴怎么申请", "垃圾分类投放点太远",
           "中江路口需要红绿灯", "老人日间照料中心名额不够", "建议开设职业技能培训班",
           "停车位太少晚上乱停车"]  # fmt: skip
PLACES = ["长征新村", "中江路", "梅川路", "金沙江路", "真北路", None]
SEARCHES = ["充电桩", "路灯", "加装电梯", "垃圾分类", "红绿灯 路口"]
PARTS = ["煤气", "灯", "梯的补", "电动自", "M3", "长征 食堂"]  # parts of words, a reference's
PASSWORD = "bench-password-123"
TOPICS = ["elevator", "eldercare", "employment", "hotline", "suggestion", "services", "assistance",
          "housing", "community", "greet", "bot", "out_of_scope"]  # fmt: skip
CHANNELS = ["webchat", "telegram", "rest"]
OUTCOMES = ["answered"] * 8 + ["fallback"] + ["handoff"]


def fresh_database(base: str) -> tuple[str, callable]:
    if not base.startswith("postgresql"):
        folder = tempfile.mkdtemp(prefix="bench-console-")
        return f"sqlite:///{Path(folder) / 'bench.db'}", lambda: None
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop


def fill(n: int) -> None:
    """`n` suggestions over the last 120 days, 1 % urgent, with their history and search tokens."""
    rng = random.Random(7)
    today = suggestion_repo.shanghai_today()
    with db.get_sessionmaker().begin() as session:
        category_repo.import_categories(session)
        categories = [c.key for c in category_repo.list_categories(session)]
        staff_repo.create_account(
            session, username="bench", password=PASSWORD, role="reviewer", by="bench"
        )
    rows, history = [], []
    for i in range(1, n + 1):
        made = utcnow() - timedelta(minutes=rng.randrange(120 * 24 * 60))
        body = f"{rng.choice(PHRASES)}，{rng.choice(PHRASES)}（第{i}条）"
        place = rng.choice(PLACES)
        rows.append({"id": i, "reference": new_reference(made.date()),
                     "draft_id": f"b{i}", "text": body, "category_key": rng.choice(categories),
                     "location_std": place, "location_text": place, "language": "zh",
                     "urgent": rng.random() < 0.01, "status": rng.choice(["received", "in_review", "answered"]),
                     "wants_reply": False, "channel": "webchat", "created_at": made,
                     "answer_due": made.date() + timedelta(days=15)})  # fmt: skip
        history.append(
            {
                "suggestion_id": i,
                "to_status": "received",
                "changed_by": "resident",
                "changed_at": made,
                "note": "",
            }
        )
    seen = set()
    for row in rows:  # references are random: make sure they are unique
        while row["reference"] in seen:
            row["reference"] = new_reference(today)
        seen.add(row["reference"])
    tokens = []
    for row in rows:
        row["search_text"] = search_index.fold(
            f"{row['reference']} {row['text']} {row['location_std'] or ''}"
        )
        tokens += [
            {"suggestion_id": row["id"], "token": t}
            for t in search_index.tokens(row["search_text"])
        ]
    with db.get_engine().begin() as connection:
        for table, values in (
            (Suggestion, rows),
            (SuggestionStatusChange, history),
            (SuggestionToken, tokens),
        ):
            for start in range(0, len(values), 5000):
                connection.execute(insert(table), values[start : start + 5000])
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval('suggestion_id_seq', (SELECT max(id) FROM suggestion))")
            )
            connection.execute(text("ANALYZE"))


def fill_turns(n: int) -> None:
    """`n` conversation turns over the last 120 days, most answered; an admin to see them."""
    rng = random.Random(11)
    now = utcnow()
    with db.get_sessionmaker().begin() as session:
        staff_repo.create_account(
            session, username="bench-admin", password=PASSWORD, role="admin", by="bench"
        )
    rows = []
    for _ in range(n):
        topic, outcome = rng.choice(TOPICS), rng.choice(OUTCOMES)
        rows.append({"at": now - timedelta(seconds=rng.randrange(120 * 86400)),
                     "sender_hash": f"{rng.randrange(5000):064x}", "channel": rng.choice(CHANNELS),
                     "language": "zh", "intent": f"{topic}_x", "topic": topic,
                     "confidence": rng.random(), "outcome": outcome,
                     "entry_id": f"{topic}_x" if outcome == "answered" else None,
                     "masked_text": None if outcome == "answered" else "某个问题"})  # fmt: skip
    with db.get_engine().begin() as connection:
        for start in range(0, len(rows), 5000):
            connection.execute(insert(ConversationTurn), rows[start : start + 5000])
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))


def close_some(share: float = 0.3) -> None:
    """Answer and close a share of the suggestions (a reply, then the closing status)."""
    rng = random.Random(5)
    with db.get_sessionmaker().begin() as session:
        for made in session.scalars(select(Suggestion).where(Suggestion.status != "answered")):
            if rng.random() < share:
                reply_repo.publish_reply(session, made, text="已处理", by="bench",
                                              close_as="adopted")  # fmt: skip
                made.replies[-1].published_at = made.created_at + timedelta(
                    hours=rng.randrange(1, 400)
                )
                made.closed_at = made.replies[-1].published_at


def signed_in(username: str):
    from console import create_app
    from tests.console.conftest import csrf_from

    client = create_app(TESTING=True, WTF_CSRF_ENABLED=True).test_client()
    token = csrf_from(client.get("/login").text)
    client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    return client


def timed(client, path: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--turns", type=int, default=100_000)
    parser.add_argument("--only-dashboard", action="store_true")
    args = parser.parse_args(argv)
    url, drop = fresh_database(os.environ.get("DATABASE_URL", ""))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CONSOLE_SECRET_KEY", "bench-" + "z" * 32)
    (
        settings.get_settings.cache_clear(),
        db.get_engine.cache_clear(),
        db.get_sessionmaker.cache_clear(),
    )
    from tests.conftest import migrate

    try:
        migrate(url)
        start = time.perf_counter()
        fill(args.n)
        filled = time.perf_counter() - start
        if args.turns:
            start = time.perf_counter()
            fill_turns(args.turns)
            close_some()
            filled += time.perf_counter() - start
        results = {}
        if not args.only_dashboard:
            client = signed_in("bench")
            results |= {
                "queue page 1": timed(client, "/suggestions", args.runs),
                "queue page 50": timed(client, "/suggestions?page=50", args.runs),
                "queue, status + category filter": timed(client, "/suggestions?status=received&category=other", args.runs),
                "search (one word)": sum((timed(client, f"/suggestions?q={q}", args.runs // 5 or 1) for q in SEARCHES[:4]), []),
                "search (two words)": timed(client, f"/suggestions?q={SEARCHES[4]}", args.runs),
                "search (part of a word, 6 queries)": sum((timed(client, f"/suggestions?q={q}", args.runs // 2 or 1) for q in PARTS), []),
            }  # fmt: skip
        if args.turns:
            admin = signed_in("bench-admin")
            for days in (7, 30, 90):
                results[f"dashboard, {days} days (all charts)"] = timed(
                    admin, f"/dashboard?days={days}", args.runs
                )
            results["dashboard, conversations only, 90 days"] = timed(
                admin, "/dashboard/conversations?days=90", args.runs
            )
            results["dashboard, suggestions only, 90 days"] = timed(admin, "/dashboard/suggestions?days=90", args.runs)  # fmt: skip
        dialect = db.get_engine().dialect.name
        print(
            f"\n{args.n} suggestions and {args.turns} conversation turns on {dialect}"
            f" (filled in {filled:.1f} s), {args.runs} runs each\n"
        )
        print("| page | p50 ms | p95 ms |\n| --- | --- | --- |")
        for name, values in results.items():
            print(f"| {name} | {statistics.median(values):.0f} | {p(values, 95):.0f} |")
    finally:
        db.get_engine().dispose()
        drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
