#!/usr/bin/env bash
# Start the action server and Rasa on loopback, print how to talk to them; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SANIC_HOST=127.0.0.1
[ -f .env ] && set -a && . ./.env && set +a

RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
mkdir -p var/log
.venv/bin/python -m scripts.render_endpoints >/dev/null

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "stopping…"
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true  # Sanic serves from child processes
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

.venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" >var/log/actions.log 2>&1 &
pids+=($!)

auth=()
[ -n "${RASA_AUTH_TOKEN:-}" ] && auth=(--auth-token "$RASA_AUTH_TOKEN")
.venv-rasa/bin/rasa run --enable-api -i 127.0.0.1 -p "$RASA_PORT" --model models/changzheng.tar.gz \
  --endpoints var/endpoints.yml --credentials credentials.yml "${auth[@]}" >var/log/rasa.log 2>&1 &
pids+=($!)

.venv/bin/python -m bot.webchat >var/log/webchat.log 2>&1 &
pids+=($!)
# Staff console (console/), on loopback: one block to port to a process supervisor.
.venv/bin/python -m console.app >var/log/console.log 2>&1 &
pids+=($!)
console_note="Staff console: http://${CONSOLE_HOST:-127.0.0.1}:${CONSOLE_PORT:-8090}/  (first admin account: make admin)"
if [ -n "${TELEGRAM_TOKEN:-}" ]; then
  .venv/bin/python -m bot.telegram >var/log/telegram.log 2>&1 &
  pids+=($!)
  telegram_note="Telegram bot: on (${TELEGRAM_MODE:-polling})"
else
  telegram_note="Telegram bot: off — set TELEGRAM_TOKEN in .env (see .env.example) to turn it on"
fi

( while sleep 86400; do .venv/bin/python -m scripts.purge >>var/log/purge.log 2>&1; done ) &
pids+=($!)

printf "starting Rasa (logs in var/log/)"
for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$RASA_PORT/status${RASA_AUTH_TOKEN:+?token=$RASA_AUTH_TOKEN}" >/dev/null 2>&1; then
    break
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo; echo "a process exited; see var/log/"; tail -20 var/log/*.log; exit 1; }
  done
  printf "."; sleep 1
done
cat <<MSG

长征镇市民助手 is running.
  Web chat:  http://${WEBCHAT_HOST:-127.0.0.1}:${WEBCHAT_PORT:-8080}/
  $console_note
  $telegram_note
  Talk in this terminal:   make shell          (in another terminal)
  REST:  curl -s http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
           -H 'Content-Type: application/json' -d '{"sender": "me", "message": "加装电梯怎么申请"}'
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
