"""Rasa NLU YAML files read as (example, intent) pairs: the written training data, the entries'
generated data and the held-out split are all read this way (both environments import it)."""

from __future__ import annotations

from pathlib import Path

import yaml


def nlu_examples(path: Path) -> list[tuple[str, str]]:
    """Every `- example` line under an `intent:` block of one file, in order."""
    pairs: list[tuple[str, str]] = []
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text and "intent" in block:
                pairs.append((text, block["intent"]))
    return pairs
