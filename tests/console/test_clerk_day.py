"""A clerk's day through the console's routes: bulk actions, assignment that tells the assignee,
sorting, the place filter, "mine", the urgent acknowledgement and what the resident was told,
forwarding to a department, reply templates and the confirmation before publishing, the print
view and the daily summary (e-mailed to a fake SMTP server)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core import settings
from store import db, reply_repo, staff_repo, suggestion_repo, template_repo
from store.models import OutboxMessage, StaffNotification, Suggestion
from tests.console import smtp_fake
from tests.console.conftest import csrf_from, make_suggestion, sign_in


@pytest.fixture
def client(app):
    client = app.test_client()
    sign_in(client, "wang")
    return client


def token(client, path: str = "/suggestions") -> str:
    return csrf_from(client.get(path).text)


def ids_of(*references: str) -> list[str]:
    with db.get_sessionmaker()() as session:
        return [str(suggestion_repo.get_by_reference(session, reference=r).id) for r in references]


def stored(reference: str) -> Suggestion:
    with db.get_sessionmaker()() as session:
        found = suggestion_repo.get_by_reference(session, reference=reference)
        _ = found.assignee, found.replies, found.history
        return found


def account_id(username: str) -> int:
    with db.get_sessionmaker()() as session:
        return staff_repo.get_by_username(session, username).id


def test_bulk_assign_tells_the_assignee_in_the_console_and_the_staff_chat(client, monkeypatch):
    monkeypatch.setenv("STAFF_TELEGRAM_CHAT_ID", "-100777")
    settings.get_settings.cache_clear()
    first, second = make_suggestion("中江路路灯坏了"), make_suggestion("梅川路井盖松动")
    response = client.post("/suggestions/bulk", data={
        "csrf_token": token(client), "ids": ids_of(first, second), "action": "assign",
        "assignee": str(account_id("admin")), "next": "/suggestions?sort=created"})  # fmt: skip
    assert response.status_code == 302 and response.location.endswith("/suggestions?sort=created")
    assert stored(first).assignee.username == stored(second).assignee.username == "admin"
    with db.get_sessionmaker()() as session:
        notes = session.scalars(select(StaffNotification)).all()
        chat = session.scalars(select(OutboxMessage).where(OutboxMessage.address == "tg--100777"))
        assert {n.suggestion.reference for n in notes} == {first, second}
        assert sorted(m.text.split()[1] for m in chat) == sorted([first, second])
    admin = client.application.test_client()
    sign_in(admin, "admin")
    assert '<span class="nav-badge" id="unread">2</span>' in admin.get("/suggestions").text
    page = admin.get("/notifications").text
    assert first in page and "wang 把建议" in page
    assert 'id="unread"' not in admin.get("/suggestions").text  # read once opened


def test_bulk_status_changes_the_open_ones_and_names_those_it_cannot(client):
    answered = make_suggestion("已答复的", wants_reply=False)
    with db.get_sessionmaker().begin() as session:
        found = suggestion_repo.get_by_reference(session, reference=answered)
        reply_repo.publish_reply(session, found, text="好的", by="wang")
    fresh = make_suggestion("还没答复的")
    client.post("/suggestions/bulk", data={"csrf_token": token(client),
                "ids": ids_of(answered, fresh), "action": "status", "status": "adopted"})  # fmt: skip
    page = client.get("/suggestions").text
    assert "已处理 1 条" in page and f"{fresh} 未处理" in page
    assert stored(answered).status == "adopted" and stored(fresh).status == "received"
    client.post("/suggestions/bulk", data={"csrf_token": token(client), "ids": ids_of(fresh),
                "action": "status", "status": "forwarded", "department": "镇市政所"})  # fmt: skip
    assert stored(fresh).status == "forwarded" and stored(fresh).forwarded_to == "镇市政所"
    assert "转交部门: 镇市政所" in client.get(f"/suggestions/{fresh}").text


def test_bulk_duplicates_are_told_the_original(client):
    original, a, b = (make_suggestion(t) for t in ("路灯坏了", "路灯不亮", "灯坏了"))
    client.post("/suggestions/bulk", data={"csrf_token": token(client), "ids": ids_of(a, b),
                "action": "duplicate", "original": original})  # fmt: skip
    for copy in (a, b):
        found = stored(copy)
        assert found.status == "duplicate" and original in found.replies[-1].text
    assert stored(original).status == "received"


def test_columns_sort_both_ways_and_mine_shows_my_work(client):
    older, newer = make_suggestion("甲建议"), make_suggestion("乙建议")
    with db.get_sessionmaker().begin() as session:
        suggestion_repo.get_by_reference(session, reference=newer).assignee_id = account_id("wang")

    def order(query: str) -> list[str]:
        html = client.get(f"/suggestions?{query}").text
        return re.findall(r'aria-label="(JY-[^"]+)"', html)

    assert order("sort=reference") == sorted([older, newer])
    assert order("sort=-reference") == sorted([older, newer], reverse=True)
    assert order("sort=created") == [older, newer] and order("sort=-created") == [newer, older]
    html = client.get("/suggestions?sort=created").text
    assert "sort=-created" in html  # the column's link sorts the other way next
    assert order(f"assignee={account_id('wang')}") == [newer]
    assert f'href="/suggestions?assignee={account_id("wang")}"' in html


def test_the_place_filter_offers_the_towns_places(client):
    make_suggestion("中江路路灯坏了", location_std="中江路")
    make_suggestion("别处的事")
    html = client.get("/suggestions?place=中江路").text
    select_html = re.search(r'<select name="place">.*?</select>', html, re.S).group(0)
    assert '<option value="中江路" selected>' in select_html and "金沙江路" in select_html
    assert len(re.findall(r'aria-label="JY-', html)) == 1


def test_an_urgent_one_is_acknowledged_apart_from_its_status(client):
    reference = make_suggestion("楼道里有煤气味，有人晕倒了", urgent=True)
    html = client.get(f"/suggestions/{reference}").text
    told = re.search(r'<p id="told">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r"<strong>(\d+)</strong>", told) == ["119", "120", "12345"]
    assert 'role="alert"' in html and 'id="acknowledge"' in html
    client.post(f"/suggestions/{reference}/acknowledge",
                data={"csrf_token": csrf_from(html)})  # fmt: skip
    found = stored(reference)
    assert found.acknowledged_by == "wang" and found.acknowledged_at is not None
    assert found.status == "received"  # the status is another step
    html = client.get(f"/suggestions/{reference}").text
    assert 'id="acknowledged"' in html and 'role="alert"' not in html


def test_forwarded_needs_a_department(client):
    reference = make_suggestion()
    html = client.get(f"/suggestions/{reference}").text
    client.post(f"/suggestions/{reference}/status",
                data={"csrf_token": csrf_from(html), "status": "forwarded"})  # fmt: skip
    assert stored(reference).status == "received"
    client.post(f"/suggestions/{reference}/status", data={"csrf_token": csrf_from(html),
                "status": "forwarded", "department": "镇房管所"})  # fmt: skip
    assert (stored(reference).status, stored(reference).forwarded_to) == ("forwarded", "镇房管所")


def test_a_reply_from_a_template_is_published_only_after_confirmation(client):
    with db.get_sessionmaker().begin() as session:  # as `make migrate` seeds them
        template_repo.import_templates(session)
    reference = make_suggestion("公交站没有遮雨棚", category_key="traffic", wants_reply=True,
                                reply_address="web-1")  # fmt: skip
    html = client.get(f"/suggestions/{reference}").text
    assert "已转交通管理部门" in html and "已收到，正在办理" in html  # category's, then general
    form = {"csrf_token": csrf_from(html), "text": "已转交镇交通办核实。", "close_as": "answered"}
    confirm = client.post(f"/suggestions/{reference}/reply", data=form)
    assert confirm.status_code == 200 and 'id="confirm-publish"' in confirm.text
    assert f"您的建议 {reference} 有了答复" in confirm.text and "发送给 1 位居民" in confirm.text
    assert stored(reference).replies == []  # nothing sent yet
    assert (
        "已转交镇交通办核实。</textarea>"
        in client.get(f"/suggestions/{reference}?draft=已转交镇交通办核实。").text
    )  # back to edit keeps it
    client.post(f"/suggestions/{reference}/reply", data=form | {"confirmed": "1"})
    found = stored(reference)
    assert [r.text for r in found.replies] == ["已转交镇交通办核实。"]
    assert found.status == "answered"


def test_the_print_view_has_the_suggestion_and_no_navigation(client):
    reference = make_suggestion("长征公园晚上路灯太暗", location_std="长征公园")
    html = client.get(f"/suggestions/{reference}/print").text
    assert reference in html and "长征公园晚上路灯太暗" in html and "print.css" in html
    assert "<nav>" not in html and "csrf_token" not in html


def test_the_daily_summary_counts_and_is_mailed(client, monkeypatch):
    urgent = make_suggestion("电梯困人了", urgent=True)
    make_suggestion("普通建议")
    with db.get_sessionmaker().begin() as session:
        late = suggestion_repo.get_by_reference(session, reference=make_suggestion("旧的建议"))
        late.answer_due = late.answer_due.replace(year=late.answer_due.year - 1)
        late.assignee_id = account_id("wang")
    html = client.get("/summary").text
    figures = {k: re.search(rf'id="n-{k}">(\d+)<', html).group(1) for k in
               ("new", "urgent", "overdue")}  # fmt: skip
    assert figures == {"new": "3", "urgent": "1", "overdue": "1"}
    assert re.search(r"<td>wang</td><td>1</td><td>1</td><td>1</td>", html)
    assert 'id="mail-summary" disabled' in html  # no SMTP yet
    server, stop = smtp_fake.start()
    try:
        monkeypatch.setenv("SMTP_HOST", server.host)
        monkeypatch.setenv("SMTP_PORT", str(server.port))
        monkeypatch.setenv("SUMMARY_TO", "office@example.org, chief@example.org")
        settings.get_settings.cache_clear()
        response = client.post("/summary/mail", data={"csrf_token": csrf_from(html)})
        assert response.status_code == 302
        assert "汇总已发送至 office@example.org, chief@example.org" in client.get("/summary").text
    finally:
        stop()
    (mail,) = server.messages
    assert mail.recipients == ["office@example.org", "chief@example.org"]
    assert mail.message["Subject"].startswith("每日汇总")
    text = mail.message.get_body(("plain",)).get_content()
    html_part = mail.message.get_body(("html",)).get_content()
    assert "新收建议: 3" in text and urgent in text and urgent in html_part


def test_taking_a_suggestion_oneself_sends_no_notification(client):
    reference = make_suggestion()
    client.post("/suggestions/bulk", data={"csrf_token": token(client), "ids": ids_of(reference),
                "action": "assign", "assignee": str(account_id("wang"))})  # fmt: skip
    assert stored(reference).assignee.username == "wang"
    with db.get_sessionmaker()() as session:
        assert session.scalars(select(StaffNotification)).all() == []
