#!/usr/bin/env bash
# Create both virtual environments from the pinned lock files; skip work when nothing changed.
# One line per step (scripts/step.sh); apt's and pip's own output go to var/log/install-*.log.
# --test also installs Chromium and a Chinese font (the browser tests), --cluster the balancer,
# PostgreSQL and Redis (`make run-cluster`, `make test-cluster`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/step.sh

PYTHON="${PYTHON:-python3.11}"
export RASA_TELEMETRY_ENABLED=false PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian packages: matplotlib's build needs, and what --test / --cluster add.
packages=(libfreetype-dev pkg-config libqhull-dev libpng-dev)
what="system packages"
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium fonts-wqy-microhei) what="system packages and Chromium"
elif [ "${1:-}" = "--cluster" ]; then
  packages+=(haproxy postgresql redis-server) what="system packages, HAProxy, PostgreSQL and Redis"
fi

# Install the Debian packages given that are missing (as root; else name them and fail).
install_packages() {
  local need=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if ((${#need[@]} == 0)); then
    echo "already installed: $*"
    echo "already installed" >"$STEP_RESULT"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "Please install the Debian packages: sudo apt-get install ${need[*]}"
    return 1
  fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  echo "installed ${need[*]}" >"$STEP_RESULT"
}

# True when venv $1 was built from lock file $2 as it is now (its stamp holds the lock's hash).
current() {
  [ -f "$1/.lock.sha256" ] && [ "$(cat "$1/.lock.sha256")" = "$(sha256sum "$2" | cut -d' ' -f1)" ]
}

# $1 venv dir, $2 lock file, rest: extra pip flags
make_env() {
  local dir=$1 lock=$2
  shift 2
  if current "$dir" "$lock"; then
    echo "$dir is up to date with $lock"
    echo "up to date" >"$STEP_RESULT"
    return 0
  fi
  [ -x "$dir/bin/python" ] || "$PYTHON" -m venv "$dir"
  "$dir/bin/python" -m pip install --progress-bar off "$@" -r "$lock"
  sha256sum "$lock" | cut -d' ' -f1 >"$dir/.lock.sha256"
  echo "installed from $lock" >"$STEP_RESULT"
}

# "installing $1 ($2)", saying so when it will take a while.
label() { current "$2" "$3" && echo "installing $1 ($2)" || echo "installing $1 ($2; a few minutes)"; }

step "installing $what" install-system -- install_packages "${packages[@]}"
# Rasa 3.6 declares Python <3.11 but runs on 3.11; matplotlib builds against Debian's freetype.
label=$(label "Rasa's environment" .venv-rasa requirements/rasa.lock)
MPLSETUPCFG="$PWD/requirements/mplsetup.cfg" step "$label" install-rasa -- \
  make_env .venv-rasa requirements/rasa.lock --ignore-requires-python --no-deps
label=$(label "the app environment" .venv requirements/app.lock)
step "$label" install-app -- make_env .venv requirements/app.lock --no-deps
