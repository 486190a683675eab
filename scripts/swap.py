"""Loading a model into the running assistant with no failed request.

One Rasa (`make run`): Rasa's PUT /model, as before. Several behind the balancer (`make run-cluster`:
BALANCER_SOCKET set, two or more RASA_INSTANCES): one instance at a time is drained (the balancer
sends it nothing new and its requests in progress finish, then takes it out altogether), loads the model, answers a test message,
and is put back once the balancer's checks see it ready; the others serve meanwhile. If an instance
fails, the instances already swapped load the previous model again and every instance is put back.

    python -m scripts.swap MODEL [PREVIOUS]    (what Publish does, by hand; prints when each
                                               instance goes out and comes back, with the
                                               number of requests the balancer had sent it)
"""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

import httpx

from core.settings import Settings, channel_secret, get_settings, rasa_auth_token
from scripts.balancer import RASA, Balancer, BalancerError, instances

CHECK_MESSAGE = "你好"


class SwapFailed(RuntimeError):
    """An instance did not load the model, or did not answer with it; the message says which."""


def rolling(settings: Settings | None = None) -> bool:
    """True when the model goes to several instances behind the balancer, one at a time."""
    settings = settings or get_settings()
    return bool(settings.balancer_socket) and len(instances(settings.rasa_instances)) > 1


def put_model(url: str, model: Path) -> None:
    """Rasa at `url` loads `model` (PUT /model with the API token)."""
    try:
        response = httpx.put(f"{url}/model", params={"token": rasa_auth_token()},
                             json={"model_file": str(model)}, timeout=600)  # fmt: skip
    except httpx.HTTPError as error:
        raise SwapFailed(f"{url} did not load the model: {type(error).__name__}") from error
    if response.status_code >= 300:
        raise SwapFailed(f"{url} refused the model ({response.status_code})")


def check(url: str, model: Path) -> None:
    """The instance has `model` and answers a resident's message."""
    status = httpx.get(f"{url}/status", params={"token": rasa_auth_token()}, timeout=30).json()
    if Path(status.get("model_file") or "").name != model.name:
        raise SwapFailed(f"{url} answers with {status.get('model_file')}, not {model.name}")
    response = httpx.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": f"publish-check-{uuid.uuid4().hex[:12]}", "message": CHECK_MESSAGE},
        headers={"Authorization": f"Bearer {channel_secret()}"},
        timeout=60,
    )
    if response.status_code != 200 or not any(m.get("text") for m in response.json()):
        raise SwapFailed(f"{url} gave no answer to a test message ({response.status_code})")


def roll(model: Path, previous: Path | None = None, settings: Settings | None = None) -> None:
    """Load `model` into every instance, one at a time (see the module's text)."""
    settings = settings or get_settings()
    balancer = Balancer(settings.balancer_socket)
    swapped: list[str] = []
    current = ""
    try:
        for n, (host, port) in enumerate(instances(settings.rasa_instances)):
            name, url = f"{RASA}-{n}", f"http://{host}:{port}"
            current = name
            balancer.set_state(RASA, name, "drain")  # no new request; those in progress finish
            balancer.wait_idle(RASA, name)
            balancer.set_state(RASA, name, "maint")  # and none on a kept-alive connection either
            sent = balancer.servers(RASA)[name]["stot"]  # requests it was ever sent, for the log
            print(f"{time.time():.3f} {name} out {sent}", flush=True)
            swapped.append(url)
            put_model(url, model)
            check(url, model)
            back, sent = time.time(), balancer.servers(RASA)[name]["stot"]  # unchanged while out
            balancer.set_state(RASA, name, "ready")
            balancer.wait_up(RASA, name)
            print(f"{back:.3f} {name} back {sent}", flush=True)
    except (SwapFailed, BalancerError, httpx.HTTPError, OSError) as error:
        undone = _undo(balancer, swapped, previous, settings)
        raise SwapFailed(f"{current}: {error}{undone}") from error


def _undo(balancer: Balancer, swapped: list[str], previous: Path | None, settings) -> str:
    failed = []
    if previous is not None:
        for url in swapped:
            try:
                put_model(url, previous)
            except SwapFailed as error:
                failed.append(str(error))
    for n in range(len(instances(settings.rasa_instances))):
        try:
            balancer.set_state(RASA, f"{RASA}-{n}", "ready")
        except (BalancerError, OSError) as error:
            failed.append(str(error))
    if failed:
        return "; putting the previous model back failed: " + "; ".join(failed)
    return "; the previous model is back on every instance" if previous else ""


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    model = Path(argv[0]).resolve()
    previous = Path(argv[1]).resolve() if len(argv) == 2 else None
    try:
        if rolling():
            roll(model, previous)
        else:
            put_model(get_settings().rasa_url.rstrip("/"), model)
    except SwapFailed as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
