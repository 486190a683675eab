"""`rasa run` with its HTTP API always behind a token (RASA_AUTH_TOKEN, else var/rasa.token).

Runs in Rasa's environment: `.venv-rasa/bin/python -m scripts.run_rasa -p 5005 --model …`. The
token is handed to Rasa inside the process, so it never shows in the process list.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import sys
from pathlib import Path

from rasa.__main__ import main as rasa_main

from core import keys

LOGGING_CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "logging.yml"

# The patches of Rasa left, each where Rasa 3.6 has no setting, component or channel to do it:
# `validate_action_results_once` (Rasa builds its `RemoteAction` itself for every custom action and
# checks every response with a slow schema check) and `tracker_store_errors_fail_the_turn` (Rasa
# wraps every tracker store in a fall-back to memory). They are made only on the Rasa they were
# written for: the version and the source of the methods they stand in for are pinned here and in
# tests/scripts/test_run_rasa.py.
PATCHED_RASA = "3.6.21"
PATCHED_SOURCES = {
    "RemoteAction._validate_action_result": (
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"
    ),
    "RemoteAction.action_response_format_spec": (
        "091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46"
    ),
    "Agent._create_tracker_store": "97499b594b45581b2c6d8ff7adb9083af24eba85654995a40350de65633ca574",
}


def source_hashes() -> dict[str, str]:
    """SHA-256 of the source of the Rasa methods the patches stand in for."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent

    classes = {"RemoteAction": RemoteAction, "Agent": Agent}
    hashes = {}
    for name in PATCHED_SOURCES:
        owner, method = name.split(".")
        source = inspect.getsource(getattr(classes[owner], method))
        hashes[name] = hashlib.sha256(source.encode()).hexdigest()
    return hashes


@functools.cache  # once, before a patch changes what it reads
def check_pins() -> None:
    """RuntimeError (Rasa does not start) on any other Rasa than the one the patches are for."""
    import rasa

    if rasa.__version__ != PATCHED_RASA or source_hashes() != PATCHED_SOURCES:
        raise RuntimeError(
            f"Rasa {rasa.__version__} is not the Rasa {PATCHED_RASA} that scripts/run_rasa.py "
            "patches (RemoteAction._validate_action_result, Agent._create_tracker_store): check "
            "the patches, then their pins"
        )


def tracker_store_errors_fail_the_turn() -> None:
    """The agent wraps its tracker store in `StrictTrackerStore`, not Rasa's `FailSafeTrackerStore`
    (rasa_addons/tracker_store.py says why)."""
    import rasa.core.agent

    from rasa_addons.tracker_store import StrictTrackerStore

    check_pins()
    rasa.core.agent.FailSafeTrackerStore = StrictTrackerStore


def validate_action_results_once() -> None:
    """Rasa checks every action server response with `jsonschema.validate`, which first checks the
    schema itself against the JSON Schema meta-schema: most of Rasa's time per message (see
    bench/RESULTS.md). The schema never changes, so it is checked once and its validator kept; a
    response is validated as before, with the same error.

    Refuses (RuntimeError, Rasa does not start) on any other Rasa than the one it was written for.
    """
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction

    check_pins()
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
    tracker_store_errors_fail_the_turn()
    sys.argv = [
        "rasa", "run", "--enable-api", "--auth-token", keys.secret("RASA_AUTH_TOKEN"),
        "--logging-config-file", str(LOGGING_CONFIG), *sys.argv[1:],
    ]  # fmt: skip
    rasa_main()


if __name__ == "__main__":
    main()
