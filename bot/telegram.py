"""Telegram adapter (python-telegram-bot 22): thin handlers; dialogue state lives in Rasa."""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot import outbox
from bot.buttons import ButtonTokens
from bot.limits import RateLimit
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.render import (
    APOLOGY,
    EXPIRED_BUTTON,
    PRIVACY,
    RATE_LIMITED,
    TOO_LONG,
    UNSUPPORTED,
    clean_input,
    is_rating,
    is_too_long,
    split_text,
)
from knowledge import logs
from knowledge.settings import Settings, get_settings
from language.text import detect_language

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
COMMANDS = [
    ("start", "开始 / what I can do"), ("help", "帮助 / help"), ("lang", "中文 / English"),
    ("status", "查询建议进度 / suggestion status"), ("mine", "我的建议 / my suggestions"),
    ("cancel", "取消 / cancel"), ("delete_my_data", "删除我的信息 / delete my data"),
]  # fmt: skip


class Bridge:
    """What the handlers share: the Rasa client, button tokens and the rate limit."""

    def __init__(self) -> None:
        self.rasa = RasaClient()
        self.tokens = ButtonTokens()
        self.limits = RateLimit(get_settings().messages_per_minute)
        self.outbox_task: asyncio.Task | None = None


Context = CallbackContext[ExtBot, dict, dict, Bridge]
RESIDENTS_AT_ONCE = 64  # updates handled concurrently; Rasa's REST channel turns the excess away


class OneChatInOrder(BaseUpdateProcessor):
    """Many residents served at once (one at a time would cap the bot at one reply per round trip
    to Rasa), each chat's updates still one after another, in the order they came."""

    def __init__(self, limit: int = RESIDENTS_AT_ONCE) -> None:
        super().__init__(limit)
        self._chats: dict[int | None, tuple[asyncio.Lock, int]] = {}  # only chats with work

    async def do_process_update(self, update: object, coroutine) -> None:
        """Run the update's handlers after the same chat's earlier updates."""
        chat = getattr(getattr(update, "effective_chat", None), "id", None)
        lock, users = self._chats.get(chat) or (asyncio.Lock(), 0)
        self._chats[chat] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._chats[chat]
            if users == 1:
                del self._chats[chat]
            else:
                self._chats[chat] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def sender_of(update: Update) -> str:
    """The stable Rasa sender id of a Telegram user."""
    return f"tg-{update.effective_user.id}"


async def relay(update: Update, context: Context, text: str, *, payload: bool = False) -> None:
    """Send `text` to Rasa as this resident and show the replies (buttons become tokens)."""
    bridge, sender, message = context.bot_data, sender_of(update), update.effective_message
    lang = detect_language(text, default=(context.user_data or {}).get("lang", "zh"))
    if not bridge.limits.allow(sender):
        if bridge.limits.should_warn(sender):
            await message.reply_text(RATE_LIMITED[lang])
        return
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    try:
        replies = await bridge.rasa.send(sender, text, channel=CHANNEL, payload=payload)
    except RasaUnavailable as error:
        logger.warning("Rasa unavailable for a Telegram message: %s", error)
        await message.reply_text(APOLOGY[lang])
        return
    for reply in replies:
        buttons, thumbs = [], []  # one question a row; 👍 and 👎 side by side in the last
        for b in reply.get("buttons") or []:
            key = InlineKeyboardButton(
                b["title"][:64], callback_data=bridge.tokens.issue(sender, b["payload"])
            )
            if is_rating(b):
                thumbs.append(key)
            else:
                buttons.append([key])
        buttons += [thumbs] if thumbs else []
        parts = split_text(reply.get("text") or "")
        for index, part in enumerate(parts):
            markup = InlineKeyboardMarkup(buttons) if buttons and index == len(parts) - 1 else None
            if part or markup:
                await message.reply_text(part or "…", reply_markup=markup)


async def start(update: Update, context: Context) -> None:
    """Greet, say what the assistant does, and the one-line privacy notice."""
    await update.effective_message.reply_text(PRIVACY["zh"] + "\n" + PRIVACY["en"])
    await relay(update, context, "/greet", payload=True)


async def help_command(update: Update, context: Context) -> None:
    """What the assistant can do."""
    await relay(update, context, "/bot", payload=True)


async def lang(update: Update, context: Context) -> None:
    """Offer 中文 / English."""
    tokens, sender = context.bot_data.tokens, sender_of(update)
    keyboard = [[
        InlineKeyboardButton("中文", callback_data=tokens.issue(sender, '/greet{"language": "zh"}')),
        InlineKeyboardButton("English", callback_data=tokens.issue(sender, '/greet{"language": "en"}')),
    ]]  # fmt: skip
    await update.effective_message.reply_text(
        "请选择语言 / Choose a language", reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def status(update: Update, context: Context) -> None:
    """`/status JY-…`: a suggestion's status; without a number, my suggestions."""
    await relay(
        update,
        context,
        " ".join(context.args) if context.args else "/suggestion_mine",
        payload=not context.args,
    )


async def mine(update: Update, context: Context) -> None:
    """My suggestions."""
    await relay(update, context, "/suggestion_mine", payload=True)


async def cancel(update: Update, context: Context) -> None:
    """Cancel what is in progress."""
    await relay(update, context, "/suggestion_cancel", payload=True)


async def delete_my_data(update: Update, context: Context) -> None:
    """Delete my contact details and identity link: Rasa asks first, as in every channel."""
    await relay(update, context, "/suggestion_delete_data", payload=True)


async def text_message(update: Update, context: Context) -> None:
    """A resident's text, sent to Rasa as text (a typed '/intent' stays text)."""
    text = update.effective_message.text
    if is_too_long(text):
        await update.effective_message.reply_text(TOO_LONG[detect_language(text)])
    await relay(update, context, clean_input(text))


async def button(update: Update, context: Context) -> None:
    """A pressed inline button: its payload comes from the server-side token."""
    query = update.callback_query
    await query.answer()
    payload = context.bot_data.tokens.redeem(sender_of(update), query.data)
    if payload is None:
        await update.effective_message.reply_text(EXPIRED_BUTTON["zh"])
        return
    await query.edit_message_reply_markup(reply_markup=keys_left(query, payload))
    await relay(update, context, payload, payload=True)


def keys_left(query, payload: str) -> InlineKeyboardMarkup | None:
    """After a 👍 / 👎 the answer's questions stay (the thumbs go); after any other key, none."""
    markup = query.message.reply_markup if query.message else None
    if markup is None or not is_rating({"payload": payload}):
        return None
    rows = [r for r in markup.inline_keyboard if all(k.callback_data != query.data for k in r)]
    return InlineKeyboardMarkup(rows) if rows else None


async def location(update: Update, context: Context) -> None:
    """A shared location: rounded to about 100 m before anything is stored."""
    point = update.effective_message.location
    await relay(update, context, f"位置（约100米）：{point.latitude:.3f},{point.longitude:.3f}")
    await update.effective_message.reply_text("谢谢！也请告诉我小区名或路名，方便工作人员找到。")


async def unsupported(update: Update, context: Context) -> None:
    """Photos, stickers, voice, files, edits: say what the assistant understands."""
    if update.effective_message:
        await update.effective_message.reply_text(UNSUPPORTED["zh"] + "\n" + UNSUPPORTED["en"])


async def group_chat(update: Update, context: Context) -> None:
    """In a group, ask the resident to write privately."""
    await update.effective_message.reply_text(
        "请私聊我，以保护您的隐私。Please write to me in a private chat."
    )


async def error_handler(update: object, context: Context) -> None:
    """Log with the traceback, then apologise kindly."""
    logger.error("Telegram handler failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        await update.effective_message.reply_text(APOLOGY["zh"])


def classify(error: Exception) -> tuple[str, float]:
    """Outbox: retry only when nothing can have been sent; a timeout after sending is uncertain."""
    cause = error.__cause__
    if isinstance(error, RetryAfter):
        retry_after = error.retry_after
        return outbox.RETRY, float(getattr(retry_after, "total_seconds", lambda: retry_after)())
    if isinstance(error, TimedOut):
        if isinstance(cause, (httpx.ConnectTimeout, httpx.PoolTimeout)):
            return outbox.RETRY, 5.0
        return "uncertain", 0.0
    if isinstance(error, (Forbidden, BadRequest)):
        return "failed", 0.0
    if isinstance(error, NetworkError) and isinstance(cause, httpx.ConnectError):
        return outbox.RETRY, 5.0
    return "uncertain", 0.0


async def post_init(application: Application) -> None:
    """Register the commands and start delivering staff replies."""
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])

    async def send(address: str, text: str) -> None:
        for part in split_text(text):
            await application.bot.send_message(chat_id=int(address.removeprefix("tg-")), text=part)

    application.bot_data.outbox_task = asyncio.create_task(
        outbox.run_forever(CHANNEL, send, classify)
    )


async def post_shutdown(application: Application) -> None:
    """Stop the outbox and close the Rasa client."""
    if application.bot_data.outbox_task:
        application.bot_data.outbox_task.cancel()
    await application.bot_data.rasa.close()


def build_application(settings: Settings) -> Application:
    """Wire the handlers (no network until the application starts)."""
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .context_types(ContextTypes(context=CallbackContext, bot_data=Bridge))
        .rate_limiter(AIORateLimiter())
        .concurrent_updates(OneChatInOrder())
        .read_timeout(settings.telegram_read_timeout)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, unsupported))
    application.add_handler(MessageHandler(filters.ChatType.GROUPS, group_chat))
    for name, handler in [("start", start), ("help", help_command), ("lang", lang), ("status", status),
                          ("mine", mine), ("cancel", cancel), ("delete_my_data", delete_my_data)]:  # fmt: skip
        application.add_handler(CommandHandler(name, handler, filters=private))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(MessageHandler(private & filters.LOCATION, location))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, text_message))
    application.add_handler(
        MessageHandler(private & filters.TEXT, text_message)
    )  # unknown /commands
    application.add_handler(MessageHandler(filters.ALL, unsupported))
    application.add_error_handler(error_handler)
    return application


def main() -> None:
    """Run the bot: long polling by default, a webhook with a secret token in production."""
    logs.configure(get_settings().log_level)
    settings = get_settings()
    if not settings.telegram_token:
        raise SystemExit("TELEGRAM_TOKEN is not set: Telegram is off.")
    application = build_application(settings)
    if settings.telegram_mode == "webhook":
        if not settings.telegram_webhook_secret or not settings.telegram_webhook_url:
            raise SystemExit("webhook mode needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET")
        application.run_webhook(
            listen="127.0.0.1", port=settings.telegram_webhook_port, secret_token=settings.telegram_webhook_secret,
            webhook_url=settings.telegram_webhook_url, allowed_updates=Update.ALL_TYPES,
        )  # fmt: skip
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
