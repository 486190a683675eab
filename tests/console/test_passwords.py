"""Passwords: an account an admin made (or whose password an admin reset) must set its own at the
first sign-in and reaches nothing else until then; anyone changes their own password; a form whose
CSRF token expired gets a page in the staff's language that keeps what was typed."""

from __future__ import annotations

import pytest

from store import db, staff_repo
from tests.console.conftest import PASSWORD, csrf_from, sign_in

NEW = "a-brand-new-passphrase"


@pytest.fixture
def client(app):
    return app.test_client()


def must_change(username: str) -> bool:
    with db.get_sessionmaker()() as session:
        return staff_repo.get_by_username(session, username).must_change_password


def test_an_account_an_admin_made_changes_its_password_first(app, client):
    sign_in(client, "admin")
    html = client.get("/admin/accounts").text
    client.post("/admin/accounts", data={"csrf_token": csrf_from(html), "username": "zhao",
                "password": "given-by-admin-1", "role": "reviewer"})  # fmt: skip
    assert must_change("zhao") and not must_change("admin")
    zhao = app.test_client()
    response = sign_in(zhao, "zhao", "given-by-admin-1")
    assert response.status_code == 302 and "/password" in response.location
    blocked = zhao.get("/suggestions")
    assert blocked.status_code == 302 and "/password" in blocked.location
    page = zhao.get("/password").text
    assert 'id="forced"' in page and "至少 10 个字符" in page
    form = {"csrf_token": csrf_from(page), "current": "given-by-admin-1", "new": NEW}
    refused = zhao.post("/password", data=form | {"repeat": NEW + "x"})
    assert refused.status_code == 400 and "两次输入的新密码不一致" in refused.text
    refused = zhao.post("/password", data=form | {"current": "wrong-one-123", "repeat": NEW})
    assert "当前密码不正确" in refused.text and must_change("zhao")
    done = zhao.post("/password", data=form | {"repeat": NEW})
    assert done.status_code == 302 and not must_change("zhao")
    assert zhao.get("/suggestions").status_code == 200
    assert sign_in(app.test_client(), "zhao", NEW).status_code == 302


def test_a_reset_by_an_admin_is_changed_first_and_anyone_changes_their_own(app, client):
    sign_in(client, "wang")
    page = client.get("/password").text
    assert 'id="forced"' not in page and 'id="change-password"' in page
    client.post("/password", data={"csrf_token": csrf_from(page), "current": PASSWORD,
                                   "new": NEW, "repeat": NEW})  # fmt: skip
    assert sign_in(app.test_client(), "wang", NEW).status_code == 302
    with db.get_sessionmaker().begin() as session:
        wang = staff_repo.get_by_username(session, "wang")
        staff_repo.update_account(session, wang, by="admin", password="reset-by-admin-9")
    assert must_change("wang")
    with db.get_sessionmaker().begin() as session:
        admin = staff_repo.get_by_username(session, "admin")
        staff_repo.update_account(session, admin, by="admin", password="my-own-choice-77")
    assert not must_change("admin")


def test_an_expired_form_keeps_the_typed_note(app, client):
    from tests.console.conftest import make_suggestion

    reference = make_suggestion()
    sign_in(client, "wang")
    client.get(f"/suggestions/{reference}")
    response = client.post(f"/suggestions/{reference}/note",
                           data={"csrf_token": "stale", "text": "请环卫所明早核实"})  # fmt: skip
    assert response.status_code == 400
    assert "页面已过期，内容未提交" in response.text and "请环卫所明早核实" in response.text
    assert '<label>内容 <input name="text"' in response.text  # the field named in words
    assert 'id="send-again"' in response.text and "The CSRF token" not in response.text
    client.get("/lang/en")
    english = client.post("/login", data={"csrf_token": "stale", "username": "wang",
                                          "password": "secret-typed"})  # fmt: skip
    assert "This page had expired" in english.text and "secret-typed" not in english.text
