"""Rasa's REST channel for the channel layer only: a bearer secret, a bounded message, residents'
typed text never taken as an intent command, and a bounded number of messages at once (the rest
get a polite "busy" reply at once, never a timeout)."""

from __future__ import annotations

import asyncio
import hmac
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from knowledge import keys
from language.text import BUSY, TOO_LONG, clean_input, detect_language, is_too_long

FULLWIDTH_SOLIDUS = "／"
READ_IN_PART = "read_in_part"  # metadata flag: the message was cut to MAX_INPUT characters


def neutralise(text: str | None, metadata: dict[str, Any] | None) -> str | None:
    """Turn a typed `/intent{...}` into plain text unless the channel layer marks a button payload."""
    if not text or (metadata or {}).get("payload") is True:
        return text
    stripped = text.lstrip()
    if stripped.startswith("/"):
        return FULLWIDTH_SOLIDUS + stripped[1:]
    return text


def authorised(header: str | None, secret: str) -> bool:
    """True when `header` is `Bearer <secret>` (compared in constant time)."""
    scheme, _, given = (header or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), secret.encode()
    )


def _client_metadata(req: Request) -> dict[str, Any]:
    metadata = req.json.get("metadata") if isinstance(req.json, dict) else None
    return dict(metadata) if isinstance(metadata, dict) else {}


class Admission:
    """At most `limit` messages in understanding and dialogue at once; one that cannot start
    within `wait` seconds is turned away (the resident gets the busy reply, not a timeout)."""

    def __init__(self, limit: int, wait: float) -> None:
        self.wait = wait
        self._slots = asyncio.Semaphore(max(1, limit))

    @classmethod
    def from_environment(cls) -> Admission:
        """`CHANNEL_MAX_CONCURRENT` (default 8) and `CHANNEL_QUEUE_SECONDS` (default 3)."""
        return cls(
            int(os.environ.get("CHANNEL_MAX_CONCURRENT") or 8),
            float(os.environ.get("CHANNEL_QUEUE_SECONDS") or 3),
        )

    async def enter(self) -> bool:
        """Take a slot; False when none came free in time."""
        if not self._slots.locked():
            await self._slots.acquire()
            return True
        if self.wait <= 0:
            return False
        try:
            await asyncio.wait_for(self._slots.acquire(), self.wait)
        except TimeoutError:
            return False
        return True

    def leave(self) -> None:
        self._slots.release()


class ResidentRestInput(RestInput):
    """Same URL and JSON as Rasa's `rest` channel (`/webhooks/rest/webhook`), plus
    `Authorization: Bearer <CHANNEL_SECRET or var/channel.secret>`; anything else gets 401."""

    def _extract_message(self, req: Request) -> str | None:
        text = req.json.get("message")
        if isinstance(text, str) and is_too_long(text):  # cut before understanding
            req.ctx.read_in_part = True
            text = clean_input(text)
        return neutralise(text, _client_metadata(req))

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _client_metadata(request)
        metadata.pop(READ_IN_PART, None)
        if getattr(request.ctx, "read_in_part", False):
            metadata[READ_IN_PART] = True
        return metadata or None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        secret = keys.secret("CHANNEL_SECRET")
        admission = Admission.from_environment()

        async def handle(message: UserMessage) -> None:
            lang = detect_language(message.text) or "zh"
            if not await admission.enter():  # overloaded: a polite answer now, nothing handled
                await message.output_channel.send_text_message(message.sender_id, BUSY[lang])
                return
            try:
                if (message.metadata or {}).get(READ_IN_PART):  # told once, before the answer
                    await message.output_channel.send_text_message(
                        message.sender_id, TOO_LONG[lang]
                    )
                await on_new_message(message)
            finally:
                admission.leave()

        blueprint = super().blueprint(handle)

        @blueprint.middleware("request")
        async def require_secret(request: Request) -> response.HTTPResponse | None:
            if not authorised(request.headers.get("Authorization"), secret):
                return response.json(
                    {"error": "unauthorised"}, status=401, headers={"WWW-Authenticate": "Bearer"}
                )
            return None

        return blueprint
