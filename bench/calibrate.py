"""Calibrate the classifier's thresholds on the held-out split (never on the unseen split).

Topic thresholds by message length: a wrong topic costs more than an honest "not sure", so each
length bucket's threshold maximises (right − wrong) over its held-out messages. The entry
threshold: below it a clear topic is answered at the topic level (`<topic>_other`), worth a little,
where a wrong entry costs. Prints the table and the values for config.yml:
`.venv-rasa/bin/python -m bench.calibrate`.
"""

from __future__ import annotations

import sys

import yaml

from bench.nlu import HELDOUT, ROOT, TRAIN_FILES, load
from rasa_addons.topic_classifier import TopicIntentClassifier
from rasa_addons.topic_model import TopicModel, topic_of

FLOOR = 0.2  # the held-out split is written like the training data; residents are less sure
GRID = [round(0.05 * i, 2) for i in range(1, 15)]
WRONG_TOPIC, OTHER_WORTH, WRONG_ENTRY = 1.0, 0.4, 1.0


def bucket(text: str) -> str:
    length = len(text.strip())
    return "short" if length <= 4 else "medium" if length <= 30 else "long"


def main() -> int:
    step = next(
        c
        for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
        if c["name"].endswith("TopicIntentClassifier")
    )
    config = {**TopicIntentClassifier.get_default_config(), **step}
    train, held = load(TRAIN_FILES), load([HELDOUT])
    model = TopicModel(
        c_topic=config["c_topic"], c_intent=config["c_intent"], weights=tuple(config["weights"])
    ).fit([t for t, _ in train], [i for _, i in train])
    predictions = [(text, gold, model.predict(text)) for text, gold in held]

    print(
        "| length | n | threshold | right | fallback | wrong topic |\n| --- | --- | --- | --- | --- | --- |"
    )
    chosen = {}
    for name in ("short", "medium", "long"):
        rows = [(gold, p) for text, gold, p in predictions if bucket(text) == name]

        def utility(t, rows=rows):
            right = sum(p.topics[0][1] >= t and p.topics[0][0] == topic_of(g) for g, p in rows)
            wrong = sum(p.topics[0][1] >= t and p.topics[0][0] != topic_of(g) for g, p in rows)
            return right - WRONG_TOPIC * wrong, right, wrong

        best = max(FLOOR, max(GRID, key=lambda t: (utility(t)[0], -t)))
        _, right, wrong = utility(best)
        chosen[name] = best
        print(
            f"| {name} | {len(rows)} | {best} | {right} | {len(rows) - right - wrong} | {wrong} |"
        )

    def entry_utility(t):
        total = 0.0
        for _, gold, p in predictions:
            topic = p.topics[0][0]
            if topic != topic_of(gold) or f"{topic}_other" not in dict(p.intents):
                continue
            best, best_p = p.within[0]
            said = f"{topic}_other" if best_p < t else best
            total += 1 if said == gold else OTHER_WORTH if said.endswith("_other") else -WRONG_ENTRY
        return total

    entry = max(GRID, key=lambda t: (entry_utility(t), -t))
    print(f"\ntopic_thresholds: {chosen}\nentry_threshold: {entry}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
