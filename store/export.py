"""Exports of suggestions for staff: CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) are neutralised with a leading apostrophe. The phone number is never exported.
Headers and values are in the staff's language (Chinese by default), times Asia/Shanghai's.
"""

from __future__ import annotations

import csv
import io

from core.clock import shanghai_time
from store.models import Suggestion
from store.suggestion_repo import STATUS_NAMES, is_overdue

HEADERS = {
    "reference": ("编号", "Reference"), "created_at": ("提交时间（北京时间）", "Sent (Shanghai time)"),
    "status": ("状态", "Status"), "overdue": ("逾期", "Overdue"), "urgent": ("紧急", "Urgent"),
    "category": ("类别", "Category"), "topic": ("主题", "Topic"), "location": ("地点", "Place"),
    "text": ("建议内容", "Suggestion"), "wants_reply": ("需要答复", "Wants a reply"),
    "has_phone": ("留有回访电话", "Left a phone number"), "answer_due": ("答复期限", "Answer due"),
    "assignee": ("经办人", "Assignee"), "duplicate_of": ("重复于", "Duplicate of"),
    "reply": ("最新答复", "Latest reply"),
}  # fmt: skip
COLUMNS = list(HEADERS)
YES = {"zh": "是", "en": "yes"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def headers(lang: str = "zh") -> list[str]:
    return [en if lang == "en" else zh for zh, en in HEADERS.values()]


def row(s: Suggestion, lang: str = "zh", names: dict[str, str] | None = None) -> dict[str, str]:
    """One suggestion as a flat row (whether a phone was left, never the number); `names` are
    the words for category and topic keys."""
    names, yes = names or {}, YES["en" if lang == "en" else "zh"]
    return {
        "reference": s.reference, "created_at": shanghai_time(s.created_at),
        "status": STATUS_NAMES["en" if lang == "en" else "zh"].get(s.status, s.status),
        "overdue": yes if is_overdue(s) else "", "urgent": yes if s.urgent else "",
        "category": names.get(s.category_key, s.category_key),
        "topic": names.get(f"topic:{s.topic}", s.topic or "") if s.topic else "", "location": s.location_std or s.location_text or "",
        "text": s.text, "wants_reply": yes if s.wants_reply else "", "has_phone": yes if s.contact_phone_sealed else "",
        "answer_due": f"{s.answer_due:%Y-%m-%d}", "assignee": s.assignee.username if s.assignee else "",
        "duplicate_of": s.duplicate_of.reference if s.duplicate_of else "",
        "reply": s.replies[-1].text if s.replies else "",
    }  # fmt: skip


def to_csv(suggestions: list[Suggestion], lang: str = "zh", names: dict | None = None) -> bytes:
    """CSV in UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(lang))
    for s in suggestions:
        writer.writerow([neutralise(v) for v in row(s, lang, names).values()])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(suggestions: list[Suggestion], lang: str = "zh", names: dict | None = None) -> bytes:
    """An XLSX workbook; every cell is a string (never a formula)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "suggestions" if lang == "en" else "建议"
    sheet.append(headers(lang))
    for s in suggestions:
        sheet.append([neutralise(v) for v in row(s, lang, names).values()])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # a leading '=' stays text even where neutralise would not apply
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
