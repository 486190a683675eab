"""Where the console's words come from, for tests/console/test_i18n_keys.py: the console's
templates and modules, and for a key built at run time (`t(f"chart_{c}")`) every value it can take,
read from where those values are defined."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import jinja2
from jinja2 import nodes

from core.settings import ROOT
from knowledge.faq_repo import SYNC_FIELDS
from store import analytics_repo, dashboard_repo, publish_repo, queue_repo, staff_repo

CONSOLE = ROOT / "console"
TEMPLATES = sorted((CONSOLE / "templates").glob("*.html"))
MODULES = sorted(CONSOLE.glob("*.py"))


@cache
def jinja_tree(path: Path) -> nodes.Template:
    return jinja2.Environment().parse(path.read_text(encoding="utf-8"))


def python_tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def strings(node: ast.AST | None) -> set[str]:
    """The string constants an expression can be (`"a"`, `"a" if x else "b"`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return strings(node.body) | strings(node.orelse)
    return set()


def calls(path: Path, name: str) -> list[ast.Call]:
    return [node for node in ast.walk(python_tree(path)) if isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == name]  # fmt: skip


def first_args(path: Path, name: str) -> set[str]:
    return {s for call in calls(path, name) if call.args for s in strings(call.args[0])}


def field_macro_arguments() -> set[str]:
    """The form fields the entry page labels through its `field(f)` macro (`t(f.name)`)."""
    return {call.args[0].attr for template in TEMPLATES
            for call in jinja_tree(template).find_all(nodes.Call)
            if isinstance(call.node, nodes.Name) and call.node.name == "field" and call.args
            and isinstance(call.args[0], nodes.Getattr)}  # fmt: skip


def publish_message_keys() -> set[str]:
    """The progress keys the runner and the data layer write (shown as `publish_msg_{key}`)."""
    runner = ROOT / "scripts" / "publish.py"
    keys = {s for call in calls(runner, "note") if len(call.args) > 1
            for s in strings(call.args[1])}  # fmt: skip
    for path in (runner, ROOT / "store" / "publish_repo.py"):
        keys |= {s for call in ast.walk(python_tree(path)) if isinstance(call, ast.Call)
                 for k in call.keywords if k.arg == "key" for s in strings(k.value)}  # fmt: skip
    keys |= first_args(ROOT / "store" / "publish_repo.py", "_message")
    return keys


def training_sources() -> set[str]:
    """Where `current_entries` says the training data came from ("database", "files")."""
    tree = python_tree(ROOT / "knowledge" / "training_data.py")
    function = next(n for n in ast.walk(tree)
                    if isinstance(n, ast.FunctionDef) and n.name == "current_entries")  # fmt: skip
    returned = [n.value for n in ast.walk(function) if isinstance(n, ast.Return)]
    pairs = [e for r in returned for e in ast.walk(r) if isinstance(e, ast.Tuple)]
    return {s for pair in pairs for s in strings(pair.elts[-1])}


def chart_ids() -> set[str]:
    return first_args(CONSOLE / "dashboard.py", "_chart")


def channels() -> set[str]:
    """The channels' names (`CHANNEL = "…"` of each bridge)."""
    found = set()
    for path in sorted((ROOT / "bot").glob("*.py")):
        for node in ast.walk(python_tree(path)):
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "CHANNEL" for t in node.targets
            ):
                found |= strings(node.value)
    return found


def actors() -> set[str]:
    """Who changed a status, when not a member of staff (`changed_by="resident"`, …)."""
    return {s for path in sorted((ROOT / "store").glob("*.py"))
            for call in ast.walk(python_tree(path)) if isinstance(call, ast.Call)
            for k in call.keywords if k.arg == "changed_by" for s in strings(k.value)}  # fmt: skip


def data_layer() -> list[Path]:
    return sorted((ROOT / "store").glob("*.py")) + sorted((ROOT / "knowledge").glob("*.py"))


def audit_actions() -> set[str]:
    """The action codes the data layer writes to the audit log: `action="…"`, what a helper's
    `action` parameter is given (`_audit(session, handoff, "handoff_take", by)`), and the values
    of an `AUDIT_ACTIONS` mapping."""
    found = set()
    for path in data_layer():
        tree = python_tree(path)
        at = {f.name: [a.arg for a in f.args.args].index("action") for f in ast.walk(tree)
              if isinstance(f, ast.FunctionDef) and "action" in [a.arg for a in f.args.args]}  # fmt: skip
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                found |= {s for k in node.keywords if k.arg == "action" for s in strings(k.value)}
                name = getattr(node.func, "id", None)
                if name in at and len(node.args) > at[name]:
                    found |= strings(node.args[at[name]])
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Dict)
                and any(getattr(target, "id", "") == "AUDIT_ACTIONS" for target in node.targets)
            ):
                found |= {s for value in node.value.values for s in strings(value)}
    return found


def audit_objects() -> set[str]:
    """The kinds of object the audit log names (`object_type="…"`)."""
    return {s for path in data_layer() for call in ast.walk(python_tree(path))
            if isinstance(call, ast.Call)
            for k in call.keywords if k.arg == "object_type" for s in strings(k.value)}  # fmt: skip


def refusals() -> set[str]:
    return first_args(ROOT / "store" / "unanswered_repo.py", "ExampleRefused")


def kinds() -> set[str]:
    return {kind for _, kind in dashboard_repo.report_places()}


def figures() -> set[str]:
    """The dashboard's figures (`figures["…"] = …`)."""
    return {s for node in ast.walk(python_tree(CONSOLE / "dashboard.py"))
            if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "figures"
            for s in strings(node.slice)}  # fmt: skip


# A key built at run time → every value it can take.
BUILT = {
    "publish_state_*": lambda: set(publish_repo.STATES),
    "publish_msg_*": publish_message_keys,
    "publish_source_*": training_sources,
    "role_*": lambda: set(staff_repo.ROLES),
    "chart_*": chart_ids,
    "col_*": chart_ids,  # a chart's data table
    "figure_*": figures,
    "outcome_*": lambda: set(analytics_repo.OUTCOMES) | set(dashboard_repo.QUESTIONS),
    "kind_*": kinds,
    "refused_*": refusals,
    "*.name": field_macro_arguments,  # entry.html: {{ t(f.name) }} in the field macro
    "*.field": lambda: set(SYNC_FIELDS),  # entry_files.html: a conflict's field
}
# Looked up only to be shown when there is one (the page compares the word with its key).
# site.py's expired-form page names a kept field by its word when there is one (else its name);
# the audit log names a before / after field by its word when there is one.
OPTIONAL = {"figure_*_note", "*", "audit_field_*"}
# word(kind, value) / value_label(kind, value) → the values of that kind the pages show
LABELLED = {
    "delivery": lambda: set(queue_repo.DELIVERY_STATES),
    "role": lambda: set(staff_repo.ROLES),
    "channel": channels,
    "actor": actors,
    "audit_action": audit_actions,
    "audit_object": audit_objects,
}
