#!/usr/bin/env bash
# Create both virtual environments from the pinned lock files; skip work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
export RASA_TELEMETRY_ENABLED=false PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian packages: matplotlib's build needs; with --test also Chromium and a Chinese font for the
# web chat's browser test.
packages=(libfreetype-dev pkg-config libqhull-dev libpng-dev)
[ "${1:-}" = "--test" ] && packages+=(chromium fonts-wqy-microhei)
# with --cluster: the balancer, PostgreSQL and Redis (`make run-cluster`, `make test-cluster`)
[ "${1:-}" = "--cluster" ] && packages+=(haproxy postgresql redis-server)
apt_need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_need+=("$pkg")
done
if ((${#apt_need[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "==> installing Debian packages: ${apt_need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_need[@]}"
  else
    echo "Please install the Debian packages: ${apt_need[*]} (sudo apt-get install ...)" >&2
    exit 1
  fi
fi

# $1 venv dir, $2 lock file, rest: extra pip flags
make_env() {
  local dir=$1 lock=$2; shift 2
  local stamp="$dir/.lock.sha256" want
  want=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "==> $dir is up to date with $lock"
    return
  fi
  echo "==> building $dir from $lock (the first time takes a few minutes)"
  [ -x "$dir/bin/python" ] || "$PYTHON" -m venv "$dir"
  "$dir/bin/python" -m pip install --progress-bar on "$@" -r "$lock"
  echo "$want" > "$stamp"
}

# Rasa 3.6 declares Python <3.11 but runs on 3.11; matplotlib builds against Debian's freetype.
MPLSETUPCFG="$PWD/requirements/mplsetup.cfg" make_env .venv-rasa requirements/rasa.lock \
  --ignore-requires-python --no-deps
make_env .venv requirements/app.lock --no-deps
