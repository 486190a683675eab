"""The load generator's statistics and residents (no server: speed is measured in bench/, not here)."""

from __future__ import annotations

import asyncio
import math
import random

import pytest

from bench import load
from language.catalogue import say


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    random.Random(3).shuffle(values)
    assert load.percentile(values, 50) == 50
    assert load.percentile(values, 95) == 95
    assert load.percentile(values, 99) == 99
    assert load.percentile([7.0], 99) == 7
    assert math.isnan(load.percentile([], 50))


def test_summary_counts_busy_replies_and_errors_apart_from_the_latencies():
    results = [load.Result(0.010 * i, ok=True) for i in range(1, 11)]
    results += [load.Result(5.0, ok=True, busy=True), load.Result(30.0, ok=False)]
    summary = load.summarise(results, seconds=2.0, cpu_seconds=0.5)
    assert (summary.offered, summary.replies, summary.busy, summary.errors) == (12, 10, 1, 1)
    assert summary.p50_ms == pytest.approx(50) and summary.p99_ms == pytest.approx(100)
    assert summary.replies_per_second == 5 and summary.generator_cpu == 0.25


def test_a_suggestion_visit_answers_what_the_flow_asks_until_the_number():
    rng = random.Random(0)
    while True:  # the first visit that gives a suggestion
        talk = load.conversation(rng)
        first = next(talk)
        if first in load.SUGGESTIONS or (
            first in load.SMALL_TALK and (first := talk.send("你好")) in load.SUGGESTIONS
        ):
            break
    assert talk.send("请问具体在哪里？") == "跳过"
    assert talk.send("需要工作人员给您回复吗？") == "不需要回复"
    assert talk.send("请核对：……") == "确认提交"


def _fake_server(busy_every: int = 0):
    seen: list[tuple[str, str]] = []

    async def send(resident: str, text: str) -> str:
        seen.append((resident, text))
        busy = busy_every and len(seen) % busy_every == 0
        await asyncio.sleep(0)
        return say("busy") if busy else "好的"

    return send, seen


def test_open_loop_is_bounded_by_count_and_residents_wait_for_their_reply():
    send, seen = _fake_server()
    summary = asyncio.run(load.open_loop(send, rate=500, seconds=10, max_messages=40, think=0.001))
    assert summary.offered == len(seen) == 40 and summary.errors == 0
    assert len({resident for resident, _ in seen}) < 40  # residents come back for more


def test_closed_loop_counts_the_busy_replies():
    send, seen = _fake_server(busy_every=4)
    summary = asyncio.run(load.closed_loop(send, residents=5, seconds=10, max_messages=40))
    assert summary.offered == len(seen) >= 40
    assert summary.busy == len(seen) // 4 and summary.replies == summary.offered - summary.busy
