"""The console's words for the live queue of residents who asked for a person, Chinese and
English; merged into `console.i18n.WORDS` when the handoff blueprint is registered."""

from __future__ import annotations

HANDOFF_WORDS: dict[str, tuple[str, str]] = {
    "handoff_title": ("人工会话", "Live conversations"),
    "handoff_hint": (
        "居民说“转人工”后在这里排队（工作时间 {hours}，北京时间）；{minutes} 分钟内无人接入时，智能助手向居民致歉并继续服务。",
        "Residents who ask for a person wait here (office hours {hours}, Shanghai time); after "
        "{minutes} minutes unanswered the assistant apologises and carries on.",
    ),
    "handoff_none": ("现在没有居民在等待。", "Nobody is waiting."),
    "handoff_resident": ("居民", "Resident"),
    "handoff_channel": ("渠道", "Channel"),
    "handoff_asked": ("请求时间", "Asked at"),
    "handoff_state": ("状态", "State"),
    "handoff_state_waiting": ("等待接入", "waiting"),
    "handoff_state_active": ("人工服务中", "with a staff member"),
    "handoff_state_ended": ("已结束", "ended"),
    "handoff_state_expired": ("超时未接入", "not taken in time"),
    "handoff_by": ("接待人", "Taken by"),
    "handoff_open": ("查看", "Open"),
    "handoff_take": ("接入会话", "Take this conversation"),
    "handoff_end": ("结束会话，交回智能助手", "End and hand back to the assistant"),
    "handoff_send": ("发送", "Send"),
    "handoff_write": ("给居民的消息", "Message to the resident"),
    "handoff_transcript": ("会话记录（已脱敏）", "Conversation so far (masked)"),
    "handoff_who_resident": ("居民", "Resident"),
    "handoff_who_assistant": ("智能助手", "Assistant"),
    "handoff_who_staff": ("工作人员", "Staff"),
    "handoff_taken_by_other": ("此会话由 {who} 接待。", "{who} is answering this conversation."),
    "handoff_rasa_down": (
        "暂时无法连接智能助手服务，请稍后再试。",
        "The assistant cannot be reached; try again shortly.",
    ),
    "handoff_not_waiting": ("此请求已被接入或已结束。", "This request was taken or has ended."),
    "handoff_ended_note": ("会话已结束，智能助手已恢复。", "Ended: the assistant is back."),
}
