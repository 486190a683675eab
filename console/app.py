"""The console's Flask app: sessions (Flask-Login), CSRF on every form (Flask-WTF), one database
session per request, Chinese by default. `python -m console.app` serves it with waitress."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import wraps

from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from console.i18n import LANGUAGES, WORDS, topic_label, translate, value_label, version_note
from store import queue_repo
from core.clock import shanghai_time
from store.db import get_sessionmaker
from store.models import StaffAccount
from core.settings import console_secret_key, get_settings
from store.suggestion_repo import STATUS_NAMES

SUGGESTION_ROLES = ("reviewer", "admin")
# Bodies over MAX_CONTENT_LENGTH get 413 with a JSON error; waitress reads (and spools) a body up
# to this before the app answers it, and closes the connection on anything larger.
DRAIN_BODY = 32 * 1024 * 1024


def db():
    """The request's database session (committed by the route that changes something)."""
    if "db" not in g:
        g.db = get_sessionmaker()()
    return g.db


def lang() -> str:
    return session.get("lang", "zh")


def t(key: str, **values) -> str:
    return translate(key, lang(), **values)


def roles_required(*roles: str):
    """Only signed-in staff with one of `roles`; others are sent to sign in or refused (403)."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


class User:
    """What Flask-Login keeps of a staff account for the request."""

    def __init__(self, account: StaffAccount) -> None:
        self.account = account
        self.id, self.username, self.role = account.id, account.username, account.role
        self.is_authenticated, self.is_active, self.is_anonymous = True, account.active, False

    def get_id(self) -> str:
        return str(self.id)


def local_time(moment) -> str:
    """A stored moment (aware UTC) in Shanghai time."""
    return shanghai_time(moment)


def create_app(**overrides) -> Flask:
    """The console app; `overrides` go into its config (tests)."""
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
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.session_protection = "strong"

    @login.user_loader
    def load_user(user_id: str):
        account = db().get(StaffAccount, int(user_id)) if user_id.isdigit() else None
        return User(account) if account and account.active else None

    @app.teardown_appcontext
    def close_db(_error) -> None:
        session_ = g.pop("db", None)
        if session_ is not None:
            session_.close()

    @app.context_processor
    def words() -> dict:
        return {"t": t, "lang": lang(), "status_name": lambda s: STATUS_NAMES[lang()].get(s, s),
                "languages": LANGUAGES, "SUGGESTION_ROLES": SUGGESTION_ROLES,
                "open_urgent": lambda: queue_repo.open_urgent(db()),
                "word": lambda kind, value: value_label(kind, value or "", lang())}  # fmt: skip

    @app.after_request
    def headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(403)
    def forbidden(_error):
        return render_template("message.html", message=t("forbidden")), 403

    @app.errorhandler(CSRFError)
    def stale_form(_error):
        """The form's token expired (signed out, or the page was open too long): a page in the
        staff's language that keeps what they typed and can send it again (passwords never)."""
        kept = [(name, t(name) if name in WORDS else name, value)
                for name, value in request.form.items(multi=True)
                if name != "csrf_token" and "password" not in name
                and name not in ("current", "new", "repeat") and value.strip()]  # fmt: skip
        back = request.referrer or url_for("home")
        return render_template(
            "csrf.html", kept=kept, action=request.path, back=back if back.startswith(
                request.host_url) or back.startswith("/") else "/",
            signed_in=current_user.is_authenticated,
        ), 400  # fmt: skip

    @app.before_request
    def forced_password_change():
        """An account whose password an admin set reaches nothing but its password page."""
        if (current_user.is_authenticated and current_user.account.must_change_password
                and request.endpoint not in ("auth.password", "auth.logout", "static",
                                             "switch_language", "favicon")):  # fmt: skip
            return redirect(url_for("auth.password", next=request.full_path))
        return None

    @app.before_request
    def bounded_body():  # a POST's form read answers 413 too; this covers every other request
        if (request.content_length or 0) > app.config["MAX_CONTENT_LENGTH"]:
            abort(413)

    @app.errorhandler(413)
    def too_large(_error):
        return {"error": "request body too large"}, 413

    @app.get("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), 301)

    @app.get("/lang/<code>")
    def switch_language(code: str):
        if code in LANGUAGES:
            session["lang"] = code
        target = request.args.get("next", "/")
        return redirect(target if target.startswith("/") and not target.startswith("//") else "/")

    @app.get("/")
    def home():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        if current_user.role in SUGGESTION_ROLES:
            return redirect(url_for("queue.index"))
        return redirect(url_for("editor.index"))

    from console import admin, auth, dashboard, editor, queue, suggestion, unanswered

    for module in (auth, queue, suggestion, admin, editor, unanswered, dashboard):
        app.register_blueprint(module.blueprint)
    from console import clerk, handoff, publish, ratings

    app.register_blueprint(ratings.blueprint)
    app.register_blueprint(publish.blueprint)
    app.register_blueprint(clerk.blueprint)
    app.register_blueprint(handoff.blueprint)
    app.jinja_env.filters["local"] = local_time
    app.jinja_env.filters["topic"] = lambda key: topic_label(key, lang())
    app.jinja_env.filters["version_note"] = lambda note: version_note(note or "", lang())
    return app


def main() -> None:
    from waitress import serve

    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    serve(
        create_app(), host=settings.console_host, port=settings.console_port, threads=8,
        max_request_body_size=DRAIN_BODY,
    )  # fmt: skip


if __name__ == "__main__":
    main()
