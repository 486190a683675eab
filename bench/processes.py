"""CPU and memory of running processes (and their children), read from /proc, for the speed
and cluster benches."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo += [int(child) for child in children]
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of a process tree, in MB."""
    total = 0
    for member in tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Watch:
    """Samples the memory of named processes while a load runs (peak kept)."""

    def __init__(self, processes: dict[str, int]) -> None:
        self.processes = processes
        self.peak = dict.fromkeys(processes, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for name, pid in self.processes.items():
                self.peak[name] = max(self.peak[name], rss_mb(pid))

    def __enter__(self) -> Watch:
        self._cpu = {name: cpu_seconds(pid) for name, pid in self.processes.items()}
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu = {
            name: cpu_seconds(pid) - self._cpu[name] for name, pid in self.processes.items()
        }
