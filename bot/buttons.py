"""Button payloads stay on the server: the app sees a short random token (Telegram allows 64 bytes)."""

from __future__ import annotations

import secrets
from collections import OrderedDict


class ButtonTokens:
    """Token → (sender, payload), newest kept; a token only works for the resident it was made for."""

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._tokens: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def issue(self, sender: str, payload: str) -> str:
        """A fresh token for `payload`, shown to `sender`."""
        token = secrets.token_urlsafe(12)
        self._tokens[token] = (sender, payload)
        while len(self._tokens) > self.capacity:
            self._tokens.popitem(last=False)
        return token

    def redeem(self, sender: str, token: str) -> str | None:
        """The payload behind `token` when `sender` may press it; None for forged or expired ones."""
        entry = self._tokens.get(token or "")
        if entry is None or entry[0] != sender:
            return None
        return entry[1]
