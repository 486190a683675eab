"""One settings object per process, read from the environment (and `.env` in development)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from core import keys

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every key is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'changzheng.db'}"
    tracker_database_url: str = f"sqlite:///{ROOT / 'var' / 'tracker.db'}"
    redis_url: str = ""
    rasa_url: str = "http://127.0.0.1:5005"
    # Rasa's HTTP API token and the REST channel's bearer secret; each made once in var/ if unset.
    rasa_auth_token: str = ""
    channel_secret: str = ""
    action_port: int = 5055
    # Where Rasa reaches the action server (the balancer's in a cluster); also where it binds.
    action_host: str = "127.0.0.1"
    # Cluster (`make run-cluster`, deploy/cluster.conf, deploy/README.md): the Rasa instances and
    # action servers as host:port lists; the balancer (HAProxy) listens on RASA_URL's and
    # ACTION_HOST:ACTION_PORT, its runtime API on BALANCER_SOCKET, its status page on
    # BALANCER_STATUS_PORT. Ignored by `make run` (one Rasa, one action server).
    rasa_instances: str = "127.0.0.1:5006,127.0.0.1:5007"
    action_instances: str = "127.0.0.1:5056,127.0.0.1:5057"
    balancer_host: str = "127.0.0.1"
    balancer_socket: str = ""
    balancer_status_port: int = 8404
    # A process that must run once in the whole cluster (Telegram, the purge) holds a lock in Redis
    # for this long, renewed while it runs (scripts/singleton.py); a second one waits for it.
    singleton_lock_seconds: float = 15.0
    entries_dir: Path = ROOT / "knowledge" / "entries"
    log_level: str = "INFO"
    # Suggestions: promised answer time (drives the overdue flag), retention after closing.
    suggestion_answer_days: int = 15
    retention_days: int = 180
    # Knowledge entries not reviewed for this many months are listed for the editors.
    review_months: int = 12
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
    # Requests waiting in python-telegram-bot's limiter (Telegram allows about 30 messages a second
    # per bot) at which a resident gets a short busy reply instead of an answer that would wait.
    telegram_busy_queue: int = 60
    # WeChat Official Account (bot/wechat.py): on when WECHAT_APP_ID, WECHAT_APP_SECRET and
    # WECHAT_TOKEN are set; safe mode when WECHAT_AES_KEY (EncodingAESKey) is set too. The platform
    # posts to WECHAT_HOST:WECHAT_PORT (behind HTTPS); WECHAT_API_URL is the platform's API.
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_token: str = ""
    wechat_aes_key: str = ""
    wechat_host: str = "127.0.0.1"
    wechat_port: int = 8081
    wechat_api_url: str = "https://api.weixin.qq.com/cgi-bin/"
    wechat_reply_seconds: float = 4.0  # a passive reply must leave within the platform's 5 s
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
    # The daily summary by e-mail (the console's 每日汇总 page, 发送邮件): off
    # while SMTP_HOST or SUMMARY_TO (comma-separated addresses) is empty.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_from: str = "console@changzheng.invalid"
    summary_to: str = ""
    # A person takes over (store/handoff_repo.py): office hours ("1-5 09:00-17:00": ISO
    # weekdays, Asia/Shanghai; admins can override them), and how long a request waits for a staff
    # member before the assistant takes it back with an apology.
    handoff_hours: str = "1-5 09:00-17:00"
    handoff_wait_minutes: int = 5
    # Publish: the installed model's folder, the training configuration, the accuracy a new model
    # may lose on the held-out split and still be loaded.
    model_dir: Path = ROOT / "models"
    publish_config: Path = ROOT / "config.yml"
    publish_accuracy_tolerance: float = 0.0
    publish_niceness: int = 10  # the runner's `nice` increment (0: as urgent as the assistant)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, created on first use."""
    return Settings()


def identity_secret() -> bytes:
    """IDENTITY_SECRET, or a random key made once and kept in var/identity.secret."""
    return keys.secret("IDENTITY_SECRET", get_settings().identity_secret).encode()


def channel_secret() -> str:
    """CHANNEL_SECRET, or one made once in var/channel.secret: the REST channel's bearer secret."""
    return keys.secret("CHANNEL_SECRET", get_settings().channel_secret)


def rasa_auth_token() -> str:
    """RASA_AUTH_TOKEN, or one made once in var/rasa.token: the token of Rasa's HTTP API."""
    return keys.secret("RASA_AUTH_TOKEN", get_settings().rasa_auth_token)


def webchat_cookie_secret() -> bytes:
    """WEBCHAT_COOKIE_SECRET (signs the web chat's session cookie), or one made in var/webchat.secret."""
    return keys.secret("WEBCHAT_COOKIE_SECRET", get_settings().webchat_cookie_secret).encode()


def console_secret_key() -> bytes:
    """CONSOLE_SECRET_KEY (signs the console's session cookie), or one made in var/console.secret."""
    return keys.secret("CONSOLE_SECRET_KEY", get_settings().console_secret_key).encode()
