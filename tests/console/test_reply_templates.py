"""The reply templates page through the console's routes: who may use it, CSRF, plain text
escaped on display, length limits and refusals that store nothing, each change audited."""

from __future__ import annotations

import re

import pytest

from store import audit_repo, db, template_repo
from tests.console.conftest import sign_in

NEW = {"new-category": "general", "new-sort_order": "3", "new-title_zh": "电话 & <联系>",
       "new-title_en": "We'll call", "new-text_zh": "工作人员会打电话给您 \"尽快\"。",
       "new-text_en": "Staff will call you."}  # fmt: skip


def csrf_from(html: str) -> str:
    """The page's CSRF token (its forms' fields are prefixed: `new-csrf_token`)."""
    return re.search(r'name="[a-z0-9-]*csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def client_of(app, username: str):
    client = app.test_client()
    sign_in(client, username)
    return client


def stored() -> list:
    with db.get_sessionmaker()() as session:
        return [(t.category_key, t.title_zh, t.text_zh, t.updated_by)
                for t in template_repo.list_templates(session)]  # fmt: skip


@pytest.mark.parametrize("username, status", [("wang", 200), ("admin", 200), ("li", 403)])
def test_those_who_handle_suggestions_and_admins_reach_the_page(app, username, status):
    client = client_of(app, username)
    assert client.get("/reply-templates").status_code == status
    assert ('id="reply-templates-link"' in client.get("/dashboard").text) == (status == 200)


def test_a_new_template_is_stored_audited_and_shown_escaped(app):
    client = client_of(app, "wang")
    page = client.get("/reply-templates").text
    assert client.post("/reply-templates", data=NEW).status_code == 400  # no CSRF token
    assert stored() == []
    response = client.post("/reply-templates", data=NEW | {"new-csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert stored() == [("general", "电话 & <联系>", '工作人员会打电话给您 "尽快"。', "wang")]
    page = client.get("/reply-templates").text
    assert 'value="电话 &amp; &lt;联系&gt;"' in page and "<联系>" not in page
    assert "工作人员会打电话给您 &#34;尽快&#34;。</textarea>" in page
    with db.get_sessionmaker()() as session:
        (entry,), _ = audit_repo.entries(session, object_type="reply_template")
    assert (entry.action, entry.actor, entry.after["title_en"]) == (
        "template_create", "wang", "We'll call")  # fmt: skip


@pytest.mark.parametrize(
    "change, says",
    [
        ({"new-text_zh": "长" * 2001}, "2000"),
        ({"new-title_zh": ""}, "This field is required"),
        ({"new-category": "nowhere"}, "Not a valid choice"),
        ({"new-text_en": "Click <a href='x'>here</a>"}, "模板只能是纯文本"),
    ],
)
def test_a_wrong_template_is_refused_kept_as_typed_and_nothing_stored(app, change, says):
    client = client_of(app, "wang")
    token = csrf_from(client.get("/reply-templates").text)
    response = client.post("/reply-templates", data=NEW | change | {"new-csrf_token": token})
    assert response.status_code in (200, 400) and says in response.text
    assert "We&#39;ll call" in response.text  # what was typed is still there
    assert stored() == []


def test_an_edit_and_a_deactivation_change_what_is_offered(app):
    with db.get_sessionmaker().begin() as session:
        template_repo.import_templates(session)
        (adopted,) = [t for t in template_repo.list_templates(session, category_key="general")
                      if t.title_zh == "已采纳"]  # fmt: skip
        key = adopted.id
    client = client_of(app, "admin")
    token = csrf_from(client.get("/reply-templates").text)
    fields = {f"t{key}-{name}": value for name, value in (
        ("category", "housing"), ("sort_order", "-1"), ("title_zh", "已采纳"),
        ("title_en", "Adopted"), ("text_zh", "已采纳，物业将于下周施工。"), ("text_en", ""),
        ("active", "y"), ("csrf_token", token))}  # fmt: skip
    assert client.post(f"/reply-templates/{key}", data=fields).status_code == 302
    assert ("housing", "已采纳", "已采纳，物业将于下周施工。", "admin") in stored()
    with db.get_sessionmaker()() as session:
        from store import clerk_repo

        housing = clerk_repo.templates_for(session, category_key="housing", language="zh")
        traffic = clerk_repo.templates_for(session, category_key="traffic", language="zh")
    assert housing[0] == {"title": "已采纳", "text": "已采纳，物业将于下周施工。"}
    assert "已采纳" not in [t["title"] for t in traffic]  # no longer a general one
    response = client.post(f"/reply-templates/{key}/deactivate", data={"csrf_token": token})
    assert response.status_code == 302
    with db.get_sessionmaker()() as session:
        housing = clerk_repo.templates_for(session, category_key="housing", language="zh")
        actions = [e.action for e in audit_repo.entries(session, object_type="reply_template")[0]]
    assert [t["title"] for t in housing] == ["已转物业和居委", "已收到，正在办理"]
    assert actions == ["template_deactivate", "template_update"]
