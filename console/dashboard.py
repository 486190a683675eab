"""The dashboard: conversation charts for editors, suggestion charts for reviewers, both for
admins. Chart.js (vendored) draws them from a JSON block; each chart has a data table too."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from console.auth import EDITOR_ROLES, SUGGESTION_ROLES, roles_required
from console.db import db
from console.words import lang, t, topic_label, value_label
from store import dashboard_repo
from store.suggestion_repo import STATUS_NAMES, STATUSES

CONVERSATION_ROLES = EDITOR_ROLES
STAFF_ROLES = ("reviewer", "editor", "admin")
blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _days() -> int:
    value = request.args.get("days", "")
    allowed = {str(n): n for n in dashboard_repo.RANGES}
    return allowed.get(value, dashboard_repo.DEFAULT_RANGE)


def _chart(id_: str, kind: str, labels: list[str], series: dict[str, list[int]], **options):
    """What dashboard.js draws and the template tabulates: one chart's labels and datasets."""
    datasets = [{"label": name, "data": data} for name, data in series.items()]
    return {"id": id_, "type": kind, "title": t(f"chart_{id_}"), "labels": labels,
            "datasets": datasets, **options}  # fmt: skip


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    hours = seconds / 3600
    if hours < 1:
        return t("n_minutes", n=f"{seconds / 60:.0f}")
    return t("n_days", n=f"{hours / 24:.1f}") if hours >= 48 else t("n_hours", n=f"{hours:.1f}")


def conversation_charts(found: dashboard_repo.Conversations) -> list[dict]:
    """Every chart's table is its own data; the doughnut shows the questions by what is known of
    their answers (dashboard_repo.QUESTIONS), every row even at 0."""
    questions = {t(f"outcome_{o}"): found.outcomes.get(o, 0) for o in dashboard_repo.QUESTIONS}
    topics = {topic_label(key, lang()): data for key, data in found.by_topic.items()}
    channels = {value_label("channel", key, lang()) if key else t("no_topic"): data
                for key, data in found.by_channel.items()}  # fmt: skip
    return [
        _chart("topic", "bar", found.days, topics, stacked=True, dates=True),
        _chart("channel", "bar", found.days, channels, stacked=True, dates=True),
        _chart(
            "outcome",
            "doughnut",
            list(questions),
            {t("turns"): list(questions.values())},
            note=t("chart_outcome_note"),
        ),
    ]


def suggestion_charts(found: dashboard_repo.Suggestions) -> list[dict]:
    names = STATUS_NAMES[lang()]
    statuses = [s for s in STATUSES if s in found.by_status] + sorted(
        set(found.by_status) - set(STATUSES)
    )
    index = 1 if lang() == "en" else 0
    categories = {found.category_names.get(k, (k, k))[index]: n
                  for k, n in sorted(found.by_category.items(), key=lambda kv: -kv[1])}  # fmt: skip
    places = [(_place(name), n) for name, _kind, n in found.places if n]
    return [
        _chart("status", "bar", [names.get(s, s) for s in statuses],
               {t("suggestions_n"): [found.by_status[s] for s in statuses]}),
        _chart("category", "bar", list(categories), {t("suggestions_n"): list(categories.values())}),
        _chart("place", "bar", [p for p, _ in places], {t("suggestions_n"): [n for _, n in places]},
               horizontal=True),
    ]  # fmt: skip


def _place(name: str) -> str:
    return t("place_other") if name == dashboard_repo.OTHER_PLACE else name


def _kind(kind: str) -> str:
    word = t(f"kind_{kind}")
    return kind if word == f"kind_{kind}" else word


def _render(conversations: bool, suggestions: bool):
    days = _days()
    charts, figures, places = [], {}, None
    if conversations:
        talk = dashboard_repo.conversations(db(), days=days)
        charts += conversation_charts(talk)
        share = talk.answered_share
        figures["turns_total"] = str(talk.total)
        figures["answered_share"] = "–" if share is None else f"{100 * share:.0f}%"
        figures["other_turns"] = str(talk.other_turns)
    if suggestions:
        found = dashboard_repo.suggestions(db(), days=days)
        charts += suggestion_charts(found)
        figures["suggestions_total"] = str(found.total)
        figures["median_close"] = _duration(found.median_closing_seconds)
        figures["closed_total"] = str(found.closed)
        figures["overdue_now"] = str(found.overdue)
        places = [(_place(name), _kind(kind), n) for name, kind, n in found.places]
    return render_template(
        "dashboard.html", charts=charts, figures=figures, places=places, days=days,
        ranges=dashboard_repo.RANGES, endpoint=request.endpoint,
    )  # fmt: skip


@blueprint.get("")
@roles_required(*STAFF_ROLES)
def index():
    """Every part the signed-in role may see."""
    role = current_user.role
    return _render(role in CONVERSATION_ROLES, role in SUGGESTION_ROLES)


@blueprint.get("/conversations")
@roles_required(*CONVERSATION_ROLES)
def conversations():
    return _render(True, False)


@blueprint.get("/suggestions")
@roles_required(*SUGGESTION_ROLES)
def suggestions():
    return _render(False, True)
