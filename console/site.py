"""What every page shares: the template globals and filters, the security headers, the error
pages (403, an expired form, 413), the language switch, the home page."""

from __future__ import annotations

from flask import Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from console.auth import SUGGESTION_ROLES
from console.db import db
from console.unit import on_site
from console.words import LANGUAGES, known, lang, t, topic_label, value_label, version_note
from core.clock import shanghai_time
from store import queue_repo
from store.suggestion_repo import STATUS_NAMES

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def template_globals() -> dict:
    return {"t": t, "lang": lang(), "status_name": lambda s: STATUS_NAMES[lang()].get(s, s),
            "languages": LANGUAGES, "SUGGESTION_ROLES": SUGGESTION_ROLES,
            "open_urgent": lambda: queue_repo.open_urgent(db()),
            "word": lambda kind, value: value_label(kind, value or "", lang())}  # fmt: skip


def headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def forbidden(_error):
    return render_template("message.html", message=t("forbidden")), 403


def stale_form(_error: CSRFError):
    """The form's token expired (signed out, or the page was open too long): a page in the
    staff's language that keeps what they typed and can send it again (passwords never)."""
    kept = [(name, t(name) if known(name) else name, value)
            for name, value in request.form.items(multi=True)
            if name != "csrf_token" and "password" not in name
            and name not in ("current", "new", "repeat") and value.strip()]  # fmt: skip
    back = request.referrer or url_for("home")
    back = back if back.startswith(request.host_url) else on_site(back, "/")
    return render_template("csrf.html", kept=kept, action=request.path, back=back,
                           signed_in=current_user.is_authenticated), 400  # fmt: skip


def bounded_body():
    """A POST's form read answers 413 too; this covers every other request."""
    if (request.content_length or 0) > current_app.config["MAX_CONTENT_LENGTH"]:
        abort(413)


def too_large(_error):
    return {"error": "request body too large"}, 413


def favicon():
    return redirect(url_for("static", filename="favicon.svg"), 301)


def switch_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(on_site(request.args.get("next", "/"), "/"))


def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role in SUGGESTION_ROLES:
        return redirect(url_for("queue.index"))
    return redirect(url_for("editor.index"))


def init_app(app: Flask) -> None:
    app.context_processor(template_globals)
    app.after_request(headers)
    app.before_request(bounded_body)
    app.register_error_handler(403, forbidden)
    app.register_error_handler(CSRFError, stale_form)
    app.register_error_handler(413, too_large)
    app.add_url_rule("/favicon.ico", view_func=favicon)
    app.add_url_rule("/lang/<code>", view_func=switch_language)
    app.add_url_rule("/", view_func=home)
    app.jinja_env.filters["local"] = shanghai_time
    app.jinja_env.filters["topic"] = lambda key: topic_label(key, lang())
    app.jinja_env.filters["version_note"] = lambda note: version_note(note or "", lang())
