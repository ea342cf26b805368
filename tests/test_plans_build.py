"""End-to-end: a fixture site with a plan of known answers, built with the real `mkdocs build`.

The fixture plan (tests/fixtures/plans/kh-test-2026.yml) and its evidence are read as a
unit would write them; the news items are written here. Build time: 2026-05-20 12:00.
Every expected number below was worked out by hand from those files:

CT1 (website, task 1.1, 2 a month): Jan 2 met, Feb 1 missed, Mar 3 met, Apr 2 met, May 1 not yet
    (a draft and a future item of May are not counted).
CT2 (provincial portal, 1 a month): Jan 1 met (da_dang), Feb 1 met (da_gui), Mar 0 missed (the
    only March submission went to another portal), Apr 1 met, May 0 not yet.
CT3 (Fanpage evidence, task 1.2, 3 a quarter): Q1 2 missed, Q2 3 met.
CT4 (leaflet, 1 kind and 1,000 copies by 30/06): 1 kind, 800 copies: not yet.
CT5 (website, tag "dịch vụ công", 1 a quarter): Q1 1 met, Q2 2 met.
Tasks: 1.1 overdue, 1.2 overdue, 2.1 in progress, 3 on demand, 4 due soon, 5 done (relative
deadline 20/01), 6 in progress (continuous), 7 overdue; group 1 overdue.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
NOW = "2026-05-20 12:00"
PLAN = "kh-test-2026"
PORTAL = "Cổng CCHC tỉnh Mẫu"  # the provincial portal of conftest's BASE_UNIT


def plans_config(extra: dict | None = None) -> dict:
    from conftest import BASE_CONFIG

    cfg = {
        "nav": BASE_CONFIG["nav"] + [{"Kế hoạch CCHC": "ke-hoach/index.md"}],
        "extra_css": ["assets/cchc/cchc.css", "assets/cchc/plans.css"],
    }
    cfg.update(extra or {})
    return cfg


def write_fixture_plan(p) -> None:
    p.write(f"plans/{PLAN}.yml", (FIXTURES / f"{PLAN}.yml").read_text(encoding="utf-8"))
    p.write(f"plans/minh-chung/{PLAN}.yml", (FIXTURES / "minh-chung" / f"{PLAN}.yml").read_text(encoding="utf-8"))


def ref(*tasks: str) -> list[dict]:
    return [{"ke_hoach": PLAN, "nhiem_vu": t} for t in tasks]


def write_news(p) -> None:
    n = p.news
    n("2026-01-10-a.md", title="Tin A tháng một", date="2026-01-10 08:00", ke_hoach=ref("1.1"), tags=["dịch vụ công"],
      gui_cong=[{"cong": PORTAL, "ngay_gui": "2026-01-12", "trang_thai": "da_dang",
                 "url_da_dang": "https://cchc.tinh-mau.example/tin/1"}])
    n("2026-01-25-b.md", title="Tin B tháng một", date="2026-01-25 08:00", ke_hoach=ref("1.1"))
    n("2026-02-14-c.md", title="Tin C tháng hai", date="2026-02-14 08:00", ke_hoach=ref("1.1"),
      gui_cong=[{"cong": "cchc.tinh-mau.example", "ngay_gui": "2026-02-15", "trang_thai": "da_gui"}])
    n("2026-03-03-d.md", title="Tin D tháng ba", date="2026-03-03 08:00", ke_hoach=ref("1.1"),
      gui_cong=[{"cong": "Cổng thông tin Sở Y tế tỉnh Mẫu", "ngay_gui": "2026-03-04", "trang_thai": "da_dang"}])
    n("2026-03-10-e.md", title="Tin E tháng ba", date="2026-03-10 08:00", ke_hoach=ref("1.1"),
      gui_cong=[{"cong": PORTAL, "trang_thai": "chua_gui"}])
    n("2026-03-20-f.md", title="Tin F tháng ba", date="2026-03-20 08:00", ke_hoach=ref("1.1", "6"),
      gui_cong=[{"cong": PORTAL, "ngay_gui": "2026-03-21", "trang_thai": "tu_choi"}])
    n("2026-04-02-g.md", title="Tin G tháng tư", date="2026-04-02 08:00", ke_hoach=ref("1.1"), tags=["Dịch vụ công"],
      gui_cong=[{"cong": PORTAL, "trang_thai": "da_gui"}])
    n("2026-04-15-h.md", title="Tin H tháng tư", date="2026-04-15 08:00", ke_hoach=ref("1.1"))
    n("2026-05-05-i.md", title="Tin I tháng năm", date="2026-05-05 08:00", ke_hoach=ref("1.1"))
    n("2026-05-06-nhap.md", title="Bản nháp tháng năm", date="2026-05-06 08:00", ke_hoach=ref("1.1"), draft=True)
    n("2026-05-25-sau.md", title="Tin đăng sau ngày build", date="2026-05-25 08:00", ke_hoach=ref("1.1"))
    n("2026-05-07-k.md", title="Tin K không gắn kế hoạch", date="2026-05-07 08:00", tags=["dịch vụ công"])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import BASE_CONFIG, Project, deep_merge

    p = Project(tmp_path_factory.mktemp("plans") / "p", deep_merge(BASE_CONFIG, plans_config()))
    write_fixture_plan(p)
    write_news(p)
    r = p.build(now=NOW)
    assert r.ok, r.output
    r.project = p
    return r


def rows(soup, quota: str) -> dict[str, tuple[int, int, str]]:
    """period key -> (count, target, state) from a quota table of the progress page."""
    out = {}
    for tr in soup.select(f"section[data-quota='{quota}'] tbody tr"):
        out[tr["data-period"]] = (int(tr.select_one("[data-count]").get_text().split()[0]),
                                  int(tr.select_one("[data-target]").get_text().split()[0]), tr["data-state"])
    return out


def test_progress_page_counts_match_the_known_answers(built):
    soup = built.soup(f"ke-hoach/{PLAN}/tien-do/index.html")
    ct1 = rows(soup, "CT1")
    assert [ct1[k] for k in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")] == [
        (2, 2, "dat"), (1, 2, "khong_dat"), (3, 2, "dat"), (2, 2, "dat"), (1, 2, "chua_dat")]
    assert ct1["2026-06"] == (0, 2, "chua_den") and len(ct1) == 12
    ct2 = rows(soup, "CT2")
    assert [ct2[k][::2] for k in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")] == [
        (1, "dat"), (1, "dat"), (0, "khong_dat"), (1, "dat"), (0, "chua_dat")]
    ct3 = rows(soup, "CT3")
    assert ct3["2026-Q1"] == (2, 3, "khong_dat") and ct3["2026-Q2"] == (3, 3, "dat")
    assert ct3["2026-Q3"] == (0, 3, "chua_den")
    assert rows(soup, "CT4") == {"2026-01-01_2026-06-30": (1, 1, "chua_dat")}
    ct4 = soup.select_one("section[data-quota='CT4'] tbody tr")
    assert "800 bản" in ct4.get_text() and "1.000 bản" in ct4.get_text()
    ct5 = rows(soup, "CT5")
    assert ct5["2026-Q1"][::2] == (1, "dat") and ct5["2026-Q2"][::2] == (2, "dat")


def test_drafts_and_future_items_are_never_counted(built):
    html = built.read(f"ke-hoach/{PLAN}/tien-do/index.html")
    assert "Bản nháp tháng năm" not in html and "Tin đăng sau ngày build" not in html
    for rel in (f"ke-hoach/{PLAN}/bao-cao/2026-q2/index.html",
                f"ke-hoach/{PLAN}/bao-cao/2026-q2/bao-cao-{PLAN}-2026-q2.md"):
        text = built.read(rel)
        assert "Bản nháp tháng năm" not in text and "Tin đăng sau ngày build" not in text


def test_task_statuses_and_evidence_links(built):
    soup = built.soup(f"ke-hoach/{PLAN}/tien-do/index.html")
    status = {tr["data-task"]: tr["data-status"] for tr in soup.select("tr[data-task]")}
    assert status == {
        "3": "theo_yeu_cau", "4": "sap_den_han", "5": "hoan_thanh", "6": "dang_thuc_hien", "7": "qua_han",
        "1": "qua_han", "1.1": "qua_han", "1.2": "qua_han", "2.1": "dang_thuc_hien",
    }
    # Status is written in words, not only as a colour.
    assert soup.select_one("tr[data-task='5'] .cchc-badge").get_text(strip=True) == "Hoàn thành"
    assert soup.select_one("tr[data-task='4'] .cchc-badge").get_text(strip=True) == "Sắp đến hạn"
    # Evidence of task 6: the news item naming it, linked relative to the page.
    links = [a["href"] for a in soup.select("tr[data-task='6'] details a")]
    assert links == ["../../../tin-tuc/tin-f-thang-ba/"]
    # Evidence record with a URL links out; missed periods are named.
    t12 = soup.select_one("tr[data-task='1.2']")
    assert "https://www.facebook.com/thu-nghiem.example/posts/1" in [a["href"] for a in t12.select("a")]
    assert "Quý I/2026" in t12.select_one(".cchc-missed").get_text()
    assert "Tháng 2/2026" in soup.select_one("tr[data-task='1.1'] .cchc-missed").get_text()
    # The relative deadline was computed from the higher-level plan's date (05/01 + 15 days).
    assert "20/01/2026" in soup.select_one("tr[data-task='5']").get_text()
    # Summary counts (leaf tasks only).
    legend = {li["data-state"]: int(li.strong.get_text()) for li in soup.select("[data-summary=tasks] li")}
    assert legend == {"hoan_thanh": 1, "dang_thuc_hien": 2, "sap_den_han": 1, "qua_han": 3, "theo_yeu_cau": 1}


def test_charts_are_svg_with_text_alternatives_and_no_script(built):
    soup = built.soup(f"ke-hoach/{PLAN}/tien-do/index.html")
    svg = soup.select_one("section[data-quota='CT1'] svg.cchc-chart")
    assert svg["role"] == "img"
    ids = svg["aria-labelledby"].split()
    assert soup.find(id=ids[0]).name == "title" and soup.find(id=ids[1]).name == "desc"
    desc = soup.find(id=ids[1]).get_text()
    assert "Tháng 2/2026: 1 trên chỉ tiêu 2, Không đạt" in desc
    assert len(svg.select("rect")) == 12
    # A single-period quota has no chart (the table says it all).
    assert soup.select_one("section[data-quota='CT4'] svg") is None
    # Bars in tables are decoration: hidden from screen readers, numbers are in the cells.
    assert all(td.get("aria-hidden") == "true" for td in soup.select("td.cchc-bar-col"))
    main = soup.select_one("article.cchc-progress")
    assert main.find("script") is None


def report_rows(soup) -> dict[tuple[str, str], tuple[str, str, str]]:
    out = {}
    for tr in soup.select("table[data-table=quotas] tbody tr"):
        out[(tr["data-quota"], tr["data-period"])] = (tr.select_one("[data-count]").get_text(strip=True),
                                                       tr.select_one("[data-target]").get_text(strip=True),
                                                       tr["data-state"])
    return out


def test_report_of_the_current_quarter_agrees_with_the_progress_page(built):
    progress = built.soup(f"ke-hoach/{PLAN}/tien-do/index.html")
    report = built.soup(f"ke-hoach/{PLAN}/bao-cao/2026-q2/index.html")
    rep = report_rows(report)
    assert rep, "the Q2 report has quota rows"
    for (quota, period), (count, target, state) in rep.items():
        tr = progress.select_one(f"section[data-quota='{quota}'] tr[data-period='{period}']")
        assert tr is not None, (quota, period)
        assert (tr.select_one("[data-count]").get_text(strip=True), tr.select_one("[data-target]").get_text(strip=True),
                tr["data-state"]) == (count, target, state), (quota, period)
    # The quarter's periods, and only those: CT1 April-May-June, CT3/CT5 Q2, CT4 its whole range.
    assert sorted(k for k in rep if k[0] == "CT1") == [("CT1", "2026-04"), ("CT1", "2026-05"), ("CT1", "2026-06")]
    assert ("CT3", "2026-Q2") in rep and ("CT3", "2026-Q1") not in rep
    # Task statuses agree too (the report of the running quarter is as of the same moment).
    page = {tr["data-task"]: tr["data-status"] for tr in progress.select("tr[data-task]")}
    assert {tr["data-task"]: tr["data-status"] for tr in report.select("tr[data-task]")} == page
    assert "Quý đang diễn ra" in report.get_text()


def test_report_of_a_finished_quarter(built):
    soup = built.soup(f"ke-hoach/{PLAN}/bao-cao/2026-q1/index.html")
    rep = report_rows(soup)
    assert {k: v[2] for k, v in rep.items() if k[0] in ("CT1", "CT2")} == {
        ("CT1", "2026-01"): "dat", ("CT1", "2026-02"): "khong_dat", ("CT1", "2026-03"): "dat",
        ("CT2", "2026-01"): "dat", ("CT2", "2026-02"): "dat", ("CT2", "2026-03"): "khong_dat",
    }
    # Task 7 ("Quý I/2026", nothing done) was overdue when Q1 closed; task 4 was not due yet.
    status = {tr["data-task"]: tr["data-status"] for tr in soup.select("tr[data-task]")}
    assert status["7"] == "qua_han" and status["4"] == "dang_thuc_hien" and status["5"] == "hoan_thanh"
    news = [li.get_text(" ", strip=True) for li in soup.select("ol[data-list=news] li")]
    assert len(news) == 6 and news[0].startswith("10/01/2026")
    # Submissions per portal as written (first spelling); "cchc.tinh-mau.example" is the same portal.
    portals = [li.get_text() for li in soup.select("[data-list=portals] li")]
    assert portals == ["Cổng CCHC tỉnh Mẫu: đã gửi 2 tin, bài; cổng đã đăng 1.",
                       "Cổng thông tin Sở Y tế tỉnh Mẫu: đã gửi 1 tin, bài; cổng đã đăng 1."]


def test_report_files_markdown_and_csv(built):
    md = built.read(f"ke-hoach/{PLAN}/bao-cao/2026-q1/bao-cao-{PLAN}-2026-q1.md")
    assert md.startswith("# Kết quả thực hiện Kế hoạch số 45/KH-TTYT ngày 08 tháng 01 năm 2026")
    assert "| CT1 | 02 tin bài mỗi tháng trên trang | Tháng 2/2026 | 2 | 1 | Không đạt (thiếu 1) |" in md
    assert "| 7 | Tổ chức hội thi tìm hiểu CCHC. | Quý I/2026 | Công đoàn | Chưa có sản phẩm; không đạt: 01/01/2026 – 31/03/2026 | Quá hạn |" in md
    assert "[Tin A tháng một](https://cchc.thu-nghiem.example/tin-tuc/tin-a-thang-mot/)" in md
    raw = (built.site / f"ke-hoach/{PLAN}/bao-cao/2026-q1/bao-cao-{PLAN}-2026-q1.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8")), "Excel needs the byte-order mark to read UTF-8"
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == ["Phần", "Mã/STT", "Nội dung", "Kỳ", "Chỉ tiêu", "Thực hiện", "Đánh giá", "Ghi chú"]
    quota_rows = {(r[1], r[3]): (r[4], r[5], r[6]) for r in table if r[0] == "Chỉ tiêu"}
    assert quota_rows[("CT1", "Tháng 2/2026")] == ("2", "1", "Không đạt")
    assert quota_rows[("CT3", "Quý I/2026")] == ("3", "2", "Không đạt")
    products = [r for r in table if r[0] == "Sản phẩm"]
    assert len(products) == 6 + 3  # six news items, three evidence records dated in Q1


def test_cli_report_writes_the_files_the_site_publishes(built, tmp_path):
    p = built.project
    for quarter in ("2026-Q1", "2026-Q2"):
        proc = p.cchc("report", PLAN, "--quy", quarter, "--out", str(tmp_path), now=NOW)
        assert proc.returncode == 0, proc.stderr
        key = quarter.lower()
        for ext in ("md", "csv"):
            name = f"bao-cao-{PLAN}-{key}.{ext}"
            assert (tmp_path / name).read_bytes() == (built.site / f"ke-hoach/{PLAN}/bao-cao/{key}" / name).read_bytes()
        assert f"bao-cao-{PLAN}-{key}.md" in proc.stdout


@pytest.mark.parametrize("args,message", [
    (["khong-co", "--quy", "2026-Q1"], "Không có kế hoạch mã 'khong-co'. Các mã có: kh-test-2026."),
    ([PLAN, "--quy", "2026-Q5"], "Quý '2026-Q5' không đúng dạng. Viết năm-Q số quý, ví dụ --quy 2026-Q2."),
    ([PLAN, "--quy", "2026-Q3"], "Quý III/2026 chưa bắt đầu (hôm nay 20/05/2026)."),
    ([PLAN, "--quy", "2025-Q4"], "Quý IV/2025 nằm ngoài thời gian của kế hoạch (01/01/2026 – 31/12/2026)."),
])
def test_cli_report_refuses_with_a_clear_message(built, tmp_path, args, message):
    proc = built.project.cchc("report", *args, "--out", str(tmp_path), now=NOW)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())


def test_plan_page_is_laid_out_like_the_document(built):
    soup = built.soup(f"ke-hoach/{PLAN}/index.html")
    header = soup.select_one(".cchc-doc-header")
    assert "SỞ Y TẾ TỈNH MẪU" in header.get_text() and "TRUNG TÂM Y TẾ KHU VỰC THỬ NGHIỆM" in header.get_text()
    assert "Số: 45/KH-TTYT" in header.get_text()
    assert "Phường Một, ngày 08 tháng 01 năm 2026" in header.get_text(" ", strip=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.get_text()
    assert soup.select_one("h1.cchc-doc-title").get_text(" ", strip=True) == (
        "KẾ HOẠCH Truyền thông công tác cải cách hành chính năm 2026 (kế hoạch thử nghiệm)")
    bases = [p.get_text() for p in soup.select(".cchc-doc-basis")]
    assert bases == ["Thực hiện Kế hoạch số 12/KH-SYT ngày 05 tháng 01 năm 2026 của Sở Y tế tỉnh Mẫu "
                     "về truyền thông cải cách hành chính năm 2026;", "Căn cứ chức năng, nhiệm vụ được giao."]
    assert [h.get_text() for h in soup.select(".cchc-doc-section > h2")] == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ"]
    signer = soup.select_one(".cchc-doc-sign__signer").get_text(" ", strip=True)
    assert signer == "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Trần Văn Thử"
    # Appendix table: group row, sub-rows, task anchors the progress page links to.
    table = soup.select_one(".cchc-doc-appendix table")
    stts = [tr.th.get_text() for tr in table.select("tbody tr")]
    assert stts == ["1", "1.1", "1.2", "2.1"]
    assert "cchc-doc-table__group" in table.select_one("tbody tr")["class"]
    assert soup.find(id="nv-1-1") is not None and soup.find(id="nv-5") is not None
    assert [th.get_text() for th in table.select("thead th")] == [
        "TT", "Nội dung hoạt động", "Thể loại", "Số lượng", "Cơ quan thực hiện", "Thời gian thực hiện"]


def test_pages_listed_for_search_sitemap_and_navigation(built):
    import json

    from cchc import timeutil
    from cchc.problems import Problems
    from cchc.site import load_site

    site = load_site(str(built.project.root / "mkdocs.yml"), Problems(), now=timeutil.build_now(NOW))
    pages = {p.url: p for p in site.pages() if p.url.startswith("ke-hoach/")}
    assert pages["ke-hoach/"].nav_stub
    assert pages[f"ke-hoach/{PLAN}/"].search_kind == "plan"
    assert {u for u in pages} == {
        "ke-hoach/", f"ke-hoach/{PLAN}/", f"ke-hoach/{PLAN}/tien-do/",
        f"ke-hoach/{PLAN}/bao-cao/2026-q1/", f"ke-hoach/{PLAN}/bao-cao/2026-q2/",
    }
    sitemap = built.read("sitemap.xml")
    assert f"https://cchc.thu-nghiem.example/ke-hoach/{PLAN}/tien-do/" in sitemap
    # The index is in the navigation and lists the plan with its summary.
    index = built.soup("ke-hoach/index.html")
    card = index.select_one(f"[data-plan='{PLAN}']")
    assert card is not None and "Quá hạn 3" in card.get_text(" ", strip=True)
    nav_links = [a.get_text(strip=True) for a in index.select("nav.md-nav--primary a")]
    assert "Kế hoạch CCHC" in nav_links
    json.dumps([p.url for p in pages.values()])  # plain data


def test_news_naming_an_unknown_plan_or_task_stops_the_build(tmp_path):
    from conftest import BASE_CONFIG, Project, deep_merge

    p = Project(tmp_path / "p", deep_merge(BASE_CONFIG, plans_config()))
    write_fixture_plan(p)
    p.news("x.md", title="Tin X", date="2026-03-01", ke_hoach=[{"ke_hoach": PLAN, "nhiem_vu": "9.9"}])
    p.news("y.md", title="Tin Y", date="2026-03-02", ke_hoach=[{"ke_hoach": "kh-khac", "nhiem_vu": "1.1"}])
    r = p.build(now=NOW)
    assert not r.ok
    # conftest's news() writes: title, date, ke_hoach (line 4), its item, nhiem_vu (line 6)...
    x = (p.root / "content/tin-tuc/x.md").read_text(encoding="utf-8").split("\n")
    line_x = next(i for i, l in enumerate(x, 1) if "nhiem_vu: '9.9'" in l or 'nhiem_vu: "9.9"' in l or "nhiem_vu: 9.9" in l)
    assert (f"content/tin-tuc/x.md:{line_x}: ke_hoach[0].nhiem_vu: kế hoạch 'kh-test-2026' không có nhiệm vụ số '9.9'. "
            "Các số có: 3, 4, 5, 6, 7, 1, 1.1, 1.2, 2.1.") in r.output
    y = (p.root / "content/tin-tuc/y.md").read_text(encoding="utf-8").split("\n")
    line_y = next(i for i, l in enumerate(y, 1) if "ke_hoach: kh-khac" in l)
    assert (f"content/tin-tuc/y.md:{line_y}: ke_hoach[0].ke_hoach: không có kế hoạch mã 'kh-khac' (trong thư mục plans/). "
            "Các mã có: kh-test-2026.") in r.output
    assert not (p.root / "site" / "ke-hoach").exists()


def test_draft_plan_is_not_published(tmp_path):
    from conftest import BASE_CONFIG, Project, deep_merge

    p = Project(tmp_path / "p", deep_merge(BASE_CONFIG, plans_config()))
    write_fixture_plan(p)
    text = (FIXTURES / f"{PLAN}.yml").read_text(encoding="utf-8") + "draft: true\n"
    p.write(f"plans/{PLAN}.yml", text)
    r = p.build(now=NOW)
    assert r.ok, r.output
    assert not (r.site / f"ke-hoach/{PLAN}").exists()
    assert PLAN not in r.read("sitemap.xml")
    assert "Chưa có kế hoạch nào." in r.read("ke-hoach/index.html")


def test_task_link_for_news_templates(built):
    from cchc import timeutil
    from cchc.problems import Problems
    from cchc.site import load_site

    site = load_site(str(built.project.root / "mkdocs.yml"), Problems(), now=timeutil.build_now(NOW))
    data = site.data["plans"]
    link = data.task_link(PLAN, "1.1")
    assert link == {"url": f"ke-hoach/{PLAN}/#nv-1-1", "plan": data.get(PLAN).title, "task": "1.1"}
    assert built.soup(f"ke-hoach/{PLAN}/index.html").find(id="nv-1-1") is not None
    assert data.task_link("khong-co") is None
    assert data.task_link(PLAN)["url"] == f"ke-hoach/{PLAN}/"


def test_unquoted_task_number_1_10_is_not_task_1_1(tmp_path):
    """YAML reads `nhiem_vu: 1.10` as the number 1.1; the item still counts for task 1.10."""
    from conftest import BASE_CONFIG, Project, deep_merge

    p = Project(tmp_path / "p", deep_merge(BASE_CONFIG, plans_config()))
    p.write("plans/kh-so.yml", """id: kh-so
ten: Thử số thứ tự
nam: 2026
don_vi_ban_hanh: Trung tâm
ngay_ban_hanh: 2026-01-05
phu_luc:
  - tieu_de: PL
    nhiem_vu:
      - {stt: 1.1, noi_dung: Một, thoi_gian: Năm 2026}
      - {stt: 1.10, noi_dung: Mười, thoi_gian: Năm 2026}
""")
    p.news("m.md", raw_front="title: Tin mười\ndate: 2026-03-01\nsummary: Tóm tắt.\nchuyen_muc: [tin-hoat-dong]\n"
                             "ke_hoach:\n  - {ke_hoach: kh-so, nhiem_vu: 1.10}\n")
    r = p.build(now=NOW)
    assert r.ok, r.output
    soup = r.soup("ke-hoach/kh-so/tien-do/index.html")
    assert soup.select_one("tr[data-task='1.10'] details") is not None
    assert soup.select_one("tr[data-task='1.1'] details") is None
