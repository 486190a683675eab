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
    hotline_number: str = "12345"
    log_level: str = "INFO"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, created on first use."""
    return Settings()
