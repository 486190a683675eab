"""Exports of suggestions for staff: CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) are neutralised with a leading apostrophe. The phone number is never exported.
"""

from __future__ import annotations

import csv
import io

from knowledge.clock import shanghai_time
from knowledge.models import Suggestion
from knowledge.suggestion_repo import is_overdue

COLUMNS = ["reference", "created_at", "status", "overdue", "urgent", "category", "topic", "location",
           "text", "wants_reply", "has_phone", "answer_due", "assignee", "duplicate_of", "reply"]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def row(s: Suggestion) -> dict[str, str]:
    """One suggestion as a flat row (whether a phone was left, never the number)."""
    return {
        "reference": s.reference, "created_at": shanghai_time(s.created_at), "status": s.status,
        "overdue": "yes" if is_overdue(s) else "", "urgent": "yes" if s.urgent else "",
        "category": s.category_key, "topic": s.topic or "", "location": s.location_std or s.location_text or "",
        "text": s.text, "wants_reply": "yes" if s.wants_reply else "", "has_phone": "yes" if s.contact_phone_sealed else "",
        "answer_due": f"{s.answer_due:%Y-%m-%d}", "assignee": s.assignee.username if s.assignee else "",
        "duplicate_of": s.duplicate_of.reference if s.duplicate_of else "",
        "reply": s.replies[-1].text if s.replies else "",
    }  # fmt: skip


def to_csv(suggestions: list[Suggestion]) -> bytes:
    """CSV in UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for s in suggestions:
        writer.writerow({k: neutralise(v) for k, v in row(s).items()})
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(suggestions: list[Suggestion]) -> bytes:
    """An XLSX workbook; every cell is a string (never a formula)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "suggestions"
    sheet.append(COLUMNS)
    for s in suggestions:
        sheet.append([neutralise(v) for v in row(s).values()])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # a leading '=' stays text even where neutralise would not apply
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
