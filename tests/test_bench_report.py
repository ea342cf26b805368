"""The benchmark's report (scripts/bench/run.py): ratios of paired rounds and the table rows they give."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts" / "bench"))
import run  # noqa: E402


def _rounds():
    # The machine slowed down during the second round: both builds of that round took longer.
    return [
        {"cold": 27.0, "cold_cpu": 45.0, "warm_news": 5.4, "warm_news_cpu": 5.3, "hugo": 6.0, "hugo_cpu": 10.8},
        {"cold": 40.0, "cold_cpu": 66.0, "warm_news": 8.0, "warm_news_cpu": 7.9, "hugo": 9.0, "hugo_cpu": 16.0},
        {"cold": 28.0, "cold_cpu": 46.0, "warm_news": 6.2, "warm_news_cpu": 6.0, "hugo": 6.4, "hugo_cpu": 11.0},
    ]


def test_ratios_are_taken_within_each_round():
    median, low, high = run.ratios(_rounds(), "cold", "hugo")
    assert (round(median, 3), round(low, 3), round(high, 3)) == (4.444, 4.375, 4.5)
    # A ratio across rounds (the fastest cold build against the slowest Hugo build) would say 3×.
    assert run.ratios(_rounds()[:2], "warm_news", "cold")[0] == (0.2 + 0.2) / 2


def _results(rounds):
    build = {"wall": 27.0, "cpu": 45.0, "peak_rss": 766_000_000, "peak_pss": 583_000_000, "pages": 7617, "bytes": 238_000_000}
    large = {"counts": {"news": 5000, "procedures": 1000, "plans": 3}, "cchc_cold": build,
             "hugo": {**build, "wall": 6.0, "cpu": 10.8}, "mkdocs_peer": {**build, "wall": 143.0, "cpu": 142.0}}
    if rounds is not None:
        large["rounds"] = rounds
    meta = {"date": "2026-11-23 08:00 UTC", "commit": "abc1234", "cpu": "AMD EPYC", "cores": 2, "python": "3.11.7",
            "versions": {"mkdocs": "1.6.1"}}
    return {"sizes": ["large"], "large": large, "meta": meta}


def test_report_shows_paired_rounds_median_and_spread():
    text = run.render_markdown(_results(_rounds()))
    line = next(x for x in text.splitlines() if x.startswith("| **Cold build ÷ Hugo, paired rounds**"))
    assert "| 4.4× (4.4×–4.5×) / 4.2× (4.1×–4.2×) |" in line
    warm = next(x for x in text.splitlines() if x.startswith("| **Warm rebuild after one news item ÷ cold, paired"))
    assert "| 20% (20%–22%) / 12% (12%–13%) |" in warm
    each = next(x for x in text.splitlines() if x.startswith("| Paired rounds:"))
    assert "27.0 s / 6.00 s, 40.0 s / 9.00 s, 28.0 s / 6.40 s" in each


def test_report_without_rounds_says_so():
    text = run.render_markdown(_results(None))
    line = next(x for x in text.splitlines() if x.startswith("| **Cold build ÷ Hugo, paired rounds**"))
    assert line.endswith("| – |")
