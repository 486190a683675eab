"""Rasa NLU YAML files read as (example, intent) pairs: the written training data, the entries'
generated data and the held-out split are all read this way (both environments import it).

A file is parsed once per version (its modification time and size): the console asks for the
written examples on every publish page and poll, and `nlu_data/` holds large files with no
`nlu:` block (the form's steps, the emergencies) that need not be parsed again.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when it is there


def nlu_examples(path: Path) -> list[tuple[str, str]]:
    """Every `- example` line under an `intent:` block of one file, in order."""
    stat = path.stat()
    return list(_examples(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=256)
def _examples(path: str, _mtime_ns: int, _size: int) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader) or {}  # noqa: S506 - a safe loader
    for block in data.get("nlu", []) if isinstance(data, dict) else []:
        for line in (block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text and "intent" in block:
                pairs.append((text, block["intent"]))
    return tuple(pairs)
