"""Rasa's REST channel: a body over Sanic's REQUEST_MAX_SIZE (1 MB, as deployed) gets 413 with a
JSON error instead of a reset connection, and the server keeps serving."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

pytestmark = pytest.mark.integration
LIMIT = 1024 * 1024  # SANIC_REQUEST_MAX_SIZE of tests/stack.py and deploy/supervisord.conf


def body(size: int) -> bytes:
    message = {"sender": f"big-{uuid.uuid4().hex[:8]}", "message": "x"}
    padding = size - len(json.dumps(message).encode()) - len(', "pad": ""')
    return json.dumps({**message, "pad": "y" * padding}).encode()


async def chunked(data: bytes):
    for start in range(0, len(data), 65536):
        yield data[start : start + 65536]


@pytest.mark.parametrize("chunks", [False, True], ids=["content-length", "chunked"])
async def test_a_body_over_the_limit_gets_413_json_and_the_channel_keeps_serving(stack, chunks):
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    headers = {**stack.headers, "Content-Type": "application/json"}
    big = body(2 * LIMIT)
    async with httpx.AsyncClient(timeout=60) as client:
        response = await client.post(url, content=chunked(big) if chunks else big, headers=headers)
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("application/json")
        assert "too large" in response.json()["error"]
        answer = await client.post(url, json={"sender": "after-413", "message": "加装电梯怎么申请"},
                                   headers=stack.headers)  # fmt: skip
        assert answer.status_code == 200 and "来源" in answer.json()[0]["text"]


async def test_a_body_within_the_limit_is_answered(stack):
    async with httpx.AsyncClient(timeout=60) as client:
        response = await client.post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            content=body(LIMIT - 1024),
            headers={**stack.headers, "Content-Type": "application/json"},
        )
    assert response.status_code == 200 and response.json()
