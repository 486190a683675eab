"""One settings object per process, read from the environment (and `.env` in development)."""

from __future__ import annotations

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
    messages_per_minute: int = 20
    # Outbox: how long a bridge's claim on a message lasts; an expired claim becomes `uncertain`.
    outbox_lease_seconds: float = 120.0
    rasa_timeout_seconds: float = 8.0


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, created on first use."""
    return Settings()


def identity_secret() -> bytes:
    """IDENTITY_SECRET, or a random key made once and kept in var/identity.secret."""
    configured = get_settings().identity_secret
    if configured:
        return configured.encode()
    path = ROOT / "var" / "identity.secret"
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()
