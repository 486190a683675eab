"""The FAQ repository and the import's rules: add, update unedited, never overwrite edits."""

from __future__ import annotations

import dataclasses

from sqlalchemy import inspect

from core.settings import get_settings
from knowledge import faq_repo, faq_sync
from knowledge.entries_io import load_entries


def _entries():
    return load_entries(get_settings().entries_dir)


def test_migration_creates_the_faq_table(session_factory):
    with session_factory.begin() as session:
        assert "faq_entry" in inspect(session.get_bind()).get_table_names()


def test_first_import_adds_every_entry_and_second_changes_nothing(session_factory):
    entries = _entries()
    with session_factory.begin() as session:
        first = faq_sync.import_entries(session, entries)
    with session_factory.begin() as session:
        second = faq_sync.import_entries(session, entries)
    assert sorted(first.added) == sorted(e.id for e in entries)
    assert second.added == second.updated == second.conflicts == []
    assert len(second.unchanged) == len(entries)


def test_changed_file_updates_an_entry_nobody_edited(session_factory):
    entries = _entries()
    with session_factory.begin() as session:
        faq_sync.import_entries(session, entries)
    changed = [dataclasses.replace(entries[0], answer_zh="新的答案。")] + entries[1:]
    with session_factory.begin() as session:
        report = faq_sync.import_entries(session, changed)
    with session_factory.begin() as session:
        row = faq_repo.get_by_intent(session, intent=entries[0].intent)
        assert row.answer_zh == "新的答案。"
        assert row.version == 2
    assert report.updated == [entries[0].id]


def test_staff_edit_is_never_overwritten_and_the_conflict_is_reported(session_factory):
    entries = _entries()
    target = entries[0]
    with session_factory.begin() as session:
        faq_sync.import_entries(session, entries)
    with session_factory.begin() as session:
        faq_repo.update_answer(
            session, intent=target.intent, editor="clerk", answer_zh="工作人员改过"
        )
    changed = [dataclasses.replace(target, answer_zh="文件里也改了")] + entries[1:]
    with session_factory.begin() as session:
        report = faq_sync.import_entries(session, changed)
    with session_factory.begin() as session:
        row = faq_repo.get_by_intent(session, intent=target.intent)
        assert row.answer_zh == "工作人员改过"
        assert row.updated_by == "clerk"
    assert report.conflicts == [target.id]


def test_staff_edit_survives_an_import_of_the_unchanged_file(session_factory):
    entries = _entries()
    target = entries[1]
    with session_factory.begin() as session:
        faq_sync.import_entries(session, entries)
        faq_repo.update_answer(session, intent=target.intent, editor="clerk", detail_zh="补充细节")
    with session_factory.begin() as session:
        report = faq_sync.import_entries(session, entries)
        assert faq_repo.get_by_intent(session, intent=target.intent).detail_zh == "补充细节"
    assert report.conflicts == []


def test_file_that_adopts_the_staff_edit_is_not_a_conflict(session_factory):
    entries = _entries()
    target = entries[2]
    with session_factory.begin() as session:
        faq_sync.import_entries(session, entries)
        faq_repo.update_answer(session, intent=target.intent, editor="clerk", answer_en="Edited.")
    adopted = [dataclasses.replace(target, answer_en="Edited.")]
    with session_factory.begin() as session:
        report = faq_sync.import_entries(session, adopted)
    assert report.conflicts == [] and report.updated == [target.id]


def test_update_answer_rejects_fields_that_are_not_answers(session_factory):
    entries = _entries()
    with session_factory.begin() as session:
        faq_sync.import_entries(session, entries)
    with session_factory.begin() as session:
        try:
            faq_repo.update_answer(session, intent=entries[0].intent, editor="x", intent_name="y")
        except ValueError:
            pass
        else:
            raise AssertionError("an unknown field was accepted")
