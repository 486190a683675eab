"""👍 / 👎 after an answer: the two buttons, and `action_rate_answer`, which stores the rating
against the answer's analytics turn (the resident's own only; pressing again changes it)."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.helpers import identity, record_turn, reply_language
from language.catalogue import say
from store import analytics_repo
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)
RATE_INTENT = "bot_rate_answer"
EMOJI = {"up": "👍", "down": "👎"}
THANKS = {"up": "rating_thanks_up", "down": "rating_thanks_down", None: "rating_thanks"}  # keys


_NOT_CONTENT = re.compile(r"[\W_👍👎🏻🏼🏽🏾🏿]+")


def is_only_a_rating(text: str | None) -> bool:
    """A pressed button (its payload) or thumbs alone: "👍", "👎👎!" — not "环境卫生👍", which
    answers something else and only smiles while doing so."""
    text = (text or "").strip()
    return text.startswith("/") or not _NOT_CONTENT.sub("", text)


def rating_buttons(turn_id: int, lang: str) -> list[dict[str, str]]:
    """👍 and 👎 for the answer recorded as `turn_id`; the payload names the turn."""
    titles = {"up": say("rating_up", lang), "down": say("rating_down", lang)}
    return [
        {"title": titles[r], "payload": f'/{RATE_INTENT}{{"rating":"{r}","turn":"{turn_id}"}}'}
        for r in EMOJI
    ]


def read_rating(tracker: Tracker) -> tuple[str | None, int | None]:
    """The rating (up / down) and the rated turn the message names; a typed 👍 or 👎 alone names
    no turn: it rates the latest answer when that is not rated yet, else it is only thanks."""
    values = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities") or []}
    rating = values.get("rating") if values.get("rating") in EMOJI else None
    if rating is None:
        text = tracker.latest_message.get("text") or ""
        found = [r for r, emoji in EMOJI.items() if emoji in text]
        rating = found[0] if len(found) == 1 else None
    turn = str(values.get("turn") or "")
    return rating, int(turn) if turn.isdigit() and len(turn) <= 9 else None  # an INTEGER id


def store_rating(tracker: Tracker, lang: str) -> str | None:
    """Record this turn and rate the answer it names; the rating stored, or None."""
    rating, turn_id = read_rating(tracker)
    try:
        with get_sessionmaker().begin() as session:
            record_turn(session, tracker, lang=lang, outcome="rating")
            if rating is None:
                return None
            rated = analytics_repo.rate_answer(
                session, sender_hash=identity(tracker), rating=rating, turn_id=turn_id
            )
            return rating if rated else None
    except SQLAlchemyError:
        logger.exception("rating not stored")
        return None


def thank(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Store the rating and say thanks (for 👎 also: ask again in other words, or call 12345)."""
    lang = reply_language(tracker)
    dispatcher.utter_message(text=say(THANKS[store_rating(tracker, lang)], lang))


class ActionRateAnswer(Action):
    """A 👍 / 👎 pressed (or typed) after an answer."""

    def name(self) -> str:
        return "action_rate_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        thank(dispatcher, tracker)
        return []
