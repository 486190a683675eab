"""Repository functions for FAQ entries; each takes the caller's session."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.entries_io import ANSWER_FIELDS, EntryFile, answer_hash, as_row_values
from knowledge.models import FaqEntry, utcnow

IMPORTER = "import"


def get_by_intent(session: Session, *, intent: str) -> FaqEntry | None:
    """The entry that answers `intent`, if any."""
    return session.scalars(select(FaqEntry).where(FaqEntry.intent == intent)).first()


def list_entries(session: Session, *, topic: str | None = None) -> list[FaqEntry]:
    """All entries, optionally of one topic, ordered by id."""
    query = select(FaqEntry).order_by(FaqEntry.id)
    if topic:
        query = query.where(FaqEntry.topic == topic)
    return list(session.scalars(query))


def row_hash(row: FaqEntry) -> str:
    """Hash of the database copy's answer fields, comparable with `EntryFile.content_hash`."""
    return answer_hash({name: getattr(row, name) for name in ANSWER_FIELDS})


def update_answer(session: Session, *, intent: str, editor: str, **changes) -> FaqEntry:
    """Change answer fields of an entry as staff (never `IMPORTER`); bumps its version."""
    if editor == IMPORTER:
        raise ValueError(f"{IMPORTER!r} is reserved for the importer")
    row = get_by_intent(session, intent=intent)
    if row is None:
        raise LookupError(intent)
    for name, value in changes.items():
        if name not in ANSWER_FIELDS:
            raise ValueError(f"{name} is not an answer field")
        setattr(row, name, value)
    row.version += 1
    row.updated_at = utcnow()
    row.updated_by = editor
    return row


@dataclass
class ImportReport:
    """What an import did, entry ids per outcome."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def import_entries(session: Session, entries: list[EntryFile]) -> ImportReport:
    """Add new entries; update those nobody edited in the database; report conflicts."""
    report = ImportReport()
    for entry in entries:
        row = session.get(FaqEntry, entry.id)
        values = as_row_values(entry)
        if row is None:
            session.add(FaqEntry(**values))
            report.added.append(entry.id)
            continue
        file_hash = values["import_hash"]
        if file_hash == row.import_hash:
            row.examples, row.last_reviewed = entry.examples, entry.last_reviewed
            report.unchanged.append(entry.id)
        elif row.updated_by == IMPORTER or file_hash == row_hash(row):
            # nobody edited the database copy, or the file now says what staff wrote there
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1
            row.updated_at, row.updated_by = utcnow(), IMPORTER
            report.updated.append(entry.id)
        else:
            report.conflicts.append(entry.id)
    return report
