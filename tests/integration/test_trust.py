"""Nobody can act as another resident, and one message cannot take Rasa down (real servers)."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import httpx
import pytest

from language.catalogue import say
from language.text import MAX_INPUT
from tests.stack import AUTH_TOKEN

pytestmark = pytest.mark.integration
LONG = "楼道里堆满了杂物，" * 3_704  # 100 KB in UTF-8 (33,336 characters)


def sender() -> str:
    return f"trust-{uuid.uuid4().hex[:8]}"


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def user_events(stack, who: str) -> list[dict]:
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/{who}/tracker", params={"token": AUTH_TOKEN}
    ).json()
    return [event for event in tracker["events"] if event["event"] == "user"]


def memory_kb(pid: int, field: str) -> int:
    """A field of /proc/<pid>/status in kB: VmRSS now, VmHWM the peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}, "bare-secret"],
    ids=["none", "wrong", "basic", "no-scheme"],
)
def test_a_forged_sender_without_the_channel_secret_is_refused_and_nothing_is_handled(
    stack, headers
):
    victim = f"tg-{uuid.uuid4().int % 10**9}"
    if headers == "bare-secret":
        headers = {"Authorization": stack.channel_secret}
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": victim, "message": "我的建议", "metadata": {"payload": False}},
        headers=headers,
    )
    assert response.status_code == 401
    assert user_events(stack, victim) == []


def test_with_the_channel_secret_the_resident_is_answered(stack):
    who = sender()
    assert "23台" in texts(stack.send(who, "镇里装了多少台电梯"))
    assert [event["text"] for event in user_events(stack, who)] == ["镇里装了多少台电梯"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/status", None),
        ("POST", "/model/parse", {"text": "加装电梯怎么申请"}),
        ("GET", "/conversations/tg-1/tracker", None),
    ],
)
def test_the_rasa_api_answers_401_without_its_token(stack, method, path, body):
    url = f"{stack.rasa_url}{path}"
    assert httpx.request(method, url, json=body).status_code == 401
    assert httpx.request(method, url, json=body, params={"token": "wrong"}).status_code == 401
    assert httpx.request(method, url, json=body, params={"token": AUTH_TOKEN}).status_code == 200


def test_the_model_cannot_be_replaced_without_the_token(stack):
    response = httpx.put(f"{stack.rasa_url}/model", json={"model_file": "/tmp/evil.tar.gz"})
    assert response.status_code == 401


def test_a_100kb_message_is_read_in_part_and_memory_stays_bounded(stack):
    who = sender()
    started = time.monotonic()
    replies = stack.send(who, LONG, timeout=60)
    elapsed = time.monotonic() - started
    peak_mb = memory_kb(stack.processes["rasa"].pid, "VmHWM") / 1024
    print(f"\n100 KB message: reply in {elapsed:.2f} s, Rasa peak RSS {peak_mb:.0f} MB")
    assert replies[0]["text"] == say("too_long")
    assert sum(say("too_long") == reply.get("text") for reply in replies) == 1 and len(replies) > 1
    assert [len(event["text"]) for event in user_events(stack, who)] == [MAX_INPUT]
    assert peak_mb < 1536


def test_a_message_the_bridge_already_cut_gets_no_second_notice(stack):
    replies = stack.send(sender(), LONG.strip()[:MAX_INPUT], timeout=60)
    assert replies and all(reply.get("text") != say("too_long") for reply in replies)


def test_ten_long_messages_at_once_do_not_keep_another_resident_from_an_answer(stack):
    """Behaviour only, no timing assertion (reply times under load: `make bench-speed`)."""
    question = "12345怎么打"

    async def ask(client: httpx.AsyncClient, who: str, text: str) -> tuple[float, str]:
        started = time.monotonic()
        response = await client.post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            json={"sender": who, "message": text},
            headers=stack.headers,
        )
        response.raise_for_status()
        return time.monotonic() - started, "\n".join(m.get("text", "") for m in response.json())

    async def scenario():
        async with httpx.AsyncClient(timeout=120) as client:
            alone = await ask(client, sender(), question)
            long_ones = [
                asyncio.create_task(ask(client, sender(), ("建议小区增设充电桩" * 300)[:MAX_INPUT]))
                for _ in range(10)
            ]
            await asyncio.sleep(0.3)  # the long messages are in Rasa now
            loaded = await ask(client, sender(), question)
            return alone, loaded, await asyncio.gather(*long_ones)

    (alone, answer_alone), (loaded, answer), long_ones = asyncio.run(scenario())
    print(
        f"\nshort question alone {alone:.2f} s, behind ten 2,000-character messages {loaded:.2f} s"
    )
    assert "12345" in answer_alone and "来源" in answer_alone
    assert answer == answer_alone  # the same answer, not the busy reply nor an apology
    assert all(text for _, text in long_ones)  # each answered (or told to resend), none dropped
