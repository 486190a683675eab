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

from knowledge import keys

LOGGING_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "logging.yml"


def hide_sql_parameters() -> None:
    """Rasa's own engines (the tracker store) keep SQL parameters, residents' words, out of errors
    and logs, as `knowledge.db.make_engine` does."""
    create = sqlalchemy.create_engine

    @functools.wraps(create)
    def create_engine(*args, **kwargs):
        return create(*args, **{"hide_parameters": True, **kwargs})

    sqlalchemy.create_engine = create_engine


def main() -> None:
    """Start Rasa's server with the API enabled, the token, and quiet HTTP client loggers."""
    hide_sql_parameters()
    sys.argv = [
        "rasa", "run", "--enable-api", "--auth-token", keys.secret("RASA_AUTH_TOKEN"),
        "--logging-config-file", str(LOGGING_CONFIG), *sys.argv[1:],
    ]  # fmt: skip
    rasa_main()


if __name__ == "__main__":
    main()
