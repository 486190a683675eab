"""Who may do what: signing in and out, one's own password (a forced change after an admin set
it), the signed-in `User` and `roles_required`."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, abort, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from console.db import db
from console.unit import on_site, unit
from console.words import t
from core.clock import shanghai_time
from store import staff_repo
from store.models import StaffAccount

SUGGESTION_ROLES = ("reviewer", "admin")  # the suggestion queue, the live conversations
EDITOR_ROLES = ("editor", "admin")  # the knowledge base, the unanswered list, publish
blueprint = Blueprint("auth", __name__)


class User:
    """What Flask-Login keeps of a staff account for the request."""

    def __init__(self, account: StaffAccount) -> None:
        self.account = account
        self.id, self.username, self.role = account.id, account.username, account.role
        self.is_authenticated, self.is_active, self.is_anonymous = True, account.active, False

    def get_id(self) -> str:
        return str(self.id)


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


def load_user(user_id: str) -> User | None:
    account = db().get(StaffAccount, int(user_id)) if user_id.isdigit() else None
    return User(account) if account and account.active else None


def forced_password_change():
    """An account whose password an admin set reaches nothing but its password page."""
    if (current_user.is_authenticated and current_user.account.must_change_password
            and request.endpoint not in ("auth.password", "auth.logout", "static",
                                         "switch_language", "favicon")):  # fmt: skip
        return redirect(url_for("auth.password", next=request.full_path))
    return None


def init_app(app: Flask) -> None:
    """Flask-Login's sessions ("strong" protection) and the forced password change."""
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.session_protection = "strong"
    login.user_loader(load_user)
    app.before_request(forced_password_change)
    app.register_blueprint(blueprint)


class PasswordForm(FlaskForm):
    current = PasswordField(validators=[DataRequired(), Length(max=200)])
    new = PasswordField(validators=[DataRequired(), Length(max=200)])
    repeat = PasswordField(validators=[DataRequired(), Length(max=200)])


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = ""
    if form.validate_on_submit():
        account = staff_repo.authenticate(
            db(), username=form.username.data, password=form.password.data
        )
        db().commit()  # failures count even when signing in is refused
        if account is not None:
            keep = session.get("lang")
            session.clear()  # a fresh session at sign-in
            if keep:
                session["lang"] = keep
            session.permanent = True
            login_user(User(account))
            target = on_site(request.args.get("next"), "")
            if account.must_change_password:  # an admin chose it: the owner sets their own first
                return redirect(url_for("auth.password", next=target or None))
            return redirect(target or url_for("home"))
        error = t("bad_login")
        tried = staff_repo.get_by_username(db(), form.username.data)
        if tried is not None and tried.active and staff_repo.is_locked(tried):
            error = t("account_locked", until=shanghai_time(tried.locked_until))
    return render_template("login.html", form=form, error=error), 401 if error else 200


@blueprint.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; the only page a forced change lets through."""
    form, error = PasswordForm(), ""
    forced = current_user.account.must_change_password
    if form.validate_on_submit():
        if form.new.data != form.repeat.data:
            error = t("password_mismatch")
        else:
            with unit(saved=t("password_changed"), refused=None) as done:
                staff_repo.change_own_password(
                    db(), current_user.account, current=form.current.data, new=form.new.data
                )
            if done.ok:
                return redirect(on_site(request.args.get("next"), url_for("home")))
            error = t("password_wrong") if "current" in str(done.error) else str(done.error)
    return render_template(
        "password.html", form=form, error=error, forced=forced,
        min_password=staff_repo.MIN_PASSWORD,
    ), 400 if error else 200  # fmt: skip
