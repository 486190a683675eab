"""The knowledge base editor through the console's HTTP interface (Flask's test client)."""

from __future__ import annotations

import re
import shutil

import pytest

from core.settings import get_settings
from knowledge import faq_repo, faq_sync
from knowledge.entries_io import load_entries
from store import audit_repo, db
from store.models import FaqEntry
from tests.console.conftest import csrf_from, sign_in

TARGET = "elevator_progress"


@pytest.fixture
def editor(app):
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
    client = app.test_client()
    sign_in(client, "li")
    return client


def _form(client, path: str) -> dict:
    """The edit form's current values, as the browser would post them."""
    html = client.get(path).text
    fields = dict(re.findall(r'<input[^>]*id="([a-z_]+)"[^>]*value="([^"]*)"', html))
    fields |= {k: v for k, v in re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>\n?([^<]*)</textarea>', html)}  # fmt: skip
    fields = {k: v.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
              for k, v in fields.items()}  # fmt: skip
    if 'name="awaiting_detail" type="checkbox" value="y" checked' in html:
        fields["awaiting_detail"] = "y"
    fields["csrf_token"] = csrf_from(html)
    return fields


def _row(entry_id: str = TARGET) -> FaqEntry:
    with db.get_sessionmaker()() as session:
        row = session.get(FaqEntry, entry_id)
        session.expunge(row)
        return row


def test_the_list_and_search_are_for_editors_only(app, editor):
    assert "加装电梯进展" in editor.get("/entries").text
    found = editor.get("/entries?q=长护险").text
    assert "eldercare" in found and "加装电梯进展" not in found
    reviewer = app.test_client()
    sign_in(reviewer, "wang")
    assert reviewer.get("/entries").status_code == 403
    assert app.test_client().get("/entries").status_code == 302  # to sign in


def test_saving_an_answer_changes_it_keeps_a_version_and_audits(editor):
    form = _form(editor, f"/entries/{TARGET}")
    form["answer_zh"] = "据2021年12月镇政府工作报告，累计已有23台电梯投入使用。"
    response = editor.post(f"/entries/{TARGET}", data=form)
    assert response.status_code == 302
    row = _row()
    assert row.answer_zh == form["answer_zh"] and row.version == 2 and row.updated_by == "li"
    with db.get_sessionmaker()() as session:
        assert len(faq_repo.versions(session, TARGET)) == 2
        assert audit_repo.entries(session, object_id=TARGET)[0][0].actor == "li"


def test_a_number_not_in_the_report_is_flagged_before_saving_then_confirmed(editor):
    form = _form(editor, f"/entries/{TARGET}")
    form["answer_zh"] = "全镇已有 987 台电梯。"
    flagged = editor.post(f"/entries/{TARGET}", data=form)
    assert flagged.status_code == 422 and "987" in flagged.text
    assert _row().version == 1  # nothing saved
    form["confirmed"] = "987"
    assert editor.post(f"/entries/{TARGET}", data=form).status_code == 302
    assert _row().answer_zh == "全镇已有 987 台电梯。"
    with db.get_sessionmaker()() as session:
        line = audit_repo.entries(session, object_id=TARGET)[0][0]
        assert line.after["confirmed_numbers"] == ["987"]


def test_the_staff_detail_makes_its_numbers_sourced(editor):
    form = _form(editor, f"/entries/{TARGET}")
    form["staff_detail_zh"] = "办公电话 62561234，工作日 9:00-17:00"
    form["answer_zh"] = "请致电 62561234 咨询。"
    assert editor.post(f"/entries/{TARGET}", data=form).status_code == 302


def test_the_preview_shows_the_answer_as_the_chat_does(editor):
    form = _form(editor, f"/entries/{TARGET}")
    form["answer_zh"] = "预览里的新答复。"
    html = editor.post("/entries/preview", data=form).text
    assert "预览里的新答复。" in html and "来源：《长征镇政府工作报告》" in html
    assert "2021年12月15日" in html and "Source:" in html
    form["answer_zh"] = "<script>alert(1)</script>"
    assert "<script>" not in editor.post("/entries/preview", data=form).text


def test_restoring_a_version(editor):
    original = _row().answer_zh
    form = _form(editor, f"/entries/{TARGET}")
    form["answer_zh"] = "据2021年12月镇政府工作报告，有23台。"
    editor.post(f"/entries/{TARGET}", data=form)
    with db.get_sessionmaker()() as session:
        first = faq_repo.versions(session, TARGET)[-1].id
    token = csrf_from(editor.get(f"/entries/{TARGET}").text)
    editor.post(f"/entries/{TARGET}/restore/{first}", data={"csrf_token": token})
    assert _row().answer_zh == original and _row().version == 3


def test_a_new_entry(editor):
    form = _form(editor, "/entries/new")
    form |= {"entry_id": "eldercare_canteen", "title_zh": "社区食堂", "title_en": "Canteen",
             "answer_zh": "请咨询所在居委会。", "answer_en": "Ask your committee.",
             "source_zh": "工作人员提供", "source_en": "Town staff",
             "examples": "社区食堂在哪里\n哪里有老年食堂"}  # fmt: skip
    assert editor.post("/entries/new", data=form).status_code == 302
    assert _row("eldercare_canteen").examples == ["社区食堂在哪里", "哪里有老年食堂"]


def test_export_and_an_import_that_shows_conflicts(editor, tmp_path, monkeypatch):
    directory = tmp_path / "entries"
    shutil.copytree(get_settings().entries_dir, directory)
    monkeypatch.setenv("ENTRIES_DIR", str(directory))
    get_settings.cache_clear()
    form = _form(editor, f"/entries/{TARGET}")
    form["answer_en"] = "Edited by staff."
    editor.post(f"/entries/{TARGET}", data=form)
    path = directory / "elevator.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "According to the town government work report of December 2021, 23 elevators",
        "Edited in the file 23 elevators", 1), encoding="utf-8")  # fmt: skip
    token = csrf_from(editor.get("/entries/files").text)
    result = editor.post("/entries/files", data={"csrf_token": token, "do": "import"}).text
    assert "冲突 1" in result and "Edited in the file 23" in result and "Edited by staff." in result
    assert _row().answer_en == "Edited by staff."
    exported = editor.post("/entries/files", data={"csrf_token": token, "do": "export"}).text
    assert "elevator.yml" in exported
    assert {e.id: e for e in load_entries(directory)}[TARGET].answer_en == "Edited by staff."
