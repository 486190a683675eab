"""Reply templates: the texts clerks start a reply from, per suggestion category (or "general"
for every category), in Chinese and English; seeded from knowledge/reply_templates.yml, then
edited by staff in the console."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.db import Base
from store.models.columns import UtcDateTime, utcnow

GENERAL = "general"  # the category key of the templates offered for every category


class ReplyTemplate(Base):
    """One reply template. Deactivated rather than deleted (the audit log names it)."""

    __tablename__ = "reply_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "general", or a key of suggestion_category (not a foreign key: "general" is none)
    category_key: Mapped[str] = mapped_column(String(32), index=True)
    title_zh: Mapped[str] = mapped_column(String(64))
    title_en: Mapped[str] = mapped_column(String(100), default="")
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # the YAML title it was imported under (None for one staff wrote): a template staff renamed
    # is not imported again
    imported_title: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
