"""Staff accounts: argon2 password hashes, roles, lock-out after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import audit_repo
from store.models import StaffAccount, utcnow

ROLES = ("reviewer", "editor", "admin")
MAX_FAILURES = 5
LOCK_MINUTES = 30
MIN_PASSWORD = 10
_hasher = PasswordHasher()


def check_password_rules(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")


def create_account(
    session: Session, *, username: str, password: str, role: str, by: str, display_name: str = "",
    must_change: bool = False,
) -> StaffAccount:  # fmt: skip
    """A new account (audited); the password is stored only as an argon2 hash. `must_change`:
    an admin chose the password, so its owner sets their own at the first sign-in."""
    username = username.strip()
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if not username:
        raise ValueError("a username is needed")
    if get_by_username(session, username) is not None:
        raise ValueError(f"the account {username!r} exists already")
    check_password_rules(password)
    account = StaffAccount(
        username=username, display_name=display_name or username, role=role,
        password_hash=_hasher.hash(password), active=True, failed_logins=0,
        must_change_password=must_change,
    )  # fmt: skip
    session.add(account)
    session.flush()
    audit_repo.record(
        session, actor=by, action="account_create", object_type="account", object_id=username,
        after={"role": role, "active": True},
    )  # fmt: skip
    return account


def get_by_username(session: Session, username: str) -> StaffAccount | None:
    return session.scalars(select(StaffAccount).where(StaffAccount.username == username)).first()


def list_accounts(session: Session) -> list[StaffAccount]:
    return list(session.scalars(select(StaffAccount).order_by(StaffAccount.username)))


def count_admins(session: Session) -> int:
    query = select(func.count()).where(StaffAccount.role == "admin", StaffAccount.active)
    return session.scalar(query.select_from(StaffAccount))


def is_locked(account: StaffAccount, now: datetime | None = None) -> bool:
    return account.locked_until is not None and account.locked_until > (now or utcnow())


def authenticate(session: Session, *, username: str, password: str) -> StaffAccount | None:
    """The account when the password is right and the account is active and not locked.

    Each wrong password counts; the fifth in a row locks the account for `LOCK_MINUTES` (an
    admin can unlock it sooner). A locked account refuses even the right password.
    """
    account = get_by_username(session, username.strip())
    if account is None or not account.active:
        _hasher.hash(password)  # the same work either way: timing says nothing about names
        return None
    if is_locked(account):
        return None
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        account.failed_logins += 1
        if account.failed_logins >= MAX_FAILURES:
            account.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
            audit_repo.record(
                session, actor="system", action="account_lock", object_type="account",
                object_id=account.username, after={"failed_logins": account.failed_logins},
            )  # fmt: skip
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    account.failed_logins, account.locked_until = 0, None
    account.last_login_at = utcnow()
    return account


def _state(account: StaffAccount) -> dict:
    return {"role": account.role, "active": account.active, "locked": is_locked(account)}


def update_account(
    session: Session, account: StaffAccount, *, by: str, role: str | None = None,
    active: bool | None = None, unlock: bool = False, password: str | None = None,
) -> None:  # fmt: skip
    """Change role, active, lock or password (audited; the password itself never is)."""
    before = _state(account)
    was_admin = account.role == "admin" and account.active
    if account.username == by and ((role is not None and role != account.role) or active is False):
        raise ValueError("you cannot change your own role or disable your own account")
    if role is not None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        account.role = role
    if active is not None:
        account.active = active
    if was_admin and (account.role != "admin" or not account.active):
        session.flush()
        if count_admins(session) == 0:
            raise ValueError("the last active admin cannot be removed")
    if unlock:
        account.failed_logins, account.locked_until = 0, None
    after = _state(account)
    if password:
        check_password_rules(password)
        account.password_hash = _hasher.hash(password)
        account.must_change_password = account.username != by  # reset by an admin: changed first
        after["password"] = "changed"
    audit_repo.record(
        session, actor=by, action="account_update", object_type="account",
        object_id=account.username, before=before, after=after,
    )  # fmt: skip


def change_own_password(session: Session, account: StaffAccount, *, current: str, new: str) -> None:
    """The account's owner sets a new password (the current one first; audited, never the
    password): this also ends a forced change."""
    try:
        _hasher.verify(account.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ValueError("the current password is wrong") from None
    check_password_rules(new)
    if new == current:
        raise ValueError("the new password must differ from the current one")
    account.password_hash = _hasher.hash(new)
    account.must_change_password = False
    audit_repo.record(
        session, actor=account.username, action="password_change", object_type="account",
        object_id=account.username, after={"password": "changed"},
    )  # fmt: skip
