"""The web chat's trust rules over HTTP: server-issued signed sessions, JSON only, own origin, headers."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import asyncio
import base64
import stat
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select
from tornado.web import create_signed_value, decode_signed_value

from bot.limits import RateLimit
from bot.webchat import shanghai_time
from bot.webchat_http import COOKIE
from core import keys, settings
from store.db import get_sessionmaker
from store.models import OutboxMessage
from tests.bot.webchat_fixtures import COOKIE_SECRET, chat, fake_rasa  # noqa: F401


def session_of(client: httpx.AsyncClient) -> str:
    return client.cookies[COOKIE]


def queue_staff_reply(address: str, text: str, created_at: datetime | None = None) -> None:
    with get_sessionmaker().begin() as session:
        message = OutboxMessage(channel="webchat", address=address, text=text)
        if created_at:
            message.created_at = created_at
        session.add(message)


def pending_texts() -> list[str]:
    with get_sessionmaker()() as session:
        query = select(OutboxMessage.text).where(OutboxMessage.state == "pending")
        return list(session.scalars(query))


def signed(session_id: str, secret: str = COOKIE_SECRET) -> str:
    return create_signed_value(secret, COOKIE, session_id).decode()


def edited(session_id: str) -> str:
    """A genuinely signed cookie whose id was swapped for another (the signature no longer fits)."""
    fields = signed(session_id).split("|")
    other = base64.b64encode((session_id[:-1] + ("A" if session_id[-1] != "A" else "B")).encode())
    fields[5] = f"{len(other)}:{other.decode()}"
    return "|".join(fields)


async def start(client: httpx.AsyncClient, url: str) -> str:
    """Open the page; return the session id the server issued (from the signed cookie)."""
    await client.get(url)
    return decode_signed_value(COOKIE_SECRET, COOKIE, session_of(client)).decode()


async def test_the_server_issues_a_signed_httponly_lax_cookie(chat):
    async with httpx.AsyncClient() as client:
        response = await client.get(chat)
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=") and "|" in cookie  # tornado's signed format
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
        # a valid cookie is kept: no new one on the next request
        assert "set-cookie" not in (await client.get(chat)).headers
    async with httpx.AsyncClient() as client:  # behind an HTTPS proxy
        https = await client.get(chat, headers={"X-Forwarded-Proto": "https"})
        assert "; Secure" in https.headers["set-cookie"]


@pytest.mark.parametrize(
    "forge",
    [
        lambda victim: victim,  # the bare id, unsigned
        lambda victim: signed(victim)[:-2] + "00",  # tampered signature
        lambda victim: signed(victim, secret="another-installation-secret-" + "y" * 20),
        edited,  # the id swapped inside a signed value
    ],
    ids=["unsigned", "tampered", "other-secret", "edited-id"],
)
async def test_a_forged_cookie_reads_nothing_of_another_session(chat, fake_rasa, forge):
    async with httpx.AsyncClient() as victim_client:
        victim = await start(victim_client, chat)
    queue_staff_reply(f"web-{victim}", "只给受害者的答复")
    async with httpx.AsyncClient(cookies={COOKIE: forge(victim)}) as attacker:
        updates = await attacker.post(f"{chat}/api/updates", json={})
        assert updates.json() == {"messages": []}
        response = await attacker.post(f"{chat}/api/message", json={"text": "我的建议"})
        assert response.status_code == 200
        assert COOKIE in response.headers.get("set-cookie", "")  # a new session was started
    assert fake_rasa.senders() and f"web-{victim}" not in fake_rasa.senders()
    assert pending_texts() == ["只给受害者的答复"]
    async with httpx.AsyncClient(cookies={COOKIE: signed(victim)}) as owner:  # the real cookie
        updates = (await owner.post(f"{chat}/api/updates", json={})).json()
    assert [m["text"] for m in updates["messages"]] == ["只给受害者的答复"]


async def test_delete_my_data_asks_through_rasa_then_rotates_the_session(chat, fake_rasa):
    async with httpx.AsyncClient() as client:
        old = await start(client, chat)
        old_cookie = session_of(client)
        queue_staff_reply(f"web-{old}", "旧会话的答复")
        asked = (await client.post(f"{chat}/api/message", json={"shortcut": "delete"})).json()
        assert fake_rasa.received[-1]["message"] == "/suggestion_delete_data"
        assert fake_rasa.received[-1]["metadata"] == {"payload": True}
        assert [b["title"] for b in asked["messages"][0]["buttons"]] == ["确认删除", "不删除"]
        no = asked["messages"][0]["buttons"][1]
        kept = (await client.post(f"{chat}/api/message", json={"token": no["token"]})).json()
        assert fake_rasa.received[-1]["message"] == "/deny"
        assert "没有删除" in kept["messages"][0]["text"]
        assert session_of(client) == old_cookie  # nothing deleted: the same session
        asked = (await client.post(f"{chat}/api/message", json={"shortcut": "delete"})).json()
        yes = asked["messages"][0]["buttons"][0]
        done = await client.post(f"{chat}/api/message", json={"token": yes["token"]})
        assert fake_rasa.received[-1]["message"] == "/affirm"
        assert "已删除" in done.json()["messages"][0]["text"]
        assert session_of(client) != old_cookie  # rotated
    async with httpx.AsyncClient(cookies={COOKIE: old_cookie}) as replay:
        assert (await replay.post(f"{chat}/api/updates", json={})).json() == {"messages": []}
        response = await replay.post(f"{chat}/api/message", json={"text": "我的建议"})
        assert COOKIE in response.headers["set-cookie"]  # the replayed session is not accepted
    assert fake_rasa.senders()[-1] != f"web-{old}"
    assert pending_texts() == ["旧会话的答复"]


@pytest.mark.parametrize("text", ["删除我的信息", "请删除我的个人信息"])
async def test_typed_delete_my_data_is_sent_to_rasa_as_text(chat, fake_rasa, text):
    """The web chat adds no confirmation of its own: the Rasa rule asks, as in every channel."""
    async with httpx.AsyncClient() as client:
        await client.get(chat)
        old_cookie = session_of(client)
        messages = (await client.post(f"{chat}/api/message", json={"text": text})).json()
        assert session_of(client) == old_cookie
    assert fake_rasa.received[-1]["message"] == text
    assert fake_rasa.received[-1]["metadata"] == {"payload": False}
    assert [b["title"] for b in messages["messages"][0]["buttons"]] == ["确认删除", "不删除"]


@pytest.mark.parametrize(
    ("content", "kind", "status"),
    [
        ("text=你好", "application/x-www-form-urlencoded", 415),
        ('{"text": "你好"}', "text/plain", 415),
        ("", None, 415),
        ("{not json", "application/json", 400),
        ('["a list"]', "application/json", 400),
        ('{"text": "你好"}', "application/json; charset=utf-8", 200),
    ],
)
async def test_the_chat_api_accepts_json_only(chat, content, kind, status):
    headers = {"Content-Type": kind} if kind else {}
    async with httpx.AsyncClient() as client:
        await client.get(chat)
        for path in ("/api/message", "/api/updates"):
            response = await client.post(f"{chat}{path}", content=content, headers=headers)
            assert response.status_code == status, path
        assert (await client.get(f"{chat}/api/updates")).status_code == 405


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Origin": "http://127.0.0.1:1"}, 403),  # another port is another origin
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({}, 200),
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({"Origin": "same"}, 200),
    ],
)
async def test_a_foreign_origin_is_refused(chat, fake_rasa, headers, status):
    if headers.get("Origin") == "same":
        headers = {"Origin": chat}
    async with httpx.AsyncClient() as client:
        await client.get(chat)
        response = await client.post(f"{chat}/api/message", json={"text": "你好"}, headers=headers)
        assert response.status_code == status
        updates = await client.post(f"{chat}/api/updates", json={}, headers=headers)
        assert updates.status_code == status
    assert len(fake_rasa.received) == (1 if status == 200 else 0)


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/style.css", "/nowhere"])
async def test_security_headers_on_every_response(chat, path):
    async with httpx.AsyncClient() as client:
        responses = [await client.get(f"{chat}{path}")]
        responses.append(await client.post(f"{chat}/api/message", json={"text": ""}))
        responses.append(await client.post(f"{chat}/api/message", content="x"))  # 415
    for response in responses:
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "server" not in headers
        assert "tornado" not in response.text.lower()


async def test_requests_without_a_cookie_are_limited_per_address(chat, fake_rasa, monkeypatch):
    async with httpx.AsyncClient() as client:
        replies = []
        for i in range(30):  # a client that never keeps its cookie: a new session each time
            client.cookies.clear()
            response = await client.post(f"{chat}/api/message", json={"text": f"你好{i}"})
            replies.append(response.json()["messages"][0]["text"])
    assert len(fake_rasa.received) == 20  # MESSAGES_PER_MINUTE
    assert all("太快" in text for text in replies[20:])


async def test_a_flood_from_one_session_gets_one_notice_and_the_client_a_reply(chat, fake_rasa):
    async with httpx.AsyncClient() as client:
        await client.get(chat)
        replies = await asyncio.gather(
            *(client.post(f"{chat}/api/message", json={"text": f"你好{i}"}) for i in range(40))
        )
    notices = [m for r in replies for m in r.json()["messages"] if "太快" in m["text"]]
    assert len(notices) == 1 and len(fake_rasa.received) == 20


def test_the_limiter_remembers_a_bounded_number_of_senders():
    limits = RateLimit(limit=3, window=60, max_keys=100)
    for i in range(10_000):
        limits.allow(f"web-{i}")
        limits.should_warn(f"web-{i}")
    assert len(limits) <= 100 and len(limits._warned) <= 100
    assert [limits.allow("hot") for _ in range(5)] == [True, True, True, False, False]


async def test_staff_reply_times_are_shown_in_shanghai(chat):
    async with httpx.AsyncClient() as client:
        session_id = await start(client, chat)
        late = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)  # 00:30 on the 30th in Shanghai
        queue_staff_reply(f"web-{session_id}", "答复", created_at=late)
        shown = (await client.post(f"{chat}/api/updates", json={})).json()["messages"]
    assert shown[0]["time"] == "2026-11-30 00:30"
    with pytest.raises(ValueError, match="naive"):  # a moment without a zone is never guessed
        shanghai_time(datetime(2026, 11, 29, 16, 30))


def test_the_cookie_secret_comes_from_the_env_else_is_made_once_0600(tmp_path, monkeypatch):
    monkeypatch.setattr(keys, "VAR", tmp_path / "var")
    monkeypatch.setattr(keys.secret, "__defaults__", (None, tmp_path / "var"))
    monkeypatch.setenv("IDENTITY_SECRET", "")
    monkeypatch.setenv("WEBCHAT_COOKIE_SECRET", "from-the-environment")
    settings.get_settings.cache_clear()
    assert settings.webchat_cookie_secret() == b"from-the-environment"
    monkeypatch.setenv("WEBCHAT_COOKIE_SECRET", "")
    settings.get_settings.cache_clear()
    first = settings.webchat_cookie_secret()
    path = tmp_path / "var" / "webchat.secret"
    assert len(first) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.webchat_cookie_secret() == first  # made once, then kept
    assert settings.identity_secret() != first  # its own key
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == [
        "identity.secret",
        "webchat.secret",
    ]
    settings.get_settings.cache_clear()
