"""The audit log in the staff's words: each action code and object kind, and the fields of the
before / after values, in Chinese and English (`python -c` prints nothing: no side effects)."""

from __future__ import annotations

from store.suggestion_repo import STATUS_NAMES

ACTIONS: dict[str, tuple[str, str]] = {
    "status": ("更改状态", "changed the status"), "reply": ("发布答复", "published a reply"),
    "reply_forwarded": ("转发原件答复给重复建议", "passed the original's reply to a duplicate"),
    "assign": ("分配经办人", "assigned"), "note": ("添加内部备注", "added a note"),
    "details": ("修改类别或地点", "corrected category or place"),
    "duplicate": ("标记为重复", "marked as a duplicate"),
    "reveal_phone": ("查看回访电话", "revealed the phone number"),
    "delivery": ("确认送达", "decided a delivery"), "category": ("编辑类别", "edited a category"),
    "setting": ("更改设置", "changed a setting"), "account_create": ("新建账号", "created an account"),
    "account_update": ("修改账号", "changed an account"), "account_lock": ("账号被锁定", "account locked"),
    "password_change": ("修改密码", "changed a password"),
    "entry_save": ("保存条目", "saved an entry"), "entry_create": ("新建条目", "created an entry"),
    "entry_restore": ("恢复条目版本", "restored an entry version"),
    "entries_import": ("导入条目文件", "imported entry files"),
    "entries_export": ("导出条目文件", "exported entry files"),
    "publish_start": ("开始发布", "started a publish"), "publish_done": ("发布完成", "publish done"),
    "publish_failed": ("发布失败", "publish failed"),
    "unanswered_example": ("未解答问题加为示例问题", "unanswered question made an example"),
    "unanswered_new_entry": ("未解答问题新建条目", "new entry from an unanswered question"),
    "unanswered_dismiss": ("忽略未解答问题", "dismissed an unanswered question"),
    "acknowledge": ("确认紧急建议", "acknowledged an urgent suggestion"),
}  # fmt: skip
OBJECTS: dict[str, tuple[str, str]] = {
    "suggestion": ("建议", "suggestion"), "account": ("账号", "account"),
    "category": ("类别", "category"), "setting": ("设置", "setting"),
    "faq_entry": ("知识条目", "entry"), "publish_job": ("发布", "publish"),
    "outbox": ("消息", "message"), "conversation_turn": ("未解答问题", "unanswered question"),
    "staff_account": ("账号", "account"),
}  # fmt: skip
FIELDS: dict[str, tuple[str, str]] = {
    "status": ("状态", "status"), "note": ("备注", "note"), "text": ("内容", "text"),
    "assignee": ("经办人", "assignee"), "category": ("类别", "category"),
    "location": ("地点", "place"), "duplicate_of": ("重复于", "duplicate of"),
    "had_phone": ("留有电话", "had a phone"), "state": ("状态", "state"),
    "role": ("角色", "role"), "active": ("启用", "active"), "value": ("值", "value"),
    "failed_logins": ("连续输错次数", "failed sign-ins"), "from": ("原件", "from"),
    "version": ("版本", "version"), "name_zh": ("中文名", "Chinese name"),
    "name_en": ("英文名", "English name"), "topic": ("主题", "topic"),
    "department": ("转交部门", "forwarded to"),
}  # fmt: skip
YES_NO = {True: ("是", "yes"), False: ("否", "no")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def action_label(code: str, lang: str) -> str:
    return _pick(ACTIONS[code], lang) if code in ACTIONS else code


def object_label(kind: str, lang: str) -> str:
    return _pick(OBJECTS[kind], lang) if kind in OBJECTS else kind


def _value(name: str, value, lang: str) -> str:
    if isinstance(value, bool):
        return _pick(YES_NO[value], lang)
    if value is None or value == "":
        return "—"
    if name in ("status",) and isinstance(value, str):
        return STATUS_NAMES["en" if lang == "en" else "zh"].get(value, value)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def readable(values: dict | None, lang: str) -> list[tuple[str, str]]:
    """A before / after value as (field, value) pairs in words, never JSON escapes."""
    return [(_pick(FIELDS[k], lang) if k in FIELDS else k, _value(k, v, lang))
            for k, v in (values or {}).items()]  # fmt: skip
