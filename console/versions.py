"""An entry's versions told apart: which fields each changed against the version before it, as
a character diff (Chinese has no spaces to split words at)."""

from __future__ import annotations

from difflib import SequenceMatcher

from markupsafe import Markup, escape


def _text(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def diff(before, after) -> Markup:
    """`before` → `after` with deletions in <del> and insertions in <ins>, escaped."""
    old, new = _text(before), _text(after)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(old[i1:i2]))
            continue
        if i2 > i1:
            out.append(Markup("<del>%s</del>") % old[i1:i2])
        if j2 > j1:
            out.append(Markup("<ins>%s</ins>") % new[j1:j2])
    return Markup("").join(out)
