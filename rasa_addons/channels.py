"""Rasa's REST channel for the channel layer only: a bearer secret, a bounded message, residents'
typed text never taken as an intent command, and a bounded number of messages at once (the rest
get a polite "busy" reply at once, never a timeout).

A body over Sanic's REQUEST_MAX_SIZE (`SANIC_REQUEST_MAX_SIZE`, 1 MB as deployed) gets 413 with a
JSON error: the webhook streams its body, keeps it up to the limit and reads a larger one to its
end (up to `DRAIN_BODY`, dropped) before answering, so the client reads the answer instead of a
reset connection and the server keeps serving.

A turn that fails part-way (its tracker could not be saved: the database restarting) is answered
with the apology alone, never with the replies it had collected: the resident sends the message
again and the conversation goes on from where it was saved, instead of from a question Rasa never
recorded asking. Rasa's own handler would log the message's text; the failure is logged here
without it."""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from core import keys
from language.catalogue import say
from language.text import clean_input, detect_language, is_too_long, neutralise

logger = logging.getLogger(__name__)
READ_IN_PART = "read_in_part"  # metadata flag: the message was cut to MAX_INPUT characters
DRAIN_BODY = 32 * 1024 * 1024  # read (and dropped) to answer 413; beyond this Sanic closes
TOO_LARGE = {"error": "request body too large"}


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


async def read_body(request: Request, limit: int) -> bool:
    """Read a streamed request body into `request.body`; False (nothing kept) when it is larger
    than `limit`: it is then read to its end, up to `DRAIN_BODY`, and dropped."""
    parts: list[bytes] = []
    size = 0
    while size <= DRAIN_BODY:
        chunk = await request.stream.read()
        if chunk is None:
            break
        size += len(chunk)
        if size <= limit:
            parts.append(chunk)
        else:
            parts.clear()
    if size > limit:
        return False
    request.body = b"".join(parts)
    return True


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
                await message.output_channel.send_text_message(message.sender_id, say("busy", lang))
                return
            try:
                if (message.metadata or {}).get(READ_IN_PART):  # told once, before the answer
                    await message.output_channel.send_text_message(
                        message.sender_id, say("too_long", lang)
                    )
                await on_new_message(message)
            except Exception as error:  # noqa: BLE001 - the turn is unfinished: no reply of it shown
                logger.error("turn failed for a conversation: %s", type(error).__name__)
                if isinstance(message.output_channel, CollectingOutputChannel):
                    message.output_channel.messages.clear()
                await message.output_channel.send_text_message(
                    message.sender_id, say("apology", lang)
                )
            finally:
                admission.leave()

        blueprint = super().blueprint(handle)
        # Rasa's webhook, its body streamed and bounded (Sanic would refuse a large body before
        # the handler and close the connection while the client still sends it)
        (webhook,) = [r for r in blueprint._future_routes if r.uri == "/webhook"]
        blueprint._future_routes.discard(webhook)

        @blueprint.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> Any:
            if not await read_body(request, request.app.config.REQUEST_MAX_SIZE):
                return response.json(TOO_LARGE, status=413)
            return await webhook.handler(request)

        @blueprint.middleware("request")
        async def require_secret(request: Request) -> response.HTTPResponse | None:
            if not authorised(request.headers.get("Authorization"), secret):
                return response.json(
                    {"error": "unauthorised"}, status=401, headers={"WWW-Authenticate": "Bearer"}
                )
            return None

        return blueprint
