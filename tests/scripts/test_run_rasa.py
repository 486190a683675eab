"""`scripts/run_rasa.py`'s patches of Rasa, pinned to the Rasa they were written for: action results
validated with a schema checked once, as strict as Rasa's own check; and the agent's tracker store
wrapped without Rasa's fall-back to memory, so that a store's error fails the turn."""

from __future__ import annotations

import json

from tests.rasa_env import rasa_python

# Written for this Rasa, standing in for these methods (SHA-256 of their source). On a Rasa
# upgrade this test fails: read Rasa's new `RemoteAction`, see whether a seam now exists or the
# patch still does the same, then update the pins here and in scripts/run_rasa.py.
RASA = "3.6.21"
SOURCES = {
    "RemoteAction._validate_action_result": (
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"
    ),
    "RemoteAction.action_response_format_spec": (
        "091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46"
    ),
    "Agent._create_tracker_store": "97499b594b45581b2c6d8ff7adb9083af24eba85654995a40350de65633ca574",
}

CHECK = """
import inspect, json
import jsonschema
import rasa
from rasa.core.actions.action import RemoteAction
from scripts import run_rasa

seen = {"version": rasa.__version__, "sources": run_rasa.source_hashes(),
        "pins": [run_rasa.PATCHED_RASA, run_rasa.PATCHED_SOURCES],
        "signature": str(inspect.signature(RemoteAction._validate_action_result)),
        "called_by_run": "self._validate_action_result(response)" in inspect.getsource(RemoteAction.run)}
run_rasa.validate_action_results_once()
action = RemoteAction("action_x", None)
rasas, jsonschema.validate = jsonschema.validate, None  # a valid response skips Rasa's slow path
seen["valid"] = action._validate_action_result(
    {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "好"}]})
jsonschema.validate = rasas  # an invalid one takes it, for Rasa's own error
try:
    action._validate_action_result({"events": [{"event": 5}], "responses": "no"})
except jsonschema.ValidationError as error:
    seen["invalid"] = error.message

import asyncio
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
run_rasa.tracker_store_errors_fail_the_turn()

class Broken(InMemoryTrackerStore):
    async def save(self, tracker):
        raise ConnectionError("database restarting")

store = Agent._create_tracker_store(Broken(Domain.empty()), Domain.empty())
seen["store"] = type(store).__name__
try:
    asyncio.run(store.save(store.init_tracker("someone")))
except ConnectionError as error:
    seen["save_error"] = str(error)
print(json.dumps(seen))
"""


def test_the_patches_are_pinned_to_their_rasa_as_strict_as_rasa_and_a_store_error_is_raised():
    done = rasa_python(CHECK)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["version"] == RASA
    assert seen["sources"] == SOURCES
    assert seen["pins"] == [RASA, SOURCES]
    assert seen["signature"] == "(self, result: Dict[str, Any]) -> bool"
    assert seen["called_by_run"]
    assert seen["valid"] is True
    assert "Failed to validate Action server response" in seen["invalid"]  # Rasa's own error
    assert seen["store"] == "StrictTrackerStore"  # not kept in memory: the turn fails
    assert seen["save_error"] == "database restarting"
