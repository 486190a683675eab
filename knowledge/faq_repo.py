"""Repository functions for FAQ entries: look-ups, staff's edits, kept versions; each takes the
caller's session.

Every change keeps a version (`FaqEntryVersion`) and, when staff make it, an audit entry. Imports
from and exports to knowledge/entries are `knowledge/faq_sync.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import shanghai_today
from knowledge.entries_io import ANSWER_FIELDS, SYNC_FIELDS, from_plain, sync_values, topic_of
from store import audit_repo
from store.models import FaqEntry, FaqEntryVersion, utcnow

IMPORTER = "import"
INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]{2,95}$")
REQUIRED = ("title_zh", "title_en", "answer_zh", "answer_en", "source_zh", "source_en")


def get_by_intent(session: Session, *, intent: str) -> FaqEntry | None:
    """The entry that answers `intent`, if any."""
    return session.scalars(select(FaqEntry).where(FaqEntry.intent == intent)).first()


def list_entries(session: Session, *, topic: str | None = None) -> list[FaqEntry]:
    """All entries, optionally of one topic, ordered by id."""
    query = select(FaqEntry).order_by(FaqEntry.id)
    if topic:
        query = query.where(FaqEntry.topic == topic)
    return list(session.scalars(query))


def example_questions(session: Session) -> list[tuple[str, str]]:
    """(entry id, example question) for every entry's examples, ordered by id."""
    rows = session.execute(select(FaqEntry.id, FaqEntry.examples).order_by(FaqEntry.id))
    return [(entry_id, text) for entry_id, examples in rows for text in examples or ()]


def find_entries(session: Session, *, q: str = "", topic: str = "") -> list[FaqEntry]:
    """Entries of `topic` whose id, titles, answers, details or example questions contain `q`."""
    needle = q.strip().lower()
    found = []
    for entry in list_entries(session, topic=topic or None):
        text = " ".join([entry.id, entry.intent, entry.title_zh, entry.title_en, entry.answer_zh,
                         entry.answer_en, entry.detail_zh, entry.detail_en, *entry.examples])  # fmt: skip
        if needle in text.lower():
            found.append(entry)
    return found


def awaiting_detail(session: Session) -> list[FaqEntry]:
    """Entries that still wait for staff detail (addresses, opening hours, phone numbers)."""
    return list(
        session.scalars(select(FaqEntry).where(FaqEntry.awaiting_detail).order_by(FaqEntry.id))
    )


def not_reviewed_since(session: Session, *, cutoff: date) -> list[FaqEntry]:
    """Entries last reviewed before `cutoff`, the longest unreviewed first."""
    query = select(FaqEntry).where(FaqEntry.last_reviewed < cutoff)
    return list(session.scalars(query.order_by(FaqEntry.last_reviewed, FaqEntry.id)))


def keep_version(session: Session, row: FaqEntry, *, by: str, note: str = "") -> None:
    """Keep the entry's current synchronised fields as a version (every save, import, restore)."""
    session.add(FaqEntryVersion(entry_id=row.id, version=row.version, values=sync_values(row),
                                saved_by=by, note=note[:200]))  # fmt: skip


def _clean(values: dict) -> dict:
    """Checked column values from a form's or a version's plain values."""
    unknown = set(values) - set(SYNC_FIELDS)
    if unknown:
        raise ValueError(f"not entry fields: {', '.join(sorted(unknown))}")
    cleaned = from_plain(values)
    for name, value in cleaned.items():
        if name in ("examples", "next_questions_zh", "next_questions_en"):
            cleaned[name] = [line.strip() for line in value if line and line.strip()]
        elif isinstance(value, str):
            cleaned[name] = value.strip()
    for name in REQUIRED:
        if name in cleaned and not cleaned[name]:
            raise ValueError(f"{name} may not be empty")
    return cleaned


def save_entry(
    session: Session, entry_id: str, *, editor: str, values: dict, note: str = "",
    confirmed_numbers: list[str] | None = None, action: str = "entry_save",
) -> FaqEntry:  # fmt: skip
    """Staff change an entry: the changed fields are applied, a version kept, the save audited
    (with the unsourced numbers staff confirmed, if any). Live on the next resident message."""
    if editor == IMPORTER:
        raise ValueError(f"{IMPORTER!r} is reserved for the importer")
    row = session.get(FaqEntry, entry_id)
    if row is None:
        raise LookupError(entry_id)
    old = sync_values(row)
    cleaned = _clean(values)
    for name, value in cleaned.items():
        setattr(row, name, value)
    new = sync_values(row)
    changed = [name for name in SYNC_FIELDS if old[name] != new[name]]
    if not changed:
        return row
    if "answer_en" in changed:  # the English answer written again: current
        row.answer_en_outdated = False
    elif "answer_zh" in changed:  # the Chinese changed and the English did not follow
        row.answer_en_outdated = True
    row.version += 1
    row.updated_at, row.updated_by = utcnow(), editor
    keep_version(session, row, by=editor, note=note)
    after = {name: new[name] for name in changed} | {"version": row.version}
    if confirmed_numbers:
        after["confirmed_numbers"] = list(confirmed_numbers)
    audit_repo.record(
        session, actor=editor, action=action, object_type="faq_entry", object_id=row.id,
        before={name: old[name] for name in changed}, after=after,
    )  # fmt: skip
    return row


def update_answer(session: Session, *, intent: str, editor: str, **changes) -> FaqEntry:
    """Change answer fields of an entry as staff (never `IMPORTER`); bumps its version."""
    row = get_by_intent(session, intent=intent)
    if row is None:
        raise LookupError(intent)
    for name in changes:
        if name not in ANSWER_FIELDS:
            raise ValueError(f"{name} is not an answer field")
    return save_entry(session, row.id, editor=editor, values=changes)


def create_entry(
    session: Session, *, editor: str, entry_id: str, intent: str, values: dict,
    confirmed_numbers: list[str] | None = None,
) -> FaqEntry:  # fmt: skip
    """A new entry, answerable at once (the assistant finds it by its example questions before a
    model knows its intent). Version 1 is kept and the creation audited."""
    if not INTENT_NAME.match(intent) or not INTENT_NAME.match(entry_id):
        raise ValueError("id and intent: lowercase letters, digits and _, starting with a topic")
    if session.get(FaqEntry, entry_id) or get_by_intent(session, intent=intent):
        raise ValueError(f"{entry_id} or {intent} exists already")
    cleaned = _clean({"last_reviewed": shanghai_today().isoformat(), "awaiting_detail": False,
                      "source_date": None} | values)  # fmt: skip
    missing = [name for name in REQUIRED if not cleaned.get(name)]
    if missing or not cleaned.get("examples"):
        raise ValueError(f"missing: {', '.join(missing or ['examples'])}")
    row = FaqEntry(id=entry_id, intent=intent, topic=topic_of(intent), import_hash="",
                   imported=None, version=1, updated_by=editor, **cleaned)  # fmt: skip
    session.add(row)
    session.flush()
    keep_version(session, row, by=editor, note="created")
    after = sync_values(row) | (
        {"confirmed_numbers": confirmed_numbers} if confirmed_numbers else {}
    )
    audit_repo.record(session, actor=editor, action="entry_create", object_type="faq_entry",
                      object_id=row.id, after=after)  # fmt: skip
    return row


def confirm_english(session: Session, entry_id: str, *, editor: str) -> FaqEntry:
    """An editor checked that the English answer still says what the Chinese one says."""
    row = session.get(FaqEntry, entry_id)
    if row is None:
        raise LookupError(entry_id)
    if row.answer_en_outdated:
        row.answer_en_outdated = False
        audit_repo.record(session, actor=editor, action="entry_save", object_type="faq_entry",
                          object_id=row.id, before={"answer_en_outdated": True},
                          after={"answer_en_outdated": False})  # fmt: skip
    return row


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


def version_changes(kept: list[FaqEntryVersion]) -> dict[int, list[FieldChange]]:
    """For each version (by id, `kept` newest first as `versions` gives them), the fields that
    differ from the version before it; the first version has no entry."""
    changes: dict[int, list[FieldChange]] = {}
    oldest_first = list(reversed(kept))
    for earlier, later in zip(oldest_first, oldest_first[1:], strict=False):
        changes[later.id] = [FieldChange(name, earlier.values.get(name), later.values.get(name))
                             for name in SYNC_FIELDS
                             if earlier.values.get(name) != later.values.get(name)]  # fmt: skip
    return changes


def versions(session: Session, entry_id: str) -> list[FaqEntryVersion]:
    """Every kept version of an entry, newest first."""
    query = select(FaqEntryVersion).where(FaqEntryVersion.entry_id == entry_id)
    return list(session.scalars(query.order_by(FaqEntryVersion.id.desc())))


def restore_version(session: Session, entry_id: str, *, version_id: int, editor: str) -> FaqEntry:
    """Make an earlier version current again (as a new version; audited)."""
    kept = session.get(FaqEntryVersion, version_id)
    if kept is None or kept.entry_id != entry_id:
        raise LookupError(version_id)
    return save_entry(session, entry_id, editor=editor, values=dict(kept.values),
                      note=f"restored version {kept.version}", action="entry_restore")  # fmt: skip
