"""Report coverage: how many of the report's “quoted” names and stated figures a resident can reach.

Built from the report itself (`knowledge/source/`): every “quoted” name and every number stated
with its unit or % becomes one question from a template ("“长征助业直通车”是什么？", "累计投入使用
多少台？": the words before the figure, the figure replaced by 多少 and its unit). A name or figure
is reachable when the assistant's reply to its question contains it. Through a throwaway stack:

    .venv/bin/python -m bench.coverage [--show 20]
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid

from bench.rasa_http import throwaway_rasa
from language.report import sentences

QUOTED = re.compile(r"“([^”]{2,20})”")
FIGURE = re.compile(
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>%|万元|亿元|元|万人次|人次|万人|名|人|台|个|家|户|条|项|处|场|次|"
    r"套|辆|所|张|平方米|公里|万平方米|幢|栋|支|批)"
)
LEAD = 10  # characters before a figure that say what it counts


def items() -> list[dict]:
    """One question per quoted name and per stated figure, in the report's order, each once."""
    found, seen = [], set()
    for sentence in sentences():
        for name in QUOTED.findall(sentence.text):
            if name not in seen:
                seen.add(name)
                found.append({"kind": "name", "want": name, "question": f"“{name}”是什么？"})
        for match in FIGURE.finditer(sentence.text):
            figure = match.group("number") + match.group("unit")
            lead = re.split(r"[，,。；;、：:]", sentence.text[: match.start()])[-1][-LEAD:]
            if figure in seen or len(lead) < 3:
                continue
            seen.add(figure)
            unit = "百分之多少" if match.group("unit") == "%" else f"多少{match.group('unit')}"
            found.append({"kind": "figure", "want": match.group("number"),
                          "question": f"{lead}{unit}？", "figure": figure})  # fmt: skip
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="list this many unreachable items")
    args = parser.parse_args(argv)
    questions, run = items(), uuid.uuid4().hex[:6]
    with throwaway_rasa("coverage", 60) as (rasa, _database_url):
        for number, item in enumerate(questions):
            reply = "\n".join(rasa.send(f"coverage-{run}-{number}", item["question"]))
            item["ok"] = item["want"] in reply
    names = [i for i in questions if i["kind"] == "name"]
    figures = [i for i in questions if i["kind"] == "figure"]
    reached = sum(i["ok"] for i in questions)
    print("| report coverage | reachable |\n| --- | --- |")
    print(f"| quoted names | {sum(i['ok'] for i in names)} of {len(names)} |")
    print(f"| figures with a unit or % | {sum(i['ok'] for i in figures)} of {len(figures)} |")
    print(f"| all | {reached} of {len(questions)} quoted names and figures reachable |")
    for item in [i for i in questions if not i["ok"]][: args.show]:
        print(f"- {item['question']} → {item['want']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
