"""The suggestion queue: filters, search, counts, pages; exports; urgent alerts; uncertain deliveries."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField

from console.auth import SUGGESTION_ROLES, roles_required
from console.db import db
from console.unit import unit
from console.words import lang, topic_label
from core.clock import shanghai_today
from language.reference import find_reference
from store import (
    casework_repo,
    category_repo,
    export,
    outbox_repo,
    queue_repo,
    search_index,
    staff_repo,
    suggestion_repo,
)
from store.suggestion_repo import STATUSES

blueprint = Blueprint("queue", __name__)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from(args) -> queue_repo.Filters:
    """The queue's filters from the query string (unknown values are ignored)."""
    return queue_repo.Filters(
        status=args.get("status", "") if args.get("status") in STATUSES else "",
        category=args.get("category", "")[:32],
        place=args.get("place", "").strip()[:50],
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
        assignee=args.get("assignee", "")[:12],
        delivery=args.get("delivery", "")
        if args.get("delivery") in queue_repo.DELIVERY_STATES
        else "",
        urgent=args.get("urgent") == "1",
        overdue=args.get("overdue") == "1",
        q=args.get("q", "").strip()[:100],
    )


@blueprint.get("/suggestions")
@roles_required(*SUGGESTION_ROLES)
def index():
    filters = filters_from(request.args)
    number = request.args.get("page", "1")
    counts = queue_repo.counts(db(), filters)  # one grouped query, the total with it
    sort = request.args.get("sort", "")
    sort = sort if sort.removeprefix("-") in queue_repo.SORTS else ""
    found = queue_repo.page(db(), filters, number=int(number) if number.isdigit() else 1,
                            total=counts["total"], sort=sort)  # fmt: skip
    return render_template(
        "queue.html", filters=filters, found=found, counts=counts, sort=sort, bulk=BulkForm(),
        mine=filters.assignee == str(current_user.id),
        categories=category_repo.all_categories(db()), accounts=staff_repo.list_accounts(db()),
        statuses=STATUSES, delivery_states=queue_repo.DELIVERY_STATES,
        is_overdue=suggestion_repo.is_overdue, args=request.args,
        active_filters=sum(1 for f in fields(filters) if getattr(filters, f.name)),
    )  # fmt: skip


class BulkForm(FlaskForm):
    """The bulk actions' form (its fields are read from the request by console/clerk.py)."""


def _page_args(page: int) -> dict:
    args = request.args.to_dict()
    args["page"] = page
    return args


def _sort_args(column: str) -> dict:
    """The query string that sorts by `column` (again: the other way round), from page 1."""
    args = request.args.to_dict()
    args.pop("page", None)
    args["sort"] = f"-{column}" if args.get("sort") == column else column
    return args


@blueprint.app_context_processor
def helpers() -> dict:
    return {"page_args": _page_args, "sort_args": _sort_args}


@blueprint.app_template_filter("marked")
def marked(text: str | None, query: str, width: int = 0) -> Markup:
    """`text` escaped with the search's matches in <mark>; cut to `width` characters around the
    first match when `width` is given."""
    text = text or ""
    spans = search_index.spans(text, query) if query and not find_reference(query) else []
    start = 0
    if width and len(text) > width:
        start = max(0, min(spans[0][0] - width // 4, len(text) - width)) if spans else 0
        text = text[start : start + width]
    out, at = [], 0
    for begin, end in spans:
        begin, end = max(begin - start, 0), min(end - start, len(text))
        if begin >= end or begin < at:
            continue
        out += [
            escape(text[at:begin]),
            Markup("<mark>"),
            escape(text[begin:end]),
            Markup("</mark>"),
        ]
        at = end
    out.append(escape(text[at:]))
    prefix = "…" if start else ""
    return Markup(prefix) + Markup("").join(out)


@blueprint.get("/suggestions/export.<kind>")
@roles_required(*SUGGESTION_ROLES)
def export_file(kind: str):
    found = queue_repo.all_matching(db(), filters_from(request.args))
    language = lang()
    names = {c.key: c.name_en if language == "en" else c.name_zh
             for c in category_repo.all_categories(db())}  # fmt: skip
    names |= {f"topic:{s.topic}": topic_label(s.topic, language) for s in found if s.topic}
    if kind == "csv":
        data, mime = export.to_csv(found, language, names), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        data = export.to_xlsx(found, language, names)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        return Response(status=404)
    name = f"suggestions-{shanghai_today():%Y%m%d}.{kind}"
    return Response(
        data, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@blueprint.get("/alerts")
def alerts():
    """The urgent-suggestions banner (polled by every page)."""
    if not current_user.is_authenticated or current_user.role not in SUGGESTION_ROLES:
        return ""
    return render_template("_alerts.html", urgent=queue_repo.open_urgent(db()))


class ResolveForm(FlaskForm):
    decision = HiddenField()


@blueprint.route("/deliveries", methods=["GET", "POST"])
@roles_required(*SUGGESTION_ROLES)
def deliveries():
    form = ResolveForm()
    if form.validate_on_submit():
        message_id = request.form.get("message_id", "")
        if message_id.isdigit():
            with unit(refused=None):
                casework_repo.resolve_delivery(
                    db(), int(message_id), delivered=form.decision.data == "delivered",
                    by=current_user.username,
                )  # fmt: skip
        return redirect(url_for("queue.deliveries"))
    return render_template("deliveries.html", messages=outbox_repo.uncertain(db()), form=form)
