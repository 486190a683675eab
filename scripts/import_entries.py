"""Import knowledge/entries/*.yml, the suggestion categories and the reply templates; report
conflicts, never overwrite edits."""

from __future__ import annotations

import sys

from core.settings import get_settings
from knowledge.entries_io import load_entries
from knowledge.faq_sync import import_entries
from store.category_repo import import_categories
from store.db import get_sessionmaker
from store.template_repo import import_templates


def main() -> int:
    """Run one import and print what it did; exit 0 even with conflicts (they are reported)."""
    entries = load_entries(get_settings().entries_dir)
    with get_sessionmaker().begin() as session:
        report = import_entries(session, entries)
        categories = import_categories(session)
        templates = import_templates(session)
    print(
        f"knowledge entries: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.conflicts)} conflicts; "
        f"{categories} suggestion categories, {templates} reply templates added"
    )
    for entry_id in report.conflicts:
        print(
            f"  CONFLICT {entry_id}: edited in the database and changed in the file; "
            "the database copy was kept. Reconcile the file with the database.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
