#!/usr/bin/env bash
# Start the assistant under supervisord (deploy/supervisord.conf: a process that dies is started
# again), print how to talk to it; Ctrl-C stops everything. Secrets are never printed.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SANIC_HOST=127.0.0.1
[ -f .env ] && set -a && . ./.env && set +a

export TELEGRAM=false
[ -n "${TELEGRAM_TOKEN:-}" ] && TELEGRAM=true
export WECHAT=false  # bot/wechat.py: on when the account's id, secret and token are all set
[ -n "${WECHAT_APP_ID:-}" ] && [ -n "${WECHAT_APP_SECRET:-}" ] && [ -n "${WECHAT_TOKEN:-}" ] && WECHAT=true
if [ "${1:-}" = "--cluster" ]; then  # `make run-cluster`: deploy/cluster.conf, addresses from settings
  conf=deploy/cluster.conf
  export RUN_DIR="${RUN_DIR:-$PWD/var/cluster}"
  mkdir -p "$RUN_DIR/log"
  exports=$(.venv/bin/python -m scripts.cluster env "$RUN_DIR") || exit 1
  eval "$exports"
  rasa_base="$(.venv/bin/python -c 'from core.settings import get_settings as s; print(s().rasa_url)')"
  rasa_ready="$rasa_base/webhooks/health/ready"
else
  conf=deploy/supervisord.conf
  export RASA_PORT="${RASA_PORT:-5005}" ACTION_PORT="${ACTION_PORT:-5055}"
  export RUN_DIR="${RUN_DIR:-$PWD/var}"
  mkdir -p "$RUN_DIR/log"
  .venv/bin/python -m scripts.render_endpoints "$RUN_DIR/endpoints.yml" >/dev/null
  rasa_base="http://127.0.0.1:$RASA_PORT" rasa_ready="http://127.0.0.1:$RASA_PORT/"
fi

.venv/bin/supervisord -c "$conf" &
supervisor=$!
stop() {
  trap - INT TERM EXIT
  printf '\nstopping the assistant … '
  kill -TERM "$supervisor" 2>/dev/null || true  # supervisord stops every process group it started
  wait "$supervisor" 2>/dev/null || true
  echo "stopped"
}
trap 'stop; exit 0' INT TERM  # Ctrl-C is how one stops it: not an error
trap stop EXIT

export STEP_LOG_DIR="$RUN_DIR/log"
. scripts/step.sh

webchat_url="http://${WEBCHAT_HOST:-127.0.0.1}:${WEBCHAT_PORT:-8080}/"
console_url="http://${CONSOLE_HOST:-127.0.0.1}:${CONSOLE_PORT:-8090}/"
answers() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

# The `starting` step: until Rasa answers (its model loaded), the web chat and the console answer
# and every process supervisord started runs. Fails when supervisord exits or a process cannot
# start (given up by supervisord, or restarted three times meanwhile), with its log's last lines.
wait_ready() {
  local deadline=$((SECONDS + 300)) states="" broken="" name state pid
  local -A seen=() restarts=()
  echo "waiting for Rasa ($rasa_ready), the web chat, the console and every process of $conf"
  while ((SECONDS < deadline)); do
    if ! kill -0 "$supervisor" 2>/dev/null; then
      echo "supervisord exited; the last lines of its log:"
      tail -n 20 "$RUN_DIR/log/supervisord.log" 2>/dev/null || true
      return 1
    fi
    states=$(.venv/bin/supervisorctl -c "$conf" status 2>/dev/null || true)
    while read -r name state _ pid _; do
      [ "$state" = FATAL ] && broken+=" $name"
      [ "$state" = RUNNING ] || continue
      pid=${pid%,}
      [ -n "${seen[$name]:-}" ] && [ "${seen[$name]}" != "$pid" ] && restarts[$name]=$((${restarts[$name]:-0} + 1))
      seen[$name]=$pid
      ((${restarts[$name]:-0} < 3)) || broken+=" $name"
    done <<<"$states"
    if [ -n "$broken" ]; then
      echo "$states"
      for name in $broken; do
        echo "── $name does not start; the last lines of its log:"
        .venv/bin/supervisorctl -c "$conf" tail -3000 "$name" 2>/dev/null | tail -n 12 || true
      done
      return 1
    fi
    if [ -n "$states" ] && ! grep -qE ' (STARTING|BACKOFF) ' <<<"$states" \
      && answers "$rasa_ready" && answers "$webchat_url" && answers "$console_url"; then
      echo "$states"
      echo "ready: $(awk '$2 == "RUNNING" {print $1}' <<<"$states" | paste -sd ' ')" >"$STEP_RESULT"
      return 0
    fi
    sleep 1
  done
  echo "$states"
  echo "started, but not everything answers after 5 minutes (see ${RUN_DIR#"$PWD/"}/log/)" >"$STEP_RESULT"
}
step "starting the assistant" start -- wait_ready

if [ "$TELEGRAM" = true ]; then
  telegram_note="Telegram bot: on (${TELEGRAM_MODE:-polling})"
else
  telegram_note="Telegram bot: off — set TELEGRAM_TOKEN in .env (see .env.example) to turn it on"
fi
if [ "$WECHAT" = true ] && ! grep -q '^\[program:wechat\]' "$conf"; then
  wechat_note="WeChat Official Account: set, but $conf does not run it — start .venv/bin/python -m bot.wechat"
elif [ "$WECHAT" = true ]; then
  wechat_note="WeChat Official Account: on (server URL: https://<your host>/wechat → ${WECHAT_HOST:-127.0.0.1}:${WECHAT_PORT:-8081}; README)"
else
  wechat_note="WeChat Official Account: off — set WECHAT_APP_ID, WECHAT_APP_SECRET and WECHAT_TOKEN in .env to turn it on"
fi
bearer='$(cat var/channel.secret)'
[ -n "${CHANNEL_SECRET:-}" ] && bearer='<CHANNEL_SECRET from .env>'
cat <<MSG

长征镇市民助手 is running. Talk to it:
  Web chat       $webchat_url
  Staff console  $console_url   (first admin account: make admin)
  Terminal       make shell   (in another terminal)
  REST           curl -s $rasa_base/webhooks/rest/webhook \\
                   -H "Authorization: Bearer $bearer" \\
                   -H 'Content-Type: application/json' -d '{"sender": "me", "message": "加装电梯怎么申请"}'
  $telegram_note
  $wechat_note
Logs in ${RUN_DIR#"$PWD/"}/log/; a process that stops is started again ($conf).
Press Ctrl-C to stop.
MSG
wait "$supervisor"
