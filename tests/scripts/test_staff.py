"""The staff command line: list, export (Excel-friendly CSV), status, reply."""

from __future__ import annotations

import csv

import pytest

from scripts import staff
from store import category_repo, suggestion_repo


@pytest.fixture
def reference(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        saved, _ = suggestion_repo.create_suggestion(
            session,
            suggestion_repo.NewSuggestion(
                draft_id="d",
                text="中江路路灯坏了",
                category_key="facilities",
                channel="rest",
                sender_hash="h",
                reply_address="r",
                wants_reply=True,
                contact_phone="13812345678",
            ),  # fmt: skip
        )
        return saved.reference


def test_export_is_utf8_with_bom_and_never_holds_the_phone(reference, tmp_path):
    out = tmp_path / "s.csv"
    assert staff.main(["export", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"13812345678" not in raw
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0]["编号"] == reference and rows[0]["建议内容"] == "中江路路灯坏了"
    assert rows[0]["留有回访电话"] == "是"  # (the staff's language: Chinese headers and values)


def test_reply_then_close_is_recorded_with_the_staff_name(reference, session_factory, capsys):
    assert staff.main(["status", reference.lower(), "answered", "--by", "li"]) == 2  # no reply yet
    assert staff.main(["reply", reference, "已修好", "--by", "li", "--close-as", "answered"]) == 0
    assert "queued for the resident" in capsys.readouterr().out
    with session_factory.begin() as session:
        saved = suggestion_repo.get_by_reference(session, reference=reference)
        assert saved.status == "answered" and saved.history[-1].changed_by == "li"


def test_list_marks_overdue(reference, session_factory, capsys):
    from datetime import timedelta

    with session_factory.begin() as session:
        saved = suggestion_repo.get_by_reference(session, reference=reference)
        saved.answer_due = suggestion_repo.shanghai_today() - timedelta(days=2)
    staff.main(["list", "--overdue"])
    assert reference in capsys.readouterr().out
