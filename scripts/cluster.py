"""The cluster (`make run-cluster`, deploy/cluster.conf): every address from the settings.

python -m scripts.cluster env RUN_DIR      check the settings and the release step, print the
                                           variables deploy/cluster.conf reads (for `eval`)
python -m scripts.cluster launch balancer  write RUN_DIR/haproxy.cfg, run HAProxy in this process
python -m scripts.cluster launch rasa N    write RUN_DIR/endpoints-N.yml, run Rasa instance N
                                           (of RASA_INSTANCES) in this process
python -m scripts.cluster launch actions N run action server N (of ACTION_INSTANCES)
python -m scripts.cluster health           readiness of every part; exit 1 if one is not ready
python -m scripts.cluster servers          the balancer's view: each server's state and load
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import sys
from pathlib import Path

import httpx
import redis
import yaml
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.settings import ROOT, Settings, get_settings
from scripts.balancer import ACTIONS, RASA, READY, Balancer, instances, rasa_frontend
from scripts.balancer import config as balancer_config
from scripts.render_endpoints import endpoints
from store.db import make_engine


class NotReady(RuntimeError):
    """The settings or the database are not fit for a cluster; the message says what to do."""


def _postgres(url: str) -> bool:
    return make_url(url).get_backend_name().startswith("postgres")


def released(url: str) -> bool:
    """True when the project's database is at the newest migration (`make release` ran)."""
    alembic = Config(str(ROOT / "alembic.ini"))
    alembic.set_main_option("script_location", str(ROOT / "store" / "migrations"))
    heads = set(ScriptDirectory.from_config(alembic).get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return {row[0] for row in rows} == heads
    except Exception:  # noqa: BLE001 - no table, no database: not released
        return False
    finally:
        engine.dispose()


def check(settings: Settings) -> None:
    """NotReady unless both databases are PostgreSQL, Redis is set and the release step ran."""
    missing = [
        name
        for name, ok in (
            ("DATABASE_URL (postgresql+psycopg://…)", _postgres(settings.database_url)),
            ("TRACKER_DATABASE_URL (postgresql://…)", _postgres(settings.tracker_database_url)),
            ("REDIS_URL (redis://…)", bool(settings.redis_url)),
        )
        if not ok
    ]
    if missing:
        raise NotReady("a cluster needs, in .env or the environment: " + ", ".join(missing))
    if not released(settings.database_url):
        raise NotReady("the database is not at the newest migration: run `make release` first")


def exports(settings: Settings, run_dir: Path) -> dict[str, str]:
    """The variables deploy/cluster.conf reads."""
    return {
        "RUN_DIR": str(run_dir),
        "RASA_COUNT": str(len(instances(settings.rasa_instances))),
        "ACTION_COUNT": str(len(instances(settings.action_instances))),
        "BALANCER_SOCKET": settings.balancer_socket or str(run_dir / "haproxy.sock"),
    }


def _write(path: Path, text_: str) -> Path:
    """Write a file whole (through a temporary one), readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text_, encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)
    return path


def launch(kind: str, index: int = 0) -> None:
    """Replace this process by the balancer or by instance `index` of `kind`, with its
    configuration written from the settings (supervisord or compose then watch it directly)."""
    settings = get_settings()
    run_dir = Path(os.environ.get("RUN_DIR") or ROOT / "var" / "cluster")
    env = dict(os.environ)
    if kind == "balancer":
        socket_path = settings.balancer_socket or str(run_dir / "haproxy.sock")
        cfg = _write(run_dir / "haproxy.cfg", balancer_config(settings, socket_path))
        argv = [shutil.which("haproxy") or "/usr/sbin/haproxy", "-W", "-db", "-f", str(cfg)]
    elif kind == RASA:
        host, port = instances(settings.rasa_instances)[index]
        header = "# Written by scripts/cluster.py from the settings; do not edit.\n"
        config = yaml.safe_dump(endpoints(settings), allow_unicode=True, sort_keys=False)
        written = _write(run_dir / f"endpoints-{index}.yml", header + config)
        python = str(ROOT / ".venv-rasa" / "bin" / "python")
        argv = [python, "-m", "scripts.run_rasa", "-i", host, "-p", str(port),
                "--model", str(settings.model_dir / "changzheng.tar.gz"),
                "--endpoints", str(written), "--credentials", str(ROOT / "credentials.yml")]  # fmt: skip
        env["SANIC_REQUEST_MAX_SIZE"] = "1048576"
    else:
        host, port = instances(settings.action_instances)[index]
        argv = [sys.executable, "-m", "scripts.run_actions", host, str(port)]
    os.chdir(ROOT)
    os.execve(argv[0], argv, env)


def _http(url: str) -> bool:
    try:
        return httpx.get(url, timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def _tcp(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def health(settings: Settings) -> dict[str, bool]:
    """Readiness of every part: each instance on its own readiness URL, the balancer, the
    databases, Redis, the web chat and the console."""
    ready = {}
    for kind, text_ in ((RASA, settings.rasa_instances), (ACTIONS, settings.action_instances)):
        for n, (host, port) in enumerate(instances(text_)):
            ready[f"{kind}-{n}"] = _http(f"http://{host}:{port}{READY[kind]}")
    host, port = rasa_frontend(settings)
    ready["balancer"] = _http(
        f"http://{settings.balancer_host}:{settings.balancer_status_port}/health"
    )
    ready["balancer-rasa"] = _http(f"http://{host}:{port}{READY[RASA]}")
    for name, url in (
        ("database", settings.database_url),
        ("tracker", settings.tracker_database_url),
    ):
        engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            with engine.connect() as connection:
                ready[name] = connection.execute(text("SELECT 1")).scalar() == 1
        except Exception:  # noqa: BLE001 - down is not ready
            ready[name] = False
        finally:
            engine.dispose()
    try:
        ready["redis"] = bool(redis.Redis.from_url(settings.redis_url, socket_timeout=3).ping())
    except (redis.RedisError, ValueError):
        ready["redis"] = False
    ready["webchat"] = _tcp(settings.webchat_host, settings.webchat_port)
    ready["console"] = _tcp(settings.console_host, settings.console_port)
    return ready


def main(argv: list[str]) -> int:
    settings = get_settings()
    if argv[:1] == ["env"] and len(argv) == 2:
        try:
            check(settings)
        except NotReady as error:
            print(f"run-cluster: {error}", file=sys.stderr)
            return 1
        for key, value in exports(settings, Path(argv[1])).items():
            print(f"export {key}={shlex.quote(value)}")
        return 0
    if argv == ["launch", "balancer"]:
        launch("balancer")
    if argv[:1] == ["launch"] and len(argv) == 3 and argv[1] in (RASA, ACTIONS):
        launch(argv[1], int(argv[2]))
    if argv == ["health"]:
        ready = health(settings)
        for name, ok in ready.items():
            print(f"{name:14} {'ready' if ok else 'NOT READY'}")
        return 0 if all(ready.values()) else 1
    if argv == ["servers"] and settings.balancer_socket:
        for backend in (RASA, ACTIONS):
            for name, row in Balancer(settings.balancer_socket).servers(backend).items():
                print(f"{name:12} {row['status']:6} now {row['scur']:>3}  total {row['stot']}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
