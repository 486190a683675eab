"""Worst-rated entries: the answers residents rated 👎 most often, with links to edit them."""

from __future__ import annotations

from flask import Blueprint, render_template

from console.auth import EDITOR_ROLES, roles_required
from console.db import db
from console.words import lang
from store import analytics_repo

blueprint = Blueprint("ratings", __name__, url_prefix="/ratings")


@blueprint.get("")
@roles_required(*EDITOR_ROLES)
def index():
    return render_template("ratings.html", rated=analytics_repo.worst_rated(db(), lang=lang()))
