"""New questions before a model knows them: how often does retrieval over the entries' example
questions still reach the entry?

For each intent with a knowledge entry, its training examples are taken away (the model knows
nothing of it, as for an entry staff just created); the index holds every entry's example
questions and titles from knowledge/entries (a new entry has only the few staff typed). Each of
the intent's held-out questions (bench/data/heldout.yml, never trained on) is searched:

- answered: the question is one of the entry's example questions word for word
  (`language.retrieval.exact_form`), or the match is clear (`language.retrieval.clear_match`)
  and it is the entry;
- offered: the entry is among the three buttons, but the match is not clear;
- wrong answer: another entry's example question word for word, or a clear match to another
  entry (the harm to avoid);
- missed: none of those.

    .venv/bin/python -m bench.retrieval [--sweep]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import yaml

from knowledge.entries_io import load_entries
from knowledge.faq_search import documents
from language import retrieval
from language.retrieval import Index

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "bench" / "data" / "heldout.yml"


def heldout() -> list[tuple[str, str]]:
    """(text, intent) pairs of the held-out split."""
    pairs = []
    for block in yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                pairs.append((text, block["intent"]))
    return pairs


def outcome(index: Index, text: str, wanted: str, exact: dict[str, str | None]) -> str:
    named = exact.get(retrieval.exact_form(text))  # an example asked word for word always answers
    if named:
        return "answered" if named == wanted else "wrong"
    matches = index.search(text, limit=3)
    clear = retrieval.clear_match(matches)
    if clear:
        return "answered" if clear.key == wanted else "wrong"
    return "offered" if any(m.key == wanted for m in matches) else "missed"


def measure(pairs, entries) -> tuple[dict[str, Counter], float]:
    index = Index(documents(entries))
    exact = retrieval.exact_table([(e.id, text) for e in entries for text in e.examples or ()])
    by_intent = {e.intent: e.id for e in entries}
    results: dict[str, Counter] = {}
    started = time.perf_counter()
    for text, intent in pairs:
        if intent in by_intent:
            got = outcome(index, text, by_intent[intent], exact)
            results.setdefault(intent, Counter())[got] += 1
    per_query = (time.perf_counter() - started) / max(1, len(pairs)) * 1000
    return results, per_query


def _pct(c: Counter, key: str) -> str:
    n = c["answered"] + c["offered"] + c["wrong"] + c["missed"]
    return f"{c[key]} ({100 * c[key] / n:.0f} %)"


def table(results: dict[str, Counter]) -> str:
    total = sum(results.values(), Counter())
    n = sum(total.values())
    lines = ["| topic | questions | answered | offered (button) | reached (either) | wrong answer | missed |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    topics = sorted({intent.split("_", 1)[0] for intent in results})
    for topic in [*topics, "all"]:
        c = (
            total
            if topic == "all"
            else sum((v for k, v in results.items() if k.split("_", 1)[0] == topic), Counter())
        )
        c["reached"] = c["answered"] + c["offered"]
        cells = [_pct(c, k)
                 for k in ("answered", "offered", "reached", "wrong", "missed")]  # fmt: skip
        lines.append(
            f"| {topic} | {c['answered'] + c['offered'] + c['wrong'] + c['missed']} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines) + f"\n\n{n} held-out questions of {len(results)} intents with entries."


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true", help="try other clear-match thresholds")
    args = parser.parse_args()
    entries = load_entries(ROOT / "knowledge" / "entries")
    pairs = heldout()
    results, per_query = measure(pairs, entries)
    print(table(results))
    print(
        f"search time: {per_query:.2f} ms per question (index of {len(documents(entries))} texts)"
    )
    if args.sweep:
        print(
            "\n| confidence | margin | answered | offered | wrong answer |\n| ---: | ---: | ---: | ---: | ---: |"
        )
        for confidence in (0.3, 0.4, 0.5, 0.6):
            for margin in (1.0, 1.25, 1.5, 2.0):
                retrieval.CLEAR_CONFIDENCE, retrieval.CLEAR_MARGIN = confidence, margin
                total = sum(measure(pairs, entries)[0].values(), Counter())
                print(
                    f"| {confidence} | {margin} | {total['answered']} | {total['offered']} | {total['wrong']} |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
