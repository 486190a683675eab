"""One settings object per process, read from the environment (and `.env` in development)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every key is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'changzheng.db'}"
    tracker_database_url: str = f"sqlite:///{ROOT / 'var' / 'tracker.db'}"
    redis_url: str = ""
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_auth_token: str = ""
    action_port: int = 5055
    entries_dir: Path = ROOT / "knowledge" / "entries"
    log_level: str = "INFO"
    # Suggestions: promised answer time (drives the overdue flag), retention after closing.
    suggestion_answer_days: int = 15
    retention_days: int = 180
    suggestions_per_hour: int = 5
    lookups_per_10_minutes: int = 20
    # Key of the hash that stands for a resident's channel identity; made once if unset.
    identity_secret: str = ""
    # Channels (bot/): Telegram is on when a token is set; the web chat always runs.
    telegram_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_mode: str = "polling"  # or "webhook"
    telegram_webhook_url: str = ""
    telegram_webhook_secret: str = ""
    telegram_webhook_port: int = 8443
    telegram_read_timeout: float = 10.0
    webchat_host: str = "127.0.0.1"
    webchat_port: int = 8080
    # Key that signs the web chat's session cookie; made once in var/webchat.secret if unset.
    webchat_cookie_secret: str = ""
    messages_per_minute: int = 20
    # Outbox: how long a bridge's claim on a message lasts; an expired claim becomes `uncertain`.
    outbox_lease_seconds: float = 120.0
    rasa_timeout_seconds: float = 8.0
    # Staff console (console/): loopback by default; cookies marked Secure when served over HTTPS.
    console_host: str = "127.0.0.1"
    console_port: int = 8090
    console_secret_key: str = ""  # signs the console's session cookie; made once in var/ if unset
    console_https: bool = False
    console_session_minutes: int = 480
    # A Telegram chat (id) told at once of urgent suggestions, through the outbox; off when empty.
    staff_telegram_chat_id: str = ""


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, created on first use."""
    return Settings()


def secret_made_once(configured: str, filename: str) -> bytes:
    """`configured` when set, else a random key made once into var/<filename> (mode 0600)."""
    if configured:
        return configured.encode()
    path = ROOT / "var" / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{filename}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # 0600 from the start
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
        try:  # appears whole or not at all; whoever comes second keeps the first one's key
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()


def identity_secret() -> bytes:
    """IDENTITY_SECRET, or a random key made once and kept in var/identity.secret."""
    return secret_made_once(get_settings().identity_secret, "identity.secret")


def webchat_cookie_secret() -> bytes:
    """WEBCHAT_COOKIE_SECRET (signs the web chat's session cookie), or one made in var/webchat.secret."""
    return secret_made_once(get_settings().webchat_cookie_secret, "webchat.secret")


def console_secret_key() -> bytes:
    """CONSOLE_SECRET_KEY (signs the console's session cookie), or one made in var/console.secret."""
    return secret_made_once(get_settings().console_secret_key, "console.secret")
