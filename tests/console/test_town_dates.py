"""The console's dates are the town's (Asia/Shanghai), read from the one clock, never the server's
`date.today()`: a new entry's review date, the not-reviewed list, an export's file name and its
submission times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core import clock
from core.settings import get_settings
from knowledge import faq_sync
from knowledge.entries_io import load_entries
from store import db
from store.models import FaqEntry, Suggestion
from tests.console.conftest import make_suggestion, sign_in

# A fixed clock far from any real today: 2031-04-01 02:30 in Shanghai, still 31 March in UTC.
FAR = datetime(2031, 3, 31, 18, 30, tzinfo=UTC)


@pytest.fixture
def at_far(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FAR)


def test_a_new_entry_form_proposes_the_town_s_date(app, at_far):
    client = app.test_client()
    sign_in(client, "li")
    assert 'value="2031-04-01"' in client.get("/entries/new").text


def test_the_not_reviewed_list_counts_from_the_town_s_date(app, at_far):
    with db.get_sessionmaker().begin() as session:
        faq_sync.import_entries(session, load_entries(get_settings().entries_dir))
        for row in session.scalars(select(FaqEntry)):
            row.last_reviewed = date(2031, 3, 31)
        session.get(FaqEntry, "elevator_progress").last_reviewed = date(2030, 3, 1)
    client = app.test_client()
    sign_in(client, "li")
    listed = client.get("/entries?attention=stale").text  # 12 months: before 2030-04-06
    assert "elevator_progress" in listed and "hotline_contact" not in listed


def test_an_export_is_named_and_timed_in_the_town_s_zone(app, at_far):
    reference = make_suggestion()
    with db.get_sessionmaker().begin() as session:
        session.scalars(select(Suggestion)).one().created_at = FAR - timedelta(hours=1)
    client = app.test_client()
    sign_in(client, "wang")
    exported = client.get("/suggestions/export.csv")
    assert "suggestions-20310401.csv" in exported.headers["Content-Disposition"]
    row = next(line for line in exported.text.splitlines() if reference in line)
    assert "2031-04-01 01:30" in row  # 17:30 UTC on the 31st
