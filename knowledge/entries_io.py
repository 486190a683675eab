"""Read the reviewable FAQ entry files under knowledge/entries/."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import yaml

ANSWER_FIELDS = (
    "title_zh",
    "title_en",
    "answer_zh",
    "detail_zh",
    "answer_en",
    "detail_en",
    "next_questions_zh",
    "next_questions_en",
    "source_zh",
    "source_en",
    "source_date",
    "awaiting_detail",
)


@dataclass(frozen=True)
class EntryFile:
    """One entry as written in knowledge/entries/<topic>.yml."""

    id: str
    topic: str
    intent: str
    title_zh: str
    title_en: str
    examples: list[str]
    answer_zh: str
    answer_en: str
    source_zh: str
    source_en: str
    last_reviewed: date
    detail_zh: str = ""
    detail_en: str = ""
    next_questions_zh: list[str] = field(default_factory=list)
    next_questions_en: list[str] = field(default_factory=list)
    source_date: date | None = None
    awaiting_detail: bool = False

    def content_hash(self) -> str:
        """Hash of the answer fields (not of the examples, which feed training instead)."""
        return answer_hash({name: getattr(self, name) for name in ANSWER_FIELDS})


def answer_hash(values: dict) -> str:
    """A stable hash of answer field values, the same for a file entry and its database row."""
    canonical = {name: values[name] for name in ANSWER_FIELDS}
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pair(raw: dict, key: str, default) -> tuple:
    value = raw.get(key) or {}
    return value.get("zh", default), value.get("en", default)


def parse_entry(raw: dict, topic: str) -> EntryFile:
    """Build an entry from its YAML mapping; fail loudly on a missing field."""
    answer_zh, answer_en = _pair(raw, "answer", "")
    detail_zh, detail_en = _pair(raw, "detail", "")
    next_zh, next_en = _pair(raw, "next_questions", [])
    source_zh, source_en = _pair(raw, "source", "")
    title_zh, title_en = _pair(raw, "title", "")
    if not (answer_zh and answer_en and source_zh and source_en):
        raise ValueError(f"entry {raw.get('id')!r} needs answer and source in zh and en")
    return EntryFile(
        id=raw["id"],
        topic=topic,
        intent=raw["intent"],
        title_zh=title_zh or raw["id"],
        title_en=title_en or raw["id"],
        examples=list(raw.get("examples") or []),
        answer_zh=answer_zh.strip(),
        answer_en=answer_en.strip(),
        detail_zh=(detail_zh or "").strip(),
        detail_en=(detail_en or "").strip(),
        next_questions_zh=list(next_zh or []),
        next_questions_en=list(next_en or []),
        source_zh=source_zh,
        source_en=source_en,
        source_date=raw.get("source_date"),
        awaiting_detail=bool(raw.get("awaiting_detail", False)),
        last_reviewed=raw["last_reviewed"],
    )


def topic_of(intent: str) -> str:
    """The topic key an intent belongs to: its name up to the first underscore."""
    return intent.split("_", 1)[0]


def load_entries(directory: Path) -> list[EntryFile]:
    """All entries of every file in `directory`, sorted by file then order."""
    entries: list[EntryFile] = []
    for path in sorted(directory.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            entries.append(parse_entry(raw, topic_of(raw["intent"])))
    ids = [entry.id for entry in entries]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate entry ids in knowledge/entries")
    return entries


def as_row_values(entry: EntryFile) -> dict:
    """The database column values for an entry."""
    values = asdict(entry)
    values["import_hash"] = entry.content_hash()
    return values
