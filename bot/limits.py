"""Per-resident message limit (a sliding window), shared by every adapter."""

from __future__ import annotations

import time
from collections import defaultdict, deque


class RateLimit:
    """At most `limit` messages per `window` seconds per sender; tells when to warn once."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._warned: set[str] = set()

    def allow(self, sender: str) -> bool:
        """Count a message; False when over the limit."""
        now = time.monotonic()
        seen = self._seen[sender]
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        self._warned.discard(sender)
        return True

    def should_warn(self, sender: str) -> bool:
        """True once per burst, so that a flood gets one polite notice."""
        if sender in self._warned:
            return False
        self._warned.add(sender)
        return True
