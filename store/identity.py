"""A resident's channel identity as a keyed hash: the same person matches, nobody can reverse it."""

from __future__ import annotations

import hashlib
import hmac

from core.settings import identity_secret


def sender_hash(channel: str, sender_id: str) -> str:
    """HMAC-SHA256 of `channel:sender_id` with the installation's secret."""
    message = f"{channel}:{sender_id}".encode()
    return hmac.new(identity_secret(), message, hashlib.sha256).hexdigest()
