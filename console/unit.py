"""What the routes repeat: one unit of work (commit, or roll back and say why), a posted form
that must be valid, and a redirect target that stays on this site."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from flask import abort, flash
from flask_wtf import FlaskForm

from console.db import db

Form = TypeVar("Form", bound=FlaskForm)


@dataclass
class Outcome:
    """How a unit of work ended: committed (`ok`), or refused with `error`."""

    ok: bool = False
    error: Exception | None = None


@contextmanager
def unit(
    *refusals: type[Exception],
    saved: str = "",
    refused: str | Callable[[Exception], str] | None = str,
) -> Iterator[Outcome]:
    """The block's changes committed (then `saved` flashed, when given), or, when the block
    raises one of `refusals` (ValueError by default), rolled back and `refused` flashed: a
    message, a function of the error, or None for nothing. The route reads the outcome."""
    outcome, caught = Outcome(), refusals or (ValueError,)
    try:
        yield outcome
    except caught as error:
        db().rollback()
        outcome.error = error
        message = refused if isinstance(refused, str) or refused is None else refused(error)
        if message:
            flash(message)
    else:
        db().commit()
        outcome.ok = True
        if saved:
            flash(saved)


def posted(form: Form) -> Form:
    """A posted form that must be valid (its CSRF token, at least): 400 otherwise."""
    if not form.validate_on_submit():
        abort(400)
    return form


def on_site(target: str | None, default: str) -> str:
    """`target` when it is a path on this site (never another host's address), else `default`."""
    target = target or ""
    return target if target.startswith("/") and not target.startswith("//") else default
