"""What the data layer says in residents' and staff's words comes from the catalogue, word for
word what it said before the move: statuses, a reply's wrappers, the handoff's notices and office
hours, an export's headers and cells."""

from __future__ import annotations

from datetime import datetime

from core.clock import SHANGHAI
from store import export, handoff_repo, reply_reach, reply_repo, suggestion_repo
from store.handoff_repo import Hours
from store.models import Suggestion


def test_every_status_has_a_name_in_each_language():
    zh, en = suggestion_repo.STATUS_NAMES["zh"], suggestion_repo.STATUS_NAMES["en"]
    assert set(zh) == set(en) == set(suggestion_repo.STATUSES)
    assert (zh["forwarded"], en["forwarded"]) == ("已转交相关部门", "forwarded to the department")
    assert (zh["duplicate"], en["not_adopted"]) == ("重复建议，已合并", "not adopted")
    assert suggestion_repo.status_name("archived", "zh") == "archived"  # unknown: as it is
    assert sorted(suggestion_repo.STATUS_NAMES) == ["en", "zh"]


def test_a_replys_wrappers_name_the_suggestions_in_the_residents_language():
    mine = Suggestion(reference="JY-2", language="zh")
    theirs = Suggestion(reference="JY-1", language="en")
    assert reply_repo.reply_message(mine, "已修好{x}") == "您的建议 JY-2 有了答复：\n已修好{x}"
    assert reply_repo.reply_message(theirs, "Fixed.") == "Reply to your suggestion JY-1:\nFixed."
    assert reply_reach.forwarded_message(mine, theirs, "好") == (
        "您的建议 JY-2（与 JY-1 合并办理）有了答复：\n好"
    )
    assert reply_reach.forwarded_message(theirs, mine, "OK") == (
        "Reply to your suggestion JY-1 (handled together with JY-2):\nOK"
    )
    assert reply_repo.duplicate_message(theirs, mine) == (
        "Your suggestion JY-1 raises the same matter as JY-2; we are handling them together and "
        "will tell you the outcome. Ask about JY-2 to follow it."
    )
    assert reply_repo.duplicate_message(mine, theirs) == (
        "您的建议 JY-2 与 JY-1 反映的是同一件事，我们将合并办理，办理结果也会告诉您。"
        "可查询 JY-1 了解进展。"
    )


def test_office_hours_and_the_next_opening_read_as_before():
    week = Hours.parse("1-5 09:00-17:00")
    assert handoff_repo.describe(week, "zh") == "周一至周五 09:00–17:00"
    assert handoff_repo.describe(week, "en") == "Mon–Fri 09:00–17:00"
    assert handoff_repo.describe(Hours.parse("1-7 00:00-24:00"), "zh") == "周一至周日 00:00–24:00"
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    assert handoff_repo.when(monday, "zh") == "12月7日（周一）09:00"
    assert handoff_repo.when(monday, "en") == "Mon 07 Dec 09:00"
    saturday = datetime(2027, 1, 16, 8, 30, tzinfo=SHANGHAI)
    assert handoff_repo.when(saturday, "zh") == "1月16日（周六）08:30"
    assert handoff_repo.when(saturday, "en") == "Sat 16 Jan 08:30"


def test_the_handoff_notices_are_in_both_languages():
    assert sorted(handoff_repo.TOLD) == ["ended", "expired", "taken"]
    assert handoff_repo.TOLD["taken"] == {
        "zh": "工作人员已接入，请直接说明您的问题。",
        "en": "A staff member has joined. Please go ahead.",
    }
    assert handoff_repo.TOLD["expired"]["en"].endswith(
        "you can also call the 12345 citizen hotline."
    )


def test_an_exports_headers_follow_its_columns_in_both_languages():
    assert len(export.headers("zh")) == len(export.headers("en")) == len(export.COLUMNS) == 15
    assert export.headers("zh")[-4:] == ["答复期限", "经办人", "重复于", "最新答复"]
    assert export.headers("en")[9:11] == ["Wants a reply", "Left a phone number"]
