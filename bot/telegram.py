"""Telegram adapter (python-telegram-bot 22): thin handlers; dialogue state lives in Rasa."""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot import outbox
from bot.relay import Incoming, Outcome, Relay, in_both, is_rating
from bot.telegram_pacing import CountingLimiter, OneChatInOrder
from core import logs
from core.settings import Settings, get_settings
from language.catalogue import say
from language.text import split_text

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
COMMANDS = ("start", "help", "lang", "status", "mine", "cancel", "delete_my_data")  # the menu
RELAYED = {"delete_my_data": "delete"}  # Telegram's command → the relay's, where they differ


class Bridge:
    """What the handlers share: the relay (Rasa, button tokens, rate limit) and the limiter."""

    def __init__(self) -> None:
        self.relay = Relay(CHANNEL)
        self.limiter: CountingLimiter | None = None
        self.busy_queue = get_settings().telegram_busy_queue
        self.outbox_task: asyncio.Task | None = None
        self.background: set[asyncio.Task] = set()

    def queue(self) -> int:
        """Requests waiting in the limiter."""
        return self.limiter.waiting if self.limiter else 0


Context = CallbackContext[ExtBot, dict, dict, Bridge]


def sender_of(update: Update) -> str:
    """The stable Rasa sender id of a Telegram user."""
    return f"tg-{update.effective_user.id}"


def hint_of(update: Update) -> str | None:
    """The language of the resident's Telegram app, a hint until they write."""
    code = (getattr(update.effective_user, "language_code", None) or "").lower()
    return "en" if code.startswith("en") else "zh" if code.startswith("zh") else None


def markup_of(reply) -> InlineKeyboardMarkup | None:
    """One question a row; 👍 and 👎 side by side in the last."""
    rows = [[InlineKeyboardButton(b.title[:64], callback_data=b.token)] for b in reply.questions]
    thumbs = [InlineKeyboardButton(b.title[:64], callback_data=b.token) for b in reply.ratings]
    rows += [thumbs] if thumbs else []
    return InlineKeyboardMarkup(rows) if rows else None


async def show(message, outcome: Outcome) -> None:
    """The relay's notices and replies as Telegram messages (long ones split, keys on the last)."""
    for notice in outcome.notices:
        await message.reply_text(notice)
    for reply in outcome.replies:
        markup, parts = markup_of(reply), split_text(reply.text)
        for index, part in enumerate(parts):
            keys = markup if index == len(parts) - 1 else None
            if part or keys:
                await message.reply_text(part or "…", reply_markup=keys)


async def relay(update: Update, context: Context, **what) -> Outcome:
    """Hand the resident's message to the relay and show what it returns. Under load the typing
    indicator is dropped, and with a long limiter queue the resident gets a busy reply."""
    bridge, message = context.bot_data, update.effective_message
    queue = bridge.queue()

    async def typing(_: str) -> None:
        if queue < bridge.busy_queue // 4:  # dropped under load; never waits in the limiter
            task = asyncio.create_task(
                context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
            )
            bridge.background.add(task)
            task.add_done_callback(bridge.background.discard)

    incoming = Incoming(sender_of(update), lang=hint_of(update), busy=queue >= bridge.busy_queue,
                        **what)  # fmt: skip
    outcome = await bridge.relay.handle(incoming, accepted=typing)
    await show(message, outcome)
    return outcome


def command(name: str):
    """A handler relaying the command `name` (with its arguments)."""

    async def handler(update: Update, context: Context) -> None:
        await relay(
            update, context, command=RELAYED.get(name, name), args=" ".join(context.args or ())
        )

    handler.__name__ = name
    return handler


async def text_message(update: Update, context: Context) -> None:
    """A resident's text, sent to Rasa as text (a typed '/intent' or unknown /command stays text)."""
    await relay(update, context, text=update.effective_message.text)


async def button(update: Update, context: Context) -> None:
    """A pressed inline button: its payload comes from the server-side token."""
    query = update.callback_query
    await query.answer()

    async def pressed(payload: str) -> None:
        await query.edit_message_reply_markup(reply_markup=keys_left(query, payload))

    bridge = context.bot_data
    incoming = Incoming(sender_of(update), token=query.data or "", lang=hint_of(update))
    outcome = await bridge.relay.handle(incoming, accepted=pressed)
    await show(update.effective_message, outcome)


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
    await relay(update, context, location=(point.latitude, point.longitude))


async def unsupported(update: Update, context: Context) -> None:
    """Photos, stickers, voice, files, edits: say what the assistant understands."""
    if update.effective_message:
        await relay(update, context, unsupported=True)


async def group_chat(update: Update, context: Context) -> None:
    """In a group, ask the resident to write privately."""
    await update.effective_message.reply_text(in_both("private_chat_only", " "))


async def error_handler(update: object, context: Context) -> None:
    """Log with the traceback, then apologise kindly."""
    logger.error("Telegram handler failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        await update.effective_message.reply_text(say("apology"))


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
    await application.bot.set_my_commands(
        [BotCommand(name, in_both(f"command_{name}", " / ")) for name in COMMANDS]
    )

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
    await application.bot_data.relay.close()


def build_application(settings: Settings) -> Application:
    """Wire the handlers (no network until the application starts)."""
    limiter = CountingLimiter()
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .context_types(ContextTypes(context=CallbackContext, bot_data=Bridge))
        .rate_limiter(limiter)
        .concurrent_updates(OneChatInOrder())
        .read_timeout(settings.telegram_read_timeout)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.limiter = limiter
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, unsupported))
    application.add_handler(MessageHandler(filters.ChatType.GROUPS, group_chat))
    for name in COMMANDS:
        application.add_handler(CommandHandler(name, command(name), filters=private))
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
