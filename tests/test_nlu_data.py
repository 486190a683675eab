"""The training data and the held-out split: sizes, styles, no leaks, no example under two intents."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import yaml

from core.settings import ROOT
from knowledge import topics, training_data
from knowledge.entries_io import load_entries

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


def test_every_intent_of_the_domain_is_trained_and_named_by_a_topic_key(tmp_path):
    """The domain as trained (the written domain/ and the entries' intents the build declares)."""
    training_data.build(tmp_path, training_data.entries_from_files())
    domain = set()
    for path in (tmp_path / "domain").glob("*.yml"):
        for intent in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", []):
            domain.add(intent if isinstance(intent, str) else next(iter(intent)))
    assert domain == {intent for _, intent in TRAIN}
    assert all(topics.topic_of(intent) for intent in domain)


def test_the_unseen_split_is_never_trained_on():
    """Only canonical short forms ("长护险", "hi") may be written by both hands."""
    unseen = yaml.safe_load((ROOT / "bench/data/unseen/messages.yml").read_text(encoding="utf-8"))
    shared = {m["text"] for m in unseen} & {t for t, _ in TRAIN}
    assert {t for t in shared if len(t) > 5} == set()


def exam_texts() -> set[str]:
    """Every resident message of the frozen exam (bench/data/exam/)."""
    exam, texts = ROOT / "bench" / "data" / "exam", set()
    for item in yaml.safe_load((exam / "conversations.yml").read_text(encoding="utf-8")):
        said = [item.get("first"), item.get("after"), *(item.get("answers") or {}).values()]
        for value in said:
            texts |= set(value) if isinstance(value, list) else {value} if value else set()
    for item in yaml.safe_load((exam / "dialogues.yml").read_text(encoding="utf-8")):
        texts |= set(item.get("turns") or [])
    for name, key in (("emergency", "text"), ("facts", "question"), ("oos", "text")):
        texts |= {
            i[key] for i in yaml.safe_load((exam / f"{name}.yml").read_text(encoding="utf-8"))
        }
    return {str(t) for t in texts}


def step_texts() -> set[str]:
    data = yaml.safe_load((ROOT / "nlu_data" / "suggestion_steps.yml").read_text(encoding="utf-8"))
    return {re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", s["text"]) for s in data["suggestion_steps"]}


def test_the_frozen_exam_is_never_trained_on():
    """Neither the intents' examples nor the form's steps hold an exam message (short canonical
    answers like "继续" or "跳过" aside)."""
    buttons = set()
    for path in (ROOT / "domain").glob("*.yml"):
        for variants in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses")
                         or {}).values():  # fmt: skip
            buttons |= {b["title"] for v in variants for b in v.get("buttons") or []}
    categories = yaml.safe_load((ROOT / "knowledge/categories.yml").read_text(encoding="utf-8"))
    buttons |= {c[k] for c in categories for k in ("name_zh", "name_en")}
    shared = exam_texts() & ({t for t, _ in TRAIN} | step_texts())
    assert {t for t in shared if len(t) > 10} - buttons == set()


def test_every_form_step_act_has_data_from_three_voices():
    data = yaml.safe_load((ROOT / "nlu_data" / "suggestion_steps.yml").read_text(encoding="utf-8"))
    voices = defaultdict(set)
    for item in data["suggestion_steps"]:
        voices[item["act"]].add(item["voice"])
    assert len(data["suggestion_steps"]) >= 1500
    assert all(len(v - {"seed_from_tests"}) >= 3 for a, v in voices.items() if a != "other")
