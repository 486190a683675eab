"""The console's words for a clerk's day (search, duplicates, REST replies, exports, audit log,
accounts, queue tools), Chinese and English; merged into `console.i18n.WORDS`."""

from __future__ import annotations

CLERK_WORDS: dict[str, tuple[str, str]] = {
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
