"""Every word the console shows exists in `console/i18n.py` in Chinese and in English.

The keys are read from the code, not listed by hand: every `t(…)` / `translate(…)` call in
console/templates (Jinja's parser) and console/*.py (Python's), every `word(kind, …)` /
`value_label(kind, …)` and the `topic` filter. A key built at run time (`t(f"role_{r}")`,
`t('publish_state_' + state)`, `t(f.name)`) is checked for every value it can take, read from
where those values are defined; a new kind of built key fails until it is added to `BUILT` below.
"""

from __future__ import annotations

import ast
import re
import string
from functools import cache
from pathlib import Path

import jinja2
import yaml
from jinja2 import nodes

from console.i18n import WORDS
from store import analytics_repo, dashboard_repo, publish_repo, queue_repo, staff_repo
from knowledge.faq_repo import SYNC_FIELDS
from core.settings import ROOT

CONSOLE = ROOT / "console"
TEMPLATES = sorted((CONSOLE / "templates").glob("*.html"))
MODULES = sorted(CONSOLE.glob("*.py"))
TRANSLATE = {"t", "translate"}  # the template global and console.app's helper; i18n's function
LABELS = {"word", "value_label"}  # (kind, value): the key `{kind}_{value}`


def _python(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _strings(node: ast.AST | None) -> set[str]:
    """The string constants an expression can be (`"a"`, `"a" if x else "b"`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def _calls(path: Path, name: str) -> list[ast.Call]:
    return [node for node in ast.walk(_python(path)) if isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == name]  # fmt: skip


def _first_args(path: Path, name: str) -> set[str]:
    return {s for call in _calls(path, name) if call.args for s in _strings(call.args[0])}


def _field_macro_arguments() -> set[str]:
    """The form fields the entry page labels through its `field(f)` macro (`t(f.name)`)."""
    return {call.args[0].attr for template in TEMPLATES
            for call in _jinja(template).find_all(nodes.Call)
            if isinstance(call.node, nodes.Name) and call.node.name == "field" and call.args
            and isinstance(call.args[0], nodes.Getattr)}  # fmt: skip


def _publish_message_keys() -> set[str]:
    """The progress keys the runner and the data layer write (shown as `publish_msg_{key}`)."""
    runner = ROOT / "scripts" / "publish.py"
    keys = {s for call in _calls(runner, "note") if len(call.args) > 1
            for s in _strings(call.args[1])}  # fmt: skip
    for path in (runner, ROOT / "store" / "publish_repo.py"):
        keys |= {s for call in ast.walk(_python(path)) if isinstance(call, ast.Call)
                 for k in call.keywords if k.arg == "key" for s in _strings(k.value)}  # fmt: skip
    keys |= _first_args(ROOT / "store" / "publish_repo.py", "_message")
    return keys


def _training_sources() -> set[str]:
    """Where `current_entries` says the training data came from ("database", "files")."""
    tree = _python(ROOT / "knowledge" / "training_data.py")
    function = next(n for n in ast.walk(tree)
                    if isinstance(n, ast.FunctionDef) and n.name == "current_entries")  # fmt: skip
    returned = [n.value for n in ast.walk(function) if isinstance(n, ast.Return)]
    pairs = [e for r in returned for e in ast.walk(r) if isinstance(e, ast.Tuple)]
    return {s for pair in pairs for s in _strings(pair.elts[-1])}


def _chart_ids() -> set[str]:
    return _first_args(CONSOLE / "dashboard.py", "_chart")


def _channels() -> set[str]:
    """The channels' names (`CHANNEL = "…"` of each bridge)."""
    found = set()
    for path in sorted((ROOT / "bot").glob("*.py")):
        for node in ast.walk(_python(path)):
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "CHANNEL" for t in node.targets
            ):
                found |= _strings(node.value)
    return found


def _actors() -> set[str]:
    """Who changed a status, when not a member of staff (`changed_by="resident"`, …)."""
    return {s for path in sorted((ROOT / "store").glob("*.py"))
            for call in ast.walk(_python(path)) if isinstance(call, ast.Call)
            for k in call.keywords if k.arg == "changed_by" for s in _strings(k.value)}  # fmt: skip


def _topics() -> set[str]:
    """The topic of every intent of the domain (what the dashboard and the editor group by)."""
    topics = {""}  # no topic: "not given"
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for intent in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", []):
            topics.add(
                analytics_repo.topic_of(intent if isinstance(intent, str) else next(iter(intent)))
            )
    return topics


def _refusals() -> set[str]:
    return _first_args(ROOT / "store" / "unanswered_repo.py", "ExampleRefused")


def _kinds() -> set[str]:
    return {kind for _, kind in dashboard_repo.report_places()}


def _figures() -> set[str]:
    """The dashboard's figures (`figures["…"] = …`)."""
    return {s for node in ast.walk(_python(CONSOLE / "dashboard.py"))
            if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "figures"
            for s in _strings(node.slice)}  # fmt: skip


# A key built at run time → every value it can take.
BUILT = {
    "publish_state_*": lambda: set(publish_repo.STATES),
    "publish_msg_*": _publish_message_keys,
    "publish_source_*": _training_sources,
    "role_*": lambda: set(staff_repo.ROLES),
    "chart_*": _chart_ids,
    "col_*": _chart_ids,  # a chart's data table
    "figure_*": _figures,
    "outcome_*": lambda: set(analytics_repo.OUTCOMES) | set(dashboard_repo.QUESTIONS),
    "kind_*": _kinds,
    "refused_*": _refusals,
    "*.name": _field_macro_arguments,  # entry.html: {{ t(f.name) }} in the field macro
    "*.field": lambda: set(SYNC_FIELDS),  # entry_files.html: a conflict's field
}
# Looked up only to be shown when there is one (the page compares the word with its key).
# app.py's expired-form page names a kept field by its word when there is one (else its name).
OPTIONAL = {"figure_*_note", "*"}
# word(kind, value) / value_label(kind, value) → the values of that kind the pages show
LABELLED = {
    "delivery": lambda: set(queue_repo.DELIVERY_STATES),
    "role": lambda: set(staff_repo.ROLES),
    "channel": _channels,
    "actor": _actors,
}


@cache
def _jinja(path: Path) -> nodes.Template:
    return jinja2.Environment().parse(path.read_text(encoding="utf-8"))


def _jinja_key(node: nodes.Expr) -> str:
    """A literal key, or the shape of a built one: `'p_' + x` → `p_*`, `f.name` → `*.name`."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    if isinstance(node, nodes.Getattr):
        return f"*.{node.attr}"
    return _jinja_part(node)


def _jinja_part(node: nodes.Expr) -> str:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    if isinstance(node, nodes.Add):
        return _jinja_part(node.left) + _jinja_part(node.right)
    return "*"


def _python_key(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)
    return "*"


def _wrappers(tree: ast.Module) -> list[ast.AST]:
    """The helpers that only pass their argument on: `def t(key): return translate(key, …)`,
    the template global `"word": lambda kind, value: value_label(kind, …)`."""
    names = TRANSLATE | LABELS
    found: list[ast.AST] = [f for f in ast.walk(tree)
                            if isinstance(f, ast.FunctionDef) and f.name in names]  # fmt: skip
    for mapping in (n for n in ast.walk(tree) if isinstance(n, ast.Dict)):
        found += [value for key, value in zip(mapping.keys, mapping.values, strict=True)
                  if isinstance(value, ast.Lambda) and _strings(key) & names]  # fmt: skip
    return found


def used_keys() -> dict[str, set[str]]:
    """Every key (or built key's shape) the console uses → where ("file:line")."""
    used: dict[str, set[str]] = {}

    def add(key: str, where: str) -> None:
        used.setdefault(key, set()).add(where)

    for path in TEMPLATES:
        tree = _jinja(path)
        for call in tree.find_all(nodes.Call):
            name = call.node.name if isinstance(call.node, nodes.Name) else None
            where = f"{path.name}:{call.lineno}"
            if name in TRANSLATE and call.args:
                add(_jinja_key(call.args[0]), where)
            elif name in LABELS and call.args:
                add(f"{_jinja_key(call.args[0])}_*", where)
        for used_filter in tree.find_all(nodes.Filter):
            if used_filter.name == "topic":
                add("topic_*", f"{path.name}:{used_filter.lineno}")
    for path in MODULES:
        if path.name == "i18n.py":
            continue
        tree = _python(path)
        wrappers = {id(call) for wrapper in _wrappers(tree) for call in ast.walk(wrapper)}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not call.args or id(call) in wrappers:
                continue
            name = getattr(call.func, "id", getattr(call.func, "attr", None))
            where = f"{path.name}:{call.lineno}"
            if name in TRANSLATE:
                add(_python_key(call.args[0]), where)
            elif name in LABELS:
                add(f"{_python_key(call.args[0])}_*", where)
            elif name == "topic_label":
                add("topic_*", where)
    return used


def expected_keys() -> dict[str, set[str]]:
    """Every concrete key the console can look up → where it is used."""
    keys: dict[str, set[str]] = {}
    for key, where in used_keys().items():
        if "*" not in key:
            concrete = {key}
        elif key in OPTIONAL:
            continue
        elif key == "topic_*":
            concrete = {f"topic_{t}" for t in _topics() if t} | {"no_topic"}
        elif key.removesuffix("_*") in LABELLED:
            kind = key.removesuffix("_*")
            concrete = {f"{kind}_{value}" for value in LABELLED[kind]()}
        elif key in BUILT:
            values = BUILT[key]()
            assert values, f"no values found for the built key {key} ({sorted(where)})"
            concrete = {v if key.startswith("*.") else key.replace("*", v) for v in values}
        else:
            raise AssertionError(
                f"the key {key} is built at run time ({sorted(where)}): add where its values "
                "come from to BUILT (or LABELLED) in this test"
            )
        for one in concrete:
            keys.setdefault(one, set()).update(where)
    return keys


def test_the_code_uses_keys_of_every_kind():
    """The scan sees the calls (a scan that found nothing would pass any catalogue)."""
    used = used_keys()
    assert {"settings", "review_months", "publish_state_*", "role_*", "*.name", "delivery_*",
            "topic_*", "publish_msg_*", "refused_*"} <= set(used)  # fmt: skip
    assert {"examples", "last_reviewed", "entry_id"} <= _field_macro_arguments()
    assert {"queued", "valid", "accuracy", "accuracy_new", "published"} <= _publish_message_keys()
    assert {"webchat", "telegram"} <= _channels() and "resident" in _actors()


def test_every_key_the_console_uses_is_in_the_catalogue():
    missing = {key: sorted(where) for key, where in expected_keys().items() if key not in WORDS}
    assert missing == {}


def test_every_word_is_in_chinese_and_english_with_the_same_placeholders():
    fields = string.Formatter()
    for key, (zh, en) in WORDS.items():
        assert zh.strip() and en.strip(), key
        assert re.search(r"[\u4e00-\u9fff]", zh) or zh == en, f"{key}: {zh!r} is not Chinese"
        placeholders = [{f for _, f, _, _ in fields.parse(text) if f} for text in (zh, en)]
        assert placeholders[0] == placeholders[1], key
