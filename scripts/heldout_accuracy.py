"""Held-out accuracy of trained models, each measured the same way: every example of
bench/data/heldout.yml parsed by the model's whole pipeline, the delivered intent compared with the
gold one. Runs in Rasa's environment:
`.venv-rasa/bin/python -m scripts.heldout_accuracy MODEL.tar.gz [MODEL.tar.gz …]` prints JSON
[{"model": path, "model_id": …, "accuracy": …, "examples": n}, …]."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

from language.nlu_files import nlu_examples

HELDOUT = Path(__file__).resolve().parent.parent / "bench" / "data" / "heldout.yml"


def heldout(path: Path = HELDOUT) -> list[tuple[str, str]]:
    """(text, intent) pairs of the held-out split."""
    return nlu_examples(path)


async def measure(model: Path, pairs: list[tuple[str, str]]) -> dict:
    """Load one model and parse every held-out example with it."""
    from rasa.core.agent import Agent

    agent = Agent.load(model_path=str(model))
    hits = 0
    for text, intent in pairs:
        result = await agent.parse_message(text)
        hits += (result.get("intent") or {}).get("name") == intent
    return {"model": str(model), "model_id": agent.model_id, "examples": len(pairs),
            "accuracy": round(hits / len(pairs), 4) if pairs else 0.0}  # fmt: skip


def main(argv: list[str]) -> int:
    logging.disable(logging.WARNING)
    pairs = heldout()
    results = [asyncio.run(measure(Path(model), pairs)) for model in argv]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
