"""Form-step accuracy: what a reply does at a step of the suggestion form, on voices not trained on.

Each voice of `nlu_data/suggestion_steps.yml` is held out in turn: the model is trained on the
other voices (plus the FAQ questions and suggestions of the training data, as in the pipeline) and
scored on the held-out voice, beside a character TF-IDF + logistic regression baseline trained on
the same data. Runs in Rasa's environment (scikit-learn):

    .venv-rasa/bin/python -m bench.form_acts
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from language.form_acts import act_at
from language.nlu_files import nlu_examples
from rasa_addons.form_act import TextModel, load_steps, training_pairs

ROOT = Path(__file__).resolve().parent.parent
STEPS = ROOT / "nlu_data" / "suggestion_steps.yml"
# acts the form treats alike at a step (actions/suggestion_form.py): reading one as the other is
# no error there
ALIKE = {
    "category": [{"inform", "correct_category"}],
    "location": [{"inform", "correct_place"}, {"skip", "deny"}],
    "phone": [{"skip", "reply_chat", "deny"}],
    "reply": [{"deny", "reply_none", "skip"}, {"affirm", "reply_chat"}],
    "go_on": [{"affirm", "resume"}, {"cancel", "deny"}],
}


def same(step: str, gold: str, predicted: str) -> bool:
    return gold == predicted or any({gold, predicted} <= group for group in ALIKE.get(step, []))


class CharBaseline:
    """TF-IDF over character 1-4-grams with logistic regression."""

    def fit(self, texts, acts):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
        self.clf = LogisticRegression(C=10.0, max_iter=2000).fit(
            self.vectorizer.fit_transform(texts), acts
        )
        return self

    def predict(self, text):
        p = self.clf.predict_proba(self.vectorizer.transform([text]))[0]
        return sorted(zip(self.clf.classes_, p, strict=False), key=lambda kv: -kv[1])


def main() -> int:
    steps = [s for s in load_steps(STEPS) if s.get("step") != "start"]
    faq = [
        pair for path in sorted((ROOT / "nlu_data").glob("*.yml")) for pair in nlu_examples(path)
    ]
    voices = sorted({s.get("voice", "?") for s in steps})
    print("| held-out voice | n | project model | character baseline |")
    print("| --- | --- | --- | --- |")
    totals, confusions = Counter(), Counter()
    for voice in voices:
        train = [s for s in steps if s.get("voice") != voice]
        test = [s for s in steps if s.get("voice") == voice]
        texts, acts = training_pairs(train, faq)
        scores = {}
        for name, model in (("model", TextModel()), ("chars", CharBaseline())):
            model.fit(texts, acts)
            right = 0
            for item in test:
                predicted = act_at(item["step"], model.predict(item["text"]))[0]
                ok = same(item["step"], item["act"], predicted)
                right += ok
                if name == "model" and not ok:
                    confusions[(item["act"], predicted)] += 1
            scores[name] = right
            totals[name] += right
        totals["n"] += len(test)
        print(f"| {voice} | {len(test)} | {100 * scores['model'] / len(test):.1f} % | "
              f"{100 * scores['chars'] / len(test):.1f} % |")  # fmt: skip
    n = totals["n"]
    print(f"| all (each voice unseen) | {n} | {100 * totals['model'] / n:.1f} % | "
          f"{100 * totals['chars'] / n:.1f} % |")  # fmt: skip
    print("\n| act | read as | n |\n| --- | --- | --- |")
    for (gold, predicted), count in confusions.most_common(12):
        print(f"| {gold} | {predicted} | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
