"""A request body over the web chat's limit gets 413 with a JSON error (never a reset connection),
and the server, and the same connection, keep serving."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import httpx
import pytest

from bot.webchat_http import MAX_BODY
from tests.bot.webchat_fixtures import chat, fake_rasa  # noqa: F401

TWO_MB = 2 * 1024 * 1024


async def chunked(size: int):
    """A body without a Content-Length (chunked transfer encoding)."""
    for _ in range(size // 65536):
        yield b"x" * 65536


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/message"), ("POST", "/api/updates"), ("GET", "/"), ("POST", "/"),
     ("GET", "/static/app.js"), ("PUT", "/nowhere")],
)  # fmt: skip
async def test_a_body_over_the_limit_gets_413_json_and_the_server_keeps_serving(
    chat, fake_rasa, method, path
):
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(chat)
        big = b'{"text": "' + b"x" * TWO_MB + b'"}'
        response = await client.request(
            method, f"{chat}{path}", content=big, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("application/json")
        assert "too large" in response.json()["error"]
        again = await client.post(f"{chat}/api/message", json={"text": "你好"})  # same client
        assert again.status_code == 200 and again.json()["messages"][0]["text"] == "答复：你好"
    assert fake_rasa.messages() == ["你好"]  # the large body never reached Rasa


async def test_a_chunked_body_over_the_limit_gets_413_too(chat, fake_rasa):
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(chat)
        response = await client.post(
            f"{chat}/api/message",
            content=chunked(TWO_MB),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 413 and "too large" in response.json()["error"]
        assert (await client.post(f"{chat}/api/message", json={"text": "在吗"})).status_code == 200


async def test_a_body_within_the_limit_is_read_whole(chat, fake_rasa):
    text = "楼" * ((MAX_BODY - 100) // 3)  # three bytes a character in UTF-8
    async with httpx.AsyncClient(timeout=30) as client:
        await client.get(chat)
        response = await client.post(f"{chat}/api/message", json={"text": text})
    assert response.status_code == 200
    assert fake_rasa.messages() and len(fake_rasa.messages()[0]) == 2000  # read in part
