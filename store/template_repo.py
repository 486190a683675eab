"""Reply templates: seeded from knowledge/reply_templates.yml once, then listed, written, changed
and deactivated by staff in the console (each change audited); clerks are offered the active ones
of a suggestion's category, then the general ones."""

from __future__ import annotations

import re

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.settings import ROOT
from store import audit_repo
from store.models import ReplyTemplate, SuggestionCategory
from store.models.templates import GENERAL

TEMPLATES_FILE = ROOT / "knowledge" / "reply_templates.yml"
TITLE_MAX, TEXT_MAX = 64, 2000  # a reply is at most 2000 characters (console/suggestion.py)
FIELDS = ("category", "title_zh", "title_en", "text_zh", "text_en", "sort_order", "active")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")  # a tag: templates are plain text


class TemplateRefused(ValueError):
    """A template that cannot be stored: `code` says why (the console words it), the message in
    English for the log."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def import_templates(session: Session, *, by: str = "import") -> int:
    """Add the templates of reply_templates.yml whose (category, Chinese title) the table lacks,
    neither as it is nor as a staff member renamed it; staff edits are kept. Returns added."""
    added = 0
    for category, templates in (yaml.safe_load(TEMPLATES_FILE.read_text("utf-8")) or {}).items():
        for order, raw in enumerate(templates):
            title = raw["title_zh"]
            found = session.scalar(
                select(ReplyTemplate.id).where(
                    ReplyTemplate.category_key == category,
                    or_(ReplyTemplate.title_zh == title, ReplyTemplate.imported_title == title),
                )
            )
            if found is None:
                session.add(ReplyTemplate(
                    category_key=category, title_zh=title, title_en=raw.get("title_en", ""),
                    text_zh=raw["text_zh"], text_en=raw.get("text_en", ""), sort_order=order,
                    imported_title=title, updated_by=by,
                ))  # fmt: skip
                session.flush()  # the next one of the file sees it
                added += 1
    return added


def list_templates(session: Session, *, category_key: str | None = None) -> list[ReplyTemplate]:
    """Every template (inactive ones too), or one category's, by category, order and id."""
    query = select(ReplyTemplate)
    if category_key is not None:
        query = query.where(ReplyTemplate.category_key == category_key)
    order = (ReplyTemplate.category_key, ReplyTemplate.sort_order, ReplyTemplate.id)
    return list(session.scalars(query.order_by(*order)))


def offered(session: Session, *, category_key: str) -> list[ReplyTemplate]:
    """The active templates a clerk is offered for a category: its own, then the general ones,
    each group in its sort order."""
    query = select(ReplyTemplate).where(
        ReplyTemplate.active, ReplyTemplate.category_key.in_([category_key, GENERAL])
    )
    chosen = session.scalars(query.order_by(ReplyTemplate.sort_order, ReplyTemplate.id))
    return sorted(chosen, key=lambda t: t.category_key != category_key)  # stable: order kept


def _values(session: Session, **fields) -> dict:
    """The fields cleaned and checked (TemplateRefused says what is wrong)."""
    values = {name: value.strip().replace("\r\n", "\n") if isinstance(value, str) else value
              for name, value in fields.items()}  # fmt: skip
    category = values["category"]
    if category != GENERAL and session.get(SuggestionCategory, category) is None:
        raise TemplateRefused("category", f"unknown category {category!r}")
    if not values["title_zh"] or not values["text_zh"]:
        raise TemplateRefused("empty", "a template needs a Chinese title and text")
    for name in ("title_zh", "title_en"):
        if len(values[name]) > TITLE_MAX:
            raise TemplateRefused("long", f"{name} is longer than {TITLE_MAX} characters")
    for name in ("text_zh", "text_en"):
        if len(values[name]) > TEXT_MAX:
            raise TemplateRefused("long", f"{name} is longer than {TEXT_MAX} characters")
    if any(MARKUP.search(values[name]) for name in FIELDS[1:5]):
        raise TemplateRefused("markup", "templates are plain text: no HTML")
    return values


def _snapshot(template: ReplyTemplate) -> dict:
    return {"category": template.category_key, "title_zh": template.title_zh,
            "title_en": template.title_en, "text_zh": template.text_zh,
            "text_en": template.text_en, "sort_order": template.sort_order,
            "active": template.active}  # fmt: skip


def _same_title(session: Session, category: str, title_zh: str, but: int | None) -> bool:
    query = select(ReplyTemplate.id).where(
        ReplyTemplate.category_key == category, ReplyTemplate.title_zh == title_zh
    )
    return any(found != but for found in session.scalars(query))


def _write(template: ReplyTemplate, values: dict, by: str) -> None:
    template.category_key = values["category"]
    for name in FIELDS[1:]:
        setattr(template, name, values[name])
    template.updated_by = by


def create(
    session: Session, *, category: str, title_zh: str, title_en: str, text_zh: str, text_en: str,
    sort_order: int = 0, by: str,
) -> ReplyTemplate:  # fmt: skip
    """A new active template (audited)."""
    values = _values(session, category=category, title_zh=title_zh, title_en=title_en,
                     text_zh=text_zh, text_en=text_en, sort_order=sort_order, active=True)  # fmt: skip
    if _same_title(session, category, values["title_zh"], None):
        raise TemplateRefused("same_title", "that category already has a template of that title")
    template = ReplyTemplate()
    _write(template, values, by)
    session.add(template)
    session.flush()
    audit_repo.record(session, actor=by, action="template_create", object_type="reply_template",
                      object_id=template.id, after=values)  # fmt: skip
    return template


def update(
    session: Session, template: ReplyTemplate, *, category: str, title_zh: str, title_en: str,
    text_zh: str, text_en: str, sort_order: int, active: bool, by: str,
) -> None:  # fmt: skip
    """Change a template (active again too); audited with what it was, when anything changed."""
    values = _values(session, category=category, title_zh=title_zh, title_en=title_en,
                     text_zh=text_zh, text_en=text_en, sort_order=sort_order, active=active)  # fmt: skip
    if _same_title(session, category, values["title_zh"], template.id):
        raise TemplateRefused("same_title", "that category already has a template of that title")
    before = _snapshot(template)
    if before == values:
        return
    _write(template, values, by)
    changed = [name for name in FIELDS if before[name] != values[name]]
    audit_repo.record(
        session, actor=by, action="template_update", object_type="reply_template",
        object_id=template.id, before={n: before[n] for n in changed},
        after={n: values[n] for n in changed},
    )  # fmt: skip


def deactivate(session: Session, template: ReplyTemplate, *, by: str) -> None:
    """No longer offered (kept, and can be made active again); audited."""
    if not template.active:
        return
    template.active, template.updated_by = False, by
    audit_repo.record(session, actor=by, action="template_deactivate",
                      object_type="reply_template", object_id=template.id,
                      before={"active": True}, after={"active": False})  # fmt: skip
