"""Write the training data generated from the knowledge entries (database, else files) and the
topic registry (topics.yml) to build/: build/nlu/entries.yml (the entries' examples and a rule to
action_answer_faq per FAQ intent) and build/domain/ (the written domain with its lists of topics
filled, and the entries' intents); see knowledge/training_data.py. `make train` runs it first."""

from __future__ import annotations

from pathlib import Path

from core.settings import ROOT
from knowledge.training_data import build as build_into
from knowledge.training_data import current_entries

OUT = ROOT / "build"


def build(out: Path = OUT) -> int:
    """Write the generated data; return how many examples it holds. Fails on an example under
    two intents."""
    return build_into(out)


if __name__ == "__main__":
    entries, source = current_entries()
    print(
        f"training data from the knowledge entries ({source}): {build_into(OUT, entries)} examples"
    )
