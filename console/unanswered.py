"""The unanswered list: questions the assistant could not answer, grouped by similarity; each group
becomes an example question of an entry, a new entry, or is dismissed."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from console.auth import EDITOR_ROLES, roles_required
from console.db import db
from console.unit import posted, unit
from console.words import lang, t
from core.settings import ROOT
from knowledge import faq_repo
from store import unanswered_handling, unanswered_repo
from store.models import FaqEntry

MODEL = ROOT / "models" / "changzheng.tar.gz"  # scripts/train_if_stale.model_path()
blueprint = Blueprint("unanswered", __name__, url_prefix="/unanswered")


class HandleForm(FlaskForm):
    pass


def trained_at() -> datetime | None:
    """When the model in use was trained (its file's time), if there is one."""
    try:
        return datetime.fromtimestamp(MODEL.stat().st_mtime, UTC)
    except OSError:
        return None


def _page(status: int = 200, error: dict | None = None):
    groups, total, in_all = unanswered_repo.unanswered_groups(db())
    publish = url_for("publish.index") if "publish.index" in current_app.view_functions else None
    return render_template(
        "unanswered.html", groups=groups, total=total, in_all=in_all, publish=publish,
        entries=faq_repo.list_entries(db()), form=HandleForm(), error=error or {},
        added=unanswered_handling.examples_added_since(db(), trained_at()),
    ), status  # fmt: skip


@blueprint.get("")
@roles_required(*EDITOR_ROLES)
def index():
    return _page()


def _chosen_entry() -> FaqEntry | None:
    """The entry a group goes to: the one typed into the searchable picker ("title (id)", an id,
    or a title) when something is typed, else the likely one chosen (a radio button)."""
    typed = request.form.get("entry_search", "").strip()[:200]
    if not typed:
        chosen = request.form.get("entry", "")[:64]
        return db().get(FaqEntry, chosen) if chosen and chosen != "other" else None
    key = typed[typed.rfind("(") + 1 : -1] if typed.endswith(")") else typed
    found = db().get(FaqEntry, key.strip())
    if found is None:
        found = next((e for e in faq_repo.list_entries(db())
                      if typed in (e.title_zh, e.title_en)), None)  # fmt: skip
    return found


@blueprint.post("/dismiss")
@roles_required(*EDITOR_ROLES)
def dismiss_many():
    """Several groups dismissed at once (random typing, off-topic messages)."""
    posted(HandleForm())
    ids = sorted({i for turns in request.form.getlist("groups")
                  for i in unanswered_handling.parse_ids(turns)})  # fmt: skip
    if not ids:
        flash(t("choose_groups_first"))
        return redirect(url_for("unanswered.index"), code=303)
    with unit(LookupError, refused=t("already_handled")) as done:
        count = unanswered_handling.dismiss(db(), turn_ids=ids, by=current_user.username)
    if done.ok:
        flash(t("group_dismissed", n=count))
    return redirect(url_for("unanswered.index"), code=303)


@blueprint.post("/handle")
@roles_required(*EDITOR_ROLES)
def handle():
    """One group: add as an example question, start a new entry, or dismiss."""
    posted(HandleForm())
    turns = request.form.get("turns", "")
    ids = unanswered_handling.parse_ids(turns)
    example = request.form.get("example", "")[:1000]
    do = request.form.get("do", "")
    if not ids or do not in ("example", "new", "dismiss"):
        abort(400)
    with unit(unanswered_repo.ExampleRefused, LookupError, refused=None) as done:
        if do == "dismiss":
            count = unanswered_handling.dismiss(db(), turn_ids=ids, by=current_user.username)
            message = t("group_dismissed", n=count)
        elif do == "new":
            examples = unanswered_repo.new_entry_examples(db(), example, turn_ids=ids)
            query = urlencode({"example": examples, "topic": request.form.get("topic", "")[:32],
                               "unanswered_turns": ",".join(map(str, ids))}, doseq=True)  # fmt: skip
            return redirect(f"{url_for('editor.new')}?{query}", code=303)
        else:
            entry = _chosen_entry()
            if entry is None:  # no entry chosen: never guess one for a busy clerk
                return _page(422, {"turns": turns, "example": example,
                                   "message": t("choose_entry_first")})  # fmt: skip
            unanswered_handling.add_as_example(db(), turn_ids=ids, entry_id=entry.id,
                                           example=example, editor=current_user.username)  # fmt: skip
            message = t("example_added", entry=entry.title_en if lang() == "en" else entry.title_zh)
    if isinstance(refused := done.error, unanswered_repo.ExampleRefused):
        return _page(422, {"turns": turns, "example": example,
                           "message": t(f"refused_{refused.reason}", other=refused.other)})  # fmt: skip
    flash(message if done.ok else t("already_handled"))
    return redirect(url_for("unanswered.index"), code=303)
