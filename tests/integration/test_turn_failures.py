"""A turn whose conversation could not be saved (the tracker store refusing it: a database
restarting) is answered with the apology alone, never with the replies Rasa had collected: what the
resident sees is what the conversation recorded. Sent again once the database is back, the message
goes on from there, and a suggestion confirmed during the failed turn is stored once, under the
number the resident is then shown. Real Rasa, action server and tracker store (SQLite or
PostgreSQL, as DATABASE_URL says)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from language.catalogue import say as catalogue_say
from language.reference import find_reference
from tests.integration.resident_talk import answer_until_read_back, resident, say, stored

pytestmark = pytest.mark.integration


@contextmanager
def tracker_store_refuses(stack, who: str):
    """While inside, the tracker store's database refuses to save any event of `who`."""
    url = stack.tracker_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as connection:
        if postgres:
            connection.execute(text(
                "CREATE OR REPLACE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused'; END $$"
            ))  # fmt: skip
            connection.execute(text(
                "CREATE TRIGGER refuse BEFORE INSERT ON events FOR EACH ROW "
                f"WHEN (NEW.sender_id = '{who}') EXECUTE FUNCTION refuse_event()"
            ))  # fmt: skip
        else:
            connection.execute(text(
                f"CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.sender_id = '{who}' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            ))  # fmt: skip
    try:
        yield
    finally:
        with engine.connect() as connection:
            connection.execute(text("DROP TRIGGER refuse" + (" ON events" if postgres else "")))
        engine.dispose()


def test_a_turn_not_saved_shows_the_apology_and_the_form_goes_on_from_what_was_saved(stack):
    who = resident()
    asked = say(stack, who, "建议在枣阳路菜场门口加几个停非机动车的位置")
    answer = "对" if "对吗" in asked else "其他"
    with tracker_store_refuses(stack, who):
        failed = say(stack, who, answer)
    assert failed == catalogue_say("apology")  # not the next question it had collected
    again = say(stack, who, answer)  # sent again: the form goes on from the saved question
    assert again != failed and "请核对" in answer_until_read_back(stack, who, again)


def test_a_confirmation_not_saved_in_the_conversation_is_stored_once_under_the_number_shown(stack):
    who, before = resident(), stored(stack)
    answer_until_read_back(stack, who, say(stack, who, "建议在梅川路步行街多放几张长椅给老人歇脚"))
    with tracker_store_refuses(stack, who):
        failed = say(stack, who, "确认提交")  # the action stored it; the conversation did not
    assert failed == catalogue_say("apology") and find_reference(failed) is None
    reference = find_reference(say(stack, who, "确认提交"))  # sent again once the store is back
    assert reference and stored(stack, reference) is not None
    assert stored(stack) == before + 1  # the draft stored once, under the number shown
    rasa_log = (stack.log_dir / "rasa.log").read_text()
    assert "turn failed" in rasa_log and "梅川路" not in rasa_log  # logged, without her words
