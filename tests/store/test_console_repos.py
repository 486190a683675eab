"""The console's data layer: accounts and lock-out, the audit log, the queue, search, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from store import (
    audit_repo,
    casework_repo,
    category_repo,
    export,
    outbox_repo,
    queue_repo,
    reply_repo,
    settings_repo,
    staff_repo,
    suggestion_repo,
)  # fmt: skip
from store.models import OutboxMessage, Suggestion

NEW = suggestion_repo.NewSuggestion


@pytest.fixture
def session(session_factory):
    with session_factory.begin() as session:
        category_repo.import_categories(session)
        yield session


def add(session, text, n, **fields):
    values = {"draft_id": f"d{n}", "text": text, "category_key": "other", "channel": "webchat",
              "sender_hash": f"h{n}", "reply_address": f"web-{n}"} | fields  # fmt: skip
    return suggestion_repo.create_suggestion(session, NEW(**values))[0]


def test_passwords_are_argon2_hashes_and_five_failures_lock(session):
    account = staff_repo.create_account(
        session, username="li", password="long-enough-pw", role="reviewer", by="t"
    )
    assert (
        account.password_hash.startswith("$argon2id$")
        and "long-enough-pw" not in account.password_hash
    )
    for _ in range(staff_repo.MAX_FAILURES):
        assert staff_repo.authenticate(session, username="li", password="nope") is None
    assert staff_repo.is_locked(account)
    assert staff_repo.authenticate(session, username="li", password="long-enough-pw") is None
    staff_repo.update_account(session, account, by="admin", unlock=True)
    assert staff_repo.authenticate(session, username="li", password="long-enough-pw") is account
    with pytest.raises(ValueError):
        staff_repo.create_account(session, username="x", password="short", role="admin", by="t")


def test_the_last_admin_cannot_be_demoted(session):
    admin = staff_repo.create_account(
        session, username="a", password="long-enough-pw", role="admin", by="t"
    )
    with pytest.raises(ValueError, match="last active admin"):
        staff_repo.update_account(session, admin, by="t", role="reviewer")


def test_the_audit_log_is_append_only_and_records_every_staff_change(session):
    assert not [n for n in dir(audit_repo) if n.startswith(("update", "delete", "edit", "remove"))]
    s = add(session, "建议增设路灯", 1, wants_reply=True, contact_phone="13800000000")
    other = add(session, "路灯太暗", 2, wants_reply=True)
    casework_repo.add_note(session, s, text="已联系物业", by="wang")
    casework_repo.reveal_phone(session, s, by="wang")
    casework_repo.edit_details(session, s, category_key="other", location="长征新村", by="wang")
    reply_repo.publish_reply(session, s, text="已安排", by="wang", close_as="answered")
    reply_repo.mark_duplicate(session, other, original=s, by="wang")
    settings_repo.set_int(session, "suggestion_answer_days", 10, by="admin")
    entries, total = audit_repo.entries(session)
    actions = {e.action for e in entries}
    assert {"note", "reveal_phone", "details", "reply", "status", "duplicate", "setting"} <= actions
    assert total == len(entries)
    (status,) = [e for e in entries if e.action == "status" and e.object_id == s.reference]
    assert status.before == {"status": "received"} and status.after["status"] == "answered"


def test_queue_order_urgent_then_overdue_then_newest(session):
    old = add(session, "旧的建议", 1)
    old.answer_due = suggestion_repo.shanghai_today() - timedelta(days=1)
    newest = add(session, "新的建议", 2)
    urgent = add(session, "着火了", 3, urgent=True)
    page = queue_repo.page(session, queue_repo.Filters())
    assert [s.id for s in page.items] == [urgent.id, old.id, newest.id]


def test_search_finds_any_part_of_a_word(session):
    gas = add(session, "煤气味很重，楼道里", 1, location_std="长征新村")
    lamp = add(session, "长征公园晚上路灯太暗", 2)
    add(session, "建议小区增设电动自行车充电桩", 3)
    apart = add(session, "煤灶旁边气味难闻", 4)  # 煤…气 apart: not "煤气"

    def found(q):
        return sorted(s.id for s in queue_repo.page(session, queue_repo.Filters(q=q)).items)

    assert found("煤气") == [gas.id]  # part of 煤气味
    assert found("气味") == sorted([gas.id, apart.id])
    assert found("煤气味") == [gas.id]
    assert found("灯") == [lamp.id]  # one character
    assert found("公园 路灯") == [lamp.id]  # every term
    assert found("新村") == [gas.id]  # the place
    fragment = gas.reference[12:16]  # the random part of JY-YYYYMMDD-XXXX-C
    assert found(fragment.lower()) == [gas.id]
    assert found(gas.reference) == [gas.id]
    assert found("垃圾分类") == [] and found("50%") == [] and found("_") == []


def test_search_highlights_its_matches():
    from console.queue import marked

    assert str(marked("煤气味<很重>", "煤气")) == "<mark>煤气</mark>味&lt;很重&gt;"
    assert str(marked("長征公園路燈", "路灯")) == "長征公園<mark>路燈</mark>"  # Traditional
    cut = str(marked("一" * 100 + "煤气", "煤气", 20))
    assert cut.startswith("…") and "<mark>煤气</mark>" in cut


def test_filters_counts_and_pages(session):
    for n in range(30):
        add(session, f"建议{n}", n, category_key="other" if n % 3 else "environment")
    first = queue_repo.page(session, queue_repo.Filters(), number=1, per_page=25)
    second = queue_repo.page(session, queue_repo.Filters(), number=2, per_page=25)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (30, 2, 25, 5)
    counts = queue_repo.counts(session, queue_repo.Filters(category="environment"))
    assert counts["category"]["environment"] == 10 and counts["category"]["other"] == 20
    assert counts["status"] == {"received": 10}
    assert counts["delivery"]["none"] == 10


def test_delivery_state_filter_and_uncertain_resolution(session):
    s = add(session, "建议增设座椅", 1, wants_reply=True)
    reply_repo.publish_reply(session, s, text="好的", by="wang")
    message = session.scalars(select(OutboxMessage)).one()
    message.state = "uncertain"
    assert queue_repo.page(session, queue_repo.Filters(delivery="uncertain")).items == [s]
    casework_repo.resolve_delivery(session, message.id, delivered=False, by="wang")
    assert message.state == "pending" and outbox_repo.uncertain(session) == []
    assert queue_repo.delivery_state(session, s) == "pending"


def test_admin_settings_override_the_environment(session):
    assert settings_repo.get_int(session, "suggestion_answer_days") == 15
    settings_repo.set_int(session, "suggestion_answer_days", 7, by="admin")
    s = add(session, "建议", 1)
    assert s.answer_due == suggestion_repo.shanghai_today() + timedelta(days=7)
    with pytest.raises(ValueError):
        settings_repo.set_int(session, "retention_days", 1, by="admin")


def test_urgent_suggestions_alert_the_staff_telegram_chat_when_configured(session, monkeypatch):
    from core import settings

    add(session, "着火了", 1, urgent=True)
    assert session.scalars(select(OutboxMessage)).all() == []
    monkeypatch.setenv("STAFF_TELEGRAM_CHAT_ID", "-100123")
    settings.get_settings.cache_clear()
    s = add(session, "煤气泄漏", 2, urgent=True)
    (alert,) = session.scalars(select(OutboxMessage))
    assert (
        alert.channel == "telegram" and alert.address == "tg--100123" and s.reference in alert.text
    )
    assert queue_repo.open_urgent(session)[0].urgent


def test_exports_neutralise_formulas_and_leave_out_the_phone(session):
    add(session, "=1+1", 1, wants_reply=True, contact_phone="13800000000")
    add(session, "@SUM(A1)", 2)
    rows = queue_repo.all_matching(session, queue_repo.Filters())
    data = export.to_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf") and b"13800000000" not in data
    assert "'=1+1" in data.decode("utf-8-sig") and "'@SUM" in data.decode("utf-8-sig")
    assert export.neutralise("-2") == "'-2" and export.neutralise("正常") == "正常"
    assert b"13800000000" not in export.to_xlsx(rows)


def test_a_duplicate_needs_another_suggestion(session):
    s = add(session, "建议", 1)
    with pytest.raises(ValueError):
        reply_repo.mark_duplicate(session, s, original=s, by="wang")
    assert session.get(Suggestion, s.id).status == "received"


def test_exports_speak_the_staffs_language_in_shanghai_time(session):
    from datetime import UTC, datetime

    s = add(session, "建议", 1, urgent=True)
    s.created_at = datetime(2026, 12, 6, 20, 30, tzinfo=UTC)  # 7 December 04:30 in Shanghai
    rows = queue_repo.all_matching(session, queue_repo.Filters())
    names = {"other": "其他类别"}
    chinese = export.to_csv(rows, "zh", names).decode("utf-8-sig").splitlines()
    assert chinese[0].startswith("编号,提交时间（北京时间）,状态")
    assert (
        "2026-12-07 04:30,已收到" in chinese[1]
        and ",是," in chinese[1]
        and "其他类别" in chinese[1]
    )
    english = export.to_csv(rows, "en", {}).decode("utf-8-sig").splitlines()
    assert english[0].startswith("Reference,Sent (Shanghai time),Status") and ",yes," in english[1]
    assert "received" in english[1]
