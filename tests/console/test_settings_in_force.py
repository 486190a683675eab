"""What an admin sets in the console (设置) is what residents are told and what is done: the answer
days promised and the due date, the retention promised and what the purge removes, the months
after which entries are listed as not reviewed, the office hours in which a resident can talk to
a person and how long such a request waits. The environment only gives the defaults."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import insert, select

from actions.handoff import ActionHandoff
from actions.suggestion_ask import ActionAskSuggestionPhone
from actions.suggestion_form import ValidateSuggestionForm
from core import clock
from core.settings import ROOT, get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from scripts import purge
from store import audit_repo, db, handoff_repo, reply_repo, suggestion_repo
from store.contact_cipher import unseal
from store.models import FaqEntry, Suggestion
from tests.console.conftest import csrf_from, sign_in
from tests.scripts.test_purge import tracker  # noqa: F401  (Rasa's events table, in SQLite)

RESPONSES = yaml.safe_load((ROOT / "domain" / "suggestion.yml").read_text())["responses"]
DRAFT = {"suggestion_draft_id": "draft-1", "suggestion_text": "建议菜场门口的垃圾桶每天多清运一次",
         "suggestion_category": "environment", "suggestion_location": "-",
         "suggestion_reply": "none"}  # fmt: skip


@pytest.fixture
def admin(app):
    client = app.test_client()
    sign_in(client, "admin")
    return client


def set_in_console(admin, expect: int = 302, **values: int | str):
    """Post the settings page as an admin would, changing only `values`."""
    page = admin.get("/admin/settings").text
    form = dict(re.findall(r'<input id="([a-z_]+)"[^>]*value="([^"]*)"', page))
    form.pop("csrf_token")
    assert set(form) == {"suggestion_answer_days", "retention_days", "review_months",
                         "handoff_hours", "handoff_wait_minutes"}  # fmt: skip
    form |= {key: str(value) for key, value in values.items()}
    saved = admin.post("/admin/settings", data={**form, "csrf_token": csrf_from(page)})
    assert saved.status_code == expect, saved.text
    return saved


def said(message: dict) -> str:
    """The Chinese text the resident reads: the domain's response filled as Rasa fills it."""
    template = next(v["text"] for v in RESPONSES[message["response"]] if "condition" not in v)
    return re.sub(r"\{(\w+)\}", lambda m: str(message[m.group(1)]), template)


def resident(slots: dict, message: str = "", act: str | None = None) -> Tracker:
    latest = {"text": message, "intent": {"name": "nlu_fallback", "confidence": 0.9}}
    if act:
        latest["form_act"] = {"name": act, "confidence": 0.9}
    return Tracker(
        sender_id="resident-1", slots={"language": "zh", **slots}, latest_message=latest,
        events=[{"event": "user", "text": message}], paused=False, followup_action=None,
        active_loop={"name": "suggestion_form"}, latest_action_name="action_listen",
    )  # fmt: skip


def test_answer_days_set_in_the_console_are_promised_and_due(admin):
    set_in_console(admin, suggestion_answer_days=7)
    dispatcher = CollectingDispatcher()
    slots = {**DRAFT, "requested_slot": "suggestion_confirm"}
    result = ValidateSuggestionForm().validate_suggestion_confirm(
        "确认提交", dispatcher, resident(slots, "确认提交", act="affirm"), {}
    )
    assert result["suggestion_outcome"] == "saved"
    with db.get_sessionmaker().begin() as session:
        saved = session.scalars(select(Suggestion)).one()
        due, reference = saved.answer_due, saved.reference
    assert due == suggestion_repo.shanghai_today() + timedelta(days=7)
    (message,) = [m for m in dispatcher.messages if m.get("response") == "utter_suggestion_saved"]
    text = said(message)
    assert f"争取在7天内（{due:%Y-%m-%d}前）答复" in text and reference in text


async def test_the_retention_promised_is_the_one_set_in_the_console(admin):
    set_in_console(admin, retention_days=45)
    dispatcher = CollectingDispatcher()
    slots = {**DRAFT, "suggestion_reply": "phone", "requested_slot": "suggestion_phone"}
    await ActionAskSuggestionPhone().run(dispatcher, resident(slots), {})
    (message,) = dispatcher.messages
    text = said(message)
    assert "45天" in text and str(get_settings().retention_days) not in text


def test_the_purge_applies_the_retention_set_in_the_console(admin, tracker, capsys):  # noqa: F811
    set_in_console(admin, retention_days=45)
    now = datetime.now(UTC)
    engine, events = tracker
    with engine.begin() as connection:
        connection.execute(insert(events), [
            {"sender_id": "web-a", "type_name": "user", "timestamp": (now - timedelta(days=d)).timestamp(),
             "data": f"{d} days"} for d in (50, 40)
        ])  # fmt: skip
    with db.get_sessionmaker().begin() as session:
        for draft, days in (("closed 50 days ago", 50), ("closed 40 days ago", 40)):
            saved, _ = suggestion_repo.create_suggestion(session, suggestion_repo.NewSuggestion(
                draft_id=draft, text="建议增设路灯", category_key="other", channel="webchat",
                sender_hash="h", reply_address="web-a", wants_reply=True, contact_phone="13812345678",
            ))  # fmt: skip
            reply_repo.publish_reply(session, saved, text="好", by="clerk", close_as="answered")
            saved.closed_at = saved.created_at = now - timedelta(days=days)

    assert purge.main() == 0
    assert "cleared on 1 suggestions, 0 held numbers deleted, 1 conversation events deleted" in (
        capsys.readouterr().out
    )
    with engine.begin() as connection:
        assert list(connection.execute(select(events.c.data)).scalars()) == ["40 days"]
    with db.get_sessionmaker().begin() as session:
        phones = {
            s.draft_id: unseal(s.contact_phone_sealed) for s in session.scalars(select(Suggestion))
        }
    assert phones == {"closed 50 days ago": None, "closed 40 days ago": "13812345678"}


def test_review_months_set_in_the_console_list_entries_as_not_reviewed(admin):
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        for row in session.scalars(select(FaqEntry)):
            row.last_reviewed = suggestion_repo.shanghai_today()
        session.get(FaqEntry, "elevator_progress").last_reviewed = (
            suggestion_repo.shanghai_today() - timedelta(days=40)
        )
    assert "elevator_progress" not in admin.get("/entries?attention=stale").text  # 12 months
    set_in_console(admin, review_months=1)
    listed = admin.get("/entries?attention=stale").text
    assert "elevator_progress" in listed and "hotline_contact" not in listed


SATURDAY_10 = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def asks_for_a_person(sender: str) -> Tracker:
    return Tracker(
        sender_id=sender, slots={"language": None},
        latest_message={"text": "转人工", "intent": {"name": "human", "confidence": 0.99}},
        events=[{"event": "user", "text": "转人工", "input_channel": "webchat"}],
        paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )  # fmt: skip


async def test_office_hours_and_waiting_time_set_in_the_console_are_what_residents_get(
    admin, monkeypatch
):
    monkeypatch.setattr(clock, "now", lambda: SATURDAY_10)
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, asks_for_a_person("web-before"), {})
    assert "12月14日（周一）09:00" in dispatcher.messages[0]["text"]  # the environment's: closed

    page = set_in_console(admin, handoff_hours="1-6 08:30-20:00", handoff_wait_minutes=2)
    assert "周一至周六 08:30" in admin.get(page.headers["Location"]).text
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, asks_for_a_person("web-after"), {})
    assert (
        "转接工作人员" in dispatcher.messages[0]["text"] and "2" in dispatcher.messages[0]["text"]
    )
    with db.get_sessionmaker().begin() as session:
        (waiting,) = handoff_repo.queue(session)
        assert waiting.sender_id == "web-after"
        expired = handoff_repo.expire(session, now=waiting.requested_at + timedelta(minutes=3))
        assert [h.sender_id for h in expired] == ["web-after"]  # 2 minutes, not the default 5
        changes = {e.object_id for e in audit_repo.entries(session, action="setting")[0]}
    assert {"handoff_hours", "handoff_wait_minutes"} <= changes


def test_office_hours_that_cannot_be_read_are_refused_and_nothing_changes(admin):
    refused = set_in_console(admin, expect=200, handoff_hours="weekdays 9 to 5")
    assert "1-5 09:00-17:00" in refused.text and "办公时间的写法不对" in refused.text
    with db.get_sessionmaker().begin() as session:
        assert handoff_repo.hours_text(session) == get_settings().handoff_hours
