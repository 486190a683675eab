"""Transports for the load benches: how a resident's message reaches the assistant (Rasa's REST
channel, the web chat, the Telegram bridge through the fake Bot API), and the shared HTTP client.
A transport is a `Send`: (resident id, text) -> the reply's text, raising `Failed`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

Send = Callable[[str, str], Awaitable[str]]  # (resident id, text) -> the reply's text


class Failed(Exception):
    """No usable reply (HTTP error, timeout, empty answer)."""


def rest_transport(client: httpx.AsyncClient, url: str, secret: str) -> Send:
    """Rasa's REST channel, as the channel layer calls it."""

    async def send(resident: str, text: str) -> str:
        try:
            response = await client.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": resident, "message": text, "metadata": {"payload": False}},
                headers={"Authorization": f"Bearer {secret}"},
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise Failed(type(error).__name__) from error
        if not replies:
            raise Failed("empty")
        return "\n".join(r.get("text") or "" for r in replies)

    return send


def webchat_transport(client: httpx.AsyncClient, url: str) -> Send:
    """The web chat's API, each resident with their own session cookie."""
    cookies: dict[str, str] = {}

    async def send(resident: str, text: str) -> str:
        headers = {"Content-Type": "application/json"}
        if resident in cookies:
            headers["Cookie"] = cookies[resident]
        try:
            response = await client.post(
                f"{url}/api/message", content=json.dumps({"text": text}), headers=headers
            )
            response.raise_for_status()
            messages = response.json()["messages"]
        except (httpx.HTTPError, ValueError, KeyError) as error:
            raise Failed(type(error).__name__) from error
        cookie = response.headers.get("set-cookie")
        if cookie:
            cookies[resident] = cookie.split(";", 1)[0]
        if not messages:
            raise Failed("empty")
        return "\n".join(m.get("text") or "" for m in messages)

    return send


def telegram_transport(fake) -> Send:
    """Each resident is a Telegram chat; a reply is the bot's first sendMessage after the text."""
    loop = asyncio.get_running_loop()
    waiting: dict[int, asyncio.Future] = {}
    answer = fake._answer

    def answered(method: str, params: dict):
        result = answer(method, params)
        if method == "sendMessage":
            chat = int(params["chat_id"])
            future = waiting.pop(chat, None)
            if future is not None:
                loop.call_soon_threadsafe(
                    lambda: future.done() or future.set_result(params.get("text") or "")
                )
        return result

    fake._answer = answered
    chats: dict[str, int] = {}

    async def send(resident: str, text: str) -> str:
        chat = chats.setdefault(resident, 10_000 + len(chats))
        future = loop.create_future()
        waiting[chat] = future
        fake.text(chat, text)
        return await future

    return send


def client(connections: int = 256) -> httpx.AsyncClient:
    """One shared loopback client; generous pool so the generator is never the queue. It keeps no
    cookies: a resident's web chat session is theirs alone (`webchat_transport`)."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(timeout=60, limits=limits, cookies=no_cookies)
