"""The reply templates page: the templates clerks start a reply from, listed per category (the
general ones first), written, changed and deactivated by those who handle suggestions; every
change audited by the data layer (store/template_repo.py)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from console.auth import SUGGESTION_ROLES, roles_required
from console.db import db
from console.unit import posted, unit
from console.words import lang, t
from store import category_repo, template_repo
from store.models import ReplyTemplate
from store.models.templates import GENERAL
from store.template_repo import TEXT_MAX, TITLE_MAX, TemplateRefused

# There is no supervisor role: the clerks who handle suggestions (reviewers) and admins.
TEMPLATE_ROLES = SUGGESTION_ROLES
blueprint = Blueprint("reply_templates", __name__, url_prefix="/reply-templates")


class TemplateForm(FlaskForm):
    category = SelectField(choices=[])
    title_zh = StringField(validators=[DataRequired(), Length(max=TITLE_MAX)])
    title_en = StringField(validators=[Length(max=TITLE_MAX)])
    text_zh = TextAreaField(validators=[DataRequired(), Length(max=TEXT_MAX)])
    text_en = TextAreaField(validators=[Length(max=TEXT_MAX)])
    sort_order = IntegerField(default=0, validators=[Optional(), NumberRange(-999, 999)])
    active = BooleanField(default=True)


class DeactivateForm(FlaskForm):
    pass


def _categories() -> list[tuple[str, str]]:
    """General first, then the suggestion categories, named in the staff's language."""
    named = [(c.key, c.name_en if lang() == "en" and c.name_en else c.name_zh)
             for c in category_repo.all_categories(db())]  # fmt: skip
    return [(GENERAL, t("template_general")), *named]


def _form(template: ReplyTemplate | None = None, **kwargs) -> TemplateForm:
    """A template's form (prefixed by its id so that each row's fields are its own)."""
    if template is None:
        form = TemplateForm(prefix="new", **kwargs)
    else:
        form = TemplateForm(prefix=f"t{template.id}", obj=template, **kwargs)
        if not form.is_submitted():
            form.category.data = template.category_key
    form.category.choices = _categories()
    return form


def _refusal(error: TemplateRefused) -> str:
    words = {"markup": t("template_markup"), "same_title": t("template_same_title")}
    return words.get(error.code, t("template_refused"))


def _page(new: TemplateForm | None = None, editing: tuple[int, TemplateForm] | None = None):
    """The page: per category, its templates' forms (one being edited kept as it was typed)."""
    groups = []
    for key, name in _categories():
        rows = [(tpl, editing[1] if editing and editing[0] == tpl.id else _form(tpl))
                for tpl in template_repo.list_templates(db(), category_key=key)]  # fmt: skip
        groups.append((key, name, rows))
    status = 400 if (new and new.errors) or (editing and editing[1].errors) else 200
    return render_template("reply_templates.html", groups=groups, new=new or _form()), status


def _get(template_id: int) -> ReplyTemplate:
    found = db().get(ReplyTemplate, template_id)
    if found is None:
        abort(404)
    return found


@blueprint.get("")
@roles_required(*TEMPLATE_ROLES)
def index():
    return _page()


@blueprint.post("")
@roles_required(*TEMPLATE_ROLES)
def create():
    form = _form()
    if not form.validate_on_submit():
        return _page(new=form)
    with unit(saved=t("saved"), refused=_refusal) as outcome:
        template_repo.create(
            db(), category=form.category.data, title_zh=form.title_zh.data,
            title_en=form.title_en.data or "", text_zh=form.text_zh.data,
            text_en=form.text_en.data or "", sort_order=form.sort_order.data or 0,
            by=current_user.username,
        )  # fmt: skip
    return redirect(url_for(".index")) if outcome.ok else _page(new=form)


@blueprint.post("/<int:template_id>")
@roles_required(*TEMPLATE_ROLES)
def update(template_id: int):
    template = _get(template_id)
    form = _form(template)
    if not form.validate_on_submit():
        return _page(editing=(template_id, form))
    with unit(saved=t("saved"), refused=_refusal) as outcome:
        template_repo.update(
            db(), template, category=form.category.data, title_zh=form.title_zh.data,
            title_en=form.title_en.data or "", text_zh=form.text_zh.data,
            text_en=form.text_en.data or "", sort_order=form.sort_order.data or 0,
            active=form.active.data, by=current_user.username,
        )  # fmt: skip
    return redirect(url_for(".index")) if outcome.ok else _page(editing=(template_id, form))


@blueprint.post("/<int:template_id>/deactivate")
@roles_required(*TEMPLATE_ROLES)
def deactivate(template_id: int):
    posted(DeactivateForm())
    with unit(saved=t("template_deactivated")):
        template_repo.deactivate(db(), _get(template_id), by=current_user.username)
    return redirect(url_for(".index"))
