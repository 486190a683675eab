"""Every word the console shows exists in the catalogue (`language/words/`, the console's own in
`staff.yml`) in Chinese and in English.

The keys are read from the code, not listed by hand: every `t(…)` / `translate(…)` call in
console/templates (Jinja's parser) and console/*.py (Python's), every `word(kind, …)` /
`value_label(kind, …)` and the `topic` filter. A key built at run time (`t(f"chart_{c}")`,
`t('publish_state_' + state)`, `t(f.name)`) is checked for every value it can take, read from
where those values are defined; a new kind of built key fails until it is added to `BUILT` in
`tests/console/key_values.py`.
"""

from __future__ import annotations

import ast
import re
import string

import yaml
from jinja2 import nodes

from language.catalogue import WORDS_DIR, catalogue
from tests.console.key_values import (
    BUILT,
    LABELLED,
    MODULES,
    OPTIONAL,
    TEMPLATES,
    actors,
    audit_actions,
    audit_objects,
    channels,
    field_macro_arguments,
    jinja_tree,
    publish_message_keys,
    python_tree,
    strings,
)  # fmt: skip

TRANSLATE = {"t", "translate"}  # the template global and console.words' helpers
LABELS = {"word", "value_label"}  # (kind, value): the key `{kind}_{value}`


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
                  if isinstance(value, ast.Lambda) and strings(key) & names]  # fmt: skip
    return found


def used_keys(templates=TEMPLATES, modules=MODULES) -> dict[str, set[str]]:
    """Every key (or built key's shape) the console uses → where ("file:line")."""
    used: dict[str, set[str]] = {}

    def add(key: str, where: str) -> None:
        used.setdefault(key, set()).add(where)

    for path in templates:
        tree = jinja_tree(path)
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
    for path in modules:
        tree = python_tree(path)
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


def expected_keys(used: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every concrete key the console can look up → where it is used."""
    keys: dict[str, set[str]] = {}
    for key, where in used.items():
        if "*" not in key:
            concrete = {key}
        elif key in OPTIONAL:
            continue
        elif key == "topic_*":
            concrete = {
                "no_topic"
            }  # a topic's label is the registry's (tests/knowledge/test_topics.py)
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


def missing_keys(templates=TEMPLATES, modules=MODULES) -> dict[str, list[str]]:
    """The keys the console looks up that the catalogue lacks → where they are used."""
    words = catalogue()
    return {key: sorted(where) for key, where in expected_keys(used_keys(templates, modules)).items()
            if key not in words}  # fmt: skip


def test_the_code_uses_keys_of_every_kind():
    """The scan sees the calls (a scan that found nothing would pass any catalogue)."""
    used = used_keys()
    assert {"settings", "review_months", "publish_state_*", "role_*", "*.name", "delivery_*",
            "topic_*", "publish_msg_*", "refused_*"} <= set(used)  # fmt: skip
    assert {"examples", "last_reviewed", "entry_id"} <= field_macro_arguments()
    assert {"queued", "valid", "accuracy", "accuracy_new", "published"} <= publish_message_keys()
    assert {"webchat", "telegram"} <= channels() and "resident" in actors()
    assert {"status", "entry_restore", "publish_done", "handoff_take", "unanswered_dismiss",
            "account_lock"} <= audit_actions()  # fmt: skip
    assert {"suggestion", "faq_entry", "handoff"} <= audit_objects()


def test_every_key_the_console_uses_is_in_the_catalogue():
    assert missing_keys() == {}


def test_a_key_used_but_missing_from_the_catalogue_fails(tmp_path, monkeypatch):
    """The check finds a missing key wherever the console uses it: a template's `t(…)`, a
    module's `t(…)`, a stored value's label (`word(kind, value)`), a key built at run time."""
    page, module = tmp_path / "page.html", tmp_path / "view.py"
    page.write_text("{{ t('no_such_page_word') }} {{ word('delivery', s) }}", encoding="utf-8")
    module.write_text('flash(t("no_such_flash", n=1))\nt(f"chart_{c}")\n', encoding="utf-8")
    monkeypatch.setitem(LABELLED, "delivery", lambda: {"sent", "no_such_state"})
    monkeypatch.setitem(BUILT, "chart_*", lambda: {"topic", "no_such_chart"})
    assert missing_keys([page], [module]) == {
        "no_such_page_word": ["page.html:1"],
        "delivery_no_such_state": ["page.html:1"],
        "no_such_flash": ["view.py:1"],
        "chart_no_such_chart": ["view.py:2"],
    }


def test_every_word_of_the_console_is_in_chinese_and_english_with_the_same_placeholders():
    staff = yaml.safe_load((WORDS_DIR / "staff.yml").read_text(encoding="utf-8"))
    fields = string.Formatter()
    assert len(staff) > 400
    for key, texts in staff.items():
        zh, en = texts["zh"], texts["en"]
        assert zh.strip() and en.strip(), key
        assert re.search(r"[\u4e00-\u9fff]", zh) or zh == en, f"{key}: {zh!r} is not Chinese"
        placeholders = [{f for _, f, _, _ in fields.parse(text) if f} for text in (zh, en)]
        assert placeholders[0] == placeholders[1], key
