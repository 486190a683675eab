"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from console.app import User, db, t
from knowledge import staff_repo
from knowledge.clock import shanghai_time

blueprint = Blueprint("auth", __name__)


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
