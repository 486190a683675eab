"""The entries' files (knowledge/entries) and the database kept in step: imports and exports.

Imports compare three copies of the synchronised fields: the file, the database, and the content
imported last. A field that differs from the content imported last was changed on that side; when
both sides changed it differently, the database copy is kept and the conflict reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from knowledge.entries_io import (
    ANSWER_FIELDS,
    SYNC_FIELDS,
    EntryFile,
    answer_hash,
    as_row_values,
    from_plain,
    sync_values,
)
from knowledge.faq_repo import IMPORTER, keep_version, list_entries
from store import audit_repo
from store.models import FaqEntry, utcnow

_UNKNOWN = object()


def row_hash(row: FaqEntry) -> str:
    """Hash of the database copy's answer fields, comparable with `EntryFile.content_hash`."""
    return answer_hash({name: getattr(row, name) for name in ANSWER_FIELDS})


@dataclass
class Conflict:
    """One field changed both in the file and in the database since the last import."""

    field: str
    imported: object
    file: object
    database: object


@dataclass
class ImportReport:
    """What an import did, entry ids per outcome, and each conflict's fields."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    details: dict[str, list[Conflict]] = field(default_factory=dict)


def _base(row: FaqEntry) -> dict | None:
    """The content imported last; for rows from before it was kept, known only when unedited."""
    if row.imported is not None:
        return row.imported
    return sync_values(row) if row.import_hash == row_hash(row) else None


def import_entries(
    session: Session, entries: list[EntryFile], *, by: str | None = None
) -> ImportReport:
    """Add new entries; take each field the file changed since the last import unless the database
    changed it too (then keep the database's and report the conflict); never decide by who edited."""
    report = ImportReport()
    for entry in entries:
        row = session.get(FaqEntry, entry.id)
        values = as_row_values(entry)
        if row is None:
            session.add(row := FaqEntry(**values))
            session.flush()
            keep_version(session, row, by=IMPORTER, note="imported")
            report.added.append(entry.id)
            continue
        file, database, base = sync_values(entry), sync_values(row), _base(row)
        if base is None:  # edited here before imports kept their content: any difference clashes
            base = file if values["import_hash"] == row.import_hash else {}
        take, clashes = {}, []
        for name in SYNC_FIELDS:
            if file[name] == database[name] or file[name] == base.get(name, _UNKNOWN):
                continue  # nothing to take: same, or only the database changed it
            if database[name] == base.get(name, _UNKNOWN):
                take[name] = file[name]
            else:
                clashes.append(Conflict(name, base.get(name), file[name], database[name]))
        if clashes:
            report.conflicts.append(entry.id)
            report.details[entry.id] = clashes
            continue
        row.imported, row.import_hash = file, values["import_hash"]
        if not take:
            (report.updated if file != base and base else report.unchanged).append(entry.id)
            continue
        for name, value in from_plain(take).items():
            setattr(row, name, value)
        row.version += 1
        row.updated_at, row.updated_by = utcnow(), IMPORTER
        keep_version(session, row, by=IMPORTER, note="imported")
        report.updated.append(entry.id)
    if by:  # staff started it (the console): audited
        audit_repo.record(session, actor=by, action="entries_import", object_type="faq_entry",
                          object_id="*", after={"added": report.added, "updated": report.updated,
                                                "conflicts": report.conflicts})  # fmt: skip
    return report


def export_entries(session: Session, directory, *, by: str) -> list:
    """Write every entry back into knowledge/entries (same layout); audited. The files changed."""
    from knowledge.entries_io import write_entries

    rows = list_entries(session)
    changed = write_entries(directory, [(r.id, r.intent, sync_values(r)) for r in rows])
    audit_repo.record(session, actor=by, action="entries_export", object_type="faq_entry",
                      object_id="*", after={"files": sorted(p.name for p in changed)})  # fmt: skip
    return changed
