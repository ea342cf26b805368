"""The benchmark's measurement of one process (scripts/bench/measure.py)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts" / "bench"))
import measure  # noqa: E402

# A child that holds 80 MB for a moment, then a forked grandchild that holds 40 MB more.
HOLD = """
import os, time
block = bytearray(80 << 20)
for i in range(0, len(block), 4096):
    block[i] = 1
pid = os.fork()
if pid == 0:
    more = bytearray(40 << 20)
    for i in range(0, len(more), 4096):
        more[i] = 1
    time.sleep(0.4)
    os._exit(0)
os.waitpid(pid, 0)
raise SystemExit(3)
"""


def test_sampled_run_sees_the_tree_peak_and_timed_run_does_not_sample(tmp_path):
    sampled = measure.run([sys.executable, "-c", HOLD], cwd=str(tmp_path))
    assert sampled.returncode == 3
    # The parent's 80 MB are shared with the forked child (counted once in PSS), plus 40 MB.
    assert sampled.peak_pss >= 110 << 20, sampled.peak_pss
    assert sampled.peak_rss >= sampled.peak_pss
    timed = measure.run([sys.executable, "-c", HOLD], cwd=str(tmp_path), memory=False)
    assert timed.returncode == 3
    assert timed.peak_rss == timed.peak_pss == 0
    assert timed.wall >= 0.4 and timed.cpu > 0


def test_output_is_kept(tmp_path):
    m = measure.run([sys.executable, "-c", "print('xin chào')"], cwd=str(tmp_path), memory=False)
    assert m.returncode == 0 and "xin chào" in m.output
