"""The retention of conversations, run in Rasa's environment on the tracker store itself.

`scripts/purge.py` (the project's environment, which has no Rasa) runs
`.venv-rasa/bin/python -m rasa_addons.retention COMMAND` and writes a JSON request on its standard
input: `store`, the tracker store's configuration as in endpoints.yml
(`scripts/render_endpoints.tracker_store`; on stdin, so that its password never shows in the
process list), and what the command needs. The answer is one JSON line on standard output.

- `senders`: the conversations' sender ids (Rasa's `keys()`).
- `delete` with `before` (seconds since the epoch, or null) and `senders`: deletes the events
  older than `before` and every event of `senders`; answers `{"deleted": N}`.

Any failure (a database that cannot be read or written) exits with status 1, its last line on
standard error saying why.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from rasa_addons.tracker_store import MaskingSQLTrackerStore


def open_store(config: dict[str, Any]) -> MaskingSQLTrackerStore:
    """The tracker store of an endpoints.yml `tracker_store` section, made as Rasa makes a custom
    store (`url` is its host)."""
    options = {key: value for key, value in config.items() if key not in ("type", "url")}
    return MaskingSQLTrackerStore(host=config.get("url"), **options)


def run(command: str, request: dict[str, Any]) -> dict[str, Any] | list[str]:
    """Carry out one command on the store the request names."""
    store = open_store(request["store"])
    try:
        if command == "senders":
            return sorted(asyncio.run(store.keys()))
        if command == "delete":
            before = request.get("before")
            deleted = store.delete_events_before(before) if before is not None else 0
            deleted += store.delete_conversations(request.get("senders", []))
            return {"deleted": deleted}
        raise ValueError(f"unknown command {command!r}")
    finally:
        store.engine.dispose()


def main(argv: list[str]) -> int:
    """`python -m rasa_addons.retention senders|delete < request.json`."""
    try:
        answer = run(argv[0] if argv else "", json.loads(sys.stdin.read()))
    except Exception as error:  # any failure is reported, whatever its kind
        message = " ".join(str(error).split())
        print(f"tracker store: {type(error).__name__}: {message}", file=sys.stderr)
        return 1
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
