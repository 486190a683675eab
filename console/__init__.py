"""The staff console: a server-rendered Flask app over the data layer (`store/`, `knowledge/`).

`create_app` is the application factory (Flask's tutorial's shape): the blueprints import their
helpers from `console.db` (the request's session), `console.auth` (who may do what),
`console.words` (the words in the request's language) and `console.unit` (a unit of work), never
from here. `python -m console` serves it with waitress (`console/__main__.py`).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from core.settings import console_secret_key, get_settings


def create_app(**overrides) -> Flask:
    """The console app: sessions (Flask-Login), CSRF on every form (Flask-WTF), one database
    session per request, Chinese by default; `overrides` go into its config (tests)."""
    from console import (
        admin,
        auth,
        clerk,
        dashboard,
        db,
        editor,
        handoff,
        publish,
        queue,
        ratings,
        reply_templates,
        site,
        suggestion,
        unanswered,
    )

    settings = get_settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=console_secret_key(),
        SESSION_COOKIE_NAME="cz_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console_https,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.console_session_minutes),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.config.update(overrides)
    CSRFProtect(app)
    db.init_app(app)
    auth.init_app(app)
    site.init_app(app)
    for module in (queue, suggestion, admin, editor, unanswered, dashboard, ratings, publish,
                   clerk, handoff, reply_templates):  # fmt: skip
        app.register_blueprint(module.blueprint)
    return app
