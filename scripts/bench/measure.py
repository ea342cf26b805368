"""Run one build as a child process and measure it: wall and CPU time, peak memory of the process tree.

Peak memory is sampled from /proc every 20 ms over the whole process tree (a build
that forks workers is charged for them): the peak of the sum of RSS, and the peak
of the sum of PSS (proportional set size: pages shared between a parent and its
forked workers are counted once overall, not once per process). CPU time is the
user + system time of the child and every descendant it waited for (wait4).

Sampling disturbs what it measures: reading ``smaps_rollup`` walks the page tables of
a process under its memory lock, which its own allocations and page faults then wait
for. On the benchmark's large corpus it made a warm rebuild of this project 6.9 s →
8.5 s and Hugo's build 7–11 s → 13–14 s. So `run(..., memory=False)` only waits for the
process: the benchmark times builds that way, and measures memory in a separate run.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass


@dataclass
class Measurement:
    wall: float  # seconds
    cpu: float  # seconds, user + system, whole tree
    peak_rss: int  # bytes, sum over the tree
    peak_pss: int  # bytes, sum over the tree
    returncode: int
    output: str  # stdout + stderr (for diagnosis)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
        except OSError:
            pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _memory(pid: int) -> tuple[int, int]:
    rss = pss = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return rss, pss


def run(cmd: list[str], cwd: str, env: dict | None = None, interval: float = 0.02, memory: bool = True) -> Measurement:
    """Run `cmd` to its end. With `memory`, sample the tree's memory every `interval` seconds
    (the times are then disturbed, see above); without, the peaks are 0."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    peak_rss = peak_pss = 0
    status = rusage = None
    if memory:
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            rss, pss = _memory(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(interval)
    else:
        _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    return Measurement(
        wall=wall,
        cpu=rusage.ru_utime + rusage.ru_stime,
        peak_rss=peak_rss,
        peak_pss=peak_pss,
        returncode=proc.returncode,
        output=b"".join(chunks).decode("utf-8", "replace"),
    )


def tree_stats(root: str, *, page_suffix: str = ".html") -> tuple[int, int]:
    """(total bytes, number of HTML pages) of a built site."""
    total = pages = 0
    for dirpath, _, filenames in os.walk(root):
        for fn in filenames:
            total += os.path.getsize(os.path.join(dirpath, fn))
            if fn.endswith(page_suffix):
                pages += 1
    return total, pages
