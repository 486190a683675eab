"""Publish: the example questions staff changed, trained into a new model in the background
(scripts/publish.py), tested, and loaded when the gates pass; progress polled with htmx."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from console.auth import EDITOR_ROLES, roles_required
from console.db import db
from console.unit import posted, unit
from console.words import lang, t
from core.clock import shanghai_time
from core.settings import ROOT
from knowledge import faq_repo, training_data
from store import publish_repo

PUBLISH_ROLES = EDITOR_ROLES
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                                  "TF_NUM_INTEROP_THREADS", "MKL_NUM_THREADS",
                                  "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")}  # fmt: skip
blueprint = Blueprint("publish", __name__, url_prefix="/publish")


class PublishForm(FlaskForm):
    pass


def launch(job_id: int, command: list[str] | None = None) -> subprocess.Popen:
    """Start the runner for a job (or `command`) in its own session, one thread per numeric
    library. No `preexec_fn`: the console serves requests on threads, where running Python
    between fork and exec can deadlock; the runner lowers its own priority (PUBLISH_NICENESS,
    `scripts/publish.py` `main`)."""
    log_dir = ROOT / "var" / "publish"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "runner.log").open("a") as log:
        process = subprocess.Popen(
            command or [sys.executable, "-m", "scripts.publish", str(job_id)],
            cwd=ROOT, env={**os.environ, **THREADS}, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    threading.Thread(target=process.wait, daemon=True).start()  # reaped: no zombie looks alive
    return process


@blueprint.app_template_global()
def progress_text(message: dict) -> str:
    """A progress line in the staff's language (the runner's English text when unknown)."""
    args = dict(message.get("args") or {})
    if "source" in args:
        args["source"] = t(f"publish_source_{args['source']}")
    try:
        return t(f"publish_msg_{message['key']}", **args) if message.get("key") else ""
    except (KeyError, IndexError, ValueError):
        return message.get("text", "")


@blueprint.app_template_filter("local_iso")
def local_iso(moment: str) -> str:
    """A stored ISO moment (UTC) in Shanghai time."""
    try:
        return shanghai_time(datetime.fromisoformat(moment))
    except (TypeError, ValueError):
        return ""


def _jobs() -> dict:
    with unit():
        publish_repo.reap_dead(db())
    jobs = publish_repo.recent(db())
    return {"running": publish_repo.running_job(db()), "jobs": jobs,
            "last": jobs[0] if jobs and jobs[0].state in publish_repo.FINISHED else None}  # fmt: skip


def _pending() -> list[dict]:
    return training_data.pending_changes(training_data.entries_in(db()))


@blueprint.get("")
@roles_required(*PUBLISH_ROLES)
def index():
    entries = training_data.entries_in(db())
    titles = {e.id: e.title_en if lang() == "en" else e.title_zh
              for e in faq_repo.list_entries(db())}  # fmt: skip
    return render_template("publish.html", form=PublishForm(), **_jobs(), titles=titles,
                           pending=training_data.pending_changes(entries),
                           problem=training_data.problem(entries))  # fmt: skip


@blueprint.get("/jobs")
@roles_required(*PUBLISH_ROLES)
def jobs():
    """The polled fragment; once the job it followed has ended, htmx reloads the whole page (the
    outcome, the pending changes, the button) instead of swapping a stale part of it."""
    found = _jobs()
    response = current_app.make_response(
        render_template("_publish_jobs.html", pending=_pending(), **found)
    )
    if request.headers.get("HX-Request") and found["running"] is None:
        response.headers["HX-Refresh"] = "true"
    return response


@blueprint.post("")
@roles_required(*PUBLISH_ROLES)
def start():
    posted(PublishForm())
    if not _pending():  # a retrain without a change only costs time and risks nothing gained
        flash(t("publish_nothing_to_do"))
        return redirect(url_for("publish.index"))
    with unit(publish_repo.PublishBusy, refused=t("publish_busy")) as started:
        job = publish_repo.start(db(), actor=current_user.username)
    if started.ok:
        try:
            process = launch(job.id)
        except OSError as error:
            why = f"the publishing process could not start: {error}"
            with unit():
                publish_repo.fail(db(), job.id, reason=why)
            flash(t("publish_failed_start"))
        else:
            with unit(saved=t("publish_started")):
                publish_repo.set_pid(db(), job.id, process.pid)
    return redirect(url_for("publish.index"))
