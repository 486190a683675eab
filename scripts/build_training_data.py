"""Write the knowledge entries' example questions as Rasa NLU data to build/nlu/entries.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from knowledge.entries_io import load_entries
from knowledge.settings import ROOT, get_settings

OUT = ROOT / "build" / "nlu" / "entries.yml"


def written_examples(data_dir: Path) -> dict[str, str]:
    """Every example in nlu_data/, mapped to its intent."""
    found: dict[str, str] = {}
    for path in sorted(data_dir.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text and "intent" in block:
                    found[text] = block["intent"]
    return found


def build(out: Path = OUT) -> int:
    """Write the file; return how many examples it holds. Fails on an example under two intents."""
    existing = written_examples(ROOT / "nlu_data")
    blocks = []
    count = 0
    for entry in load_entries(get_settings().entries_dir):
        fresh = []
        for example in entry.examples:
            other = existing.get(example)
            if other and other != entry.intent:
                raise ValueError(f"{example!r} is in {entry.id} and under intent {other}")
            if not other and example not in fresh:
                fresh.append(example)
        if fresh:
            blocks.append({"intent": entry.intent, "examples": "".join(f"- {e}\n" for e in fresh)})
            count += len(fresh)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Generated from knowledge/entries by scripts/build_training_data.py; do not edit.",
        'version: "3.1"',
        "nlu:",
    ]
    for block in blocks:
        lines += [f"  - intent: {block['intent']}", "    examples: |"]
        lines += [f"      {line}" for line in block["examples"].splitlines()]
    text = "\n".join(lines) + "\n"
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")
    return count


if __name__ == "__main__":
    print(f"training data from knowledge entries: {build()} examples")
