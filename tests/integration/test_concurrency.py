"""Many residents at once, and an action server killed during saves: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from language import catalogue
from language.reference import find_reference
from store.db import make_engine
from store.models import Suggestion
from tests.conftest import BASE_URL, create_database
from tests.stack import running_stack

pytestmark = pytest.mark.integration
BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def stack_on(backend: str, shared, tmp_path):
    """The shared stack when it already runs on `backend`, else a second one on a fresh database."""
    shared_backend = "postgresql" if shared.database_url.startswith("postgresql") else "sqlite"
    if backend == shared_backend:
        yield shared
        return
    if backend == "postgresql" and not BASE_URL.startswith("postgresql"):
        if os.environ.get("CI"):
            pytest.fail("CI must point DATABASE_URL at PostgreSQL (.ci/run does)")
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    url, drop = (
        (f"sqlite:///{tmp_path / 'load.db'}", lambda: None)
        if backend == "sqlite"
        else create_database(tmp_path)
    )
    with running_stack(tmp_path, url, drop) as extra:
        yield extra


async def say(client: httpx.AsyncClient, stack, who: str, text: str) -> str:
    """Send as a resident does: told "busy, send it again in a moment", wait and send again."""
    for attempt in range(20):
        response = await client.post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            json={"sender": who, "message": text},
            headers=stack.headers,
        )
        response.raise_for_status()
        reply = "\n".join(m.get("text", "") for m in response.json())
        if reply != catalogue.say("busy"):
            return reply
        await asyncio.sleep(0.5 + attempt * 0.25)
    raise AssertionError(f"still busy after 20 tries: {who}")


async def to_read_back(client, stack, who: str, text: str) -> str:
    reply = await say(client, stack, who, text)
    for _ in range(6):
        if "请核对" in reply:
            return reply
        answer = (
            "不需要回复"
            if "需要工作人员给您回复" in reply
            else "跳过"
            if "具体在哪里" in reply
            else "对"
            if "对吗" in reply  # the category read from the text, offered for confirmation
            else "其他"
        )
        reply = await say(client, stack, who, answer)
    raise AssertionError(reply)


async def resident(client, stack, index: int, count: int) -> list[str]:
    references = []
    for k in range(count):
        await to_read_back(
            client, stack, f"load-{index}", f"建议在中江路第{index}号路口增设红绿灯，第{k}条"
        )
        reference = find_reference(await say(client, stack, f"load-{index}", "确认提交"))
        assert reference
        references.append(reference)
    return references


def stored_references(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        references = list(session.scalars(select(Suggestion.reference)))
    engine.dispose()
    return references


@pytest.mark.parametrize("backend", BACKENDS)
def test_200_suggestions_from_50_residents_at_once(backend, stack, tmp_path):
    with stack_on(backend, stack, tmp_path) as target:
        before = Counter(stored_references(target.database_url))

        async def everyone() -> list[str]:
            limits = httpx.Limits(max_connections=50)
            async with httpx.AsyncClient(timeout=120, limits=limits) as client:
                results = await asyncio.gather(*(resident(client, target, i, 4) for i in range(50)))
            return [reference for references in results for reference in references]

        started = time.monotonic()
        shown = asyncio.run(everyone())
        elapsed = time.monotonic() - started
        stored = Counter(stored_references(target.database_url)) - before
    print(f"\n{backend}: 200 suggestions from 50 residents in {elapsed:.1f} s")
    assert len(shown) == 200 and len(set(shown)) == 200
    assert all(stored[reference] == 1 for reference in shown)
    assert sum(stored.values()) == 200


def test_killing_the_action_server_during_saves_loses_nothing_and_stores_nothing_twice(tmp_path):
    database_url, drop = create_database(tmp_path)
    with running_stack(tmp_path, database_url, drop) as own:

        async def scenario() -> tuple[dict[str, str], dict[str, str]]:
            async with httpx.AsyncClient(timeout=120) as client:
                who = [f"crash-{i}" for i in range(30)]
                await asyncio.gather(
                    *(
                        to_read_back(client, own, w, f"建议在金江家园第{i}栋楼下装路灯")
                        for i, w in enumerate(who)
                    )
                )
                racing = [asyncio.create_task(say(client, own, w, "确认提交")) for w in who[:15]]
                await asyncio.sleep(0.05)
                await asyncio.to_thread(own.kill_actions)  # some saves are under way right now
                down = [await say(client, own, w, "确认提交") for w in who[15:]]  # certainly lost
                replies = await asyncio.gather(*racing, return_exceptions=True)
                first = dict(zip(who, [*replies, *down], strict=True))
                await asyncio.to_thread(own.start_actions)
                seen = {
                    w: find_reference(r)
                    for w, r in first.items()
                    if isinstance(r, str) and find_reference(r)
                }
                retried = {}
                for w in who:
                    if w not in seen:  # no number seen: the resident confirms again
                        retried[w] = find_reference(await say(client, own, w, "确认提交"))
                return seen, retried

        seen, retried = asyncio.run(scenario())
        stored = Counter(stored_references(own.database_url))
    print(
        f"\nkill during saves: {len(seen)} numbers seen before the kill, {len(retried)} confirmed again"
    )
    assert all(stored[reference] == 1 for reference in seen.values())  # every number seen is stored
    assert all(retried.values()) and all(stored[r] == 1 for r in retried.values())
    assert len(retried) >= 15  # those who confirmed while it was down saw no number
    assert sum(stored.values()) == 30  # one per resident, none twice
