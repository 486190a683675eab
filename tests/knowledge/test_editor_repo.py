"""The knowledge base editor's data layer: saves keep versions and are audited, restore, new
entries, unsourced numbers, attention lists, and files that stay in step with the database."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest

from core.settings import get_settings
from knowledge import faq_repo, faq_sync
from knowledge.entries_io import load_entries
from knowledge.figures import unsourced_numbers
from store import audit_repo
from store.models import FaqEntry


@pytest.fixture
def imported(session_factory):
    entries = load_entries(get_settings().entries_dir)
    with session_factory.begin() as session:
        faq_sync.import_entries(session, entries)
    return entries


def test_a_save_keeps_a_version_and_is_audited(session_factory, imported):
    target = imported[0]
    with session_factory.begin() as session:
        faq_repo.save_entry(session, target.id, editor="li", values={"answer_zh": "新答复。"})
    with session_factory.begin() as session:
        kept = faq_repo.versions(session, target.id)
        assert [v.version for v in kept] == [2, 1]
        assert kept[0].values["answer_zh"] == "新答复。" and kept[0].saved_by == "li"
        assert kept[1].values["answer_zh"] == target.answer_zh
        audit, _ = audit_repo.entries(session, object_id=target.id)
        assert audit[0].action == "entry_save" and audit[0].actor == "li"
        assert audit[0].before == {"answer_zh": target.answer_zh}
        assert audit[0].after["answer_zh"] == "新答复。"


def test_a_save_that_changes_nothing_keeps_no_version(session_factory, imported):
    with session_factory.begin() as session:
        faq_repo.save_entry(session, imported[0].id, editor="li",
                            values={"answer_zh": imported[0].answer_zh})  # fmt: skip
        assert len(faq_repo.versions(session, imported[0].id)) == 1


def test_restoring_an_earlier_version_makes_it_current_as_a_new_version(session_factory, imported):
    target = imported[1]
    with session_factory.begin() as session:
        faq_repo.save_entry(session, target.id, editor="li", values={"answer_en": "Wrong."})
    with session_factory.begin() as session:
        first = faq_repo.versions(session, target.id)[-1]
        faq_repo.restore_version(session, target.id, version_id=first.id, editor="zhao")
    with session_factory.begin() as session:
        row = session.get(FaqEntry, target.id)
        assert row.answer_en == target.answer_en and row.version == 3
        audit, _ = audit_repo.entries(session, object_id=target.id)
        assert audit[0].action == "entry_restore" and audit[0].actor == "zhao"


def test_confirmed_unsourced_numbers_are_audited(session_factory, imported):
    target = imported[0]
    with session_factory.begin() as session:
        faq_repo.save_entry(session, target.id, editor="li", values={"answer_zh": "有 987 台。"},
                            confirmed_numbers=["987"])  # fmt: skip
        audit, _ = audit_repo.entries(session, object_id=target.id)
        assert audit[0].after["confirmed_numbers"] == ["987"]


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        ({"answer_zh": "累计已有23台投入使用"}, []),  # in the report
        ({"answer_zh": "累计已有987台投入使用"}, ["987"]),
        ({"answer_zh": "请拨打 62561234", "staff_detail_zh": "办公电话 62561234"}, []),
        ({"answer_en": "Call 62561234 or 12345"}, ["62561234"]),
        ({"answer_zh": "共有1,000人"}, []),  # 1000 is in the report
    ],
)
def test_numbers_in_neither_the_report_nor_the_staff_detail_are_flagged(values, flagged):
    assert unsourced_numbers(values) == flagged


def test_numbers_already_in_the_saved_answer_are_not_flagged_again():
    assert unsourced_numbers({"answer_zh": "有987台"}, before={"answer_zh": "有987台。"}) == []


def test_a_new_entry_gets_version_one_and_an_audit_line(session_factory, imported):
    values = {"title_zh": "社区食堂", "title_en": "Canteen", "answer_zh": "请咨询居委会。",
              "answer_en": "Ask your committee.", "source_zh": "工作人员", "source_en": "Staff",
              "examples": ["社区食堂在哪里", "哪里有老年食堂"]}  # fmt: skip
    with session_factory.begin() as session:
        faq_repo.create_entry(session, editor="li", entry_id="eldercare_canteen",
                              intent="eldercare_canteen", values=values)  # fmt: skip
    with session_factory.begin() as session:
        row = faq_repo.get_by_intent(session, intent="eldercare_canteen")
        assert row.topic == "eldercare" and row.examples == values["examples"]
        assert [v.version for v in faq_repo.versions(session, row.id)] == [1]
        assert audit_repo.entries(session, object_id=row.id)[0][0].action == "entry_create"
        with pytest.raises(ValueError):
            faq_repo.create_entry(session, editor="li", entry_id="eldercare_canteen",
                                  intent="eldercare_canteen", values=values)  # fmt: skip


def test_attention_lists(session_factory, imported):
    with session_factory.begin() as session:
        awaiting = {e.id for e in faq_repo.awaiting_detail(session)}
        assert awaiting == {e.id for e in imported if e.awaiting_detail}
        faq_repo.save_entry(session, imported[0].id, editor="li",
                            values={"last_reviewed": "2020-01-01"})  # fmt: skip
        stale = faq_repo.not_reviewed_since(session, cutoff=date(2021, 1, 1))
        assert [e.id for e in stale] == [imported[0].id]


def test_an_import_takes_file_changes_to_fields_staff_did_not_touch(session_factory, imported):
    """Compared with the content imported last: staff changed the answer, the file the detail."""
    target = imported[0]
    with session_factory.begin() as session:
        faq_repo.save_entry(session, target.id, editor="li", values={"answer_zh": "工作人员改的"})
    changed = dataclasses.replace(target, detail_zh="文件里改的细节")
    with session_factory.begin() as session:
        report = faq_sync.import_entries(session, [changed])
    with session_factory.begin() as session:
        row = session.get(FaqEntry, target.id)
        assert (row.answer_zh, row.detail_zh) == ("工作人员改的", "文件里改的细节")
    assert report.updated == [target.id] and report.conflicts == []


def test_an_import_never_overwrites_even_an_edit_signed_as_the_importer(session_factory, imported):
    """Who edited does not matter: a change made here by any means is kept."""
    target = imported[0]
    with session_factory.begin() as session:
        session.get(
            FaqEntry, target.id
        ).answer_zh = "直接改数据库"  # e.g. SQL, updated_by unchanged
    changed = dataclasses.replace(target, answer_zh="文件里改了")
    with session_factory.begin() as session:
        report = faq_sync.import_entries(session, [changed])
        assert session.get(FaqEntry, target.id).answer_zh == "直接改数据库"
    assert report.conflicts == [target.id]
    clash = report.details[target.id][0]
    assert (clash.field, clash.imported, clash.file, clash.database) == (
        "answer_zh", target.answer_zh, "文件里改了", "直接改数据库")  # fmt: skip


def test_examples_staff_added_survive_an_import_of_the_unchanged_file(session_factory, imported):
    target = imported[0]
    with session_factory.begin() as session:
        faq_repo.save_entry(session, target.id, editor="li",
                            values={"examples": [*target.examples, "新的问法"]})  # fmt: skip
    with session_factory.begin() as session:
        faq_sync.import_entries(session, imported)
        assert "新的问法" in session.get(FaqEntry, target.id).examples


def test_export_writes_the_files_back_and_they_read_as_the_database(session_factory, imported,
                                                                     tmp_path):  # fmt: skip
    directory = tmp_path / "entries"
    shutil.copytree(get_settings().entries_dir, directory)
    with session_factory.begin() as session:
        faq_repo.save_entry(session, imported[0].id, editor="li",
                            values={"staff_detail_zh": "地址：长征镇某路1号"})  # fmt: skip
        faq_repo.create_entry(session, editor="li", entry_id="eldercare_canteen",
                              intent="eldercare_canteen", values={
            "title_zh": "食堂", "title_en": "Canteen", "answer_zh": "问居委会。",
            "answer_en": "Ask.", "source_zh": "工作人员", "source_en": "Staff",
            "examples": ["社区食堂在哪里"]})  # fmt: skip
        faq_sync.export_entries(session, directory, by="li")
    read = {e.id: e for e in load_entries(directory)}
    assert read[imported[0].id].staff_detail_zh == "地址：长征镇某路1号"
    assert read["eldercare_canteen"].examples == ["社区食堂在哪里"]
    assert (directory / "eldercare.yml").read_text(encoding="utf-8").startswith("#")
    with session_factory.begin() as session:  # importing what was exported changes nothing
        report = faq_sync.import_entries(session, list(read.values()))
    assert report.conflicts == [] and report.added == []
