"""Signing in and out; one's own password (a forced change after an admin set it)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from console.app import User, db, t
from store import staff_repo
from core.clock import shanghai_time

blueprint = Blueprint("auth", __name__)


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
            target = request.args.get("next", "")
            safe = target.startswith("/") and not target.startswith("//")
            if account.must_change_password:  # an admin chose it: the owner sets their own first
                return redirect(url_for("auth.password", next=target if safe else None))
            return redirect(target if safe else url_for("home"))
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
            try:
                staff_repo.change_own_password(
                    db(), current_user.account, current=form.current.data, new=form.new.data
                )
            except ValueError as problem:
                db().rollback()
                error = t("password_wrong") if "current" in str(problem) else str(problem)
            else:
                db().commit()
                flash(t("password_changed"))
                target = request.args.get("next", "")
                safe = target.startswith("/") and not target.startswith("//")
                return redirect(target if safe else url_for("home"))
    return render_template(
        "password.html", form=form, error=error, forced=forced,
        min_password=staff_repo.MIN_PASSWORD,
    ), 400 if error else 200  # fmt: skip
