"""deploy/compose.yml and deploy/cluster.conf describe the same cluster: the same processes with the
same commands and restart policy, every address and port a setting of core/settings.py, each
instance's host a service of its own on the port the settings give it."""

from __future__ import annotations

import configparser
import re
import shlex

import yaml

from core.settings import ROOT, Settings
from scripts.balancer import instances

COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS = COMPOSE["x-settings"]
OUTSIDE_SUPERVISORD = {"postgres", "redis", "release"}  # managed data services, the release step
ADDRESS = re.compile(r"(host|port|url|instances|socket)$")


def programs() -> dict[str, configparser.SectionProxy]:
    parser = configparser.RawConfigParser()
    parser.read(ROOT / "deploy" / "cluster.conf")
    return {
        name.removeprefix("program:"): parser[name]
        for name in parser.sections()
        if name.startswith("program:")
    }


def command(text: str, number: int = 0) -> list[str]:
    text = text.replace("%(here)s/../", "").replace("%(process_num)d", str(number))
    return shlex.split(" ".join(text.split()))


def expected_services() -> dict[str, list[str]]:
    """Each process supervisord runs, by the compose service that must run it, with its command."""
    counts = {"rasa": SETTINGS["RASA_INSTANCES"], "actions": SETTINGS["ACTION_INSTANCES"]}
    wanted = {}
    for name, section in programs().items():
        if section.get("numprocs"):
            for n in range(len(instances(counts[name]))):
                wanted[f"{name}-{n}"] = command(section["command"], n)
        else:
            wanted[name] = command(section["command"])
    return wanted


def test_compose_runs_the_same_processes_with_the_same_commands():
    wanted = expected_services()
    assert set(SERVICES) - OUTSIDE_SUPERVISORD == set(wanted)
    for name, argv in wanted.items():
        assert shlex.split(SERVICES[name]["command"]) == argv, name


def test_every_process_restarts_by_itself_in_both():
    for name, section in programs().items():
        assert section.get("autorestart") == "true", name
    for name in set(SERVICES) - {"release"}:
        assert SERVICES[name].get("restart") in ("unless-stopped", "always"), name


def test_every_address_is_a_setting_and_every_address_setting_is_set():
    fields = {name.upper() for name in Settings.model_fields}
    assert set(SETTINGS) - fields <= {"RUN_DIR", "CONTACT_KEY"}  # read outside Settings
    addresses = {name for name in fields if ADDRESS.search(name.lower())}
    # other services' addresses, read from .env (compose's env_file) like any other setting
    addresses -= {"TELEGRAM_BASE_URL", "TELEGRAM_WEBHOOK_URL", "WECHAT_API_URL", "SMTP_HOST",
                  "SMTP_PORT"}  # fmt: skip
    assert addresses <= set(SETTINGS), addresses - set(SETTINGS)


def test_instances_balancer_and_ports_agree_with_the_services():
    for key in ("RASA_INSTANCES", "ACTION_INSTANCES"):
        for host, port in instances(SETTINGS[key]):
            assert str(port) in SERVICES[host]["expose"], host  # its own service, on its port
            assert f":{port}/" in SERVICES[host]["healthcheck"]["test"][-1]
    balancer = SERVICES["balancer"]["expose"]
    assert SETTINGS["RASA_URL"] == f"http://{SETTINGS['BALANCER_HOST']}:5005" and "5005" in balancer
    assert SETTINGS["ACTION_HOST"] == SETTINGS["BALANCER_HOST"] == "balancer"
    assert {SETTINGS["ACTION_PORT"], SETTINGS["BALANCER_STATUS_PORT"]} <= set(balancer)
    assert SETTINGS["BALANCER_SOCKET"].rpartition(":")[2] in balancer
    assert (
        f"{SETTINGS['WEBCHAT_PORT']}:{SETTINGS['WEBCHAT_PORT']}" in SERVICES["webchat"]["ports"][0]
    )


def test_the_defaults_have_as_many_instances_as_compose():
    for key in ("RASA_INSTANCES", "ACTION_INSTANCES"):
        default = Settings.model_fields[key.lower()].default
        assert [p for _, p in instances(default)] == [p for _, p in instances(SETTINGS[key])]
