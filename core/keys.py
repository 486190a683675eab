"""Secrets from the environment, else made once into var/ (0600). Standard library only: Rasa's
environment imports this module too (the REST channel checks the channel secret)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

VAR = Path(__file__).resolve().parent.parent / "var"
FILES = {
    "IDENTITY_SECRET": "identity.secret",  # key of the hash that stands for a resident
    "CHANNEL_SECRET": "channel.secret",  # bearer secret of the project's REST channel
    "RASA_AUTH_TOKEN": "rasa.token",  # token of Rasa's HTTP API
    "WEBCHAT_COOKIE_SECRET": "webchat.secret",  # signs the web chat's session cookie
    "CONSOLE_SECRET_KEY": "console.secret",  # signs the staff console's session cookie
    "CONTACT_KEY": "contact.key",  # encrypts residents' call-back numbers at rest
}


def env_or_file(configured: str | None, path: Path) -> str:
    """`configured` when set, else the secret in `path`, made once (0600) when missing.

    Several processes may start at once: the file is written aside and linked into place, so
    all of them read the same secret and none reads a half-written file.
    """
    if configured:
        return configured
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    return path.read_text().strip()


def secret(name: str, configured: str | None = None, directory: Path = VAR) -> str:
    """The secret `name` (a key of FILES): `configured`, else the environment, else the file."""
    value = configured if configured is not None else os.environ.get(name, "")
    return env_or_file(value, directory / FILES[name])
