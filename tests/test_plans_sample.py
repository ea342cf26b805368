"""The sample site's plans: the three seed plans are published, and the current plan's progress
page shows every kind of result (met, not yet, missed) from the sample news and evidence."""

from __future__ import annotations


def test_sample_plans_are_published(sample_site):
    for plan_id in ("kh-tt-cchc-2026", "kh-85-ttyt-tu-mo-rong-2025", "kh-429-syt-da-nang-2017"):
        soup = sample_site.soup(f"ke-hoach/{plan_id}/index.html")
        assert soup.select_one("h1.cchc-doc-title") is not None, plan_id
        assert sample_site.soup(f"ke-hoach/{plan_id}/tien-do/index.html").select("tr[data-task]"), plan_id
    index = sample_site.soup("ke-hoach/index.html")
    current = [a["data-plan"] for a in index.select("#nam-nay ~ article[data-plan]")][:1]
    assert current == ["kh-tt-cchc-2026"]


def test_sample_progress_shows_met_not_yet_and_missed(sample_site):
    soup = sample_site.soup("ke-hoach/kh-tt-cchc-2026/tien-do/index.html")
    website = {tr["data-state"] for tr in soup.select("section[data-quota='CT1.1'] tbody tr")}
    assert {"dat", "chua_dat", "khong_dat", "chua_den"} <= website
    states = {tr["data-state"] for tr in soup.select("section[data-quota] tbody tr")}
    assert {"dat", "chua_dat", "khong_dat"} <= states
    tasks = {tr["data-status"] for tr in soup.select("tr[data-task]")}
    assert {"hoan_thanh", "qua_han", "dang_thuc_hien"} <= tasks
    # Evidence recorded outside the site counts: the Fanpage quota met in January (5 posts).
    jan = soup.select_one("section[data-quota='CT1.2'] tr[data-period='2026-01']")
    assert jan["data-state"] == "dat" and jan.select_one("[data-count]").get_text(strip=True) == "5"


def test_sample_quarterly_reports_are_published(sample_site):
    for q in ("2026-q1", "2026-q2", "2026-q3", "2026-q4"):
        base = f"ke-hoach/kh-tt-cchc-2026/bao-cao/{q}/"
        assert (sample_site.site / base / "index.html").is_file()
        md = sample_site.read(base + f"bao-cao-kh-tt-cchc-2026-{q}.md")
        assert md.startswith("# Kết quả thực hiện Kế hoạch số /KH-YTSH")
        assert (sample_site.site / base / f"bao-cao-kh-tt-cchc-2026-{q}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
