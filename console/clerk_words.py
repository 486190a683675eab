"""The console's words for a clerk's day (search, duplicates, REST replies, exports, audit log,
accounts, queue tools), Chinese and English; merged into `console.i18n.WORDS`."""

from __future__ import annotations

CLERK_WORDS: dict[str, tuple[str, str]] = {
    "filters_box": ("搜索与条件", "Search and filters"),
    "password_min": ("密码至少 {n} 个字符。", "A password needs at least {n} characters."),
    "account_locked": (
        "该账号因连续输错密码已锁定，{until}（北京时间）后可再试，或请管理员解锁。",
        "This account is locked after too many wrong passwords until {until} (Shanghai time); "
        "an admin can unlock it sooner.",
    ),
    "not_yourself": (
        "不能更改自己账号的角色，也不能停用自己的账号。",
        "You cannot change your own role or disable your own account.",
    ),
    "duplicates": ("合并到本件的重复建议", "Duplicates merged into this one"),
    "duplicates_hint": (
        "本件的答复会同时发给这些建议的居民（各自同意接收答复的）。",
        "A reply to this one also goes to these residents (each who asked for a reply).",
    ),
    "channel_rest": ("REST 接口", "REST API"),
    "delivery_rest_waiting": ("待居民查询", "waiting for the resident's look-up"),
    "delivery_rest_seen": ("居民已查看", "read by the resident"),
    "rest_explained": (
        "REST 渠道不能主动发消息：居民下次查询编号时看到答复（查看“我的建议”会提示有新答复），届时标为已查看。",
        "The REST channel cannot write first: the resident reads the reply when they next look "
        "the number up (their list of suggestions says a reply waits); it is then marked read.",
    ),
}
