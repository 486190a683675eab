"""Accounts: an admin cannot demote or disable themselves, the password rule is shown, and a
locked account is told so, with until when (Shanghai time)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.clock import shanghai_time
from store import db, staff_repo
from store.models import StaffAccount
from tests.console.conftest import csrf_from, sign_in


@pytest.fixture
def client(app):
    return app.test_client()


def _account(username: str) -> StaffAccount:
    with db.get_sessionmaker()() as session:
        return session.scalars(select(StaffAccount).where(StaffAccount.username == username)).one()


def test_an_admin_cannot_demote_or_disable_their_own_account(client):
    sign_in(client, "admin")
    me = _account("admin")
    page = client.get("/admin/accounts").text
    assert "密码至少 10 个字符" in page and 'minlength="10"' in page
    token = csrf_from(page)
    a = f"a{me.id}"
    for change in ({f"{a}-role": "reviewer", f"{a}-active": "y"}, {f"{a}-role": "admin"}):
        answer = client.post(f"/admin/accounts/{me.id}", data={"csrf_token": token} | change,
                             follow_redirects=True)  # fmt: skip
        assert "不能更改自己账号的角色" in answer.text
    after = _account("admin")
    assert (after.role, after.active) == ("admin", True)
    with db.get_sessionmaker().begin() as session, pytest.raises(ValueError):
        staff_repo.update_account(
            session, session.get(StaffAccount, me.id), by="admin", active=False
        )


def test_a_locked_account_is_told_it_is_locked_and_until_when(client):
    for _ in range(5):
        sign_in(client, "wang", "wrong-password-x")
    answer = sign_in(client, "wang")
    until = shanghai_time(_account("wang").locked_until)
    assert answer.status_code == 401 and "已锁定" in answer.text and until in answer.text
