"""The action server in a single process: `python -m scripts.run_actions HOST PORT`.

`python -m rasa_sdk` serves from a Sanic worker process that its manager forks; when the manager is
killed (kill -9, the OOM killer) the worker lives on, holding the port, and supervisord's restart
fails with "address in use" again and again. In one process a crash takes everything down and the
restart finds the port free. Same app, actions and logging as `python -m rasa_sdk --actions actions`
(one worker, as rasa_sdk runs by default). Used by `make run` (deploy/supervisord.conf), the
cluster (scripts/cluster.py), the publish gates and the test stack.

The language tools (spaCy's Chinese class, jieba and its dictionaries, about 4 s) are loaded before
the server listens: the first resident whose message is read for places after a (re)start is
answered as fast as the next, instead of waiting for them, or past a bridge's timeout."""

from __future__ import annotations

import logging
import sys

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from core.settings import ROOT


def warm_up() -> None:
    """Load what the first reading of a message would load (spaCy, jieba, the town's places)."""
    from language.nlp import find_places

    find_places("长征镇中江路")


def serve(host: str, port: int) -> None:
    """Serve the project's actions on host:port until stopped, once warmed up."""
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging("INFO")
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), None, "INFO",
                                 str(ROOT / "deploy" / "logging.yml"))  # fmt: skip
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package("actions")
    warm_up()
    app = create_app_for_serve(executor)
    app.prepare(host=host, port=port, single_process=True)
    Sanic.serve_single(app)


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
