"""Per-resident message limit (a sliding window), shared by every adapter."""

from __future__ import annotations

import time
from collections import OrderedDict, deque


class RateLimit:
    """At most `limit` messages per `window` seconds per sender; tells when to warn once.

    Memory is bounded: at most `max_keys` senders are remembered, the least recently seen go first
    (a flood of new senders can only forget old, quiet ones).
    """

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 100_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._warned: OrderedDict[str, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def allow(self, sender: str) -> bool:
        """Count a message; False when over the limit."""
        now = time.monotonic()
        seen = self._seen.pop(sender, None) or deque()
        self._seen[sender] = seen  # most recently seen last
        while len(self._seen) > self.max_keys:
            self._seen.popitem(last=False)
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        self._warned.pop(sender, None)
        return True

    def should_warn(self, sender: str) -> bool:
        """True once per burst, so that a flood gets one polite notice."""
        if sender in self._warned:
            return False
        self._warned[sender] = None
        while len(self._warned) > self.max_keys:
            self._warned.popitem(last=False)
        return True
