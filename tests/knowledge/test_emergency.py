"""The emergency line that fits a message comes first."""

from __future__ import annotations

import pytest

from knowledge.emergency import emergency_intents


@pytest.mark.parametrize(
    ("message", "first"),
    [
        ("楼下着火了", "hotline_emergency_fire"),
        ("家裡有煤氣味", "hotline_emergency_fire"),
        ("我爸突然晕倒了", "hotline_emergency_medical"),
        ("someone collapsed", "hotline_emergency_medical"),
        ("有小偷在撬门", "hotline_emergency_police"),
        ("救命", "hotline_emergency"),
    ],
)
def test_first_line_fits_the_emergency(message, first):
    intents = emergency_intents(message)
    assert intents[0] == first and intents[-1] == "hotline_emergency"
