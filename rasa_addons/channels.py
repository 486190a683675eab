"""Rasa's REST channel for the channel layer only: a bearer secret, a bounded message, and residents'
typed text never taken as an intent command."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from knowledge import keys
from language.text import TOO_LONG, clean_input, detect_language, is_too_long

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

        async def handle(message: UserMessage) -> None:
            if (message.metadata or {}).get(READ_IN_PART):  # told once, before the answer
                notice = TOO_LONG[detect_language(message.text) or "zh"]
                await message.output_channel.send_text_message(message.sender_id, notice)
            await on_new_message(message)

        blueprint = super().blueprint(handle)

        @blueprint.middleware("request")
        async def require_secret(request: Request) -> response.HTTPResponse | None:
            if not authorised(request.headers.get("Authorization"), secret):
                return response.json(
                    {"error": "unauthorised"}, status=401, headers={"WWW-Authenticate": "Bearer"}
                )
            return None

        return blueprint
