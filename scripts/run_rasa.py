"""`rasa run` with its HTTP API always behind a token (RASA_AUTH_TOKEN, else var/rasa.token).

Runs in Rasa's environment: `.venv-rasa/bin/python -m scripts.run_rasa -p 5005 --model …`. The
token is handed to Rasa inside the process, so it never shows in the process list.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import sqlalchemy
from rasa.__main__ import main as rasa_main
from sqlalchemy.engine import make_url
from sqlalchemy.pool import SingletonThreadPool

from core import keys

LOGGING_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "logging.yml"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _postgres_commit_without_waiting(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET synchronous_commit TO OFF")
    cursor.close()
    dbapi_connection.commit()


def hide_sql_parameters() -> None:
    """Rasa's own engines (the tracker store) keep SQL parameters, residents' words, out of errors
    and logs, as `store.db.make_engine` does. A SQLite tracker store keeps its connection and
    runs in WAL mode without a disk flush per commit, and a PostgreSQL one commits without waiting
    for its WAL flush (Rasa reads and writes the tracker on its event loop for every message): a
    power cut may lose the last messages' events, never corrupt them; a crash of Rasa loses nothing.
    The project's own database (suggestions, answers) keeps its full durability."""
    create = sqlalchemy.create_engine

    @functools.wraps(create)
    def create_engine(url, *args, **kwargs):
        sqlite = make_url(url).get_backend_name() == "sqlite"
        if sqlite:  # one connection kept per thread: closing the last one checkpoints the WAL
            kwargs.setdefault("poolclass", SingletonThreadPool)
        engine = create(url, *args, **{"hide_parameters": True, **kwargs})
        if sqlite:
            sqlalchemy.event.listen(engine, "connect", _sqlite_pragmas)
        elif engine.dialect.name == "postgresql":
            sqlalchemy.event.listen(engine, "connect", _postgres_commit_without_waiting)
        return engine

    sqlalchemy.create_engine = create_engine


def validate_action_results_once() -> None:
    """Rasa checks every action server response with `jsonschema.validate`, which first checks the
    schema itself against the JSON Schema meta-schema: most of Rasa's time per message (see
    bench/RESULTS.md). The schema never changes, so it is checked once and its validator kept; a
    response is validated as before, with the same error."""
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    kind = validators.validator_for(schema)
    kind.check_schema(schema)
    validator = kind(schema)
    checked = RemoteAction._validate_action_result

    def validate(self: RemoteAction, result: dict) -> bool:
        if exceptions.best_match(validator.iter_errors(result)) is None:
            return True
        return checked(self, result)  # Rasa's own path raises its ValidationError and message

    RemoteAction._validate_action_result = validate


def main() -> None:
    """Start Rasa's server with the API enabled, the token, and quiet HTTP client loggers."""
    # Rasa silently falls back to an in-memory store when a custom tracker store cannot be
    # imported: import it here, so that a broken import stops Rasa instead.
    import rasa_addons.tracker_store  # noqa: F401

    hide_sql_parameters()
    validate_action_results_once()
    sys.argv = [
        "rasa", "run", "--enable-api", "--auth-token", keys.secret("RASA_AUTH_TOKEN"),
        "--logging-config-file", str(LOGGING_CONFIG), *sys.argv[1:],
    ]  # fmt: skip
    rasa_main()


if __name__ == "__main__":
    main()
