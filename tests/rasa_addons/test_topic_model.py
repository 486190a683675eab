"""The two-level decision (rasa_addons.topic_model.decide) and the model on a small data set."""

from __future__ import annotations

import pytest

from rasa_addons.topic_model import Prediction, decide
from tests.rasa_env import rasa_python

CONFIG = {
    "topic_thresholds": {"short": 0.2, "medium": 0.4, "long": 0.2},
    "entry_threshold": 0.5,
    "out_of_scope_threshold": 0.25,
}
ELDERCARE = [("eldercare_care_home", 0.7), ("eldercare_other", 0.2), ("eldercare_home_help", 0.1)]


def prediction(topics, within, known=5, elsewhere=False) -> Prediction:
    intents = [(name, topics[0][1] * p) for name, p in within]
    return Prediction(
        topics=topics, intents=intents, within=within, known=known, elsewhere=elsewhere
    )


def test_a_clear_topic_and_entry_is_that_entry():
    p = prediction([("eldercare", 0.9), ("out_of_scope", 0.1)], ELDERCARE)
    assert decide(p, "长者照护之家在哪里", CONFIG)[0] == "eldercare_care_home"


def test_a_clear_topic_with_an_unclear_entry_is_answered_at_the_topic_level():
    within = [
        ("eldercare_care_home", 0.35),
        ("eldercare_home_help", 0.33),
        ("eldercare_other", 0.32),
    ]
    p = prediction([("eldercare", 0.9), ("employment", 0.1)], within)
    assert decide(p, "我照顾老伴太累了想歇几天", CONFIG)[0] == "eldercare_other"


def test_an_unclear_topic_falls_back_by_the_threshold_of_its_length():
    p = prediction([("eldercare", 0.3), ("employment", 0.25)], ELDERCARE)
    assert decide(p, "老人那个事情咋弄呢", CONFIG)[0] == "nlu_fallback"  # medium: 0.4
    assert decide(p, "养老", CONFIG)[0] == "eldercare_care_home"  # short: 0.2


def test_nothing_seen_in_training_falls_back():
    p = prediction([("out_of_scope", 0.6)], [("out_of_scope", 1.0)], known=0)
    assert decide(p, "😀😀😀", CONFIG)[0] == "nlu_fallback"


def test_likeliest_out_of_scope_is_said_even_under_the_topic_threshold():
    p = prediction([("out_of_scope", 0.3), ("eldercare", 0.2)], [("out_of_scope", 1.0)])
    assert decide(p, "今天股市怎么样啊朋友们", CONFIG)[0] == "out_of_scope"


@pytest.mark.parametrize(
    ("topic", "within", "expected"),
    [("eldercare", ELDERCARE, "out_of_scope"),
     ("hotline", [("hotline_emergency", 0.9), ("hotline_contact", 0.1)], "hotline_emergency"),
     ("suggestion", [("suggestion_give", 1.0)], "suggestion_give")],
)  # fmt: skip
def test_another_city_is_out_of_scope_but_not_an_emergency_or_a_suggestion(topic, within, expected):
    p = prediction([(topic, 0.9)], within, elsewhere=True)
    assert decide(p, "北京那边的事情", CONFIG)[0] == expected


MODEL_CHECK = """
from rasa_addons.topic_model import TopicModel
texts = ["长护险怎么申请", "长护险评估", "养老院在哪", "加装电梯怎么申请", "电梯费用", "加梯要多少人同意",
         "今天天气", "讲个笑话"]
intents = ["eldercare_ltc", "eldercare_ltc", "eldercare_home", "elevator_apply", "elevator_cost",
           "elevator_apply", "out_of_scope", "out_of_scope"]
model = TopicModel().fit(texts, intents)
print(model.predict("zhang hu xian").topics[0][0], model.predict("加裝電梯").topics[0][0],
      model.predict("长户险").intents[0][0])
"""


def test_the_model_reads_pinyin_traditional_and_homophones():
    """Runs in Rasa's environment, where the model is trained (scikit-learn, pypinyin)."""
    out = rasa_python(MODEL_CHECK, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["eldercare", "elevator", "eldercare_ltc"]


TFIDF_CHECK = """
import pickle
import numpy as np
from rasa_addons.topic_model import prepare, tfidf, vectorizers
texts = [prepare(t) for t in ["加装电梯怎么申请", "长护险 how to apply", "jiazhuang dianti",
                              "楼道里堆满了东西没人管", "12345满意率多少", "😀", ""]]
asked = texts[:5] + [prepare("全新的句子 unseen words"), ""]
for fitted in vectorizers():
    fitted.fit(texts)
    fitted = pickle.loads(pickle.dumps(fitted))  # as Rasa loads a persisted model
    for _ in range(2):  # the idf read once, then kept
        ours, theirs = tfidf(fitted, asked), fitted.transform(asked)
        assert ours.shape == theirs.shape
        assert np.abs((ours - theirs).toarray()).max() < 1e-12
print("same")
"""


def test_the_fast_tfidf_gives_scikit_learns_numbers():
    """`tfidf` skips scikit-learn's per-call checks, never its arithmetic: the same features."""
    out = rasa_python(TFIDF_CHECK, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["same"]
