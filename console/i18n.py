"""The console's words in Chinese (default) and English."""

from __future__ import annotations

from console.clerk_words import CLERK_WORDS
from console.handoff_words import HANDOFF_WORDS

LANGUAGES = ("zh", "en")
WORDS: dict[str, tuple[str, str]] = {
    "title": ("长征镇 工作台", "Changzheng staff console"),
    "queue": ("建议队列", "Suggestions"),
    "deliveries": ("待确认送达", "Uncertain deliveries"),
    "accounts": ("账号", "Accounts"),
    "categories": ("类别", "Categories"),
    "settings": ("设置", "Settings"),
    "audit": ("操作记录", "Audit log"),
    "logout": ("退出", "Sign out"),
    "login": ("登录", "Sign in"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "bad_login": (
        "用户名或密码不正确，或账号已锁定（连续输错5次锁定30分钟）。",
        "Wrong username or password, or the account is locked (5 failures lock it for 30 minutes).",
    ),
    "search": ("搜索", "Search"),
    "search_hint": ("关键词或编号 JY-…", "words or a number JY-…"),
    "status": ("状态", "Status"),
    "category": ("类别", "Category"),
    "place": ("地点", "Place"),
    "date_from": ("起始日期", "From"),
    "date_to": ("截止日期", "To"),
    "assignee": ("经办人", "Assignee"),
    "delivery": ("送达状态", "Delivery"),
    "all": ("全部", "all"),
    "nobody": ("未分配", "nobody"),
    "filter": ("筛选", "Filter"),
    "reset": ("清除", "Clear"),
    "urgent": ("紧急", "urgent"),
    "overdue": ("逾期", "overdue"),
    "found": ("共 {n} 条", "{n} found"),
    "page": ("第 {page} / {pages} 页", "page {page} of {pages}"),
    "prev": ("上一页", "previous"),
    "next": ("下一页", "next"),
    "export_csv": ("导出 CSV", "Export CSV"),
    "export_xlsx": ("导出 Excel", "Export XLSX"),
    "reference": ("编号", "Number"),
    "created": ("提交时间", "Made"),
    "text": ("内容", "Text"),
    "due": ("答复期限", "Answer due"),
    "alert": ("紧急建议，请立即处理：", "Urgent suggestions, act now:"),
    "details": ("类别与地点", "Category and place"),
    "save": ("保存", "Save"),
    "history": ("状态记录", "Status history"),
    "notes": ("内部备注（居民看不到）", "Internal notes (residents never see them)"),
    "add_note": ("添加备注", "Add note"),
    "assign": ("分配", "Assign"),
    "duplicate": ("标记为重复", "Mark as duplicate"),
    "duplicate_of": ("与此建议重复：", "Duplicate of:"),
    "duplicate_hint": (
        "原建议编号 JY-…（居民会收到告知）",
        "the earlier number JY-… (the resident is told)",
    ),
    "reply": ("答复居民", "Reply to the resident"),
    "reply_preview": ("居民在聊天中看到：", "The resident will see in the chat:"),
    "publish": ("发布答复", "Publish the reply"),
    "close_as": ("同时办结为", "and close as"),
    "keep_open": ("不办结", "keep open"),
    "change_status": ("更改状态", "Change status"),
    "closing_needs_reply": ("办结前须先发布答复。", "Closing needs a published reply first."),
    "replies": ("已发布的答复", "Published replies"),
    "no_reply_wanted": (
        "居民未要求答复；答复只在查询时可见。",
        "The resident did not ask for a reply; it shows when they look it up.",
    ),
    "show_phone": ("显示回访电话", "Show number for call-back"),
    "phone": ("回访电话", "Call-back number"),
    "no_phone": ("未留电话", "no number left"),
    "phone_audited": ("查看已记录在操作记录中。", "Viewing is recorded in the audit log."),
    "mark_delivered": ("已送达", "Mark delivered"),
    "resend": ("重新发送", "Send again"),
    "uncertain_help": (
        "这些答复可能已送达，也可能没有。请向居民核实后选择。",
        "These replies may or may not have reached the resident. Check, then decide.",
    ),
    "none_uncertain": ("没有待确认的答复。", "Nothing to decide."),
    "role": ("角色", "Role"),
    "active": ("启用", "Active"),
    "locked": ("已锁定", "locked"),
    "unlock": ("解锁", "Unlock"),
    "create": ("新建", "Create"),
    "new_password": ("新密码", "New password"),
    "name_zh": ("中文名", "Chinese name"),
    "name_en": ("英文名", "English name"),
    "topic": ("主题", "Topic"),
    "location_matters": ("需要地点", "Place matters"),
    "sort_order": ("顺序", "Order"),
    "key": ("代码", "Key"),
    "answer_days": ("答复期限（天）", "Answer time (days)"),
    "retention_days": ("个人信息保留（天）", "Contact details kept (days)"),
    "review_months": ("条目审核周期（月）", "Review entries every (months)"),
    "when": ("时间", "When"),
    "who": ("操作人", "Who"),
    "action": ("操作", "Action"),
    "object": ("对象", "Object"),
    "before": ("之前", "Before"),
    "after": ("之后", "After"),
    "saved": ("已保存。", "Saved."),
    "forbidden": ("您的角色无权访问此页面。", "Your role may not open this page."),
    "entries": ("知识库", "Knowledge base"),
    "new_entry": ("新建条目", "New entry"),
    "entry_saved": (
        "已保存，居民下一条消息起即生效。",
        "Saved: live from residents' next message.",
    ),
    "entry_restored": ("已恢复为所选版本。", "The chosen version is current again."),
    "awaiting_list": ("待补充细节", "Awaiting staff detail"),
    "stale_list": ("超过 {months} 个月未审核", "Not reviewed for {months} months"),
    "all_entries": ("全部条目", "All entries"),
    "title_col": ("标题", "Title"),
    "intent": ("意图", "Intent"),
    "version": ("版本", "Version"),
    "last_reviewed": ("上次审核", "Last reviewed"),
    "updated_by": ("修改人", "Changed by"),
    "answer_zh": ("答复（中文）", "Answer (Chinese)"),
    "answer_en": ("答复（英文）", "Answer (English)"),
    "detail_zh": ("补充说明（中文）", "Detail (Chinese)"),
    "detail_en": ("补充说明（英文）", "Detail (English)"),
    "staff_detail_zh": (
        "工作人员补充：地址、开放时间、办公电话（中文）",
        "Staff detail: addresses, opening hours, office phones (Chinese)",
    ),
    "staff_detail_en": ("工作人员补充（英文）", "Staff detail (English)"),
    "examples": ("示例问题（每行一个）", "Example questions (one a line)"),
    "next_questions_zh": ("推荐追问（中文，每行一个）", "Next questions (Chinese, one a line)"),
    "next_questions_en": ("推荐追问（英文，每行一个）", "Next questions (English, one a line)"),
    "source_zh": ("来源与章节（中文）", "Source and section (Chinese)"),
    "source_en": ("来源与章节（英文）", "Source and section (English)"),
    "source_date": ("来源日期", "Source date"),
    "awaiting_detail": ("待工作人员补充细节", "Awaiting staff detail"),
    "title_zh": ("标题（中文）", "Title (Chinese)"),
    "title_en": ("标题（英文）", "Title (English)"),
    "entry_id": (
        "条目代码（主题_名称，如 elevator_hours）",
        "Entry id (topic_name, e.g. elevator_hours)",
    ),
    "preview": ("居民在聊天中看到：", "Residents will see in the chat:"),
    "versions": ("历史版本", "Versions"),
    "restore": ("恢复此版本", "Restore this version"),
    "numbers_flagged": (
        "以下数字既不在工作报告中，也不在本条目的工作人员补充中：{numbers}。请核实。",
        "These numbers are neither in the report nor in this entry's staff detail: {numbers}. Check them.",
    ),
    "numbers_confirm": (
        "我已核实这些数字，确认保存（将记录在操作记录中）",
        "I checked these numbers; save them (recorded in the audit log)",
    ),
    "files": ("导入 / 导出文件", "Files: import / export"),
    "export_files": ("导出到 knowledge/entries", "Export to knowledge/entries"),
    "import_files": ("从 knowledge/entries 导入", "Import from knowledge/entries"),
    "files_help": (
        "导出把数据库中的条目写回文件，便于审阅和提交；导入只采纳文件中自上次导入以来的改动，"
        "工作人员在此修改过的内容绝不覆盖，双方都改过的字段列为冲突。",
        "Export writes the database's entries back to the files, to review and commit. Import "
        "takes only what the files changed since the last import; what was changed here is "
        "never overwritten, and a field changed on both sides is listed as a conflict.",
    ),
    "written": ("已写入：{files}", "Written: {files}"),
    "import_result": (
        "新增 {a}，更新 {u}，未变 {n}，冲突 {c}",
        "{a} added, {u} updated, {n} unchanged, {c} conflicts",
    ),
    "conflict_field": ("字段", "Field"),
    "imported_last": ("上次导入", "Imported last"),
    "in_file": ("文件中", "In the file"),
    "in_database": ("数据库中（保留）", "In the database (kept)"),
    "no_entries": ("没有符合条件的条目。", "No entry matches."),
    "no_results": ("没有符合条件的建议。", "No suggestion matches."),
    "wants_reply": ("需要答复", "wants a reply"),
    "messages": ("发给居民的消息", "Messages to the resident"),
    "unanswered": ("未解答问题", "Unanswered"),
    "unanswered_help": (
        "助手没能回答的问题（已遮盖个人信息），按相似度分组。把一组加为某个条目的示例问题，"
        "聊天中立即可以找到该条目；发布（重新训练）后模型也会认识它。",
        "Questions the assistant could not answer (personal data masked), grouped by similarity. "
        "Add a group as an example question of an entry and the chat finds that entry at once; "
        "after Publish (a new training) the model knows it too.",
    ),
    "unanswered_counts": ("{n} 条未处理消息，{g} 组", "{n} open messages in {g} groups"),
    "added_since_training": (
        "自上次训练以来，已从此列表添加 {n} 个示例问题。",
        "{n} example questions added from this list since the last training.",
    ),
    "times_asked": ("{n} 次", "{n}×"),
    "seen": ("首次 {first}，最近 {last}", "first {first}, last {last}"),
    "wordings": ("各种问法", "Wordings"),
    "example_text": ("示例问题（可修改）", "Example question (edit before saving)"),
    "to_entry": ("加入条目", "To entry"),
    "suggested": ("推荐", "suggested"),
    "add_example": ("加为示例问题", "Add as example question"),
    "new_entry_from": ("新建条目", "New entry"),
    "dismiss": ("忽略（不是本镇的问题）", "Dismiss (not a question for the town)"),
    "masked_hint": (
        "含有遮盖的个人信息（*），请改写后再保存。",
        "Holds masked personal data (*): rewrite it before saving.",
    ),
    "example_added": (
        "已加为「{entry}」的示例问题。",
        "Added as an example question of “{entry}”.",
    ),
    "group_dismissed": ("已忽略 {n} 条消息。", "{n} messages dismissed."),
    "already_handled": ("这一组已经有人处理过了。", "Somebody handled this group already."),
    "refused_empty": ("示例问题不能为空。", "The example question is empty."),
    "refused_too_long": (
        "示例问题太长（最多200字）。",
        "The example question is too long (200 at most).",
    ),
    "refused_masked": (
        "示例问题还含有遮盖的个人信息（*），请改写。",
        "The example question still holds masked personal data (*): rewrite it.",
    ),
    "refused_exists": (
        "这个条目已经有这个示例问题。",
        "The entry has this example question already.",
    ),
    "refused_duplicate": (
        "这个问题已是另一个意图（{other}）的示例，不能重复，否则发布时训练会失败。",
        "This question is an example of another intent ({other}) already; Publish would fail.",
    ),
    "no_unanswered": ("没有待处理的未解答问题。", "No unanswered question is waiting."),
    "go_publish": ("去发布（重新训练）", "Publish (train a new model)"),
    "refused_personal": (
        "示例问题里不能有电话、证件号或邮箱。",
        "An example question may not hold a phone or ID number or an e-mail address.",
    ),
    "dashboard": ("统计", "Dashboard"),
    "range": ("时间范围", "Range"),
    "last_days": ("近 {n} 天", "Last {n} days"),
    "dates_shanghai": ("日期按北京时间（Asia/Shanghai）计", "Dates in Asia/Shanghai time"),
    "chart_topic": ("每日消息（按主题）", "Messages per day by topic"),
    "chart_channel": ("每日消息（按渠道）", "Messages per day by channel"),
    "chart_outcome": ("居民提问的结果", "What became of residents' questions"),
    "chart_status": ("建议（按状态）", "Suggestions by status"),
    "chart_category": ("建议（按类别）", "Suggestions by category"),
    "chart_place": ("建议（按地点）", "Suggestions by place"),
    "col_topic": ("日期", "Date"),
    "col_channel": ("日期", "Date"),
    "col_outcome": ("结果", "Outcome"),
    "col_status": ("状态", "Status"),
    "col_category": ("类别", "Category"),
    "col_place": ("地点", "Place"),
    "outcome_answered": ("已回答", "answered"),
    "outcome_emergency": ("给出紧急电话", "emergency numbers given"),
    "outcome_general": ("一般性回答（知识库未覆盖）", "general answer (not in the base)"),
    "outcome_rated_down": ("已回答但被点👎", "answered, rated 👎"),
    "outcome_fallback": ("未确定（给出选项）", "fallback (options offered)"),
    "outcome_handoff": ("转12345", "handed to 12345"),
    "turns": ("消息数", "Messages"),
    "suggestions_n": ("建议数", "Suggestions"),
    "data_table": ("数据表", "Data table"),
    "see_table": ("图表数据见下方数据表。", "The chart's data is in the table below."),
    "figure_turns_total": ("消息总数", "Messages"),
    "figure_answered_share": ("问题已回答占比", "Questions answered"),
    "figure_suggestions_total": ("新建议", "New suggestions"),
    "figure_median_close": ("办结答复用时（中位数）", "Median time to a closing reply"),
    "figure_closed_total": ("已办结", "Closed"),
    "figure_overdue_now": ("当前逾期", "Overdue now"),
    "n_days": ("{n} 天", "{n} days"),
    "n_hours": ("{n} 小时", "{n} hours"),
    "places_table": ("报告所列地点的建议数", "Suggestions per place named in the report"),
    "place_other": ("其他/未注明", "Other / not given"),
    "kind": ("类型", "Kind"),
    "kind_road": ("道路", "road"),
    "kind_estate": ("小区", "estate"),
    "kind_area": ("地区", "area"),
    "kind_river": ("河道", "river"),
    "kind_facility": ("设施", "facility"),
    "n_minutes": ("{n} 分钟", "{n} minutes"),
    "no_topic": ("未注明", "not given"),
    "topic_elevator": ("加装电梯", "Elevators"),
    "topic_eldercare": ("养老服务", "Elder care"),
    "topic_employment": ("就业创业", "Jobs"),
    "topic_hotline": ("12345热线", "12345 hotline"),
    "topic_suggestion": ("人民建议", "Suggestions"),
    "topic_services": ("办事服务", "Services"),
    "topic_assistance": ("社会救助", "Assistance"),
    "topic_housing": ("住房小区", "Housing"),
    "topic_community": ("社区生活", "Community"),
    "topic_out_of_scope": ("范围以外", "Out of scope"),
    "topic_greet": ("问候", "Greetings"),
    "topic_goodbye": ("道别", "Goodbyes"),
    "topic_thank": ("致谢", "Thanks"),
    "topic_affirm": ("肯定回答", "Yes"),
    "topic_deny": ("否定回答", "No"),
    "topic_bot": ("关于助手", "About the assistant"),
    "topic_human": ("要找人工", "Asked for a person"),
    "worst_rated": ("差评最多的条目", "Worst-rated entries"),
    "worst_rated_hint": (
        "居民在回答后点击的 👍 / 👎，按“没帮助”占比从高到低排列。",
        "What residents pressed after an answer (👍 / 👎), the largest share of 👎 first.",
    ),
    "rated_up": ("有帮助", "Helpful"),
    "rated_down": ("没帮助", "Not helpful"),
    "down_share": ("没帮助占比", "Share not helpful"),
    "last_rated": ("最近评价", "Last rated"),
    "no_ratings": ("还没有评价。", "No ratings yet."),
    # outcomes of a turn beyond answered / fallback / handoff (store/analytics_repo.py)
    "outcome_conversation": ("寒暄", "conversation (greetings, thanks)"),
    "outcome_suggestion": ("提建议", "suggestion steps"),
    "outcome_rating": ("评价", "rating"),
    "publish_model": ("发布", "Publish"),
    "publish_help": (
        "发布把工作人员新增或修改的示例问题训练进新模型：先检查数据，在后台以低优先级训练，再用保留测试集"
        "和对话测试检验；通过且准确率没有下降才换上新模型。失败时原模型继续答复居民，并在此说明原因。",
        "Publishing trains the example questions staff added or changed into a new model: the data "
        "is checked, trained in the background at low priority, then tested on the held-out split "
        "and the conversation tests; only when they pass and the accuracy did not drop is the new "
        "model loaded. On failure the running model keeps answering and the reason is shown here.",
    ),
    "publish_problem": ("无法发布：", "Cannot publish:"),
    "publish_pending": ("待发布的改动", "Changes not yet published"),
    "publish_added": ("新增的示例问题", "Example questions added"),
    "publish_removed": ("删除的示例问题", "Example questions removed"),
    "publish_nothing_pending": ("没有待发布的改动。", "Nothing to publish."),
    "publish_button": ("发布", "Publish"),
    "publish_running_hint": ("正在发布，请稍候。", "A publish is running."),
    "publish_current": ("当前进度", "Progress"),
    "publish_jobs": ("发布记录", "Publishes"),
    "publish_who": ("发起人", "By"),
    "publish_when": ("时间", "When"),
    "publish_accuracy": ("保留集准确率（原→新）", "Held-out accuracy (running → new)"),
    "publish_conversations": ("对话测试", "Conversation tests"),
    "publish_reason": ("失败原因", "Why it failed"),
    "publish_no_jobs": ("还没有发布过。", "Nothing published yet."),
    "publish_busy": ("已有一个发布正在进行。", "A publish is already running."),
    "publish_started": ("已开始发布。", "Publishing started."),
    "publish_failed_start": ("发布进程无法启动。", "The publishing process could not start."),
    "publish_state_queued": ("排队", "Queued"),
    "publish_state_validating": ("检查数据", "Checking the data"),
    "publish_state_training": ("训练", "Training"),
    "publish_state_testing": ("测试", "Testing"),
    "publish_state_loading": ("加载", "Loading"),
    "publish_state_done": ("已发布", "Published"),
    "publish_state_failed": ("失败", "Failed"),
    "publish_msg_queued": ("排队等候", "queued"),
    "publish_msg_building": ("根据条目生成训练数据", "building the training data from the entries"),
    "publish_msg_valid": (
        "训练数据检查通过（{count} 个示例问题，来自{source}）",
        "training data valid ({count} example questions from the {source})",
    ),
    "publish_msg_training": ("以低优先级训练新模型", "training the new model (low priority)"),
    "publish_msg_trained": (
        "新模型训练完成，用时 {seconds} 秒",
        "new model trained in {seconds} s",
    ),
    "publish_msg_measuring": (
        "保留测试集：测量现用模型和新模型",
        "held-out split: measuring the installed and the new model",
    ),
    "publish_msg_accuracy": (
        "保留集准确率：现用 {old}，新模型 {new}",
        "held-out accuracy: installed {old}, new {new}",
    ),
    "publish_msg_accuracy_new": (
        "保留集准确率：新模型 {new}（没有现用模型）",
        "held-out accuracy: new {new} (no installed model)",
    ),
    "publish_msg_other_model": (
        "注意：助手运行的模型不是已安装的文件，测量的是已安装的文件",
        "note: the assistant runs another model than the installed file; the file was measured",
    ),
    "publish_msg_conversations": (
        "对话测试（独立的动作服务器和临时数据库）",
        "conversation tests (private action server, scratch database)",
    ),
    "publish_msg_conversations_passed": (
        "对话测试全部通过（{count} 个）",
        "all {count} conversation tests passed",
    ),
    "publish_msg_loading": ("把新模型加载到助手", "loading the new model into the assistant"),
    "publish_msg_installed": ("已安装，重启后仍使用新模型", "installed for restarts"),
    "publish_msg_published": (
        "发布完成：助手已使用模型 {model} 答复",
        "published: the assistant answers with model {model}",
    ),
    "publish_msg_failed": ("失败：{why}", "failed: {why}"),
    "publish_source_database": ("数据库", "database"),
    "publish_source_files": ("文件", "files"),
    "figure_answered_share_note": (
        "只算居民的问题：（已回答且未被点👎 + 给出紧急电话）÷ 全部问题；一般性回答、被点👎、未确定和转12345都不算已回答。",
        "Questions only: (answered and not rated 👎 + emergency numbers given) ÷ all questions; "
        "general answers, 👎, fallbacks and handoffs do not count as answered.",
    ),
    "chart_outcome_note": (
        "只含问题（图与数据表同一数据）；寒暄、提建议和评价另计。",
        "Questions only (the chart and its table show the same figures); greetings, suggestion "
        "steps and ratings are counted apart.",
    ),
    "figure_other_turns": (
        "其他对话（寒暄、提建议、评价）",
        "Other turns (greetings, suggestions, ratings)",
    ),
    "choose_entry": ("— 选择条目 —", "— choose an entry —"),
    "choose_entry_first": (
        "请先选择要加入的条目。",
        "Choose the entry the example question belongs to first.",
    ),
    # raw values the pages show: delivery states, roles, who changed a status, version notes
    "delivery_none": ("无消息", "no message"),
    "delivery_pending": ("待发送", "waiting to send"),
    "delivery_sending": ("发送中", "sending"),
    "delivery_sent": ("已送达", "sent"),
    "delivery_failed": ("发送失败", "failed"),
    "delivery_uncertain": ("待确认", "uncertain"),
    "role_reviewer": ("审核员", "reviewer"),
    "role_editor": ("编辑", "editor"),
    "role_admin": ("管理员", "admin"),
    "actor_resident": ("居民", "resident"),
    "actor_system": ("系统", "system"),
    "channel_webchat": ("网页聊天", "web chat"),
    "channel_telegram": ("Telegram", "Telegram"),
    "channel_wechat": ("微信", "WeChat"),
    "version_created": ("新建", "created"),
    "version_imported": ("导入", "imported"),
    "version_restored": ("恢复自第 {n} 版", "restored version {n}"),
    "version_from_unanswered": (
        "来自未解答问题的示例问题",
        "example question from the unanswered list",
    ),
    "publish_nothing_note": (
        "没有待发布的改动，无需发布。",
        "Nothing changed since the running model: nothing to publish.",
    ),
    "publish_nothing_to_do": (
        "没有待发布的改动，未开始发布。",
        "Nothing to publish: no publish was started.",
    ),
    "publish_outcome_done": (
        "新模型已上线（发布 #{id}，{when}）。",
        "The new model is live (publish #{id}, {when}).",
    ),
    "publish_outcome_failed": (
        "发布 #{id} 失败（{when}），原模型继续答复：",
        "Publish #{id} failed ({when}); the running model keeps answering:",
    ),
}


WORDS.update(CLERK_WORDS)
WORDS.update(HANDOFF_WORDS)


def translate(key: str, lang: str, **values) -> str:
    """The word for `key` in `lang`, with `{name}` placeholders filled."""
    zh, en = WORDS.get(key, (key, key))
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def value_label(kind: str, value: str, lang: str) -> str:
    """A stored value (a delivery state, a role, a channel…) in the staff's words: the key
    `{kind}_{value}`; an unknown value as it is."""
    word = translate(f"{kind}_{value}", lang)
    return value if word == f"{kind}_{value}" else word


def version_note(note: str, lang: str) -> str:
    """The note the data layer keeps with an entry's version, in the staff's words."""
    if note.startswith("restored version "):
        return translate("version_restored", lang, n=note.removeprefix("restored version "))
    known = {"created": "version_created", "imported": "version_imported",
             "example question from the unanswered list": "version_from_unanswered"}  # fmt: skip
    return translate(known[note], lang) if note in known else note


def topic_label(key: str, lang: str) -> str:
    """A topic key in the staff's words ("not given" for none; an unknown key as it is)."""
    if not key:
        return translate("no_topic", lang)
    word = translate(f"topic_{key}", lang)
    return key if word == f"topic_{key}" else word
