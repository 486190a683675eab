"""The dashboard in headless Chromium after scripted conversations with the real assistant
(trained model, action server, Rasa): Chart.js draws every chart from the same counts as the
database, under the console's Content-Security-Policy; the screenshot goes to the docs."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import uuid

import pytest

from console.words import topic_label
from core.settings import ROOT
from store import dashboard_repo, db, reply_repo, suggestion_repo
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import make_suggestion
from tests.console.stack_console import console_on_stack

QUESTIONS = ["加装电梯怎么申请", "12345怎么打", "镇里装了多少台电梯", "长护险怎么申请评估"]
UNCLEAR = ["电梯和养老那个事情咋弄", "那个事情"]  # offered as buttons, or 12345
DRAWN = """() => Object.fromEntries([...document.querySelectorAll('canvas')].map(c => {
  const chart = Chart.getChart(c);
  return [c.id, chart && {type: chart.config.type, labels: chart.data.labels, width: c.width,
                          data: chart.data.datasets.map(d => [d.label, d.data])}];
}))"""


@pytest.fixture
def admin_console(stack, monkeypatch):
    with console_on_stack(stack, monkeypatch, "admin") as (url, username):
        yield url, username


def converse(stack) -> None:
    resident = f"dash-{uuid.uuid4().hex[:8]}"
    for question in QUESTIONS:
        assert stack.send(resident, question)
    for message in UNCLEAR:
        assert stack.send(f"dash-{uuid.uuid4().hex[:8]}", message)


def suggest() -> None:
    """Two suggestions as the conversation stores them; one answered and closed."""
    make_suggestion("建议延川路增设红绿灯", location_std="延川路", category_key="other")
    reference = make_suggestion("楼道堆物没人管")
    with db.get_sessionmaker().begin() as session:
        made = suggestion_repo.get_by_reference(session, reference=reference)
        reply_repo.publish_reply(session, made, text="已安排清理。", by="test",
                                      close_as="answered")  # fmt: skip


async def test_the_dashboard_draws_the_databases_counts_after_real_conversations(
    browser, stack, admin_console
):
    converse(stack)
    suggest()
    with db.get_sessionmaker()() as session:
        talk = dashboard_repo.conversations(session, days=30)
        found = dashboard_repo.suggestions(session, days=30)
    assert talk.outcomes.get("answered", 0) >= len(QUESTIONS)
    assert found.closed >= 1 and found.median_closing_seconds is not None

    console, admin = admin_console
    page = await signed_in(browser, console, admin)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto(f"{console}/dashboard")
    await page.wait_for_selector("body[data-charts-drawn=true]")
    drawn = await page.evaluate(DRAWN)

    assert set(drawn) == {f"chart-{n}" for n in ("topic", "channel", "outcome", "status",
                                                   "category", "place")}  # fmt: skip
    assert all(chart and chart["width"] > 0 for chart in drawn.values())
    outcome = drawn["chart-outcome"]
    assert outcome["type"] == "doughnut" and outcome["labels"][0] == "已回答"
    assert outcome["data"][0][1] == [talk.outcomes.get(o, 0) for o in dashboard_repo.QUESTIONS]
    topic = drawn["chart-topic"]
    assert topic["labels"] == talk.days
    assert {label: data for label, data in topic["data"]} == {
        topic_label(key, "zh"): data for key, data in talk.by_topic.items()
    }
    assert sum(sum(data) for _, data in topic["data"]) == talk.total
    assert "elevator" in talk.by_topic
    assert sum(sum(data) for _, data in drawn["chart-channel"]["data"]) == talk.total
    status = dict(zip(drawn["chart-status"]["labels"], drawn["chart-status"]["data"][0][1],
                      strict=True))  # fmt: skip
    assert status == {suggestion_repo.STATUS_NAMES["zh"][s]: n for s, n in found.by_status.items()}
    places = dict(zip(drawn["chart-place"]["labels"], drawn["chart-place"]["data"][0][1],
                      strict=True))  # fmt: skip
    assert places["延川路"] == dict((p, n) for p, _, n in found.places)["延川路"] >= 1
    assert await page.inner_text("#figure-overdue_now dd") == str(found.overdue)
    assert await page.inner_text("#figure-closed_total dd") == str(found.closed)
    assert "延川路" in await page.inner_text("#places")
    await page.click("#h-outcome ~ details summary")
    assert await page.is_visible("#table-outcome")
    assert refused == []

    await page.screenshot(path=str(ROOT / "docs" / "console-dashboard.png"), full_page=True)


X_TICKS = """id => Chart.getChart(document.getElementById(id)).scales.x.ticks
  .filter(t => t.label).map(t => t.label)"""


@pytest.mark.parametrize("width", [390, 1280])
async def test_the_last_day_of_30_always_has_its_date_label(browser, console, width):
    page = await signed_in(browser, console, "li", viewport={"width": width, "height": 900})
    await page.goto(f"{console}/dashboard?days=30")
    await page.wait_for_selector("body[data-charts-drawn=true]")
    today = suggestion_repo.shanghai_today().isoformat()[5:]
    for chart in ("chart-topic", "chart-channel"):
        labels = await page.evaluate(X_TICKS, chart)  # the dates written under the axis
        assert labels[-1] == today and 2 <= len(labels) < 30  # skipped back from the last day
