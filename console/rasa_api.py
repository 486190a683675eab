"""Rasa's HTTP API, as the console uses it for a handoff: read a resident's conversation (the
tracker store keeps it masked) and pause or resume the assistant for them
(`ConversationPaused` / `ConversationResumed` events). Authenticated with RASA_AUTH_TOKEN."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from core.clock import shanghai_time
from core.settings import get_settings, rasa_auth_token

TIMEOUT = 10.0


class RasaApiError(Exception):
    """Rasa could not be reached or refused the request."""


def _url(sender_id: str, tail: str) -> str:
    return f"{get_settings().rasa_url}/conversations/{quote(sender_id, safe='')}/{tail}"


def _call(method: str, url: str, **kwargs) -> httpx.Response:
    try:
        response = httpx.request(
            method, url, params={"token": rasa_auth_token()}, timeout=TIMEOUT, **kwargs
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise RasaApiError(str(error)) from error
    return response


def append(sender_id: str, event: str) -> None:
    """Append `pause` or `resume` to the resident's conversation."""
    if event not in ("pause", "resume"):
        raise ValueError(event)
    _call("POST", _url(sender_id, "tracker/events"), json=[{"event": event}])


def pause(sender_id: str) -> None:
    append(sender_id, "pause")


def resume(sender_id: str) -> None:
    append(sender_id, "resume")


def transcript(sender_id: str, *, since: float = 0.0) -> list[dict]:
    """The resident's and the assistant's messages (masked as stored), oldest first:
    [{"who": "resident" | "assistant", "text", "time", "at"}], from the Unix time `since`."""
    response = _call("GET", _url(sender_id, "tracker"))
    events = response.json().get("events") or []
    lines = []
    for event in events:
        kind, at = event.get("event"), float(event.get("timestamp") or 0)
        text = (event.get("text") or "").strip()
        if kind not in ("user", "bot") or at < since or not text or text.startswith("/"):
            continue  # a pressed button's payload is not something anyone said
        moment = datetime.fromtimestamp(at, UTC)
        lines.append({
            "who": "resident" if kind == "user" else "assistant", "text": event["text"],
            "time": shanghai_time(moment), "at": at,
        })  # fmt: skip
    return lines
