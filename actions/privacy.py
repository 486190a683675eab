"""'删除我的信息': delete a resident's contact details and identity link, as the PI law requires.

Asked first in every channel (the rules in `nlu_data/suggestion_privacy.yml`): "delete my data"
gets the question with a yes and a no; only a yes to that question deletes. A yes is the intent
`affirm` ("是", a button's `/affirm`, or a typed reply the model reads as one) in which the
form's act model (`form_act`, read as at the suggestion form's read-back; its data has the replies
to this question as the step `delete`) reads no refusal, so "不要删", "算了", "no" or "不可以"
never delete; or the request said again ("确认删除", read as `suggestion_delete_data`) that the
act model reads as a yes. A repeated request it reads as a refusal ("别删了", "好的不删了") keeps
everything, and one it reads as neither is asked again: a refusal never leaves the question open,
so a following "好的" is no late yes. Anything else is answered as usual and deletes nothing.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.helpers import identity, record_own_turn, record_turn, reply_language
from language.form_acts import act_at
from store import privacy_repo
from store.db import get_sessionmaker

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
    """The latest message is a yes: the intent `affirm` ("是", "好的", a button's `/affirm`)
    in which the act model reads no refusal ("不可以" is read as a no), or the request said
    again ("确认删除", "yes, delete it") that the act model reads as a yes."""
    latest = tracker.latest_message
    intent = (latest.get("intent") or {}).get("name")
    act, share = act_of(tracker)
    if intent == "affirm":
        return act not in REFUSALS if act else str(latest.get("text") or "").startswith("/affirm")
    return intent == "suggestion_delete_data" and act == "affirm" and share >= YES_ACT


def asks_again(tracker: Tracker) -> bool:
    """ "Delete my data" once more at the question, neither a yes (`says_yes`) nor a refusal
    ("别删了", "删吧" read as a cancel: kept, and said so): asked again."""
    if (tracker.latest_message.get("intent") or {}).get("name") != "suggestion_delete_data":
        return False
    return act_of(tracker)[0] not in REFUSALS and not says_yes(tracker)


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
        if asked(tracker) and asks_again(tracker):  # (a yes said as the request deletes below)
            return [FollowupAction(ASK)]  # it records the turn
        if not (asked(tracker) and says_yes(tracker)):
            record_own_turn(tracker, outcome="conversation")
            dispatcher.utter_message(response="utter_data_kept")
            return []
        with get_sessionmaker().begin() as session:
            record_turn(session, tracker, lang=reply_language(tracker), outcome="conversation")
            count = privacy_repo.delete_personal_data(session, sender_hash=identity(tracker))
        dispatcher.utter_message(response="utter_data_deleted", count=count)
        return [AllSlotsReset()]
