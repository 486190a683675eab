"""The knowledge base editor: list and search entries, edit with a chat preview, versions and
restore, new entries, attention lists, export to and import from knowledge/entries."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from console.auth import EDITOR_ROLES, roles_required
from console.db import db
from console.unit import posted, unit
from console.versions import diff
from console.words import t
from core.clock import shanghai_today
from core.settings import get_settings
from knowledge import faq_repo, faq_sync
from knowledge.entries_io import load_entries, sync_values
from knowledge.figures import unsourced_numbers
from language.answer import render_answer
from store import settings_repo, unanswered_handling
from store.models import FaqEntry

blueprint = Blueprint("editor", __name__, url_prefix="/entries")
LISTS = ("examples", "next_questions_zh", "next_questions_en")


class EntryForm(FlaskForm):
    title_zh = StringField(validators=[DataRequired(), Length(max=100)])
    title_en = StringField(validators=[DataRequired(), Length(max=100)])
    answer_zh = TextAreaField(validators=[DataRequired(), Length(max=4000)])
    answer_en = TextAreaField(validators=[DataRequired(), Length(max=4000)])
    detail_zh = TextAreaField(validators=[Length(max=4000)])
    detail_en = TextAreaField(validators=[Length(max=4000)])
    staff_detail_zh = TextAreaField(validators=[Length(max=4000)])
    staff_detail_en = TextAreaField(validators=[Length(max=4000)])
    examples = TextAreaField(validators=[Length(max=8000)])
    next_questions_zh = TextAreaField(validators=[Length(max=2000)])
    next_questions_en = TextAreaField(validators=[Length(max=2000)])
    source_zh = StringField(validators=[DataRequired(), Length(max=200)])
    source_en = StringField(validators=[DataRequired(), Length(max=200)])
    source_date = DateField(validators=[Optional()])
    awaiting_detail = BooleanField()
    last_reviewed = DateField(validators=[DataRequired()])
    confirmed = HiddenField()  # the unsourced numbers staff confirmed, comma separated


class NewEntryForm(EntryForm):
    entry_id = StringField(validators=[DataRequired(), Length(max=64)])


class ActionForm(FlaskForm):
    pass


def _values(form: EntryForm) -> dict:
    """The form as synchronised field values (lists one per line, dates in ISO)."""
    values = {}
    for name in faq_repo.SYNC_FIELDS:
        data = getattr(form, name).data
        if name in LISTS:
            data = [line.strip() for line in (data or "").splitlines() if line.strip()]
        elif isinstance(data, date):
            data = data.isoformat()
        elif isinstance(data, str):
            data = data.replace("\r\n", "\n").strip()
        values[name] = data
    return values


def _fill(form: EntryForm, entry: FaqEntry) -> None:
    for name in faq_repo.SYNC_FIELDS:
        value = getattr(entry, name)
        getattr(form, name).data = "\n".join(value) if name in LISTS else value


def _get(entry_id: str) -> FaqEntry:
    return db().get(FaqEntry, entry_id) or abort(404)


def _flagged(form: EntryForm, before: dict | None) -> list[str]:
    """Unsourced numbers not yet confirmed by the editor."""
    found = unsourced_numbers(_values(form), before=before)
    confirmed = {n for n in (form.confirmed.data or "").split(",") if n}
    return [n for n in found if n not in confirmed]


@blueprint.get("")
@roles_required(*EDITOR_ROLES)
def index():
    q, topic = request.args.get("q", "")[:100], request.args.get("topic", "")[:32]
    months = settings_repo.get_int(db(), "review_months")
    attention = request.args.get("attention", "")
    if attention == "awaiting":
        entries = faq_repo.awaiting_detail(db())
    elif attention == "english":
        entries = [e for e in faq_repo.list_entries(db()) if e.answer_en_outdated]
    elif attention == "stale":
        entries = faq_repo.not_reviewed_since(
            db(), cutoff=shanghai_today() - timedelta(days=30 * months)
        )
    else:
        entries = faq_repo.find_entries(db(), q=q, topic=topic)
    topics = sorted({e.topic for e in faq_repo.list_entries(db())})
    return render_template("entries.html", entries=entries, q=q, topic=topic, topics=topics,
                           attention=attention, months=months)  # fmt: skip


@blueprint.route("/<entry_id>", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def edit(entry_id: str):
    entry = _get(entry_id)
    form = EntryForm()
    flagged: list[str] = []
    if request.method == "GET":
        _fill(form, entry)
    elif form.validate_on_submit():
        before = sync_values(entry)
        flagged = _flagged(form, before)
        if not flagged:
            confirmed = unsourced_numbers(_values(form), before=before)
            with unit(saved=t("entry_saved")) as done:
                faq_repo.save_entry(db(), entry_id, editor=current_user.username,
                                    values=_values(form), confirmed_numbers=confirmed)  # fmt: skip
            if done.ok:
                return redirect(url_for("editor.edit", entry_id=entry_id))
    kept = faq_repo.versions(db(), entry_id)
    return render_template("entry.html", entry=entry, form=form, flagged=flagged, versions=kept,
                           changes=faq_repo.version_changes(kept), diff=diff,
                           action=ActionForm()), (422 if flagged else 200)  # fmt: skip


@blueprint.post("/<entry_id>/english-ok")
@roles_required(*EDITOR_ROLES)
def english_ok(entry_id: str):
    """The English answer still says what the changed Chinese one says."""
    posted(ActionForm())
    with unit():
        faq_repo.confirm_english(db(), _get(entry_id).id, editor=current_user.username)
    return redirect(url_for("editor.edit", entry_id=entry_id))


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def new():
    form = NewEntryForm()
    flagged: list[str] = []
    if request.method == "GET":
        form.last_reviewed.data = shanghai_today()
        form.entry_id.data = request.args.get("topic", "")[:32] and f"{request.args['topic']}_"
        form.examples.data = "\n".join(e[:200] for e in request.args.getlist("example")[:50])
    elif form.validate_on_submit():
        flagged = _flagged(form, None)
        if not flagged:
            entry_id = form.entry_id.data.strip()
            with unit(saved=t("entry_saved")) as done:
                faq_repo.create_entry(
                    db(), editor=current_user.username, entry_id=entry_id, intent=entry_id,
                    values=_values(form), confirmed_numbers=unsourced_numbers(_values(form)),
                )  # fmt: skip
                if turns := unanswered_handling.parse_ids(request.form.get("unanswered_turns")):
                    unanswered_handling.made_new_entry(db(), turn_ids=turns, entry_id=entry_id,
                                                   by=current_user.username)  # fmt: skip
            if done.ok:
                return redirect(url_for("editor.edit", entry_id=entry_id))
    turns = request.values.get("unanswered_turns", "")[:20000]  # from the unanswered list
    return render_template("entry.html", entry=None, form=form, flagged=flagged, versions=[],
                           changes={}, diff=diff,
                           action=ActionForm(), unanswered_turns=turns), 422 if flagged else 200  # fmt: skip


@blueprint.post("/preview")
@roles_required(*EDITOR_ROLES)
def preview():
    """The answer as the chat will show it, in both languages (htmx partial)."""
    form = EntryForm()
    values = _values(form)
    values["source_date"] = form.source_date.data
    draft = SimpleNamespace(**values)
    shown = []
    for lang in ("zh", "en"):
        if getattr(draft, f"answer_{lang}"):
            text, buttons = render_answer(draft, lang)
            shown.append((lang, text, [b["title"] for b in buttons]))
    return render_template("_entry_preview.html", shown=shown,
                           flagged=unsourced_numbers(values))  # fmt: skip


@blueprint.post("/<entry_id>/restore/<int:version_id>")
@roles_required(*EDITOR_ROLES)
def restore(entry_id: str, version_id: int):
    _get(entry_id)
    posted(ActionForm())
    with unit(LookupError, ValueError, saved=t("entry_restored"), refused=None) as done:
        faq_repo.restore_version(
            db(), entry_id, version_id=version_id, editor=current_user.username
        )
    if not done.ok:
        abort(404)
    return redirect(url_for("editor.edit", entry_id=entry_id))


@blueprint.route("/files", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def files():
    """Export to knowledge/entries, or import from it (conflicts shown, never overwritten)."""
    form = ActionForm()
    report, written = None, None
    if form.validate_on_submit():
        directory, by = get_settings().entries_dir, current_user.username
        with unit():
            if request.form.get("do") == "export":
                written = [p.name for p in faq_sync.export_entries(db(), directory, by=by)]
            else:
                report = faq_sync.import_entries(db(), load_entries(directory), by=by)
    return render_template("entry_files.html", form=form, report=report, written=written)
