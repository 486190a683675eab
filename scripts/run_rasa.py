"""`rasa run` with its HTTP API always behind a token (RASA_AUTH_TOKEN, else var/rasa.token).

Runs in Rasa's environment: `.venv-rasa/bin/python -m scripts.run_rasa -p 5005 --model …`. The
token is handed to Rasa inside the process, so it never shows in the process list.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from pathlib import Path

from rasa.__main__ import main as rasa_main

from core import keys

LOGGING_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "logging.yml"

# The one patch of Rasa left (`validate_action_results_once`): Rasa 3.6 builds its `RemoteAction`
# itself for every custom action and has no setting, component or channel that replaces it or its
# check. The patch is made only on the Rasa it was written for: the version and the source of the
# two methods it stands in for are pinned here and in tests/scripts/test_run_rasa.py.
PATCHED_RASA = "3.6.21"
PATCHED_SOURCES = {
    "_validate_action_result": "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
    "action_response_format_spec": "091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46",
}


def source_hashes() -> dict[str, str]:
    """SHA-256 of the source of the `RemoteAction` methods the patch stands in for."""
    from rasa.core.actions.action import RemoteAction

    return {
        name: hashlib.sha256(inspect.getsource(getattr(RemoteAction, name)).encode()).hexdigest()
        for name in PATCHED_SOURCES
    }


def validate_action_results_once() -> None:
    """Rasa checks every action server response with `jsonschema.validate`, which first checks the
    schema itself against the JSON Schema meta-schema: most of Rasa's time per message (see
    bench/RESULTS.md). The schema never changes, so it is checked once and its validator kept; a
    response is validated as before, with the same error.

    Refuses (RuntimeError, Rasa does not start) on any other Rasa than the one it was written for.
    """
    import rasa
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction

    if rasa.__version__ != PATCHED_RASA or source_hashes() != PATCHED_SOURCES:
        raise RuntimeError(
            f"Rasa {rasa.__version__} is not the Rasa {PATCHED_RASA} that scripts/run_rasa.py "
            "patches (RemoteAction._validate_action_result): check the patch, then its pins"
        )
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
    # imported: import it here, so that a broken import stops Rasa instead. The store makes its
    # own engine (hidden SQL parameters, WAL, commits without waiting: `tuned_engine`).
    import rasa_addons.tracker_store  # noqa: F401

    validate_action_results_once()
    sys.argv = [
        "rasa", "run", "--enable-api", "--auth-token", keys.secret("RASA_AUTH_TOKEN"),
        "--logging-config-file", str(LOGGING_CONFIG), *sys.argv[1:],
    ]  # fmt: skip
    rasa_main()


if __name__ == "__main__":
    main()
