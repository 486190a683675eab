"""The call-back number of a suggestion: held sealed, named in slots only by a reference.

The form's readers put the number they find into `suggestion_phone` as typed digits; before the
events leave the action server, `sealed_events` holds each number (`store/contact_repo.py`,
encrypted) and writes the slot as "138****5678 #<ref>": Rasa's events, and so its tracker store,
never see the number. A number typed in the turn's message at another step is held the same way
as `suggestion_phone_given`, for "打我刚才那个号码". A call-back refused ("不用打电话", a reply
in the chat, no reply) forgets every number held for the resident at once.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.exc import SQLAlchemyError

from actions import suggestion_reading as reading
from actions.helpers import identity
from language import pii
from store import contact_repo
from store.db import get_sessionmaker

logger = logging.getLogger(__name__)

PHONE, GIVEN, REPLY = "suggestion_phone", "suggestion_phone_given", "suggestion_reply"
_HELD = re.compile(r"^(?P<shown>.*) #(?P<ref>[A-Za-z0-9_\-]{16,})$")


def shown(value: str | None) -> str | None:
    """The masked number of a slot value ("138****5678"), for reading back to the resident."""
    if not value:
        return None
    held = _HELD.match(value)
    return held.group("shown") if held else pii.mask(value)


def ref_of(value: str | None) -> str | None:
    """The reference of the held number a slot value names, else None."""
    held = _HELD.match(value or "")
    return held.group("ref") if held else None


def _slot_events(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in events if e.get("event") == "slot" and e.get("name") == name]


def sealed_events(tracker: Tracker, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`events` with every typed number held and replaced by its reference (see the module)."""
    phones = [e for e in _slot_events(events, PHONE) if e.get("value") and not ref_of(e["value"])]
    typed = reading.find_phone(tracker.latest_message.get("text"))
    refused = any(e.get("value") in ("chat", "none") for e in _slot_events(events, REPLY))
    if typed and (phones or refused):
        typed = None  # already the call-back number, or refused with it
    if not (phones or typed or refused):
        return events
    who, added = identity(tracker), []
    try:
        with get_sessionmaker().begin() as session:
            if refused:
                contact_repo.forget(session, who)
            for event in phones:
                digits = reading.find_phone(event["value"]) or event["value"]
                ref = contact_repo.hold(session, who, digits)
                event["value"] = f"{pii.mask(digits)} #{ref}"
            if typed:
                ref = contact_repo.hold(session, who, typed)
                added.append({"event": "slot", "timestamp": None, "name": GIVEN,
                              "value": f"{pii.mask(typed)} #{ref}"})  # fmt: skip
    except SQLAlchemyError:  # the number is not kept: it is asked again when it is needed
        logger.exception("holding a call-back number failed")
        for event in phones:
            event["value"] = None
    if refused:
        added.append({"event": "slot", "timestamp": None, "name": GIVEN, "value": None})
    return [*events, *added]
