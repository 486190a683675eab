"""A suggestion's page: details, history, notes, assignment, duplicate-of, reply, phone reveal."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from console.auth import SUGGESTION_ROLES, roles_required
from console.db import db
from console.unit import posted, unit
from console.words import t
from language.reference import find_reference
from store import (
    casework_repo,
    category_repo,
    clerk_repo,
    queue_repo,
    reply_reach,
    reply_repo,
    staff_repo,
    suggestion_repo,
)
from store.suggestion_repo import CLOSING, STATUSES, WITHDRAWN

blueprint = Blueprint("suggestion", __name__, url_prefix="/suggestions")


class ReplyForm(FlaskForm):
    text = TextAreaField(validators=[DataRequired(), Length(max=2000)])
    close_as = SelectField(choices=[("", "")] + [(s, s) for s in sorted(CLOSING - {"duplicate"})],
                           validators=[Optional()])  # fmt: skip


class StatusForm(FlaskForm):
    status = SelectField(choices=[(s, s) for s in STATUSES if s != WITHDRAWN])
    note = StringField(validators=[Length(max=500)])
    department = StringField(validators=[Length(max=100)])


class NoteForm(FlaskForm):
    text = TextAreaField(validators=[DataRequired(), Length(max=2000)])


class AssignForm(FlaskForm):
    assignee = SelectField(choices=[], validate_choice=False)


class DuplicateForm(FlaskForm):
    original = StringField(validators=[DataRequired(), Length(max=40)])


class DetailsForm(FlaskForm):
    category = SelectField(choices=[], validate_choice=False)
    location = StringField(validators=[Length(max=100)])


class RevealForm(FlaskForm):
    confirm = BooleanField(default=True)


def _get(reference: str):
    found = suggestion_repo.get_by_reference(db(), reference=reference)
    if found is None:
        abort(404)
    return found


@blueprint.get("/<reference>")
@roles_required(*SUGGESTION_ROLES)
def show(reference: str, phone: str | None = None, revealed: bool = False, status: int = 200):
    s = _get(reference)
    details = DetailsForm(category=s.category_key, location=s.location_std or s.location_text or "")
    details.category.choices = [(c.key, c.name_zh) for c in category_repo.all_categories(db())]
    assign = AssignForm(assignee=str(s.assignee_id or ""))
    assign.assignee.choices = [("", t("nobody"))] + [
        (str(a.id), a.username) for a in staff_repo.list_accounts(db()) if a.active
    ]
    return render_template(
        "suggestion.html", s=s, details=details, assign=assign, reply=ReplyForm(),
        status_form=StatusForm(status=s.status), note=NoteForm(), duplicate=DuplicateForm(),
        reveal=RevealForm(), phone=phone, revealed=revealed,
        delivery=queue_repo.delivery_state(db(), s), messages=queue_repo.messages(db(), s),
        overdue=suggestion_repo.is_overdue(s),
        duplicates=[(d, queue_repo.delivery_state(db(), d))
                    for d in reply_reach.duplicates_of(db(), s)],
        templates=clerk_repo.templates_for(db(), category_key=s.category_key, language=s.language),
        draft=request.args.get("draft", "")[:2000], told=clerk_repo.told_resident(s),
    ), status  # fmt: skip


def _back(reference: str, refused: str = ""):
    """Back to the suggestion's page (saying what was refused, when something was)."""
    if refused:
        flash(refused)
    return redirect(url_for("suggestion.show", reference=reference))


@blueprint.post("/<reference>/details")
@roles_required(*SUGGESTION_ROLES)
def details(reference: str):
    s, form = _get(reference), posted(DetailsForm())
    with unit():
        casework_repo.edit_details(
            db(), s, category_key=form.category.data, location=form.location.data,
            by=current_user.username,
        )  # fmt: skip
    return _back(reference)


@blueprint.post("/<reference>/status")
@roles_required(*SUGGESTION_ROLES)
def status(reference: str):
    s, form = _get(reference), posted(StatusForm())
    if form.status.data in CLOSING and not s.replies:
        return _back(reference, t("closing_needs_reply"))
    with unit():
        clerk_repo.change_status(
            db(), s, status=form.status.data, by=current_user.username, note=form.note.data or "",
            department=form.department.data or "",
        )  # fmt: skip
    return _back(reference)


@blueprint.post("/<reference>/reply")
@roles_required(*SUGGESTION_ROLES)
def reply(reference: str):
    s, form = _get(reference), ReplyForm()
    if not form.validate_on_submit():
        return _back(reference, t("reply"))
    if request.form.get("confirmed") != "1":  # first: what goes to whom, then publish
        duplicates = reply_reach.duplicates_of(db(), s)
        return render_template(
            "confirm_reply.html", s=s, form=form, text=form.text.data.strip(),
            message=reply_repo.reply_message(s, form.text.data.strip()),
            close_as=form.close_as.data or "", duplicates=duplicates,
            reaches=[d for d in [s, *duplicates] if d.wants_reply and d.reply_address],
        )  # fmt: skip
    with unit():
        reply_repo.publish_reply(
            db(), s, text=form.text.data.strip(), by=current_user.username,
            close_as=form.close_as.data or None,
        )  # fmt: skip
    return _back(reference)


@blueprint.post("/<reference>/preview")
@roles_required(*SUGGESTION_ROLES)
def preview(reference: str):
    """How the reply will look in the resident's chat (htmx partial)."""
    s = _get(reference)
    text = request.form.get("text", "")[:2000]
    return render_template(
        "_preview.html", message=reply_repo.reply_message(s, text) if text.strip() else ""
    )


@blueprint.post("/<reference>/note")
@roles_required(*SUGGESTION_ROLES)
def note(reference: str):
    s, form = _get(reference), NoteForm()
    if not form.validate_on_submit():
        return _back(reference, t("add_note"))
    with unit():
        casework_repo.add_note(db(), s, text=form.text.data, by=current_user.username)
    return _back(reference)


@blueprint.post("/<reference>/assign")
@roles_required(*SUGGESTION_ROLES)
def assign(reference: str):
    s, form = _get(reference), posted(AssignForm())
    value = form.assignee.data or ""
    account = None
    if value:
        account = next((a for a in staff_repo.list_accounts(db()) if str(a.id) == value), None)
        if account is None:
            abort(400)
    with unit():
        clerk_repo.assign(db(), s, assignee=account, by=current_user.username)
    return _back(reference)


@blueprint.post("/<reference>/duplicate")
@roles_required(*SUGGESTION_ROLES)
def duplicate(reference: str):
    s, form = _get(reference), posted(DuplicateForm())
    wanted = find_reference(form.original.data) or form.original.data.strip()
    original = suggestion_repo.get_by_reference(db(), reference=wanted)
    if original is None:
        return _back(reference, f"{form.original.data}?")
    with unit():
        reply_repo.mark_duplicate(db(), s, original=original, by=current_user.username)
    return _back(reference)


@blueprint.post("/<reference>/phone")
@roles_required(*SUGGESTION_ROLES)
def phone(reference: str):
    s = _get(reference)
    posted(RevealForm())
    with unit():
        number = casework_repo.reveal_phone(db(), s, by=current_user.username)
    return show(reference, phone=number, revealed=True)
