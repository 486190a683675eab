"""Rasa's health and readiness: `GET /webhooks/health/` (the process serves) and
`GET /webhooks/health/ready` (a model is loaded and ready: 200, else 503). Registered as a channel
in credentials.yml, so the balancer (deploy/, scripts/cluster.py) checks it without Rasa's API
token; an instance that is loading or swapping a model is taken out until it answers 200 again.

A Rasa whose model could not be loaded at start (say, the file was being rewritten) would serve
"not ready" forever; it exits instead (status 3), so that supervisord starts it again."""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

logger = logging.getLogger(__name__)
NO_MODEL_EXIT = 3


class HealthInput(InputChannel):
    """Not a conversation channel: it only answers the health and readiness checks."""

    @classmethod
    def name(cls) -> str:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("health_webhook", __name__)

        @health.route("/", methods=["GET"])
        async def live(_request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> response.HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "loading"}, status=503)
            return response.json({"status": "ready"})  # which model: /status, with the token

        @health.listener("after_server_start")
        async def exit_without_a_model(app, _loop) -> None:
            agent = getattr(app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                logger.error("no model could be loaded: exiting, to be started again")
                os._exit(NO_MODEL_EXIT)

        return health
