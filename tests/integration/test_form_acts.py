"""The trained model reads what a reply does at a form step, for phrasings it was never given.

Each row: the step, a reply written for this test (none is in `nlu_data/`), and the acts that
would be right there. Refusals are never read as a yes; a refused call never as a call-back.
"""

from __future__ import annotations

import httpx
import pytest

from language.form_acts import act_at
from tests.stack import AUTH_TOKEN
from tests.test_nlu_data import TRAIN, step_texts

pytestmark = pytest.mark.integration

ROWS = [
    ("confirm", "别急着交，我明天再看看", {"hold", "cancel"}),
    ("confirm", "不要交上去，我不想提了", {"cancel", "hold"}),
    ("confirm", "没问题了，交上去吧", {"affirm"}),
    ("confirm", "类别选错了，应该是为老服务", {"correct_category"}),
    ("confirm", "地方写错了，是梅川路不是中江路", {"correct_place"}),
    ("confirm", "再加一句：晚上八点以后最吵", {"correct_text"}),
    ("confirm", "don't send it yet please", {"hold", "cancel"}),
    ("confirm", "ok send it", {"affirm"}),
    ("reply", "勿要打电话，阿拉耳朵勿灵，就在这里回", {"reply_chat"}),
    ("reply", "回复就不用了，电话也不留", {"reply_none"}),
    ("reply", "麻烦打个电话给我", {"reply_phone"}),
    ("reply", "no call please, just write here", {"reply_chat"}),
    ("reply", "nothing back needed thanks", {"reply_none", "deny"}),
    ("phone", "号码就用我前面发的那个", {"use_given_phone"}),
    ("phone", "号码么就不留了哦", {"skip", "reply_chat", "reply_none"}),
    ("location", "具体哪里我也讲不清爽", {"skip"}),
    ("go_on", "继续弄吧", {"affirm", "resume"}),
    ("go_on", "不弄了", {"cancel", "deny"}),
    ("category", "加装电梯补贴有多少啊", {"question"}),
    ("text", "我想提个意见可以吗", {"announce", "question"}),
]


def parse(stack, text: str) -> list[tuple[str, float]]:
    url = f"{stack.rasa_url}/model/parse?token={AUTH_TOKEN}"
    parsed = httpx.post(url, json={"text": text}, timeout=30).json()
    return [(r["name"], r["confidence"]) for r in parsed["form_act_ranking"]]


def test_the_rows_are_not_training_data():
    trained = {t for t, _ in TRAIN} | step_texts()
    assert not {text for _, text, _ in ROWS} & trained


@pytest.mark.parametrize(("step", "text", "right"), ROWS)
def test_a_reply_is_read_as_what_it_does_at_its_step(stack, step, text, right):
    assert act_at(step, parse(stack, text))[0] in right


@pytest.mark.parametrize("refusal", ["不要提交", "先别提交", "别交", "不交了", "don't submit"])
def test_a_refusal_at_the_read_back_is_never_a_yes(stack, refusal):
    assert act_at("confirm", parse(stack, refusal))[0] != "affirm"


@pytest.mark.parametrize("refusal", ["不用打电话", "别打我电话", "不要电话回访", "don't call me"])
def test_a_refused_call_is_never_a_call_back(stack, refusal):
    assert act_at("reply", parse(stack, refusal))[0] != "reply_phone"
