"""Read the reviewable FAQ entry files under knowledge/entries/."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import yaml

from knowledge import topics

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
# Everything staff can change and the files hold: the three-way comparison of imports, versions.
SYNC_FIELDS = (*ANSWER_FIELDS, "staff_detail_zh", "staff_detail_en", "examples", "last_reviewed")
DATE_FIELDS = ("source_date", "last_reviewed")


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
    staff_detail_zh: str = ""
    staff_detail_en: str = ""
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
    staff_zh, staff_en = _pair(raw, "staff_detail", "")
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
        staff_detail_zh=(staff_zh or "").strip(),
        staff_detail_en=(staff_en or "").strip(),
        next_questions_zh=list(next_zh or []),
        next_questions_en=list(next_en or []),
        source_zh=source_zh,
        source_en=source_en,
        source_date=raw.get("source_date"),
        awaiting_detail=bool(raw.get("awaiting_detail", False)),
        last_reviewed=raw["last_reviewed"],
    )


def topic_of(intent: str) -> str:
    """The registered topic key an intent belongs to (topics.yml); an unregistered name's first
    word (the build refuses such an entry)."""
    return topics.topic_of(intent) or intent.split("_", 1)[0]


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
    """The database column values for an entry (with its content as the one imported last)."""
    values = asdict(entry)
    values["import_hash"] = entry.content_hash()
    values["imported"] = sync_values(entry)
    return values


def sync_values(entry) -> dict:
    """The synchronised fields of an entry (file or row) as plain JSON values (dates in ISO)."""
    values = {name: getattr(entry, name) for name in SYNC_FIELDS}
    for name in DATE_FIELDS:
        if isinstance(values[name], date):
            values[name] = values[name].isoformat()
    for name in ("examples", "next_questions_zh", "next_questions_en"):
        values[name] = list(values[name] or [])
    for name in ("staff_detail_zh", "staff_detail_en"):
        values[name] = values[name] or ""
    values["awaiting_detail"] = bool(values["awaiting_detail"])
    return values


def from_plain(values: dict) -> dict:
    """`sync_values` back to column values (ISO dates to dates)."""
    restored = dict(values)
    for name in DATE_FIELDS:
        if isinstance(restored.get(name), str):
            restored[name] = date.fromisoformat(restored[name])
    return restored


# Writing the files back: the layout the hand-written files use (short pairs and lists inline).
class _Flow(dict):
    pass


class _FlowList(list):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, True))
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, True)
)


def _as_file_mapping(values: dict, entry_id: str, intent: str) -> dict:
    pair = {name: {"zh": values[f"{name}_zh"], "en": values[f"{name}_en"]} for name in
            ("title", "answer", "detail", "staff_detail", "next_questions", "source")}  # fmt: skip
    raw: dict = {
        "id": entry_id,
        "title": _Flow(pair["title"]),
        "intent": intent,
        "examples": _FlowList(values["examples"]),
        "answer": pair["answer"],
    }
    if values["detail_zh"] or values["detail_en"]:
        raw["detail"] = pair["detail"]
    if values["staff_detail_zh"] or values["staff_detail_en"]:
        raw["staff_detail"] = pair["staff_detail"]
    if values["next_questions_zh"] or values["next_questions_en"]:
        raw["next_questions"] = {k: _FlowList(v) for k, v in pair["next_questions"].items()}
    raw["source"] = _Flow(pair["source"])
    if values["source_date"]:
        raw["source_date"] = date.fromisoformat(str(values["source_date"]))
    raw["awaiting_detail"] = bool(values["awaiting_detail"])
    raw["last_reviewed"] = date.fromisoformat(str(values["last_reviewed"]))
    return raw


def dump_entry(values: dict, *, entry_id: str, intent: str) -> str:
    """One entry as YAML text, in the files' layout."""
    return yaml.dump(
        [_as_file_mapping(values, entry_id, intent)], Dumper=_Dumper, allow_unicode=True,
        sort_keys=False, width=10**6, default_flow_style=False,
    )  # fmt: skip


def write_entries(directory: Path, entries: list[tuple[str, str, dict]]) -> list[Path]:
    """Write (id, intent, sync values) back into the files: each entry into the file it was read
    from (new ones into `<topic>.yml`), in the files' order, keeping each file's header comment.
    Returns the files that changed."""
    placed: dict[str, str] = {}
    order: dict[str, list[str]] = {}
    headers: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        headers[path.name] = _header(text)
        order[path.name] = [raw["id"] for raw in yaml.safe_load(text) or []]
        for entry_id in order[path.name]:
            placed[entry_id] = path.name
    by_topic = {topic_of(intent): placed.get(i) for i, intent, _ in entries if placed.get(i)}
    chunks: dict[str, dict[str, str]] = {}
    for entry_id, intent, values in entries:
        name = placed.get(entry_id) or by_topic.get(topic_of(intent)) or f"{topic_of(intent)}.yml"
        chunks.setdefault(name, {})[entry_id] = dump_entry(values, entry_id=entry_id, intent=intent)
    changed = []
    for name, texts in sorted(chunks.items()):
        ids = [i for i in order.get(name, []) if i in texts] + [
            i for i in texts if i not in order.get(name, [])
        ]
        text = headers.get(name, "") + "\n".join(texts[i] for i in ids)
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def _header(text: str) -> str:
    """The comment lines a file starts with."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)
