"""The training data and the held-out split: sizes, styles, no leaks, no example under two intents."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import yaml

from knowledge.entries_io import load_entries
from knowledge.settings import ROOT

CORE = ("elevator", "eldercare", "employment", "hotline", "suggestion_give")


def examples(paths) -> list[tuple[str, str]]:
    pairs = []
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text and "intent" in block:
                    pairs.append((re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text), block["intent"]))
    return pairs


TRAIN = sorted(
    set(examples(sorted((ROOT / "nlu_data").glob("*.yml"))))
    | {
        (e, entry.intent)
        for entry in load_entries(ROOT / "knowledge" / "entries")
        for e in entry.examples
    }
)
HELDOUT = examples([ROOT / "bench" / "data" / "heldout.yml"])


def test_no_example_under_two_intents():
    intents: defaultdict[str, set] = defaultdict(set)
    for text, intent in TRAIN:
        intents[text].add(intent)
    assert {t: i for t, i in intents.items() if len(i) > 1} == {}


def test_held_out_split_is_never_trained_on_and_is_a_fifth():
    assert not {t for t, _ in TRAIN} & {t for t, _ in HELDOUT}
    assert len(HELDOUT) / (len(HELDOUT) + len(TRAIN)) >= 0.2


def test_every_core_intent_has_thirty_examples():
    counts = Counter(intent for _, intent in TRAIN)
    core = {i: n for i, n in counts.items() if i.startswith(CORE)}
    assert core and all(n >= 30 for n in core.values()), core


def test_about_one_in_five_examples_is_english():
    english = [t for t, _ in TRAIN if not re.search(r"[\u3400-\u9fff]", t)]
    assert 0.1 <= len(english) / len(TRAIN) <= 0.3  # pinyin counts here too


def test_every_intent_of_the_domain_is_trained_and_named_by_a_topic_key():
    keys = {"elevator", "eldercare", "employment", "hotline", "suggestion", "services", "assistance",
            "housing", "community", "greet", "goodbye", "thank", "affirm", "deny", "bot", "human", "out"}  # fmt: skip
    domain = set()
    for path in (ROOT / "domain").glob("*.yml"):
        for intent in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", []):
            domain.add(intent if isinstance(intent, str) else next(iter(intent)))
    assert domain == {intent for _, intent in TRAIN}
    assert all(intent.split("_", 1)[0] in keys for intent in domain)


def test_the_unseen_split_is_never_trained_on():
    """Only canonical short forms ("长护险", "hi") may be written by both hands."""
    unseen = yaml.safe_load((ROOT / "bench/data/unseen/messages.yml").read_text(encoding="utf-8"))
    shared = {m["text"] for m in unseen} & {t for t, _ in TRAIN}
    assert {t for t in shared if len(t) > 5} == set()
