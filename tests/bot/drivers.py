"""One resident's view of each adapter, for the shared scenario table (tests/bot/scenarios.py):
what they say, the commands and buttons they press, and what the assistant shows them.

A driver talks to the adapter only through its app's own interface: the fake Bot API for Telegram
(python-telegram-bot's real client), HTTP for the web chat, signed and encrypted callbacks from the
fake WeChat platform (tests/bot/fake_wechat.py).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field

import httpx

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_wechat import FakeWeChat

QUIET = 1.0  # seconds without a new message that end an answer sent as several messages
OPTION = re.compile(r"^(\d{1,2})\. (.+)$")


@dataclass
class Said:
    """One message the resident sees, and the titles of its buttons."""

    text: str
    buttons: list[str] = field(default_factory=list)


async def settled(count, before: int, timeout: float = 60) -> int:
    """Wait for at least one new message after `before`, then until none comes for QUIET s."""
    loop = asyncio.get_running_loop()
    deadline, last, changed = loop.time() + timeout, before, loop.time()
    while loop.time() < deadline:
        now = count()
        if now != last:
            last, changed = now, loop.time()
        if last > before and loop.time() - changed >= QUIET:
            return last
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answer within {timeout} s")


class TelegramDriver:
    channel = "telegram"
    can = {"photo", "start", "handoff"}
    names = {"delete": "delete_my_data"}

    def __init__(self, fake: FakeTelegram, chat: int) -> None:
        self.fake, self.chat, self.sender = fake, chat, f"tg-{chat}"

    async def _new(self, act) -> list[Said]:
        before = len(self.fake.sent(self.chat))
        act()
        await settled(lambda: len(self.fake.sent(self.chat)), before)
        return [
            Said(p["text"], [k["text"] for row in (p.get("reply_markup") or {}).get(
                "inline_keyboard", []) for k in row])
            for p in self.fake.sent(self.chat)[before:]
        ]  # fmt: skip

    async def say(self, text: str) -> list[Said]:
        return await self._new(lambda: self.fake.text(self.chat, text))

    async def command(self, name: str, args: str = "") -> list[Said]:
        return await self.say(f"/{self.names.get(name, name)} {args}".strip())

    async def press(self, title: str) -> list[Said]:
        for sent in reversed(self.fake.sent(self.chat)):
            markup = sent.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                for key in row:
                    if key["text"] == title:
                        data, keys = key["callback_data"], markup
                        return await self._new(
                            lambda d=data, k=keys: self.fake.press(self.chat, d, k)
                        )
        raise AssertionError(f"no button {title!r}")

    async def press_expired(self) -> list[Said]:
        return await self._new(lambda: self.fake.press(self.chat, "forged-token"))

    async def staff(self, act) -> list[Said]:
        """What reaches the resident (through the outbox) after a staff member's `act`."""
        return await self._new(act)

    async def say_quietly(self, text: str, arrived, timeout: float = 30) -> None:
        """Say `text` when nothing answers (a staff member holds the conversation): wait until
        `arrived()` (the text reached the conversation)."""
        self.fake.text(self.chat, text)
        for _ in range(int(timeout * 20)):
            if await asyncio.to_thread(arrived):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{text!r} never reached the conversation")

    async def photo(self) -> list[Said]:
        return await self._new(lambda: self.fake.photo(self.chat))


class WebChatDriver:
    channel = "webchat"
    can = {"start"}

    def __init__(self, client: httpx.AsyncClient, url: str, sender: str) -> None:
        self.client, self.url, self.sender = client, url, sender
        self.buttons: dict[str, str] = {}  # title → token, of the latest messages

    async def _post(self, **body) -> list[Said]:
        response = await self.client.post(f"{self.url}/api/message", json=body)
        assert response.status_code == 200, response.text
        messages = response.json()["messages"]
        if any(m["buttons"] for m in messages):
            self.buttons = {b["title"]: b["token"] for m in messages for b in m["buttons"]}
        return [Said(m["text"], [b["title"] for b in m["buttons"]]) for m in messages]

    async def say(self, text: str) -> list[Said]:
        return await self._post(text=text)

    async def command(self, name: str, args: str = "") -> list[Said]:
        if name == "status" and args:
            return await self.say(args)  # the web chat's resident types the number
        return await self._post(shortcut=name)

    async def press(self, title: str) -> list[Said]:
        return await self._post(token=self.buttons[title])

    async def press_expired(self) -> list[Said]:
        return await self._post(token="forged")


class WeChatDriver:
    channel = "wechat"
    can = {"photo", "start", "handoff"}
    menu = {"mine": "cmd_mine", "help": "cmd_help", "en": "cmd_en", "zh": "cmd_zh",
            "delete": "cmd_delete"}  # fmt: skip

    def __init__(self, fake: FakeWeChat, client: httpx.AsyncClient, store, openid: str) -> None:
        self.fake, self.client, self.store, self.openid = fake, client, store, openid
        self.sender = f"wx-{openid}"
        self.options: list[str] = []  # the latest numbered options' titles

    async def _post(self, msg_type: str, **fields) -> list[Said]:
        before = len(self.fake.texts(self.openid))
        response = await self.fake.post(self.client, self.openid, msg_type, **fields)
        assert response.status_code == 200, response.text
        await settled(lambda: len(self.fake.texts(self.openid)), before)
        said = []
        for text in self.fake.texts(self.openid)[before:]:
            options = [m.group(2) for m in map(OPTION.match, text.splitlines()) if m]
            said.append(Said(text, options))
            self.options = options or self.options
        return said

    async def say(self, text: str) -> list[Said]:
        return await self._post("text", Content=text)

    async def staff(self, act) -> list[Said]:
        """What reaches the resident (customer-service messages from the outbox) after a staff
        member's `act`."""
        before = len(self.fake.texts(self.openid))
        await asyncio.to_thread(act)
        await settled(lambda: len(self.fake.texts(self.openid)), before)
        return [Said(text) for text in self.fake.texts(self.openid)[before:]]

    async def say_quietly(self, text: str, arrived, timeout: float = 30) -> None:
        """Say `text` when nothing answers (a staff member holds the conversation): the passive
        reply is empty; wait until `arrived()` (the text reached the conversation)."""
        before = len(self.fake.texts(self.openid))
        response = await self.fake.post(self.client, self.openid, "text", Content=text)
        assert response.status_code == 200, response.text
        for _ in range(int(timeout * 20)):
            if await asyncio.to_thread(arrived):
                assert self.fake.texts(self.openid)[before:] == [], "the assistant answered"
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{text!r} never reached the conversation")

    async def command(self, name: str, args: str = "") -> list[Said]:
        if name == "start":
            return await self._post("event", Event="subscribe", EventKey="")
        if name == "status" and args:
            return await self.say(args)
        return await self._post("event", Event="CLICK", EventKey=self.menu[name])

    async def press(self, title: str) -> list[Said]:
        return await self.say(str(self.options.index(title) + 1))

    async def press_expired(self) -> list[Said]:
        """The numbered options' buttons run out (as they do after a week), then "1"."""
        tokens = json.loads(await self.store.get(f"wx-options:{self.sender}") or "[]")
        assert tokens, "no numbered options to press"
        for token in tokens:
            await self.store.delete(f"btn:{token}")
        return await self.say("1")

    async def photo(self) -> list[Said]:
        return await self._post("image", PicUrl="http://127.0.0.1/p.jpg", MediaId="m1")
