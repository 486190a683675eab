"""An entry's versions told apart (when, who, what changed as a diff against the version before
it), the English answer flagged out of date when only the Chinese changes, and the number check
leaving clock times alone."""
# ruff: noqa: F811  (the editor fixture is imported from tests.console.test_editor)

from __future__ import annotations

import re

from store import db
from store.models import FaqEntry
from tests.console.conftest import csrf_from
from tests.console.test_editor import _form, editor  # noqa: F401

TARGET = "elevator_progress"
PAGE = f"/entries/{TARGET}"


def outdated() -> bool:
    with db.get_sessionmaker()() as session:
        return session.get(FaqEntry, TARGET).answer_en_outdated


def save(client, **changes):
    return client.post(PAGE, data=_form(client, PAGE) | changes)


def test_versions_show_who_when_and_a_diff_of_what_changed(editor):
    answer = _form(editor, PAGE)["answer_zh"]
    assert save(editor, answer_zh=answer + "详情请咨询居委会。").status_code == 302
    assert save(editor, title_zh="加装电梯的进度").status_code == 302
    html = editor.get(PAGE).text
    table = re.search(r'<table id="versions">.*?</table>', html, re.S).group(0)
    summaries = re.findall(r"<summary>(改动：[^<]*)</summary>", table)
    assert summaries[0] == "改动：标题（中文）"  # newest first
    assert summaries[1].startswith("改动：答复（中文）") and len(summaries) == 2
    assert "<ins>详情请咨询居委会。</ins>" in table and "<del>" in table  # the title's diff
    assert table.count("第一版") == 1  # the imported version, nothing before it
    assert len(re.findall(r"<td>li ", table)) == 2  # who saved each


def test_the_english_answer_is_flagged_when_only_the_chinese_changes(editor):
    answer = _form(editor, PAGE)["answer_zh"]
    save(editor, answer_zh=answer + "新增内容。")
    assert outdated()
    html = editor.get(PAGE).text
    assert 'id="en-outdated"' in html and 'id="english-ok"' in html
    assert TARGET in editor.get("/entries?attention=english").text
    editor.post(f"{PAGE}/english-ok", data={"csrf_token": csrf_from(html)})
    assert not outdated() and TARGET not in editor.get("/entries?attention=english").text
    save(editor, answer_zh=answer + "再改一次。")
    assert outdated()
    english = _form(editor, PAGE)["answer_en"]
    save(editor, answer_zh=answer, answer_en=english + " Ask your residents' committee.")
    assert not outdated()  # both written together: the English follows


def test_clock_times_are_not_flagged_as_unsourced_numbers(editor):
    answer = _form(editor, PAGE)["answer_zh"]
    times = answer + "办理时间：工作日 9:00—11:30、13：00-17:00，周六8点半到12点。"
    assert save(editor, answer_zh=times).status_code == 302
    flagged = save(editor, answer_zh=times + "补贴4567元。")
    assert flagged.status_code == 422 and "4567" in flagged.text
    assert not re.search(r"(?<!\d)(11|00|13|17)、", flagged.text)
