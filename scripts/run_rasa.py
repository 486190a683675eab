"""`rasa run` with its HTTP API always behind a token (RASA_AUTH_TOKEN, else var/rasa.token).

Runs in Rasa's environment: `.venv-rasa/bin/python -m scripts.run_rasa -p 5005 --model …`. The
token is handed to Rasa inside the process, so it never shows in the process list.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rasa.__main__ import main as rasa_main

from knowledge import keys

LOGGING_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "logging.yml"


def main() -> None:
    """Start Rasa's server with the API enabled, the token, and quiet HTTP client loggers."""
    sys.argv = [
        "rasa", "run", "--enable-api", "--auth-token", keys.secret("RASA_AUTH_TOKEN"),
        "--logging-config-file", str(LOGGING_CONFIG), *sys.argv[1:],
    ]  # fmt: skip
    rasa_main()


if __name__ == "__main__":
    main()
