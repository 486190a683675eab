"""'删除我的信息': delete a resident's contact details and identity link, as the PI law requires.

Asked first in every channel (the rules in `nlu_data/suggestion_privacy.yml`): "delete my data"
gets the question with a yes and a no; only a yes to that question deletes. A yes is the intent
`affirm` (a button's `/affirm`, or a typed reply the model reads as one) that the form's act model
(`form_act`, read as at the suggestion form's read-back; its data has the replies to this question
as the step `delete`) reads as a yes too, so "不要删", "算了", "no" or "不可以" never delete. A
repeated request ("确定删除", read as `suggestion_delete_data`) is asked again, unless the act
model reads a refusal in it ("别删了", "好的不删了"): a refusal never leaves the question open, so
a following "好的" is no late yes. Anything else is answered as usual and deletes nothing.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.helpers import identity, record_own_turn, record_turn, reply_language
from knowledge import suggestion_repo
from knowledge.db import get_sessionmaker
from language.form_acts import act_at

ASK = "action_ask_delete_my_data"
YES_ACT = 0.5  # the act model's share for "affirm" among the acts possible at a confirmation
REFUSALS = {"deny", "cancel", "hold"}


def asked(tracker: Tracker) -> bool:
    """The assistant's last action before the resident's latest message asked to confirm."""
    latest = max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=-1)
    for event in reversed(tracker.events[:latest]):
        if event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name") == ASK
    return False


def act_of(tracker: Tracker) -> tuple[str | None, float]:
    """The act model's reading of the latest message, as at a confirmation (None: no words)."""
    latest = tracker.latest_message
    ranking = [(r["name"], r["confidence"]) for r in latest.get("form_act_ranking") or []]
    return act_at("confirm", ranking) if ranking else (None, 0.0)


def says_yes(tracker: Tracker) -> bool:
    """The latest message is a yes: the intent `affirm` that the act model reads as a yes too
    (a button's `/affirm` is not read by the model: it has no words)."""
    latest = tracker.latest_message
    if (latest.get("intent") or {}).get("name") != "affirm":
        return False
    act, share = act_of(tracker)
    if act is None:
        return str(latest.get("text") or "").startswith("/affirm")
    return act == "affirm" and share >= YES_ACT


def asks_again(tracker: Tracker) -> bool:
    """ "Delete my data" once more at the question ("确定删除"): asked again, unless the act model
    reads a refusal in it ("别删了")."""
    if (tracker.latest_message.get("intent") or {}).get("name") != "suggestion_delete_data":
        return False
    return act_of(tracker)[0] not in REFUSALS


class ActionAskDeleteMyData(Action):
    """ "Delete my data?" with a yes and a no: nothing is deleted before a yes."""

    def name(self) -> str:
        return ASK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        record_own_turn(tracker, outcome="conversation")
        dispatcher.utter_message(response="utter_ask_delete_my_data")
        return []


class ActionDeleteMyData(Action):
    """The answer to "delete my data?": a yes clears phone numbers, reply addresses and the
    identity link (conversations go at the next purge); anything else keeps everything."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if asked(tracker) and asks_again(tracker):
            return [FollowupAction(ASK)]  # it records the turn
        if not (asked(tracker) and says_yes(tracker)):
            record_own_turn(tracker, outcome="conversation")
            dispatcher.utter_message(response="utter_data_kept")
            return []
        with get_sessionmaker().begin() as session:
            record_turn(session, tracker, lang=reply_language(tracker), outcome="conversation")
            count = suggestion_repo.delete_personal_data(session, sender_hash=identity(tracker))
        dispatcher.utter_message(response="utter_data_deleted", count=count)
        return [AllSlotsReset()]
