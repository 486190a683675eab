"""The act the form reads at a step (`language/form_acts.py` `act_at`, over the ranking the form
step model gives every message), on 10,000 generated rankings: always an act the model ranked and
one possible at the step (when any is), with a share between 0 and 1."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from language.form_acts import ACTS, NOT_AT, act_at
from tests.resident_text import PROPERTY


def ranking(seed: int) -> list[tuple[str, float]]:
    """What the model gives (drawn from one integer): some acts, best first, with probabilities
    that may be zero or not add up to one."""
    rng = random.Random(seed)
    acts = rng.sample(ACTS, rng.randint(1, len(ACTS)))
    weights = [rng.choice([0.0, rng.random(), 1.0]) for _ in acts]
    return sorted(zip(acts, weights, strict=True), key=lambda pair: -pair[1])


@PROPERTY
@given(st.sampled_from([*NOT_AT, "category", "location", "phone", "go_on", ""]),
       st.integers(0, 2**32).map(ranking))  # fmt: skip
def test_the_act_read_at_a_step_is_one_ranked_and_possible_there(step, ranked):
    name, share = act_at(step, ranked)
    possible = [act for act, _ in ranked if act not in NOT_AT.get(step, ())]
    assert name == (possible or [ranked[0][0]])[0] and 0 <= share <= 1
