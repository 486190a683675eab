"""The worst-rated entries page: editors and admins see the entries residents rated 👎 most."""
# ruff: noqa: F811  (fixtures are imported from tests.bot.webchat_fixtures)

from __future__ import annotations

import re

import pytest

from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import analytics_repo, db
from tests.bot.webchat_fixtures import browser  # noqa: F401
from tests.console.browser import signed_in
from tests.console.conftest import sign_in

VOTES = {"elevator_progress": ["up", "up", "up", "down"], "hotline_contact": ["down", "down", "up"],
         "eldercare_overview": ["up"]}  # fmt: skip


@pytest.fixture
def rated(app):
    """The entries imported, and residents' ratings of three of them."""
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        for entry, votes in VOTES.items():
            for i, rating in enumerate(votes):
                turn = analytics_repo.record_turn(
                    session, sender_hash=f"{entry}-{i}", channel="rest", language="zh",
                    intent=entry, confidence=0.9, outcome="answered", entry_id=entry,
                )  # fmt: skip
                session.flush()
                analytics_repo.rate_answer(session, sender_hash=turn.sender_hash, rating=rating)
    return app


def rows(html: str) -> list[str]:
    table = html.split('id="ratings"', 1)[1]
    return re.findall(r'href="/entries/([a-z_]+)"', table)


def test_editors_see_the_worst_rated_first_with_counts_and_links(rated):
    client = rated.test_client()
    sign_in(client, "li")
    html = client.get("/ratings").text
    assert rows(html) == ["hotline_contact", "elevator_progress", "eldercare_overview"]
    assert "<td>1</td><td>2</td><td>67%</td>" in html  # hotline: 1 👍, 2 👎
    assert "<td>3</td><td>1</td><td>25%</td>" in html
    assert 'href="/ratings"' in client.get("/entries").text  # in the navigation


def test_the_page_is_for_editors_and_admins_only(rated):
    reviewer = rated.test_client()
    sign_in(reviewer, "wang")
    assert reviewer.get("/ratings").status_code == 403
    assert rated.test_client().get("/ratings").status_code == 302  # to sign in
    admin = rated.test_client()
    sign_in(admin, "admin")
    assert admin.get("/ratings").status_code == 200


def test_no_ratings_yet_says_so(app):
    client = app.test_client()
    sign_in(client, "li")
    assert "还没有评价" in client.get("/ratings").text


async def test_the_page_in_a_browser_leads_to_the_entry(browser, rated, console):
    page = await signed_in(browser, console, "li")
    await page.click("nav >> text=差评最多的条目")
    first = page.locator("#ratings tbody tr").first
    assert "2" in await first.locator("td").nth(2).inner_text()
    title = await first.locator("a").inner_text()
    await first.locator("a").click()
    await page.wait_for_load_state()
    assert page.url.endswith("/entries/hotline_contact")
    assert await page.input_value("#title_zh") == title
    await page.goto(f"{console}/lang/en?next=/ratings")
    assert "Worst-rated entries" in await page.inner_text("h1")
