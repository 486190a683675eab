"""Talk to Rasa's REST channel on loopback (with its bearer secret); a failure becomes
`RasaUnavailable`, never a crash."""

from __future__ import annotations

import httpx

from core.settings import channel_secret, get_settings


class RasaUnavailable(Exception):
    """Rasa or the action server is down, slow, or sent no reply."""


class NoReply(RasaUnavailable):
    """Rasa answered nothing: an action failed, or a staff member holds the conversation."""


class RasaClient:
    """One shared async HTTP client per process."""

    def __init__(self, base_url: str | None = None, timeout: float | None = None) -> None:
        settings = get_settings()
        self.url = f"{base_url or settings.rasa_url}/webhooks/rest/webhook"
        self.timeout = timeout or settings.rasa_timeout_seconds
        self._client: httpx.AsyncClient | None = None

    async def send(
        self, sender: str, text: str, *, channel: str, payload: bool = False
    ) -> list[dict]:
        """Send a resident's text (or a pressed button's payload); return Rasa's replies."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.timeout, headers={"Authorization": f"Bearer {channel_secret()}"}
            )
        body = {
            "sender": sender,
            "message": text,
            "input_channel": channel,
            "metadata": {"payload": payload},
        }
        try:
            response = await self._client.post(self.url, json=body)
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error)) from error
        if not replies and (text or "").strip():
            raise NoReply("no reply (an action failed, or the conversation is paused)")
        return replies

    async def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
