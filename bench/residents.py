"""Residents talking to the assistant at once, as the bridges do: over Rasa's REST channel (through
the balancer in a cluster) or through the web chat. Each resident asks a question, makes a
suggestion (the form's steps up to the read-back), confirms it, and looks its number up. Every
attempt is recorded: when it started, how long it took, which Rasa instance answered (the balancer's
X-Served-By), and whether it was answered, turned away as busy, or got no answer (an error, a
timeout, the bridges' apology). A resident who got no answer sends the same message again, and one told the suggestion\ncould not be saved yet confirms it again.

Used by tests/cluster/ (`make test-cluster`) and bench/cluster.py (`make bench-cluster`)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx

from language.catalogue import texts
from language.reference import find_reference

QUESTION = "镇里装了多少台电梯"
NOT_SAVED = ("还没有保存", "NOT saved yet")  # utter_suggestion_not_saved: a resident confirms again


@dataclass
class Attempt:
    who: str
    text: str
    started: float
    seconds: float
    server: str
    outcome: str  # "answered", "busy" or "unanswered"
    reply: str = ""


@dataclass
class Residents:
    """Where the residents talk, and every attempt they made."""

    rasa_url: str
    headers: dict
    webchat_url: str = ""
    attempts: list[Attempt] = field(default_factory=list)
    retry_seconds: float = 1.0
    give_up_after: float = 180.0

    async def _rest(self, client: httpx.AsyncClient, who: str, text: str) -> tuple[str, str]:
        response = await client.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                     json={"sender": who, "message": text}, headers=self.headers)  # fmt: skip
        response.raise_for_status()
        replies = response.json()
        return response.headers.get("x-served-by", ""), "\n".join(
            m.get("text") or "" for m in replies
        )

    async def _webchat(self, client: httpx.AsyncClient, who: str, text: str) -> tuple[str, str]:
        if not client.cookies:
            (await client.get(f"{self.webchat_url}/")).raise_for_status()
        response = await client.post(f"{self.webchat_url}/api/message", json={"text": text})
        response.raise_for_status()
        return "", "\n".join(m.get("text") or "" for m in response.json()["messages"])

    async def say(self, client: httpx.AsyncClient, who: str, text: str, web: bool = False) -> str:
        """Send until answered (busy: wait and send again; no answer: send again)."""
        deadline = time.monotonic() + self.give_up_after
        while True:
            started = time.time()  # wall clock: compared with other processes' times
            server, reply, outcome = "", "", "unanswered"
            try:
                send = self._webchat if web else self._rest
                server, reply = await send(client, who, text)
                if (
                    reply in (*texts("apology").values(), *texts("technical_problem").values())
                    or not reply.strip()
                ):
                    outcome = "unanswered"
                elif reply in texts("busy").values():
                    outcome = "busy"
                else:
                    outcome = "answered"
            except (httpx.HTTPError, ValueError, KeyError) as error:
                reply = f"{type(error).__name__}: {error}"
            self.attempts.append(Attempt(who, text, started, time.time() - started,
                                         server, outcome, reply))  # fmt: skip
            if outcome == "answered":
                return reply
            if time.monotonic() > deadline:
                raise AssertionError(f"{who}: no answer to {text!r} in {self.give_up_after} s")
            await asyncio.sleep(self.retry_seconds)

    async def suggest(self, client, who: str, text: str, web: bool = False) -> str | None:
        """One suggestion through the form's steps to its confirmation; the number shown."""
        reply = await self.say(client, who, text, web)
        for _ in range(8):
            if "请核对" in reply:
                break
            answer = ("不需要回复" if "需要工作人员给您回复" in reply
                      else "跳过" if "具体在哪里" in reply
                      else "对" if "对吗" in reply
                      else f"{text}，这个路口车多，老人过马路很危险" if "具体说说" in reply
                      else "其他")  # fmt: skip
            reply = await self.say(client, who, answer, web)
        else:
            said = [(a.text, a.reply[:60]) for a in self.attempts if a.who == who]
            raise AssertionError(f"{who}: never reached the read-back: {said}")
        for _ in range(10):
            reply = await self.say(client, who, "确认提交", web)
            if (reference := find_reference(reply)) or not any(s in reply for s in NOT_SAVED):
                return reference
            await asyncio.sleep(self.retry_seconds)  # not saved (the database restarting): again
        return None

    async def resident(self, who: str, index: int, web: bool = False) -> tuple[str | None, str]:
        """A whole conversation: the suggestion's number as shown, and its status look-up's reply."""
        async with httpx.AsyncClient(timeout=60) as client:
            assert "23台" in await self.say(client, who, QUESTION, web)
            text = f"建议在中江路第{index}号路口增设红绿灯"
            reference = await self.suggest(client, who, text, web)
            status = (
                await self.say(client, who, f"我的建议 {reference} 怎么样了", web)
                if reference
                else ""
            )
            await self.say(client, who, "谢谢", web)
            return reference, status

    def count(self, outcome: str) -> int:
        return sum(1 for a in self.attempts if a.outcome == outcome)


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0..1) of `values`, nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]
