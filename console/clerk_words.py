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

CLERK_WORDS |= {
    "mine": ("我的待办", "Mine"),
    "shortcuts": ("快捷键", "Keyboard shortcuts"),
    "key_next": ("下一条", "next suggestion"),
    "key_prev": ("上一条", "previous suggestion"),
    "key_open": ("打开当前一条", "open the current one"),
    "key_choose": ("选中或取消当前一条", "choose or unchoose the current one"),
    "key_search": ("搜索", "search"),
    "key_help": ("显示本列表", "show this list"),
    "close": ("关闭", "Close"),
    "choose_all": ("全选本页", "choose all on this page"),
    "bulk_legend": ("批量处理所选建议，已选", "Act on the chosen suggestions, chosen:"),
    "bulk_assign": ("分配所选", "Assign chosen"),
    "bulk_status": ("更改所选状态", "Set status of chosen"),
    "bulk_duplicate": ("所选标记为重复", "Mark chosen as duplicates"),
    "original": ("原建议编号", "Original number"),
    "bulk_none_chosen": ("请先勾选建议。", "Choose suggestions first."),
    "bulk_refused": ("未处理：{why}", "Nothing changed: {why}"),
    "bulk_done": ("已处理 {n} 条。", "{n} changed."),
    "bulk_not_changed": ("{reference} 未处理：{why}", "{reference} not changed: {why}"),
    "forwarded_to": ("转交部门", "Forwarded to"),
    "department_hint": ("如：镇市政所", "e.g. the town works office"),
    "forwarded_needs_department": (
        "改为“已转交”须填写转交部门。",
        '"Forwarded" needs the department\'s name.',
    ),
    "notifications": ("通知", "Notifications"),
    "no_notifications": ("暂无通知。", "No notifications."),
    "told_resident": ("居民已被告知拨打：", "The resident was told to call:"),
    "acknowledged": ("已确认知悉", "Acknowledged"),
    "not_acknowledged": ("尚未确认", "not acknowledged"),
    "acknowledge": ("确认已知悉", "Acknowledge"),
    "acknowledge_hint": (
        "确认后顶部紧急提示不再显示；状态另行更改。",
        "Stops the urgent banner; the status is changed separately.",
    ),
    "print": ("打印", "Print"),
    "print_heading": ("人民建议", "Suggestion"),
    "printed": ("打印于", "Printed"),
    "back": ("返回", "Back"),
    "template": ("答复模板", "Reply template"),
    "confirm_publish": ("确认发布答复", "Confirm the reply"),
    "confirm_message": ("居民将收到：", "The resident will receive:"),
    "confirm_reaches": ("发送给 {n} 位居民：", "Goes to {n} resident(s):"),
    "confirm_reaches_none": (
        "居民未要求答复：答复只在查询时可见。",
        "Nobody asked for a reply: it shows when they look it up.",
    ),
    "confirm_publish_button": ("确认发布", "Publish now"),
    "back_to_edit": ("返回修改", "Back to edit"),
    "summary_title": ("每日汇总", "Daily summary"),
    "day": ("日期", "Day"),
    "summary_new": ("新收建议", "New"),
    "summary_urgent": ("紧急（当日或未确认）", "Urgent (that day or not acknowledged)"),
    "summary_overdue": ("逾期未办结", "Overdue"),
    "summary_per_assignee": (
        "按经办人（在办 / 逾期 / 当日新收）",
        "Per assignee (open / overdue / new)",
    ),
    "summary_open": ("在办", "Open"),
    "summary_mail": ("发送邮件", "Send by e-mail"),
    "summary_no_smtp": (
        "未配置邮件（SMTP_HOST、SUMMARY_TO）。",
        "E-mail is not configured (SMTP_HOST, SUMMARY_TO).",
    ),
    "summary_mailed": ("汇总已发送至 {to}。", "Summary sent to {to}."),
    "summary_mail_failed": ("邮件发送失败（{why}）。", "The e-mail failed ({why})."),
}

CLERK_WORDS |= {
    "change_password": ("修改密码", "Change password"),
    "password_current": ("当前密码", "Current password"),
    "password_new": ("新密码", "New password"),
    "password_repeat": ("再输一次新密码", "New password again"),
    "password_forced": (
        "这是管理员为您设的密码：请先设一个只有您知道的新密码。",
        "An admin set this password: please choose your own before going on.",
    ),
    "password_mismatch": ("两次输入的新密码不一致。", "The two new passwords differ."),
    "password_wrong": ("当前密码不正确。", "The current password is wrong."),
    "password_changed": ("密码已修改。", "Your password is changed."),
    "csrf_title": ("页面已过期，内容未提交", "This page had expired: nothing was saved"),
    "csrf_explained": (
        "为了安全，表单只在登录期间有效（可能已自动退出，或页面打开太久）。您输入的内容保留在下面，可以再次提交或复制保存。",
        "For safety a form only works while you are signed in (you may have been signed out, or "
        "the page was open too long). What you typed is kept below: send it again or copy it.",
    ),
    "csrf_send_again": ("再次提交", "Send again"),
    "csrf_sign_in": (
        "请先复制上面的内容，再重新登录后提交。",
        "Copy what you typed, sign in again, then send it.",
    ),
}

CLERK_WORDS |= {  # the knowledge base editor
    "changed_fields": ("改动：", "Changed: "),
    "first_version": ("第一版", "first version"),
    "english_outdated": (
        "中文答复已修改，英文答复尚未跟着修改，可能已过时。请更新英文答复，或确认它仍然适用。",
        "The Chinese answer changed and the English one did not: it may be out of date. Update "
        "it, or confirm it still fits.",
    ),
    "english_still_fits": ("英文答复仍然适用", "The English answer still fits"),
    "english_list": ("英文待更新", "English out of date"),
}

CLERK_WORDS |= {  # the unanswered list and publish
    "dismiss_chosen": ("忽略所选", "Dismiss chosen"),
    "dismiss_chosen_hint": (
        "勾选要一起忽略的问题组；看似乱码的组已预先勾选并排在最后。",
        "Tick the groups to dismiss together; those that look like random typing are ticked "
        "already and come last.",
    ),
    "choose_group": ("选中此组", "choose this group"),
    "choose_groups_first": ("请先勾选问题组。", "Tick groups first."),
    "looks_random": ("看似乱码", "looks random"),
    "another_entry": ("其他条目：", "Another entry:"),
    "search_entries": ("输入标题搜索条目", "type to search entries"),
    "publish_removed_entry": ("已删除的条目", "a removed entry"),
}
