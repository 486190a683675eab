"""A short follow-up is read within the topic of the answer before it."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.followup import follow_up_intent

WITHIN = {"elevator": {"name": "elevator_cost", "confidence": 0.6},
          "assistance": {"name": "assistance_apply", "confidence": 0.9}}  # fmt: skip


def tracker(text: str, intent: str, confidence: float, last_topic: str | None = "elevator"):
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "topic_intents": WITHIN}  # fmt: skip
    return Tracker("r", {"last_topic": last_topic}, latest, [], False, None, {}, "action_listen")


def test_a_short_message_read_as_out_of_scope_follows_the_previous_topic():
    assert follow_up_intent(tracker("那钱是谁出的？", "out_of_scope", 0.65)) == "elevator_cost"


def test_a_faint_other_topic_gives_way_to_the_previous_one():
    assert follow_up_intent(tracker("开工的呢", "employment_other", 0.37)) == "elevator_cost"


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "last_topic"),
    [("低保怎么申请", "assistance_apply", 0.9, "elevator"),  # a new question, surely read
     ("谢谢", "thank", 0.5, "elevator"),  # the conversation itself
     ("那钱是谁出的？", "out_of_scope", 0.65, None),  # nothing answered before
     ("那么我想再问一下关于这个事情的钱到底是谁出的呢", "out_of_scope", 0.65, "elevator")],
)  # fmt: skip
def test_no_follow_up(text, intent, confidence, last_topic):
    assert follow_up_intent(tracker(text, intent, confidence, last_topic)) is None
