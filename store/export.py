"""Exports of suggestions for staff: CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) are neutralised with a leading apostrophe. The phone number is never exported.
Headers and values are in the staff's language (Chinese by default), times Asia/Shanghai's.
"""

from __future__ import annotations

import csv
import io

from core.clock import shanghai_time
from language.catalogue import say
from store.models import Suggestion
from store.suggestion_repo import is_overdue, status_name

# the columns, in order; their headers are the catalogue's export_col_<column>
COLUMNS = ["reference", "created_at", "status", "overdue", "urgent", "category", "topic",
           "location", "text", "wants_reply", "has_phone", "answer_due", "assignee", "duplicate_of",
           "reply"]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def headers(lang: str = "zh") -> list[str]:
    """The columns' headers in `lang` (the catalogue's `export_col_<column>`)."""
    return [say(f"export_col_{column}", lang) for column in COLUMNS]


def row(s: Suggestion, lang: str = "zh", names: dict[str, str] | None = None) -> dict[str, str]:
    """One suggestion as a flat row (whether a phone was left, never the number); `names` are
    the words for category and topic keys."""
    names, yes = names or {}, say("export_yes", lang)
    return {
        "reference": s.reference, "created_at": shanghai_time(s.created_at),
        "status": status_name(s.status, lang),
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
    sheet.title = say("export_sheet", lang)
    sheet.append(headers(lang))
    for s in suggestions:
        sheet.append([neutralise(v) for v in row(s, lang, names).values()])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # a leading '=' stays text even where neutralise would not apply
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
