"""Admins' pages: accounts, categories, settings, and the audit log (read only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from console.auth import roles_required
from console.db import db
from console.unit import unit
from console.words import lang, t, value_label
from core.clock import SHANGHAI
from store import audit_repo, category_repo, handoff_repo, settings_repo, staff_repo
from store.models import StaffAccount
from store.suggestion_repo import STATUS_NAMES

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def role_choices() -> list[tuple[str, str]]:
    """The roles in the staff's words (WTForms calls it for each form)."""
    return [(r, t(f"role_{r}")) for r in staff_repo.ROLES]


class NewAccountForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    role = SelectField(choices=role_choices)
    password = PasswordField(
        validators=[DataRequired(), Length(min=staff_repo.MIN_PASSWORD, max=200)]
    )


class AccountForm(FlaskForm):
    role = SelectField(choices=role_choices)
    active = BooleanField()
    unlock = BooleanField()
    password = PasswordField(validators=[Optional(), Length(min=staff_repo.MIN_PASSWORD, max=200)])


class CategoryForm(FlaskForm):
    key = StringField(validators=[DataRequired(), Length(max=32)])
    name_zh = StringField(validators=[DataRequired(), Length(max=32)])
    name_en = StringField(validators=[Length(max=64)])
    topic = StringField(validators=[Length(max=32)])
    location_matters = BooleanField()
    active = BooleanField(default=True)
    sort_order = IntegerField(default=0, validators=[Optional()])


def office_hours(_form: FlaskForm, field: StringField) -> None:
    """The office hours as handoff_repo reads them ("1-5 09:00-17:00")."""
    try:
        handoff_repo.Hours.parse(field.data or "")
    except ValueError as error:
        raise ValidationError(t("settings_office_hours_invalid")) from error


class SettingsForm(FlaskForm):
    suggestion_answer_days = IntegerField(validators=[DataRequired(), NumberRange(1, 90)])
    retention_days = IntegerField(validators=[DataRequired(), NumberRange(30, 3650)])
    review_months = IntegerField(validators=[DataRequired(), NumberRange(1, 60)])
    handoff_wait_minutes = IntegerField(validators=[DataRequired(), NumberRange(1, 120)])
    handoff_hours = StringField(validators=[DataRequired(), Length(max=20), office_hours])


@blueprint.route("/accounts", methods=["GET", "POST"])
@roles_required("admin")
def accounts():
    form = NewAccountForm()
    if form.validate_on_submit():
        with unit(saved=t("saved")):
            staff_repo.create_account(
                db(), username=form.username.data, password=form.password.data,
                role=form.role.data, by=current_user.username, must_change=True,
            )  # fmt: skip
        return redirect(url_for("admin.accounts"))
    rows = [(a, AccountForm(prefix=f"a{a.id}", role=a.role, active=a.active))
            for a in staff_repo.list_accounts(db())]  # fmt: skip
    return render_template("accounts.html", form=form, rows=rows, is_locked=staff_repo.is_locked,
                           min_password=staff_repo.MIN_PASSWORD)  # fmt: skip


@blueprint.post("/accounts/<int:account_id>")
@roles_required("admin")
def account(account_id: int):
    found = db().get(StaffAccount, account_id) or abort(404)
    form = AccountForm(prefix=f"a{account_id}")
    if not form.validate_on_submit():
        flash("; ".join(sum(form.errors.values(), [])) or "?")
        return redirect(url_for("admin.accounts"))
    if found.id == current_user.id and (form.role.data != found.role or not form.active.data):
        flash(t("not_yourself"))
        return redirect(url_for("admin.accounts"))
    with unit(saved=t("saved")):
        staff_repo.update_account(
            db(), found, by=current_user.username, role=form.role.data, active=form.active.data,
            unlock=form.unlock.data, password=form.password.data or None,
        )  # fmt: skip
    return redirect(url_for("admin.accounts"))


@blueprint.route("/categories", methods=["GET", "POST"])
@roles_required("admin")
def categories():
    form = CategoryForm()
    if form.validate_on_submit():
        with unit(saved=t("saved")):
            category_repo.save_category(
                db(), key=form.key.data, name_zh=form.name_zh.data, name_en=form.name_en.data or "",
                topic=form.topic.data or None, location_matters=form.location_matters.data,
                active=form.active.data, sort_order=form.sort_order.data or 0,
                by=current_user.username,
            )  # fmt: skip
        return redirect(url_for("admin.categories"))
    rows = [
        (c, CategoryForm(formdata=None, obj=c, prefix=""))
        for c in category_repo.all_categories(db())
    ]
    return render_template("categories.html", form=form, rows=rows)


@blueprint.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def settings():
    in_force = settings_repo.all_values(db()) | {"handoff_hours": handoff_repo.hours_text(db())}
    form = SettingsForm(data=in_force if request.method == "GET" else None)
    if form.validate_on_submit():
        with unit(saved=t("saved")):
            for key in settings_repo.EDITABLE:
                value = getattr(form, key).data
                if value != settings_repo.get_int(db(), key):
                    settings_repo.set_int(db(), key, value, by=current_user.username)
            hours = form.handoff_hours.data.strip()
            if hours != handoff_repo.hours_text(db()):
                handoff_repo.set_hours(db(), hours, by=current_user.username)
        return redirect(url_for("admin.settings"))
    described = handoff_repo.describe(handoff_repo.Hours.parse(in_force["handoff_hours"]), lang())
    return render_template("settings.html", form=form, hours_described=described)


@blueprint.get("/audit")
@roles_required("admin")
def audit():
    args = request.args
    number = args.get("page", "1")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    per_page = 50
    day_from, day_to = _day(args.get("from")), _day(args.get("to"))
    entries, total = audit_repo.entries(
        db(), object_id=args.get("object") or None, actor=args.get("who") or None,
        action=args.get("what") or None,
        since=datetime.combine(day_from, time.min, SHANGHAI) if day_from else None,
        until=datetime.combine(day_to + timedelta(days=1), time.min, SHANGHAI) if day_to else None,
        limit=per_page, offset=(number - 1) * per_page,
    )  # fmt: skip
    actors, actions = audit_repo.choices(db())
    return render_template(
        "audit.html", entries=entries, total=total, page=number,
        pages=max(1, -(-total // per_page)), actors=actors, actions=actions, args=args,
        action_label=lambda code: value_label("audit_action", code, lang()),
        object_label=lambda kind: value_label("audit_object", kind, lang()),
        readable=readable,
        audit_args=lambda page: {**args.to_dict(), "page": page},
    )  # fmt: skip


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _value(name: str, value) -> str:
    if isinstance(value, bool):
        return t("audit_yes" if value else "audit_no")
    if value is None or value == "":
        return "—"
    if name == "status" and isinstance(value, str):
        return STATUS_NAMES[lang()].get(value, value)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def readable(values: dict | None) -> list[tuple[str, str]]:
    """An audit entry's before / after value as (field, value) pairs in the staff's words, never
    JSON escapes."""
    return [
        (value_label("audit_field", k, lang()), _value(k, v)) for k, v in (values or {}).items()
    ]
