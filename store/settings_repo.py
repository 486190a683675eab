"""Settings admins change in the console (answer days, retention, review months, how long a request
for a person waits; the office hours are store/handoff_repo.py's); the environment gives defaults."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.settings import get_settings
from store import audit_repo
from store.models import AppSetting, utcnow

# key → (lowest, highest) allowed value
EDITABLE = {
    "suggestion_answer_days": (1, 90),
    "retention_days": (30, 3650),
    "review_months": (1, 60),
    "handoff_wait_minutes": (1, 120),
}


def get_int(session: Session, key: str) -> int:
    """The value in force: the admins' setting, else the environment's."""
    if key not in EDITABLE:
        raise KeyError(key)
    stored = session.get(AppSetting, key)
    return int(stored.value) if stored else int(getattr(get_settings(), key))


def all_values(session: Session) -> dict[str, int]:
    """Every editable setting with its value in force."""
    return {key: get_int(session, key) for key in EDITABLE}


def set_int(session: Session, key: str, value: int, *, by: str) -> None:
    """Change a setting (audited); refuses values outside its range."""
    low, high = EDITABLE[key]
    if not low <= value <= high:
        raise ValueError(f"{key} must be between {low} and {high}")
    before = get_int(session, key)
    stored = session.get(AppSetting, key)
    if stored is None:
        stored = AppSetting(key=key, value=str(value), updated_by=by)
        session.add(stored)
    stored.value, stored.updated_by, stored.updated_at = str(value), by, utcnow()
    audit_repo.record(
        session, actor=by, action="setting", object_type="setting", object_id=key,
        before={"value": before}, after={"value": value},
    )  # fmt: skip
