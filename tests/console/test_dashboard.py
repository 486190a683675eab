"""The dashboard page: who sees which part (403 for the wrong role), the range selector, the
JSON the charts are drawn from and its text alternative, and the Content-Security-Policy."""

from __future__ import annotations

import json
import re

import pytest

from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import analytics_repo, db
from store.suggestion_repo import shanghai_today
from tests.console.conftest import make_suggestion, sign_in


@pytest.fixture
def client(app):
    return app.test_client()


def charts(html: str) -> dict[str, dict]:
    block = re.search(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', html, re.S
    )
    return {chart["id"]: chart for chart in json.loads(block.group(1))}


def add_turns(*outcomes: str) -> None:
    with db.get_sessionmaker().begin() as session:
        for n, outcome in enumerate(outcomes):
            analytics_repo.record_turn(
                session, sender_hash=f"s{n}", channel="webchat", language="zh",
                intent="elevator_apply", confidence=0.9, outcome=outcome,
                entry_id="elevator_apply" if outcome == "answered" else None,
            )  # fmt: skip


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("username", "forbidden", "shown", "hidden"),
    [
        ("wang", "/dashboard/conversations", {"status", "category", "place"}, {"topic"}),
        ("li", "/dashboard/suggestions", {"topic", "channel", "outcome"}, {"status"}),
    ],
)
def test_each_role_sees_its_part_and_is_refused_the_other(
    client, username, forbidden, shown, hidden
):
    sign_in(client, username)
    page = client.get("/dashboard")
    assert page.status_code == 200
    found = set(charts(page.text))
    assert shown <= found and not hidden & found
    assert client.get(forbidden).status_code == 403


def test_an_admin_sees_both_parts_with_the_data(client):
    add_turns("answered", "answered", "fallback", "handoff")
    make_suggestion(location_std="延川路", category_key="elevator")
    make_suggestion()
    sign_in(client, "admin")

    page = client.get("/dashboard")

    drawn = charts(page.text)
    assert set(drawn) == {"topic", "channel", "outcome", "status", "category", "place"}
    assert drawn["outcome"]["datasets"][0]["data"] == [2, 0, 0, 0, 1, 1]  # questions only
    assert drawn["topic"]["datasets"][0] == {"label": "加装电梯", "data": [0] * 29 + [4]}
    assert drawn["topic"]["stacked"] is True and drawn["topic"]["dates"] is True
    assert drawn["status"]["labels"] == ["已收到"] and drawn["status"]["datasets"][0]["data"] == [2]
    assert dict(zip(drawn["place"]["labels"], drawn["place"]["datasets"][0]["data"], strict=True)) == {
        "延川路": 1, "其他/未注明": 1,
    }  # fmt: skip
    html = page.text
    assert "<dd>50%</dd>" in html  # answered share (of questions)
    assert re.search(r'<table class="data" id="table-outcome">.*已回答</th><td>2</td>', html, re.S)
    assert re.search(r'<table id="places">.*延川路</th><td>道路</td><td>1</td>', html, re.S)
    assert client.get("/dashboard/suggestions").status_code == 200
    assert client.get("/dashboard/conversations").status_code == 200


def test_the_answered_share_counts_questions_only(client):
    """Greetings, suggestion steps and ratings are turns, not questions: 2 of 3 questions."""
    add_turns("answered", "answered", "fallback", "conversation", "conversation", "suggestion",
              "rating")  # fmt: skip
    sign_in(client, "li")
    html = client.get("/dashboard").text
    assert re.search(r'<div id="figure-answered_share" title="[^"]*一般性回答[^"]*">'
                     r"<dt>问题已回答占比</dt><dd>67%</dd>", html)  # fmt: skip
    assert '<div id="figure-turns_total"><dt>消息总数</dt><dd>7</dd>' in html
    assert "<dt>其他对话（寒暄、提建议、评价）</dt><dd>4</dd>" in html
    assert "只含问题" in html


def test_answered_is_what_is_known_and_the_chart_is_its_table(client):
    """A general answer (an entry `…_other`) or an answer rated 👎 is not "answered"; the
    emergency numbers are; the doughnut and its table are the same rows, fallback included."""
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))

        def turn(n, outcome, intent, entry=None):
            return analytics_repo.record_turn(
                session, sender_hash=f"s{n}", channel="webchat", language="zh", intent=intent,
                confidence=0.9, outcome=outcome, entry_id=entry, masked_text=None,
            )  # fmt: skip

        turn(1, "answered", "elevator_apply", "elevator_apply")
        turn(2, "answered", "community_other", "community_other")  # 社区食堂几点开门
        rated = turn(3, "answered", "elevator_apply", "elevator_apply")
        turn(4, "handoff", "hotline_emergency", None)  # 有人晕倒了 → 120
        turn(5, "handoff", "out_of_scope", None)
        turn(6, "fallback", "nlu_fallback", None)
        session.flush()
        analytics_repo.rate_answer(session, turn_id=rated.id, sender_hash="s3", rating="down")
    sign_in(client, "li")
    html = client.get("/dashboard").text
    outcome = charts(html)["outcome"]
    rows = dict(zip(outcome["labels"], outcome["datasets"][0]["data"], strict=True))
    assert rows == {"已回答": 1, "给出紧急电话": 1, "一般性回答（知识库未覆盖）": 1,
                    "已回答但被点👎": 1, "未确定（给出选项）": 1, "转12345": 1}  # fmt: skip
    assert "table" not in outcome  # the table is drawn from the chart's own data
    table = re.search(r'<table class="data" id="table-outcome">.*?</table>', html, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table) == [
        (label, str(n)) for label, n in rows.items()
    ]
    assert "<dd>33%</dd>" in html  # 2 of 6 known to be answered


def test_the_range_is_7_30_or_90_days_and_30_otherwise(client):
    sign_in(client, "li")
    for asked, days in (("7", 7), ("90", 90), ("", 30), ("1000", 30), ("x", 30), ("9" * 5000, 30),
                        ("٧", 30)):  # fmt: skip
        drawn = charts(client.get(f"/dashboard?days={asked}").text)
        assert len(drawn["topic"]["labels"]) == days
        assert drawn["topic"]["labels"][-1] == shanghai_today().isoformat()


def test_english_words_and_no_inline_script_under_the_policy(client):
    sign_in(client, "admin")
    client.get("/lang/en")
    page = client.get("/dashboard")
    assert (
        "Messages per day by topic" in page.text and "Median time to a closing reply" in page.text
    )
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'self' rules
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    for tag in re.findall(r"<script[^>]*>", page.text):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert 'src="/static/vendor/chart.js-4.6.1/chart.umd.min.js"' in page.text
    assert client.get("/static/vendor/chart.js-4.6.1/chart.umd.min.js").status_code == 200
    assert client.get("/static/dashboard.js").status_code == 200


def test_a_resident_text_cannot_break_out_of_the_json_block(client):
    with db.get_sessionmaker().begin() as session:
        analytics_repo.record_turn(
            session, sender_hash="s", channel="</script><script>alert(1)</script>", language="zh",
            intent="x", confidence=None, outcome="fallback",
        )  # fmt: skip
    sign_in(client, "li")
    page = client.get("/dashboard").text
    assert "<script>alert(1)" not in page
    assert charts(page)["channel"]["datasets"][0]["label"].startswith("</script>")


def test_a_turn_without_a_topic_is_shown_as_not_given(client):
    with db.get_sessionmaker().begin() as session:
        analytics_repo.record_turn(session, sender_hash="s", channel="telegram", language="zh",
                                   intent="", confidence=None, outcome="handoff")  # fmt: skip
    sign_in(client, "li")
    drawn = charts(client.get("/dashboard").text)
    assert drawn["topic"]["datasets"] == [{"label": "未注明", "data": [0] * 29 + [1]}]
    assert drawn["channel"]["datasets"][0]["label"] == "Telegram"
