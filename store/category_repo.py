"""Suggestion categories: loaded from knowledge/categories.yml once, then edited by admins."""

from __future__ import annotations

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import ROOT
from store import audit_repo
from store.models import SuggestionCategory

CATEGORIES_FILE = ROOT / "knowledge" / "categories.yml"


def import_categories(session: Session) -> int:
    """Add the categories of categories.yml that are missing; staff edits are kept. Returns added."""
    added = 0
    for order, raw in enumerate(yaml.safe_load(CATEGORIES_FILE.read_text(encoding="utf-8"))):
        if session.get(SuggestionCategory, raw["key"]) is None:
            session.add(SuggestionCategory(sort_order=order, **raw))
            added += 1
    return added


def list_categories(session: Session) -> list[SuggestionCategory]:
    """Active categories in display order."""
    query = (
        select(SuggestionCategory)
        .where(SuggestionCategory.active)
        .order_by(SuggestionCategory.sort_order)
    )
    return list(session.scalars(query))


def all_categories(session: Session) -> list[SuggestionCategory]:
    """Every category, inactive ones too, in display order (admins edit them)."""
    return list(session.scalars(select(SuggestionCategory).order_by(SuggestionCategory.sort_order)))


def save_category(
    session: Session, *, key: str, name_zh: str, name_en: str, topic: str | None,
    location_matters: bool, active: bool, sort_order: int, by: str,
) -> SuggestionCategory:  # fmt: skip
    """Create or change a category (audited)."""
    key = key.strip()
    if not key or not name_zh.strip():
        raise ValueError("a category needs a key and a Chinese name")
    category = session.get(SuggestionCategory, key)
    fields = {"name_zh": name_zh.strip(), "name_en": name_en.strip(), "topic": topic or None,
              "location_matters": location_matters, "active": active, "sort_order": sort_order}  # fmt: skip
    before = None
    if category is None:
        category = SuggestionCategory(key=key, keywords=[])
        session.add(category)
    else:
        before = {name: getattr(category, name) for name in fields}
    for name, value in fields.items():
        setattr(category, name, value)
    audit_repo.record(
        session, actor=by, action="category", object_type="category", object_id=key,
        before=before, after=fields,
    )  # fmt: skip
    return category
