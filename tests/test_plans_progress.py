"""Progress rules, one at a time, on plans loaded from YAML and real news item objects.

The end-to-end build (test_plans_build.py) checks the numbers on the pages; these tests pin
each rule: which products count toward which quota, when a period is met / not yet / missed,
and how a task's status follows from its obligations.
"""

from __future__ import annotations

import os
import textwrap
from datetime import date
from pathlib import Path

import pytest

from cchc.news.model import NewsFrontMatter, NewsItem
from cchc.plans.loader import load_plans
from cchc.plans.progress import PortalDefault, collect_entries, compute, same_portal
from cchc.plans.report import build_report, quarters_of
from cchc.plans.timing import parse_quarter
from cchc.problems import Problems
from cchc.text import slugify
from cchc.yamlsrc import Located

HEAD = """\
id: kh
ten: Thử
nam: 2026
don_vi_ban_hanh: Trung tâm
ngay_ban_hanh: 2026-01-05
"""


def plan_of(tmp_path: Path, body: str, evidence: str | None = None, now: date = date(2026, 12, 31)):
    (tmp_path / "plans" / "minh-chung").mkdir(parents=True, exist_ok=True)
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "plans" / "kh.yml").write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    if evidence:
        (tmp_path / "plans" / "minh-chung" / "kh.yml").write_text(
            "ke_hoach: kh\nminh_chung:\n" + textwrap.dedent(evidence), encoding="utf-8")
    problems = Problems()
    state = load_plans(str(tmp_path / "plans"), docs_dir=str(tmp_path / "content"),
                       rel_path=lambda p: os.path.relpath(p, tmp_path), problems=problems, now=now)
    assert not problems.has_errors(), problems.format()
    return state.get("kh")


def news(when: str, title: str | None = None, lang: str = "vi", **front) -> NewsItem:
    """A real news item object, as the news module builds it for a published file."""
    title = title or f"Tin {when}"
    data = {"title": title, "date": when, "summary": "Tóm tắt.", "chuyen_muc": front.pop("chuyen_muc", ["tin-hoat-dong"])}
    data.update(front)
    meta = NewsFrontMatter.model_validate(data)
    slug = slugify(title)
    return NewsItem(meta=meta, source=f"content/tin-tuc/{slug}.md", docs_path=f"tin-tuc/{slug}.md", body="", body_line=1,
                    lines=Located(data, f"content/tin-tuc/{slug}.md"), lang=lang, slug=slug,
                    url=f"tin-tuc/{slug}/", uid=slug, visible=True)


def ref(*tasks):
    return [{"ke_hoach": "kh", "nhiem_vu": t} for t in tasks]


def states(progress, ma):
    return {p.key: (p.count, p.state) for p in progress.quota(ma).periods}


def test_period_states_as_of_a_date(tmp_path):
    plan = plan_of(tmp_path, """
        chi_tieu:
          - {ma: W, mo_ta: 2 tin mỗi tháng, kenh: website_don_vi, so_luong_toi_thieu: 2, chu_ky: thang}
    """)
    items = [news("2026-01-05"), news("2026-01-20"), news("2026-02-03"), news("2026-03-01"), news("2026-03-31 23:59")]
    p = compute(plan, collect_entries(plan, items), date(2026, 3, 31))
    s = states(p, "W")
    assert s["2026-01"] == (2, "dat")
    assert s["2026-02"] == (1, "khong_dat")  # ended, short
    assert s["2026-03"] == (2, "dat")  # met on its last day
    assert s["2026-04"] == (0, "chua_den")
    p = compute(plan, collect_entries(plan, items), date(2026, 3, 30))
    assert states(p, "W")["2026-03"] == (1, "chua_dat")  # still open: not missed before it ends
    # A closed day: a finished quarter's report judges the last day as over.
    p = compute(plan, collect_entries(plan, items[:4]), date(2026, 3, 31), closed=True)
    assert states(p, "W")["2026-03"] == (1, "khong_dat")


def test_which_products_count_toward_which_quota(tmp_path):
    plan = plan_of(tmp_path, """
        phan:
          - tieu_de: NV
            nhiem_vu:
              - {stt: "1", noi_dung: Website}
              - {stt: "2", noi_dung: Fanpage}
        chi_tieu:
          - {ma: T, mo_ta: tin nhiệm vụ 1, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: nam, nhiem_vu: "1"}
          - {ma: K, mo_ta: video, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: nam, loai_noi_dung: [video]}
          - {ma: C, mo_ta: chuyên mục, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: nam, bo_loc: {chuyen_muc: hoi-dap}}
          - {ma: G, mo_ta: thẻ, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: nam, bo_loc: {tags: [Dịch vụ công trực tuyến]}}
          - {ma: F, mo_ta: fanpage, kenh: mang_xa_hoi, so_luong_toi_thieu: 5, chu_ky: nam, nhiem_vu: "2"}
          - {ma: A, mo_ta: tất cả, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: nam}
    """, evidence="""
          - {ngay: 2026-02-01, nhiem_vu: "2", kenh: mang_xa_hoi, loai: bai, so_luong: 4, mo_ta: Bốn bài tháng 2}
          - {ngay: 2026-02-02, kenh: mang_xa_hoi, loai: bai, mo_ta: Bài không gắn nhiệm vụ}
          - {ngay: 2026-02-03, nhiem_vu: "1", kenh: website_don_vi, loai: tin, mo_ta: Tin đăng trước khi có trang}
    """)
    items = [
        news("2026-01-02", "Tin nhiệm vụ 1", ke_hoach=ref("1")),
        news("2026-01-03", "Video", loai="video"),
        news("2026-01-04", "Hỏi đáp", chuyen_muc=["hoi-dap"]),
        news("2026-01-05", "Thẻ", tags=["dịch vụ công trực tuyến"]),  # tags compare without case
        news("2026-01-06", "Bản tiếng Anh", lang="en", ke_hoach=ref("1")),  # a translation is not a new item
    ]
    p = compute(plan, collect_entries(plan, items), date(2027, 1, 1))
    total = {q.quota.ma: q.total for q in p.quotas}
    assert total == {"T": 2, "K": 1, "C": 1, "G": 1, "F": 4, "A": 5}
    assert [e.title for e in p.quota("A").entries][-1] == "Tin đăng trước khi có trang"
    # F: the evidence naming task 2 counts (4), the unrelated post does not. The evidence on the
    # website channel counts where no category/tag filter applies (T, A), never where one does (C, G).
    assert p.quota("F").periods[0].state == "khong_dat"


def test_portal_submissions(tmp_path):
    plan = plan_of(tmp_path, """
        chi_tieu:
          - {ma: P, mo_ta: gửi cổng tỉnh, kenh: cong_cchc_tinh, so_luong_toi_thieu: 1, chu_ky: thang}
          - {ma: D, mo_ta: cổng tỉnh đã đăng, kenh: cong_cchc_tinh, so_luong_toi_thieu: 1, chu_ky: thang, chi_tinh_da_dang: true}
          - {ma: S, mo_ta: cổng sở, kenh: cong_so_y_te, so_luong_toi_thieu: 1, chu_ky: thang, cong: syt.tinh.example}
    """)
    portal = PortalDefault("Cổng thông tin CCHC tỉnh", "https://cchc.tinh.example/")
    items = [
        news("2026-01-05", "A", gui_cong=[{"cong": "Cổng thông tin CCHC tỉnh", "trang_thai": "da_gui", "ngay_gui": "2026-02-01"}]),
        news("2026-01-06", "B", gui_cong=[{"cong": "https://www.cchc.tinh.example/tin-bai", "trang_thai": "da_dang"}]),
        news("2026-01-07", "C", gui_cong=[{"cong": "cchc.tinh.example", "trang_thai": "chua_gui"},
                                          {"cong": "https://syt.tinh.example", "trang_thai": "da_dang"}]),
        news("2026-01-08", "D", gui_cong=[{"cong": "Cổng thông tin CCHC tỉnh", "trang_thai": "tu_choi"}]),
    ]
    p = compute(plan, collect_entries(plan, items), date(2026, 2, 28), portal)
    # Sent on 01/02: counts in February, by the date it was sent.
    assert states(p, "P")["2026-01"] == (1, "dat") and states(p, "P")["2026-02"] == (1, "dat")
    assert states(p, "D")["2026-01"] == (1, "dat") and states(p, "D")["2026-02"] == (0, "chua_dat")
    assert states(p, "S")["2026-01"] == (1, "dat")
    # Without the unit's portal configured, every submission counts toward the provincial quota.
    p = compute(plan, collect_entries(plan, items), date(2026, 2, 28))
    assert states(p, "P")["2026-01"] == (2, "dat")


def test_same_portal_by_host_or_name():
    assert same_portal("https://www.cchc.danang.gov.vn/", "cchc.danang.gov.vn")
    assert same_portal("Cổng thông tin Cải cách hành chính thành phố Đà Nẵng", "cổng thông tin cải cách hành chính thành phố đà nẵng")
    assert not same_portal("cchc.danang.gov.vn", "syt.danang.gov.vn")
    assert not same_portal("Cổng Sở Y tế", "Cổng CCHC tỉnh")


def test_copies_are_part_of_a_printed_quota(tmp_path):
    plan = plan_of(tmp_path, """
        chi_tieu:
          - {ma: L, mo_ta: 1 loại tờ gấp 1000 tờ, kenh: an_pham, so_luong_toi_thieu: 1, so_ban_toi_thieu: 1000, chu_ky: khoang, den_ngay: 2026-09-30}
    """, evidence="""
          - {ngay: 2026-03-01, kenh: an_pham, loai: to_gap, so_ban: 600, mo_ta: Đợt 1}
    """)
    p = compute(plan, collect_entries(plan, []), date(2026, 5, 1))
    per = p.quota("L").periods[0]
    assert (per.count, per.copies, per.state) == (1, 600, "chua_dat")
    p = compute(plan, collect_entries(plan, []), date(2026, 10, 1))
    assert p.quota("L").periods[0].state == "khong_dat"


TASKS = """
    phan:
      - tieu_de: NV
        nhiem_vu:
          - {stt: "1", noi_dung: Thường xuyên, thoi_gian: Thường xuyên}
          - {stt: "2", noi_dung: Hạn, thoi_gian: trước 15/03/2026}
          - {stt: "3", noi_dung: Hằng quý, thoi_gian: Hàng quý}
          - {stt: "4", noi_dung: Theo yêu cầu, thoi_gian: Khi có yêu cầu}
          - {stt: "5", noi_dung: Không ghi thời gian}
          - {stt: "6", noi_dung: Quý III, thoi_gian: Quý III/2026}
          - stt: "7"
            noi_dung: Nhóm
            nhiem_vu:
              - {stt: "7.1", noi_dung: con 1, thoi_gian: trước 31/01/2026}
              - {stt: "7.2", noi_dung: con 2, thoi_gian: trước 28/02/2026}
"""


@pytest.mark.parametrize("as_of,expected", [
    (date(2026, 3, 5), {"1": "dang_thuc_hien", "2": "sap_den_han", "3": "dang_thuc_hien", "4": "theo_yeu_cau",
                        "5": "khong_thoi_han", "6": "chua_bat_dau", "7": "qua_han", "7.1": "hoan_thanh", "7.2": "qua_han"}),
    (date(2026, 2, 1), {"2": "dang_thuc_hien", "7.2": "dang_thuc_hien", "7": "dang_thuc_hien"}),
    (date(2026, 3, 16), {"2": "qua_han"}),
    (date(2026, 4, 1), {"3": "dang_thuc_hien"}),  # Q1 had its result; Q2 open
    (date(2026, 7, 1), {"3": "qua_han"}),  # Q2 ended without a result
    (date(2027, 1, 1), {"1": "hoan_thanh", "6": "qua_han"}),  # continuous: done once its span is over
])
def test_task_status_follows_its_obligations(tmp_path, as_of, expected):
    plan = plan_of(tmp_path, TASKS, evidence="""
          - {ngay: 2026-01-10, nhiem_vu: "1", kenh: truc_tiep, loai: hoi_nghi, mo_ta: Một lần}
          - {ngay: 2026-01-20, nhiem_vu: "7.1", kenh: khac, loai: khac, mo_ta: Xong con 1}
          - {ngay: 2026-02-10, nhiem_vu: "3", kenh: khac, loai: khac, mo_ta: Quý I}
    """)
    p = compute(plan, collect_entries(plan, []), as_of)
    got = {t.task.stt: t.status for t in p.tasks}
    for stt, status in expected.items():
        assert got[stt] == status, (stt, as_of)


def test_tasks_measured_by_quotas_take_their_state(tmp_path):
    plan = plan_of(tmp_path, """
        phu_luc:
          - tieu_de: PL
            nhiem_vu:
              - {stt: "1.1", noi_dung: Website, thoi_gian: Hàng tháng}
        chi_tieu:
          - {ma: W, mo_ta: 1 tin mỗi tháng, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: thang, nhiem_vu: "1.1"}
    """)
    items = [news("2026-01-10", ke_hoach=ref("1.1")), news("2026-02-10", ke_hoach=ref("1.1"))]
    p = compute(plan, collect_entries(plan, items), date(2026, 2, 20))
    t = p.task("1.1")
    # February is already met: the next deadline is March's.
    assert t.status == "dang_thuc_hien" and t.results_count == 2 and t.next_deadline == date(2026, 3, 31)
    p = compute(plan, collect_entries(plan, items), date(2026, 3, 20))
    assert p.task("1.1").status == "sap_den_han"  # March still empty, 11 days left
    p = compute(plan, collect_entries(plan, items), date(2026, 4, 2))
    t = p.task("1.1")
    assert t.status == "qua_han" and [m.key for m in t.missed] == ["2026-03"]


def test_quarters_and_report_of_a_quarter(tmp_path):
    plan = plan_of(tmp_path, """
        chi_tieu:
          - {ma: W, mo_ta: 1 tin mỗi tháng, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: thang}
          - {ma: Y, mo_ta: 6 tin mỗi năm, kenh: website_don_vi, so_luong_toi_thieu: 6, chu_ky: nam}
    """)
    assert [q.key for q in quarters_of(plan, date(2026, 5, 1))] == ["2026-Q1", "2026-Q2"]
    items = [news(f"2026-{m:02d}-10") for m in (1, 2, 4, 5, 7)]
    entries = collect_entries(plan, items)
    rep = build_report(plan, entries, parse_quarter("2026-Q2"), date(2026, 8, 1))
    assert rep.as_of == date(2026, 6, 30) and rep.complete
    rows = {(r.result.quota.ma, p.key): (p.count, p.state) for r in rep.quota_rows for p in r.periods}
    assert rows == {("W", "2026-04"): (1, "dat"), ("W", "2026-05"): (1, "dat"), ("W", "2026-06"): (0, "khong_dat"),
                    ("Y", "2026"): (4, "chua_dat")}  # the year counted up to the quarter's end
    assert [e.date for e in rep.news] == [date(2026, 4, 10), date(2026, 5, 10)]
    # The running quarter's report is the progress of the same moment.
    now = date(2026, 8, 1)
    rep = build_report(plan, entries, parse_quarter("2026-Q3"), now)
    page = compute(plan, entries, now)
    assert not rep.complete
    assert [(p.key, p.count, p.state) for r in rep.quota_rows for p in r.periods] == [
        (p.key, p.count, p.state) for q in page.quotas for p in q.periods
        if p.period.start <= date(2026, 9, 30) and p.period.end >= date(2026, 7, 1)]
