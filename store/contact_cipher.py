"""Residents' call-back numbers at rest: encrypted with Fernet (`cryptography`), never stored clear.

The key is `CONTACT_KEY` from the environment, else made once into `var/contact.key` (0600) like
the other secrets (`core/keys.py`): any secret string works, the Fernet key is derived from
it with SHA-256. Lose the key and the stored numbers cannot be read again; keep it out of backups
of the database.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from core import keys


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))


def cipher() -> Fernet:
    """The process's cipher, from the configured key."""
    return _fernet(keys.secret("CONTACT_KEY"))


def seal(number: str) -> str:
    """The encrypted form of `number`, safe to store."""
    return cipher().encrypt(number.encode()).decode("ascii")


def unseal(sealed: str | None) -> str | None:
    """The number inside `sealed`; None for none. A token made with another key raises
    `InvalidToken`: a lost or changed key is an operator's error, never silently "no number"."""
    if not sealed:
        return None
    return cipher().decrypt(sealed.encode("ascii")).decode()


__all__ = ["InvalidToken", "cipher", "seal", "unseal"]
