"""The training data generated from the knowledge entries and the topic registry: the entries'
example questions as Rasa NLU data, a rule to `action_answer_faq` for every entry's intent that
has no hand-written rule (nlu_data/ holds no FAQ rule), the domain fragment declaring the entries'
intents, and the written domain with its "you can ask me about …" lists filled from topics.yml.

The entries come from the database (what staff edit and publish) when it is migrated and holds
entries, else from knowledge/entries/: a fresh clone (the SQLite database file not made yet, the
tables not migrated yet, or no entry imported yet). A database that is configured but cannot be
read (unreachable, refused, broken) is an error (`TrainingDatabaseError`), never a reason to train
on the files: that would drop what staff published. `build(out)` writes `out/nlu/entries.yml`
and `out/domain/` (the written domain/ files, filled, plus `entries.yml`): train with
`--domain out/domain --data nlu_data out/nlu`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from core.settings import ROOT, get_settings
from knowledge import topics
from language.nlu_files import nlu_examples

NLU_DIR, DOMAIN_DIR = ROOT / "nlu_data", ROOT / "domain"
ANSWER_ACTION = "action_answer_faq"
HEADER = "# Generated from the knowledge entries by knowledge/training_data.py; do not edit."


@dataclass(frozen=True)
class EntryExamples:
    """What training needs of one entry."""

    id: str
    intent: str
    examples: tuple[str, ...]


class TrainingDataError(ValueError):
    """The entries cannot be trained on as they are (e.g. one example under two intents)."""


class TrainingDatabaseError(RuntimeError):
    """The configured database cannot be read: the entries staff published are out of reach."""


def written_examples(data_dir: Path = NLU_DIR) -> dict[str, str]:
    """Every example in nlu_data/, mapped to its intent."""
    return {
        text: intent
        for path in sorted(data_dir.glob("*.yml"))
        for text, intent in nlu_examples(path)
    }


def domain_intents(domain_dir: Path = DOMAIN_DIR) -> set[str]:
    """The intents the written domain declares."""
    intents: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", []):
            intents.add(next(iter(item)) if isinstance(item, dict) else str(item))
    return intents


def handwritten_rule_intents(data_dir: Path = NLU_DIR) -> set[str]:
    """Intents that a hand-written rule of nlu_data/ starts with (outside any form): answered by
    that rule, never by a generated FAQ rule."""
    intents: set[str] = set()
    for path in sorted(data_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for flow in [*(data.get("rules") or []), *(data.get("stories") or [])]:
            steps = flow.get("steps") or [{}]
            if not flow.get("condition") and "intent" in steps[0]:
                intents.add(steps[0]["intent"])
    return intents


def entries_from_database(database_url: str | None = None) -> list[EntryExamples] | None:
    """The entries in the database; None on a fresh clone (no SQLite file yet, not migrated, no
    entries). Raises TrainingDatabaseError when the database cannot be read."""
    from store.db import make_engine, resolve_url
    from store.models import FaqEntry

    url = database_url or get_settings().database_url
    prefix = "sqlite:///"
    if url.startswith(prefix) and not Path(resolve_url(url)[len(prefix) :]).exists():
        return None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(FaqEntry.__tablename__):
                return None
            rows = connection.execute(
                select(FaqEntry.id, FaqEntry.intent, FaqEntry.examples).order_by(FaqEntry.id)
            ).all()
    except SQLAlchemyError as error:
        name = engine.url.render_as_string(hide_password=True)
        cause = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0]
        raise TrainingDatabaseError(
            f"cannot read the knowledge entries from the database {name} "
            f"({type(error).__name__}: {cause}); training on the files instead would drop what "
            "staff published"
        ) from error
    finally:
        engine.dispose()
    if not rows:
        return None
    return [EntryExamples(r.id, r.intent, tuple(r.examples or ())) for r in rows]


def entries_from_files(directory: Path | None = None) -> list[EntryExamples]:
    """The entries as written in knowledge/entries/."""
    from knowledge.entries_io import load_entries

    return [
        EntryExamples(e.id, e.intent, tuple(e.examples))
        for e in load_entries(directory or get_settings().entries_dir)
    ]


def current_entries() -> tuple[list[EntryExamples], str]:
    """The entries to train on and where they came from ("database" or "files")."""
    found = entries_from_database()
    return (found, "database") if found is not None else (entries_from_files(), "files")


def training_examples(entries: list[EntryExamples]) -> dict[str, list[str]]:
    """The entries' examples not already in nlu_data/, by intent (entries' order). Raises
    TrainingDataError on an example under two intents, or an intent under no registered topic."""
    written = written_examples()
    owner: dict[str, tuple[str, str]] = {}  # example → (entry id, intent)
    by_intent: dict[str, list[str]] = {}
    for entry in entries:
        if topics.topic_of(entry.intent) is None:
            raise TrainingDataError(
                f"the intent {entry.intent} of {entry.id} starts with no topic key of topics.yml"
            )
        for example in entry.examples:
            example = example.strip()
            if not example:
                continue
            other = written.get(example)
            if other and other != entry.intent:
                raise TrainingDataError(
                    f"{example!r} is in {entry.id} and under intent {other} (nlu_data)"
                )
            seen = owner.get(example)
            if seen and seen[1] != entry.intent:
                raise TrainingDataError(f"{example!r} is in both {seen[0]} and {entry.id}")
            owner.setdefault(example, (entry.id, entry.intent))
            if not other and example not in by_intent.get(entry.intent, []):
                by_intent.setdefault(entry.intent, []).append(example)
    return by_intent


def trained_entry_intents(
    entries: list[EntryExamples], by_intent: dict[str, list[str]]
) -> list[str]:
    """The entries' intents that have examples (theirs or nlu_data's), in the entries' order: an
    entry without any (the emergency numbers, picked by the action) is never an intent."""
    written = set(written_examples().values())
    found = [e.intent for e in entries if e.intent in by_intent or e.intent in written]
    return list(dict.fromkeys(found))


def faq_intents(entries: list[EntryExamples], by_intent: dict[str, list[str]]) -> list[str]:
    """The trained entries' intents answered by `action_answer_faq`: those no hand-written rule
    answers (a rule each is generated)."""
    handwritten = handwritten_rule_intents()
    return [i for i in trained_entry_intents(entries, by_intent) if i not in handwritten]


def new_intents(entries: list[EntryExamples], by_intent: dict[str, list[str]]) -> list[str]:
    """The trained entries' intents that the written domain does not declare (the generated
    domain fragment declares them)."""
    known = domain_intents()
    return [i for i in trained_entry_intents(entries, by_intent) if i not in known]


def _write(path: Path, text: str) -> None:
    """Write only when changed (keeps modification times, and the training cache, stable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def nlu_text(by_intent: dict[str, list[str]], intents: list[str]) -> str:
    """The NLU file: examples by intent, then a rule to `action_answer_faq` per FAQ intent."""
    lines = [HEADER, 'version: "3.1"', "nlu:"]
    for intent, examples in by_intent.items():
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {' '.join(e.split())}" for e in examples]
    if intents:
        lines.append("rules:")
        for intent in intents:
            lines += [f"  - rule: answer {intent}", "    steps:", f"      - intent: {intent}",
                      f"      - action: {ANSWER_ACTION}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def domain_text(intents: list[str]) -> str:
    """The domain fragment declaring the entries' intents the written domain lacks."""
    lines = [HEADER, 'version: "3.1"', "intents:" if intents else "intents: []"]
    lines += [f"  - {intent}" for intent in intents]
    return "\n".join(lines) + "\n"


def build(out: Path, entries: list[EntryExamples] | None = None) -> int:
    """Write `out/nlu/entries.yml` and `out/domain/`; return how many examples were written."""
    if entries is None:
        entries, _ = current_entries()
    by_intent = training_examples(entries)
    _write(out / "nlu" / "entries.yml", nlu_text(by_intent, faq_intents(entries, by_intent)))
    domain = out / "domain"
    domain.mkdir(parents=True, exist_ok=True)
    written = {p.name for p in DOMAIN_DIR.glob("*.yml")}
    for stale in domain.glob("*.yml"):
        if stale.name not in written and stale.name != "entries.yml":
            stale.unlink()
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        _write(domain / path.name, topics.fill_domain(path.read_text(encoding="utf-8")))
    _write(domain / "entries.yml", domain_text(new_intents(entries, by_intent)))
    return sum(len(v) for v in by_intent.values())


def trained_examples(nlu_file: Path) -> dict[str, list[str]]:
    """The examples by intent of a generated NLU file (what a model was trained on)."""
    if not nlu_file.exists():
        return {}
    data = yaml.safe_load(nlu_file.read_text(encoding="utf-8")) or {}
    found: dict[str, list[str]] = {}
    for block in data.get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text and "intent" in block:
                found.setdefault(block["intent"], []).append(text)
    return found


MODEL_NAME = "changzheng"


def model_dir() -> Path:
    """Where the installed model (the one restarts load) lives: MODEL_DIR, relative to the root."""
    path = Path(get_settings().model_dir)
    return path if path.is_absolute() else ROOT / path


def trained_nlu() -> Path:
    """The generated NLU file the installed model was trained on (kept beside it)."""
    return model_dir() / f"{MODEL_NAME}.entries.yml"


def pending_changes(entries: list[EntryExamples]) -> list[dict]:
    """Entries whose examples the installed model was not trained on, or no longer holds:
    [{id, intent, added: [...], removed: [...]}]. Compares the examples as generated."""
    try:
        now = training_examples(entries)
    except TrainingDataError:
        now = {e.intent: list(e.examples) for e in entries}
    trained = trained_examples(trained_nlu())
    changes = []
    ids = {e.intent: e.id for e in entries}
    for intent in list(now) + [i for i in trained if i not in now]:
        added = [x for x in now.get(intent, []) if x not in trained.get(intent, [])]
        removed = [x for x in trained.get(intent, []) if x not in now.get(intent, [])]
        if added or removed:
            changes.append({"id": ids.get(intent, intent), "intent": intent, "added": added,
                            "removed": removed})  # fmt: skip
    return changes


def entries_in(session) -> list[EntryExamples]:
    """The entries of the database a session reaches (the console's view)."""
    from store.models import FaqEntry

    rows = session.execute(select(FaqEntry.id, FaqEntry.intent, FaqEntry.examples)
                           .order_by(FaqEntry.id)).all()  # fmt: skip
    return [EntryExamples(r.id, r.intent, tuple(r.examples or ())) for r in rows]


def problem(entries: list[EntryExamples]) -> str:
    """Why these entries cannot be trained on as they are, or ""."""
    try:
        training_examples(entries)
    except TrainingDataError as error:
        return str(error)
    return ""
