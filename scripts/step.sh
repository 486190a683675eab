#!/usr/bin/env bash
# One line per step of `make run` / `make test`: what is being done, its outcome, the time it took
# and where its full output went. On failure: which step, the last lines of its log, non-zero exit.
#
#   bash scripts/step.sh [options] LABEL NAME -- COMMAND [ARGS…]    (from the Makefile)
#   . scripts/step.sh; step [options] LABEL NAME -- COMMAND [ARGS…]  (from a script; COMMAND may be
#                                                                      one of its functions)
# The command's output (stdout and stderr) goes to $STEP_LOG_DIR/NAME.log (default var/log/),
# replaced on every run. The outcome printed is, in this order: the line the command wrote to the
# file named by $STEP_RESULT, else the log's first line (--result first) or last line
# (--result last), else "done". --show REGEX also prints the log's lines matching REGEX (warnings
# a person must see, such as an import's conflicts). STEP_TAIL (default 30) lines of the log are
# shown on failure. Call `step` as a plain command, not after `if`/`||`/`&&`: bash ignores `set -e`
# inside such a context, and the command runs with `set -e`.

_step_clock() { local t=${EPOCHREALTIME/[.,]/}; echo $((10#$t / 1000)); }  # milliseconds

# A duration in milliseconds as people read it: 0.4s, 12s, 3m 05s, 1h 02m.
_step_duration() {
  local ms=$1 s=$(($1 / 1000))
  if ((s < 10)); then printf '%d.%ds' "$s" $((ms % 1000 / 100))
  elif ((s < 60)); then printf '%ds' "$s"
  elif ((s < 3600)); then printf '%dm %02ds' $((s / 60)) $((s % 60))
  else printf '%dh %02dm' $((s / 3600)) $((s % 3600 / 60)); fi
}

# The step's outcome: one short line (the project's own path shortened to a relative one, a lead
# that repeats the label left out).
_step_outcome() {
  local note=$1 log=$2 from=$3 label=$4 line=""
  [ -s "$note" ] && line=$(head -n 1 "$note")
  if [ -z "$line" ] && [ "$from" = first ]; then line=$(grep -m 1 -v '^[[:space:]]*$' "$log" || :); fi
  if [ -z "$line" ] && [ "$from" = last ]; then line=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1 || :); fi
  line=${line//"$PWD/"/}
  local head=${line%%: *}  # "knowledge entries: 3 added" after "importing the knowledge entries"
  [[ "$line" == *": "* && "${label,,}" == *"${head,,}"* ]] && line=${line#*: }
  ((${#line} > 100)) && line="${line:0:97}…"
  echo "${line:-done}"
}

step() {
  local from="" show=""
  while [[ "${1:-}" == --* ]]; do
    case $1 in
      --result) from=$2; shift 2 ;;
      --show) show=$2; shift 2 ;;
      *) echo "step: unknown option $1" >&2; return 2 ;;
    esac
  done
  local label=${1:?step: LABEL missing} name=${2:?step: NAME missing}
  shift 2
  [ "${1:-}" = "--" ] && shift
  (($#)) || { echo "step: no command for \"$label\"" >&2; return 2; }
  local dir=${STEP_LOG_DIR:-var/log}
  mkdir -p "$dir"
  local log="$dir/$name.log" note errexit=0 rc ticker="" start shown
  shown=${log#"$PWD/"}
  note=$(mktemp)
  [[ $- == *e* ]] && errexit=1
  set +e  # restored before returning
  start=$(_step_clock)
  printf '%s … ' "$label"
  if [ -t 1 ]; then  # a terminal: the time so far, redrawn every second (gone when the shell is)
    local parent=$BASHPID
    (while sleep 1 && kill -0 "$parent" 2>/dev/null; do
      printf '\r%s … %s ' "$label" "$(_step_duration $(($(_step_clock) - start)))"
    done) &
    ticker=$!
  fi
  (set -e; STEP_RESULT=$note "$@") >"$log" 2>&1 </dev/null
  rc=$?
  if [ -n "$ticker" ]; then
    kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null
    printf '\r\033[K%s … ' "$label"
  fi
  local took
  took=$(_step_duration $(($(_step_clock) - start)))
  if ((rc == 0)); then
    echo "$(_step_outcome "$note" "$log" "$from" "$label") ($took, $shown)"
    [ -n "$show" ] && grep -E -- "$show" "$log" | sed 's/^[[:space:]]*/  ! /'
  else
    echo "FAILED after $took (exit status $rc)"
    {
      echo "── last ${STEP_TAIL:-30} lines of $shown ──"
      tail -n "${STEP_TAIL:-30}" "$log" | sed 's/^/  │ /'
      echo "── \"$label\" failed; the whole output is in $shown ──"
    } >&2
  fi
  rm -f "$note"
  ((errexit)) && set -e
  return "$rc"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then  # run, not sourced
  set -euo pipefail
  step "$@"
fi
