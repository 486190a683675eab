"""Social turns (greeting, thanks, yes / no outside a flow, what the assistant is), out-of-scope
messages and a cancel with nothing to cancel: the domain's response, and the turn's analytics row.
An "out of scope" message that is an example question staff added since training is answered."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq, answer_staff_example
from actions.followup import follow_up_intent
from actions.helpers import record_own_turn, reply_language
from actions.suggestion_drafts import restorable
from actions.suggestions import ANNOUNCE_CLEARLY, ActionStartSuggestion, announces
from language.catalogue import say
from language.nlp import mask
from language.reference import find_reference
from language.report import quote, stating_sentence

# intent → (response, analytics outcome)
REPLIES = {
    "greet": ("utter_greet", "conversation"),
    "goodbye": ("utter_goodbye", "conversation"),
    "thank": ("utter_thank", "conversation"),
    "affirm": ("utter_affirm", "conversation"),
    "deny": ("utter_deny", "conversation"),
    "bot": ("utter_bot", "conversation"),
    "out_of_scope": ("utter_out_of_scope", "handoff"),  # points to 12345
    "suggestion_cancel": ("utter_suggestion_nothing_open", "suggestion"),
}
# replies that answered a suggestion's step: pressed or typed after the draft was cancelled
STALE = {"affirm", "deny", "suggestion_cancel"}


def report_fact(dispatcher: CollectingDispatcher, tracker: Tracker) -> list | None:
    """A question about the town the report answers, read as out of scope ("信泰中心啥辰光造好？"):
    the report's sentence with its section; None when the report states no such fact."""
    question, lang = tracker.latest_message.get("text") or "", reply_language(tracker)
    sentence = stating_sentence(question)  # only on a clear match (language/report.py)
    if sentence is None:
        return None
    dispatcher.utter_message(text=f"{quote(sentence, lang)}\n\n{say('not_in_entries', lang)}")
    record_own_turn(tracker, outcome="answered", lang=lang)
    return []


def saved_just_before(tracker: Tracker) -> str | None:
    """The number of the suggestion the resident's previous message saved: a "确认提交" sent again
    (its reply lost on the way, a bridge restarting) is told that number; nothing is saved twice."""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    if len(users) < 2:
        return None
    between = tracker.events[users[-2] + 1 : users[-1]]
    saved = any(e.get("event") == "slot" and e.get("name") == "suggestion_outcome"
                and e.get("value") == "saved" for e in between)  # fmt: skip
    texts = (e.get("text") or "" for e in between if e.get("event") == "bot")
    return next((r for r in map(find_reference, texts) if r), None) if saved else None


class ActionAnswerConversation(Action):
    """Utters the response for the turn's intent (the domain's text in the resident's language)."""

    def name(self) -> str:
        return "action_answer_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        if intent in ("out_of_scope", "greet", "bot") and announces(tracker, ANNOUNCE_CLEARLY):
            # "我要投诉": a suggestion is coming, ask what it is
            started = await ActionStartSuggestion().run(dispatcher, tracker, domain)
            return [*started, FollowupAction("suggestion_form")]
        if intent == "out_of_scope" and follow_up_intent(tracker):  # "那钱是谁出的？"
            return await ActionAnswerFaq().run(dispatcher, tracker, domain)
        if intent == "out_of_scope":  # unless it is an example question staff added since training
            answered = answer_staff_example(dispatcher, tracker)
            if answered is not None:
                return answered
            answered = report_fact(dispatcher, tracker)  # or a fact the report states clearly
            if answered is not None:
                return answered
        response, outcome = REPLIES.get(intent, ("utter_default", "fallback"))
        if intent == "affirm" and (reference := saved_just_before(tracker)):
            dispatcher.utter_message(response="utter_suggestion_already_saved", reference=reference)
            record_own_turn(tracker, outcome="suggestion", lang=reply_language(tracker))
            return []
        if intent in STALE and restorable(tracker):  # say plainly what became of the draft
            response = "utter_suggestion_was_cancelled"
        dispatcher.utter_message(response=response)
        text = tracker.latest_message.get("text") or ""
        record_own_turn(tracker, outcome=outcome, lang=reply_language(tracker),
                        masked_text=mask(text) if outcome in ("handoff", "fallback") else None)  # fmt: skip
        return []


class ActionDefaultFallback(Action):
    """Rasa's own fallback when no rule applies (its default, plus the turn's analytics row)."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_default")
        text = tracker.latest_message.get("text") or ""
        record_own_turn(tracker, outcome="fallback", masked_text=mask(text))
        return [UserUtteranceReverted()]
