"""scripts/step.sh, the step runner of `make run` and `make test`: one line per step with its
outcome, time and log; on failure the step named, its log's tail shown and a non-zero exit."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
from pathlib import Path

from core.settings import ROOT

STEP = ROOT / "scripts" / "step.sh"
DURATION = r"\d+\.\ds|\d+s|\d+m \d\ds"


def run(tmp: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    """The runner as the Makefile calls it (or `script`, which sources it), logs under `tmp`."""
    command = ["bash", "-c", script, "test"] if script else ["bash", str(STEP), *args]
    env = {**os.environ, "STEP_LOG_DIR": str(tmp / "log"), "STEP": str(STEP)}
    return subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, timeout=30)


def test_a_succeeding_step_prints_one_line_and_keeps_the_output_in_its_log(tmp_path):
    done = run(tmp_path, "saying hello", "hello", "--", "bash", "-c", "echo hello; echo oops >&2")
    assert done.returncode == 0
    log = tmp_path / "log" / "hello.log"
    # the log named relative to the working directory
    assert re.fullmatch(rf"saying hello … done \(({DURATION}), log/hello.log\)\n", done.stdout)
    assert done.stderr == ""
    assert log.read_text() == "hello\noops\n"


def test_a_failing_step_is_named_its_log_tail_shown_and_its_exit_status_kept(tmp_path):
    failed = run(
        tmp_path, "counting", "count", "--", "bash", "-c", "seq 1 60; echo broken >&2; exit 3"
    )
    assert failed.returncode == 3
    assert re.fullmatch(rf"counting … FAILED after ({DURATION}) \(exit status 3\)\n", failed.stdout)
    log = tmp_path / "log" / "count.log"
    assert log.read_text().splitlines() == [*map(str, range(1, 61)), "broken"]
    shown = [line.removeprefix("  │ ") for line in failed.stderr.splitlines() if "│" in line]
    assert shown == [*map(str, range(32, 61)), "broken"]  # the last 30 lines
    assert "the whole output is in log/count.log" in failed.stderr
    assert '"counting" failed' in failed.stderr


def test_the_tail_is_as_long_as_step_tail_says(tmp_path):
    failed = run(
        tmp_path, script="STEP_TAIL=5 bash $STEP counting count -- bash -c 'seq 1 9; exit 1'"
    )
    assert failed.returncode == 1
    assert [line for line in failed.stderr.splitlines() if "│" in line] == [
        f"  │ {n}" for n in range(5, 10)
    ]


def test_an_outcome_comes_from_the_command_or_its_log_without_repeating_the_label(tmp_path):
    first = run(
        tmp_path, "--result", "first", "importing the entries", "import", "--",
        "bash", "-c", "echo 'entries: 3 added'; echo later",
    )  # fmt: skip
    assert first.stdout.startswith("importing the entries … 3 added (")
    last = run(
        tmp_path, "--result", "last", "training", "train", "--",
        "bash", "-c", f"echo training; echo 'model is up to date: {tmp_path}/m.tar.gz'; echo",
    )  # fmt: skip
    assert last.stdout.startswith("training … model is up to date: m.tar.gz (")
    told = run(
        tmp_path,
        script='. "$STEP"; f() { echo noise; echo "up to date" > "$STEP_RESULT"; }; step env e -- f',
    )
    assert told.returncode == 0 and told.stdout.startswith("env … up to date (")


def test_show_prints_the_matching_lines_after_the_step(tmp_path):
    shown = run(
        tmp_path, "--show", "CONFLICT", "importing", "import", "--",
        "bash", "-c", "echo 'CONFLICT a: kept'; echo fine; echo '  CONFLICT b: kept'",
    )  # fmt: skip
    assert shown.stdout.splitlines()[1:] == ["  ! CONFLICT a: kept", "  ! CONFLICT b: kept"]


def test_a_function_stops_at_its_first_failing_command_and_so_does_the_script(tmp_path):
    script = (
        'set -euo pipefail; . "$STEP"\n'
        "f() { echo one; false; echo two; }\n"
        "step 'first step' first -- f\n"
        "echo the script went on\n"
    )
    failed = run(tmp_path, script=script)
    assert failed.returncode == 1
    assert failed.stdout.startswith("first step … FAILED after ") and "went on" not in failed.stdout
    assert (tmp_path / "log" / "first.log").read_text() == "one\n"


def test_a_terminal_sees_the_time_so_far_then_the_finished_line(tmp_path):
    env = f"STEP_LOG_DIR={tmp_path / 'log'}"
    text, status = read_terminal(
        ["env", env, "bash", str(STEP), "waiting", "wait", "--", "sleep", "1.5"], tmp_path
    )
    assert status == 0
    assert "\rwaiting … 1.0s" in text  # redrawn after a second
    assert re.search(r"\r\x1b\[Kwaiting … done \(1\.\ds, log/wait\.log\)\r\n$", text), text


def test_the_makefile_runs_install_migrate_and_train_through_the_runner():
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", "migrate", "train"], cwd=ROOT,
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    commands = [line for line in dry.splitlines() if not line.startswith(("\t", " "))]
    assert "bash scripts/install.sh" in commands[0]
    for tool in ("alembic upgrade head", "scripts.import_entries", "scripts.train_if_stale"):
        (line,) = [i for i, text in enumerate(dry.splitlines()) if tool in text]
        assert "scripts/step.sh" in " ".join(dry.splitlines()[line - 1 : line + 1]), tool


def read_terminal(
    argv: list[str], cwd: Path, interrupt_after: float | None = None
) -> tuple[str, int]:
    """What a terminal shows of `argv` (Ctrl-C typed after `interrupt_after` seconds), and its
    exit status."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: `argv` with the terminal as its controlling one
        os.chdir(cwd)
        os.execvp(argv[0], argv)
    output, started, interrupted = b"", time.monotonic(), False
    while time.monotonic() - started < 20:
        if select.select([terminal], [], [], 0.1)[0]:
            try:
                chunk = os.read(terminal, 1024)
            except OSError:  # the terminal closed: the process ended
                break
            if not chunk:
                break
            output += chunk
        if interrupt_after and not interrupted and time.monotonic() - started > interrupt_after:
            os.write(terminal, b"\x03")
            interrupted = True
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return output.decode(), os.waitstatus_to_exitcode(status)


def test_ctrl_c_during_a_step_stops_its_clock_before_the_script_says_goodbye(tmp_path):
    (tmp_path / "serve.sh").write_text(
        f'set -euo pipefail; . "{STEP}"; export STEP_LOG_DIR=log\n'
        "stop() { trap - INT EXIT; printf '\\nstopping … '; sleep 2.5; echo stopped; }\n"
        "trap 'stop; exit 0' INT\n"
        "step starting start -- sleep 10\n"
    )
    shown, status = read_terminal(["bash", "serve.sh"], tmp_path, interrupt_after=1.5)
    assert status == 0
    assert shown.startswith("starting … \rstarting … 1.0s ")
    assert re.search(r"\^C\r\nstopping … stopped\r\n$", shown), shown  # no clock after Ctrl-C
