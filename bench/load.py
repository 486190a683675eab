"""A light asynchronous load generator on loopback: simulated residents talking to the assistant.

Open loop (`--rate R`): messages are offered at R per second (Poisson arrivals), each by a resident
who is not waiting for a reply and whose think time has passed (a new resident when none is), so a
slow server does not slow the offer down. Closed loop (`--residents N`): N residents send their next
message as soon as the previous reply arrived (saturation). Both are bounded in count and time.

Residents speak a realistic mix: questions on each topic, a whole suggestion flow, small talk and
status look-ups. The phrasings are written here, never taken from the training or held-out data.

    .venv/bin/python -m bench.load --url http://127.0.0.1:5005 --secret S --rate 10 --seconds 30

Replies that are the channel's polite "busy" answer are counted apart (`busy`); errors are HTTP
errors, timeouts, empty replies and a bridge's apology (Rasa did not answer in time). The
generator reports its own CPU share (user + system time of this process over wall time), so one
can tell it did not limit what it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import resource
import time
import uuid
from collections.abc import Generator
from dataclasses import dataclass, field

from bench.transports import Failed, Send, client, rest_transport, webchat_transport
from language.catalogue import texts

QUESTIONS = {
    "elevator": [
        "我们楼想装电梯，第一步要找谁", "老楼加电梯要几个邻居签字", "加梯的钱政府补贴多少",
        "去年全镇一共加了几部电梯", "装电梯一楼的人不同意怎么办", "How can our building get a lift?",
    ],
    "eldercare": [
        "我爸八十多了一个人住，镇上有人上门照顾吗", "长护险要去哪里办", "附近有没有老年人吃饭的地方",
        "我外婆记性越来越差怎么办", "镇上的养老院有几家", "Is there home care for old people?",
    ],
    "employment": [
        "刚被公司裁了，去哪里登记", "街道有没有免费的技能课", "想开个小店，有补贴吗",
        "镇里能帮忙介绍工作吗", "Where can I find a job nearby?",
    ],
    "hotline": [
        "12345是干什么的", "打12345反映的事情没人管怎么办", "12345的电话晚上有人接吗",
        "How do I reach the 12345 hotline?",
    ],
}  # fmt: skip
SMALL_TALK = ["你好", "您好呀", "谢谢你", "好的谢谢", "再见", "你是谁", "你都能回答什么", "hello"]
STATUS = [
    "我的建议",
    "我提过的建议怎么样了",
    "查一下建议 JY-20261126-AB3K-7",
    "我的建议 JY-20250101-ZZZZ-9",
]
SUGGESTIONS = [
    "建议在小区门口多装几个电动车充电桩", "希望菜场旁边的路灯修一下，晚上太黑了",
    "楼下的垃圾箱总是满出来，建议多收一次", "建议公园里增加几张长椅给老人休息",
]  # fmt: skip
FORM_ANSWERS = (  # what the flow asks (a cue in its question) → what a resident answers
    ("请核对", "确认提交"), ("Please check", "确认提交"), ("对吗", "对"), ("哪一类", "其他"),
    ("具体在哪里", "跳过"), ("需要工作人员给您回复", "不需要回复"),
)  # fmt: skip
KINDS = (("question", 0.55), ("small_talk", 0.2), ("status", 0.1), ("suggestion", 0.15))

Conversation = Generator[str, str, None]  # yields a message, is sent the reply's text


def conversation(rng: random.Random) -> Conversation:
    """One resident's visit: a greeting now and then, then what they came for, then goodbye."""
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    if rng.random() < 0.3:
        yield rng.choice(SMALL_TALK[:2])
    if kind == "question":
        topic = rng.choice(list(QUESTIONS))
        for text in rng.sample(QUESTIONS[topic], k=min(3, len(QUESTIONS[topic]))):
            yield text
    elif kind == "small_talk":
        for text in rng.sample(SMALL_TALK, k=2):
            yield text
    elif kind == "status":
        yield rng.choice(STATUS)
    else:
        reply = yield rng.choice(SUGGESTIONS)
        for _ in range(6):  # answer what the flow asks until it gives a number
            answer = next((a for cue, a in FORM_ANSWERS if cue in reply), None)
            if answer is None:
                break
            reply = yield answer
            if answer == "确认提交":
                break
    if rng.random() < 0.5:
        yield rng.choice(SMALL_TALK[2:5])


@dataclass
class Result:
    """One message: how long its reply took, and what came back."""

    seconds: float
    ok: bool
    busy: bool = False


@dataclass
class Summary:
    """What a run measured."""

    offered: int
    replies: int
    errors: int
    busy: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    replies_per_second: float
    generator_cpu: float  # of one core, 0..1+
    error_kinds: dict = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of `values`; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise(results: list[Result], seconds: float, cpu_seconds: float) -> Summary:
    """Percentiles over the answered messages (busy replies counted apart), rates over the run."""
    answered = [r.seconds * 1000 for r in results if r.ok and not r.busy]
    return Summary(
        offered=len(results),
        replies=len(answered),
        errors=sum(not r.ok for r in results),
        busy=sum(r.ok and r.busy for r in results),
        seconds=seconds,
        p50_ms=percentile(answered, 50),
        p95_ms=percentile(answered, 95),
        p99_ms=percentile(answered, 99),
        replies_per_second=len(answered) / seconds if seconds > 0 else 0.0,
        generator_cpu=cpu_seconds / seconds if seconds > 0 else 0.0,
    )


async def timed(send: Send, resident: str, text: str, timeout: float) -> tuple[Result, str]:
    """Send one message; its result and the reply's text ("" when it failed)."""
    started = time.perf_counter()
    try:
        reply = await asyncio.wait_for(send(resident, text), timeout)
    except (Failed, TimeoutError) as error:
        kind = "timeout" if isinstance(error, TimeoutError) else str(error)
        return Result(time.perf_counter() - started, ok=False, busy=False), kind
    if any(apology in reply for apology in texts("apology").values()):  # a bridge gave up waiting
        return Result(time.perf_counter() - started, ok=False), "apology"
    busy = any(notice in reply for notice in texts("busy").values())
    return Result(time.perf_counter() - started, ok=True, busy=busy), reply


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Resident:
    def __init__(self, rng: random.Random) -> None:
        self.id = f"load-{uuid.uuid4().hex[:10]}"
        self.talk = conversation(rng)
        self.reply: str | None = None
        self.ready_at = 0.0

    def next_message(self) -> str | None:
        try:
            return next(self.talk) if self.reply is None else self.talk.send(self.reply)
        except StopIteration:
            return None


async def open_loop(
    send: Send, *, rate: float, seconds: float, max_messages: int, think: float = 3.0,
    timeout: float = 30.0, seed: int = 1,
) -> Summary:  # fmt: skip
    """Offer `rate` messages per second for `seconds` (at most `max_messages`)."""
    rng = random.Random(seed)
    idle: list[_Resident] = []
    results: list[Result] = []
    errors: dict[str, int] = {}
    tasks: set[asyncio.Task] = set()

    async def one(resident: _Resident, text: str) -> None:
        result, reply = await timed(send, resident.id, text, timeout)
        results.append(result)
        if not result.ok:
            errors[reply] = errors.get(reply, 0) + 1
        resident.reply = reply if result.ok else ""
        resident.ready_at = time.monotonic() + rng.expovariate(1 / think)
        idle.append(resident)

    cpu, started = _cpu(), time.monotonic()
    next_at, offered = started, 0
    while offered < max_messages and next_at - started < seconds:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        now = time.monotonic()
        ready = [r for r in idle if r.ready_at <= now]
        resident, text = None, None
        for candidate in ready:
            idle.remove(candidate)
            text = candidate.next_message()
            if text is not None:
                resident = candidate
                break
        if resident is None:
            resident = _Resident(rng)
            text = resident.next_message()
        task = asyncio.create_task(one(resident, text))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        offered += 1
        next_at += rng.expovariate(rate)
    if tasks:
        await asyncio.wait(tasks)
    summary = summarise(results, time.monotonic() - started, _cpu() - cpu)
    summary.error_kinds = errors
    return summary


async def closed_loop(
    send: Send, *, residents: int, seconds: float, max_messages: int, timeout: float = 30.0,
    seed: int = 1,
) -> Summary:  # fmt: skip
    """`residents` residents, no think time, for `seconds` (at most `max_messages` in all)."""
    rng = random.Random(seed)
    results: list[Result] = []
    errors: dict[str, int] = {}
    cpu, started = _cpu(), time.monotonic()
    deadline = started + seconds

    async def resident_loop() -> None:
        resident = _Resident(rng)
        while time.monotonic() < deadline and len(results) < max_messages:
            text = resident.next_message()
            if text is None:  # visit over: a new resident takes the place
                resident = _Resident(rng)
                continue
            result, reply = await timed(send, resident.id, text, timeout)
            results.append(result)
            if not result.ok:
                errors[reply] = errors.get(reply, 0) + 1
            resident.reply = reply if result.ok else ""

    await asyncio.gather(*(resident_loop() for _ in range(residents)))
    summary = summarise(results, time.monotonic() - started, _cpu() - cpu)
    summary.error_kinds = errors
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument(
        "--secret", help="the REST channel's bearer secret (else var/channel.secret)"
    )
    parser.add_argument("--webchat", help="the web chat's URL instead of the REST channel")
    parser.add_argument("--rate", type=float, help="open loop: messages per second offered")
    parser.add_argument("--residents", type=int, help="closed loop: residents without think time")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-messages", type=int, default=5000)
    args = parser.parse_args()

    async def run() -> Summary:
        async with client() as http:
            if args.webchat:
                send = webchat_transport(http, args.webchat)
            else:
                from core.settings import channel_secret

                send = rest_transport(http, args.url, args.secret or channel_secret())
            if args.residents:
                return await closed_loop(
                    send, residents=args.residents, seconds=args.seconds,
                    max_messages=args.max_messages,
                )  # fmt: skip
            return await open_loop(
                send, rate=args.rate or 10, seconds=args.seconds, max_messages=args.max_messages
            )

    print(asyncio.run(run()))


if __name__ == "__main__":
    main()
