"""The source line of an answer: the document and section, dated in the resident's language, the
awaiting note left out (the answer says it once)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from language.answer import format_source


def entry(source_date: date | None) -> SimpleNamespace:
    return SimpleNamespace(source_zh="《长征镇政府工作报告》一、5（待工作人员补充）",
                           source_en="Town work report, part 1.5", source_date=source_date)  # fmt: skip


def test_the_source_line_is_dated_in_the_residents_language():
    assert (
        format_source(entry(date(2021, 3, 5)), "zh")
        == "来源：《长征镇政府工作报告》一、5（2021年3月5日）"
    )
    assert format_source(entry(date(2021, 12, 15)), "en") == (
        "Source: Town work report, part 1.5 (15 Dec 2021)"
    )
    assert format_source(entry(date(2021, 3, 5)), "en").endswith("(05 Mar 2021)")


def test_an_undated_source_and_an_unknown_language():
    assert format_source(entry(None), "en") == "Source: Town work report, part 1.5"
    assert format_source(entry(None), "fr") == "来源：《长征镇政府工作报告》一、5"  # Chinese
