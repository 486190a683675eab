"""Rasa's REST channel, with residents' typed text never taken as an intent command."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

FULLWIDTH_SOLIDUS = "／"


def neutralise(text: str | None, metadata: dict[str, Any] | None) -> str | None:
    """Turn a typed `/intent{...}` into plain text unless the channel layer marks a button payload."""
    if not text or (metadata or {}).get("payload") is True:
        return text
    stripped = text.lstrip()
    if stripped.startswith("/"):
        return FULLWIDTH_SOLIDUS + stripped[1:]
    return text


class ResidentRestInput(RestInput):
    """Same URL and JSON as Rasa's `rest` channel (`/webhooks/rest/webhook`)."""

    def _extract_message(self, req: Request) -> str | None:
        return neutralise(req.json.get("message"), req.json.get("metadata"))
