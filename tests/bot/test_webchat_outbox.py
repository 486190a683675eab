"""Staff replies in the web chat go through the outbox's claim protocol: two tabs of one resident
polling at once show a reply once, and a reply taken but never acknowledged (the tab closed) is
handed out again when its lease has run out. On SQLite, and on PostgreSQL in CI."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from tornado.web import decode_signed_value

from bot.webchat import listen, make_app
from bot.webchat_http import COOKIE
from core.settings import get_settings
from store.db import get_sessionmaker
from store.models import OutboxMessage, utcnow
from tests.bot.webchat_fixtures import COOKIE_SECRET, fake_rasa, free_port  # noqa: F401


class Clock:
    """The web chat's clock for the outbox leases, moved by the test instead of sleeping."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
async def webchat(fake_rasa):
    """The web chat with an injected clock; yields (url, clock)."""
    app, clock = make_app(), Clock()
    app.settings["bridge"].clock = clock
    port = free_port()
    server = listen(app, port, "127.0.0.1")
    yield f"http://127.0.0.1:{port}", clock
    server.stop()
    await app.settings["bridge"].rasa.close()


def queue(address: str, *texts: str) -> list[int]:
    with get_sessionmaker().begin() as session:
        rows = [OutboxMessage(channel="webchat", address=address, text=t) for t in texts]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def rows() -> dict[int, OutboxMessage]:
    with get_sessionmaker()() as session:
        return {m.id: m for m in session.scalars(select(OutboxMessage))}


@asynccontextmanager
async def two_tabs(url: str):
    """Two HTTP clients of one resident (the same session cookie), and the resident's address."""
    async with httpx.AsyncClient(timeout=30) as first:
        await first.get(url)
        cookie = first.cookies[COOKIE]
        async with httpx.AsyncClient(timeout=30, cookies={COOKIE: cookie}) as second:
            session_id = decode_signed_value(COOKIE_SECRET, COOKIE, cookie).decode()
            yield first, second, f"web-{session_id}"


async def poll(client: httpx.AsyncClient, url: str, ack: dict | None = None) -> dict:
    response = await client.post(f"{url}/api/updates", json={"ack": ack} if ack else {})
    assert response.status_code == 200
    return response.json()


def acknowledgement(answer: dict) -> dict | None:
    messages = answer["messages"]
    return {"claim": answer["claim"], "ids": [m["id"] for m in messages]} if messages else None


async def test_two_tabs_polling_at_once_show_each_staff_reply_once(webchat):
    url, clock = webchat
    async with two_tabs(url) as (first, second, address):
        expected = queue(address, "答复一", "答复二", "答复三")
        taken: Counter = Counter()
        for _ in range(4):  # rounds of polls at the same moment from both tabs, as pages do
            answers = await asyncio.gather(*(poll(c, url) for c in (first, second) * 4))
            for answer in answers:
                taken.update(m["id"] for m in answer["messages"])
        assert sorted(taken) == expected and set(taken.values()) == {1}
        assert {m.state for m in rows().values()} == {"sending"}
        clock.advance(get_settings().outbox_lease_seconds / 2)  # still within the lease
        assert [
            a["messages"] for a in await asyncio.gather(poll(first, url), poll(second, url))
        ] == [[], []]


async def test_acknowledged_replies_are_sent_and_never_shown_again(webchat):
    url, clock = webchat
    async with two_tabs(url) as (first, second, address):
        (only,) = queue(address, "已请交警部门现场查看。")
        answers = await asyncio.gather(poll(first, url), poll(second, url))
        (taker,) = [
            (client, a) for client, a in zip((first, second), answers, strict=True) if a["messages"]
        ]
        client, answer = taker
        assert [m["text"] for m in answer["messages"]] == ["已请交警部门现场查看。"]
        assert (await poll(client, url, acknowledgement(answer)))["messages"] == []
        assert rows()[only].state == "sent" and rows()[only].sent_at is not None
        clock.advance(10 * get_settings().outbox_lease_seconds)
        for tab in (first, second):
            assert (await poll(tab, url))["messages"] == []


async def test_an_unacknowledged_reply_is_handed_out_again_after_its_lease(webchat):
    url, clock = webchat
    lease = get_settings().outbox_lease_seconds
    async with two_tabs(url) as (closed, other, address):
        (only,) = queue(address, "答复")
        lost = await poll(closed, url)  # the tab closes before it could acknowledge
        assert [m["id"] for m in lost["messages"]] == [only]
        assert (await poll(other, url))["messages"] == []  # the lease still runs
        clock.advance(lease - 1)
        assert (await poll(other, url))["messages"] == []
        clock.advance(2)
        again = await poll(other, url)
        assert [m["id"] for m in again["messages"]] == [only]
        assert rows()[only].attempts == 2
        await poll(other, url, acknowledgement(again))
        await poll(closed, url, acknowledgement(lost))  # a late acknowledgement of a lost claim
        done = rows()[only]
        assert (done.state, done.claimed_by) == ("sent", again["claim"])
        clock.advance(10 * lease)
        assert (await poll(closed, url))["messages"] == []


async def test_a_forged_acknowledgement_finishes_nothing(webchat):
    url, clock = webchat
    async with two_tabs(url) as (tab, _, address):
        (only,) = queue(address, "答复")
        taken = await poll(tab, url)
        for forged in (
            {"claim": "web:" + "x" * 24, "ids": [only]},  # not this poll's claim
            {"claim": taken["claim"] + "'", "ids": [only]},
            {"claim": taken["claim"], "ids": "all"},
            "everything",
        ):
            assert (await tab.post(f"{url}/api/updates", json={"ack": forged})).status_code == 200
        assert rows()[only].state == "sending"
        async with httpx.AsyncClient() as stranger:  # another resident with the real claim
            await stranger.get(url)
            await poll(stranger, url, acknowledgement(taken))
        assert rows()[only].state == "sending"
        clock.advance(get_settings().outbox_lease_seconds + 1)
        assert [m["id"] for m in (await poll(tab, url))["messages"]] == [only]
