"""Moderation benchmark: how many genuine suggestions are refused as advertising, how much spam is.

python -m bench.moderation     (the set: bench/data/moderation.yml)
"""

from __future__ import annotations

from pathlib import Path

import yaml

from language.moderation import is_advertising

DATA = Path(__file__).parent / "data" / "moderation.yml"


def measure(path: Path = DATA) -> dict:
    """Counts and the misjudged messages of the set at `path`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    refused = [t for t in data["genuine"] if is_advertising(t)]
    passed = [t for t in data["spam"] if not is_advertising(t)]
    return {
        "genuine": len(data["genuine"]), "genuine_refused": refused,
        "spam": len(data["spam"]), "spam_passed": passed,
    }  # fmt: skip


def main() -> int:
    result = measure()
    spam_refused = result["spam"] - len(result["spam_passed"])
    print(
        f"genuine suggestions refused as advertising: {len(result['genuine_refused'])} / {result['genuine']}"
    )
    print(f"spam refused: {spam_refused} / {result['spam']} ({spam_refused / result['spam']:.0%})")
    for text in result["genuine_refused"]:
        print(f"  refused genuine: {text}")
    for text in result["spam_passed"]:
        print(f"  passed spam: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
