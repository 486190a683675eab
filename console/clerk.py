"""A clerk's day: bulk actions on the queue, notifications, the urgent acknowledgement, a print
view of a suggestion, the daily summary (and its e-mail)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from console.auth import SUGGESTION_ROLES, roles_required
from console.db import db
from console.unit import on_site, posted, unit
from console.words import lang, t
from core.clock import shanghai_today
from language.reference import find_reference
from store import category_repo, clerk_repo, queue_repo, reply_reach, suggestion_repo, summary_repo

blueprint = Blueprint("clerk", __name__)


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token."""


@blueprint.post("/suggestions/bulk")
@roles_required(*SUGGESTION_ROLES)
def bulk():
    posted(PostForm())
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    action = request.form.get("action", "")
    value = {"assign": request.form.get("assignee", ""), "status": request.form.get("status", ""),
             "duplicate": find_reference(request.form.get("original", ""))
             or request.form.get("original", "").strip()}.get(action, "")  # fmt: skip
    back = on_site(request.form.get("next"), url_for("queue.index"))
    if not ids:
        flash(t("bulk_none_chosen"))
        return redirect(back)
    with unit(refused=lambda error: t("bulk_refused", why=str(error))) as done:
        result = clerk_repo.bulk(
            db(), ids, action=action, value=value, by=current_user.username,
            department=request.form.get("department", ""),
        )  # fmt: skip
    if done.ok:
        flash(t("bulk_done", n=len(result.changed)))
        for reference, why in result.refused:
            flash(t("bulk_not_changed", reference=reference, why=why))
    return redirect(back)


@blueprint.get("/notifications")
@roles_required(*SUGGESTION_ROLES)
def notifications():
    found = clerk_repo.notifications(db(), current_user.id)
    unread = {n.id for n in found if n.read_at is None}
    with unit():
        clerk_repo.mark_read(db(), current_user.id)
    return render_template("notifications.html", found=found, unread=unread)


@blueprint.post("/suggestions/<reference>/acknowledge")
@roles_required(*SUGGESTION_ROLES)
def acknowledge(reference: str):
    found = suggestion_repo.get_by_reference(db(), reference=reference)
    if found is None or not PostForm().validate_on_submit():
        abort(404 if found is None else 400)
    with unit():
        clerk_repo.acknowledge(db(), found, by=current_user.username)
    return redirect(url_for("suggestion.show", reference=reference))


@blueprint.get("/suggestions/<reference>/print")
@roles_required(*SUGGESTION_ROLES)
def print_view(reference: str):
    found = suggestion_repo.get_by_reference(db(), reference=reference)
    if found is None:
        abort(404)
    category = next((c for c in category_repo.all_categories(db())
                     if c.key == found.category_key), None)  # fmt: skip
    return render_template(
        "print.html", s=found, category=category, today=shanghai_today(),
        duplicates=reply_reach.duplicates_of(db(), found),
        delivery=queue_repo.delivery_state(db(), found),
    )  # fmt: skip


def _day() -> date:
    try:
        return date.fromisoformat(request.values.get("day", ""))
    except ValueError:
        return shanghai_today()


def render_summary(day: date, *, for_mail: bool = False) -> str:
    return render_template(
        "summary.html", summary=summary_repo.daily(db(), day), day=day, for_mail=for_mail,
        mail_ready=summary_repo.mail_configured(), form=PostForm(),
    )  # fmt: skip


@blueprint.get("/summary")
@roles_required(*SUGGESTION_ROLES)
def summary():
    return render_summary(_day())


def summary_text(found: summary_repo.Summary) -> str:
    """The summary as plain text (the e-mail's text part)."""
    lines = [f"{t('summary_title')} {found.day}",
             f"{t('summary_new')}: {len(found.new)}", f"{t('summary_urgent')}: {len(found.urgent)}",
             f"{t('summary_overdue')}: {len(found.overdue)}", "", t("summary_per_assignee")]  # fmt: skip
    for name, open_, late, fresh in found.per_assignee:
        lines.append(f"- {name or t('nobody')}: {open_} / {late} / {fresh}")
    for s in found.urgent:
        lines.append(f"! {s.reference} {s.text[:60]}")
    return "\n".join(lines)


@blueprint.post("/summary/mail")
@roles_required(*SUGGESTION_ROLES)
def mail_summary():
    posted(PostForm())
    day = _day()
    if not summary_repo.mail_configured():
        flash(t("summary_no_smtp"))
        return redirect(url_for("clerk.summary", day=day.isoformat()))
    found = summary_repo.daily(db(), day)
    try:
        sent_to = summary_repo.send_mail(
            f"{t('summary_title')} {day}", summary_text(found), render_summary(day, for_mail=True)
        )
    except OSError as error:  # smtplib's errors are OSErrors
        flash(t("summary_mail_failed", why=type(error).__name__))
    else:
        flash(t("summary_mailed", to=", ".join(sent_to)))
    return redirect(url_for("clerk.summary", day=day.isoformat()))


@blueprint.app_context_processor
def clerk_helpers() -> dict:
    def unread() -> int:
        if not current_user.is_authenticated or current_user.role not in SUGGESTION_ROLES:
            return 0
        return clerk_repo.unread_count(db(), current_user.id)

    return {"unread_notifications": unread, "told_resident": clerk_repo.told_resident,
            "known_places": clerk_repo.known_places, "console_lang": lang}  # fmt: skip
