"""The live queue of residents who asked for a person, and the conversation a staff member takes.

Taking a conversation pauses Rasa for the resident (a `pause` event through Rasa's HTTP API);
the staff member's messages reach the resident through the outbox in every channel; ending it
resumes Rasa. The pages poll with htmx: the queue (which also lets unanswered requests expire)
and the conversation, whose resident messages come from the tracker store (masked).
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from console import rasa_api
from console.auth import SUGGESTION_ROLES, roles_required
from console.db import db
from console.unit import unit
from console.words import lang, t
from core.clock import shanghai_time
from store import handoff_repo
from store.models import Handoff

logger = logging.getLogger(__name__)
blueprint = Blueprint("handoff", __name__, url_prefix="/handoff")
STAFF_ROLES = SUGGESTION_ROLES


def _queue() -> list[Handoff]:
    with unit():
        handoff_repo.expire(db())  # unanswered requests fall back to the assistant
    return handoff_repo.queue(db())


def _handoff(handoff_id: int) -> Handoff:
    handoff = db().get(Handoff, handoff_id)
    if handoff is None:
        abort(404)
    return handoff


@blueprint.get("")
@roles_required(*STAFF_ROLES)
def index():
    hours, minutes = handoff_repo.hours(db()), handoff_repo.wait_minutes(db())
    return render_template("handoff.html", waiting=_queue(),
                           hours=handoff_repo.describe(hours, lang()), minutes=minutes)  # fmt: skip


@blueprint.get("/rows")
@roles_required(*STAFF_ROLES)
def rows():
    return render_template("_handoff_rows.html", waiting=_queue())


def _transcript(handoff: Handoff) -> list[dict]:
    """The resident's and the assistant's messages (Rasa's tracker store: masked) and what
    staff sent (the outbox), in time order."""
    lines = rasa_api.transcript(handoff.sender_id)
    for message in handoff_repo.said(db(), handoff):
        lines.append({"who": "staff", "text": message.text, "at": message.created_at.timestamp(),
                      "time": shanghai_time(message.created_at)})  # fmt: skip
    return sorted(lines, key=lambda line: line["at"])


def _messages(handoff: Handoff) -> str:
    try:
        lines, down = _transcript(handoff), False
    except rasa_api.RasaApiError:
        logger.exception("the conversation could not be read from Rasa")
        lines, down = [], True
    return render_template("_handoff_messages.html", h=handoff, lines=lines, down=down)


@blueprint.get("/<int:handoff_id>")
@roles_required(*STAFF_ROLES)
def show(handoff_id: int):
    handoff = _handoff(handoff_id)
    mine = handoff.state == "active" and handoff.taken_by == current_user.username
    return render_template("handoff_conversation.html", h=handoff, mine=mine,
                           messages=_messages(handoff))  # fmt: skip


@blueprint.get("/<int:handoff_id>/messages")
@roles_required(*STAFF_ROLES)
def messages(handoff_id: int):
    return _messages(_handoff(handoff_id))


def _refused(error: Exception) -> str:
    if isinstance(error, rasa_api.RasaApiError):
        logger.exception("Rasa refused the handoff event")  # called while handling the error
        return t("handoff_rasa_down")
    return t("handoff_not_waiting")


def _step(change, event: str | None) -> bool:
    """One step in one transaction; Rasa's event is appended before it commits (a failure of
    either leaves both as they were)."""
    with unit(ValueError, rasa_api.RasaApiError, refused=_refused) as done:
        handoff = change(db())
        if event:
            rasa_api.append(handoff.sender_id, event)
    return done.ok


@blueprint.post("/<int:handoff_id>/take")
@roles_required(*STAFF_ROLES)
def take(handoff_id: int):
    by = current_user.username
    _step(lambda s: handoff_repo.take(s, handoff_id, by=by), "pause")
    return redirect(url_for("handoff.show", handoff_id=handoff_id))


@blueprint.post("/<int:handoff_id>/say")
@roles_required(*STAFF_ROLES)
def say(handoff_id: int):
    by, text = current_user.username, request.form.get("text", "")
    if text.strip():
        _step(lambda s: handoff_repo.say(s, handoff_id, text, by=by), None)
    return redirect(url_for("handoff.show", handoff_id=handoff_id))


@blueprint.post("/<int:handoff_id>/end")
@roles_required(*STAFF_ROLES)
def end(handoff_id: int):
    by = current_user.username
    if _step(lambda s: handoff_repo.end(s, handoff_id, by=by), "resume"):
        flash(t("handoff_ended_note"))
    return redirect(url_for("handoff.index"))
