"""The report's other topics over real HTTP: services, assistance, housing and community."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


def ask(stack, question: str) -> str:
    replies = stack.send(f"test-{uuid.uuid4().hex[:8]}", question)
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("一网通办是什么", ["一网通办", "2021年12月", "12345"]),
        ("不会用手机办事有人帮吗", ["帮办", "12345"]),
        ("镇里帮困救助了多少人次", ["13.43万人次", "9200多万元", "2021年12月"]),
        ("低保怎么申请", ["低保", "居委会", "12345"]),
        ("家里困难揭不开锅了", ["低保", "12345"]),
        ("旧住房综合修缮是什么", ["110余万平方米", "554个美丽楼组", "2021年12月"]),
        ("隔壁群租怎么办", ["群租", "12345"]),
        ("楼道堆物有人管吗", ["楼道堆物", "12345"]),
        ("垃圾分类怎么分", ["生活垃圾分类示范街镇", "2021年12月"]),
        ("长征杯是什么比赛", ["长征杯舞蹈大赛", "长征杯朗诵大赛"]),
        ("健身步道有几条", ["健身步道21条", "2021年12月"]),
        ("飞线充电有人管吗", ["集中充电设施", "12345"]),
    ],
)
def test_the_reports_other_topics_get_sourced_answers(stack, question, expected):
    reply = ask(stack, question)
    assert "来源" in reply
    for fragment in expected:
        assert fragment in reply, f"{fragment!r} missing from {reply!r}"


def test_an_english_question_on_a_new_topic_gets_an_english_answer(stack):
    reply = ask(stack, "How many fitness trails are there?")
    assert "21 fitness trails" in reply and "December 2021" in reply
