"""Procedures end to end: real `mkdocs build` of a fixture site, output HTML parsed, print checked in Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.problems import Problems
from cchc.procedures.schema import SCHEMA_FILE, dumps, schemas
from cchc.site import load_site
from cchc.text import fold

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-06-30 12:00"

CONFIG = {
    "nav": [{"Trang chủ": "index.md"}, {"Tin tức": "tin-tuc/index.md"}, {"Thủ tục hành chính": "thu-tuc/index.md"},
            {"Liên hệ – góp ý": "lien-he.md"}],
    "extra_css": ["assets/cchc/cchc.css", "assets/cchc/procedures.css"],
}


def yml(code, name, field="Khám bệnh, chữa bệnh", extra="", decisions=None, levels="[co_quan_khac]", steps=True, methods=True):
    decisions = decisions or [("2294/QĐ-BYT", "2025-07-10", "moi_ban_hanh")]
    dec = "".join(f"  - so: {s}\n    ngay: {d}\n    co_quan: Bộ Y tế\n    loai_thay_doi: {k}\n" for s, d, k in decisions)
    text = (
        f'ma_tthc: "{code}"\nten: {name}\nlinh_vuc: {{ten: "{field}"}}\ncap_thuc_hien: {levels}\n'
        "co_quan:\n  thuc_hien:\n    - ten: Cơ sở khám bệnh, chữa bệnh\n"
    )
    if steps:
        text += "trinh_tu_thuc_hien:\n  - cac_buoc:\n      - Nộp hồ sơ tại quầy tiếp nhận.\n      - Nhận kết quả.\n"
    if methods:
        text += "cach_thuc_thuc_hien:\n  - hinh_thuc: truc_tiep\n    thoi_han: {so: 3, don_vi: ngay_lam_viec}\n"
    return text + "quyet_dinh_cong_bo:\n" + dec + "ngay_cap_nhat: 2026-01-05\n" + extra


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import BASE_CONFIG, Project, deep_merge

    root = tmp_path_factory.mktemp("tthc") / "site-src"
    p = Project(root, deep_merge(BASE_CONFIG, CONFIG))
    # The shipped portal record, imported, with the unit's desk and a local form file.
    env = p.env("2026-05-06 09:00")
    r = subprocess.run([sys.executable, "-m", "cchc.cli", "import-tthc", str(REPO / "tests/fixtures/procedures/portal/1.014331.json"),
                        "-o", str(root / "procedures")], capture_output=True, text=True, env=env, cwd=root)
    assert r.returncode == 0, r.stderr
    gcs = (root / "procedures/1.014331.yml").read_text(encoding="utf-8")
    gcs = gcs.replace("      duong_dan_dvcqg: configuring/019e1f68", "      tep: bieu-mau/to-khai-giay-chung-sinh.docx\n      duong_dan_dvcqg: configuring/019e1f68")
    gcs += ("tai_don_vi:\n  noi_tiep_nhan: Quầy Giấy chứng sinh, tầng 2, nhà B\n  gio_tiep_nhan: Thứ Hai – Thứ Sáu, 7h00 – 17h00\n"
            "  dien_thoai: 0200 3 111 444\n")
    p.write("procedures/1.014331.yml", gcs)
    p.write("content/bieu-mau/to-khai-giay-chung-sinh.docx", b"PK\x03\x04" + b"0" * 3000)
    # A fee with dates: the 2025 reduction has ended, the 2026 amount is shown.
    p.write("procedures/1.014128.yml", yml("1.014128", "Cấp bản tóm tắt hồ sơ bệnh án", extra=(
        "thay_the_cho: ['1.002341']\n"
    )).replace("    thoi_han: {so: 3, don_vi: ngay_lam_viec}\n",
               "    thoi_han: {so: 3, don_vi: ngay_lam_viec}\n    phi_le_phi:\n"
               "      - {so_tien: 20000, mo_ta: /bản, hieu_luc_den: 2025-12-31}\n"
               "      - {so_tien: 50000, mo_ta: /bản, hieu_luc_tu: 2026-01-01}\n"))
    p.write("procedures/1.002341.yml", yml(
        "1.002341", "Cấp lại giấy chứng sinh đối với trường hợp bị mất hoặc hư hỏng", field="Dân số, Bà mẹ - Trẻ em",
        decisions=[("2922/QĐ-BYT", "2025-09-15", "thay_the")], steps=False, methods=False,
        extra='hieu_luc_den: 2025-09-15\nthay_the_boi: "1.014128"\n'))
    p.write("procedures/1.999001.yml", yml(
        "1.999001", "Thủ tục thử nghiệm đã bãi bỏ", decisions=[("10/QĐ-BYT", "2024-01-02", "moi_ban_hanh"), ("20/QĐ-BYT", "2026-02-03", "bai_bo")],
        extra="hieu_luc_den: 2026-03-01\n", levels="[cap_tinh]"))
    # A decision dated after "now" is not announced in the changes list yet.
    p.write("procedures/1.999002.yml", yml(
        "1.999002", "Thủ tục thử nghiệm sửa đổi sắp tới", levels="[cap_tinh, cap_xa]",
        decisions=[("30/QĐ-BYT", "2025-01-02", "moi_ban_hanh"), ("40/QĐ-BYT", "2026-12-01", "sua_doi_bo_sung")],
        extra="ngay_cap_nhat: 2026-12-01\n").replace("ngay_cap_nhat: 2026-01-05\n", ""))
    p.news("2026-06-01-giay-chung-sinh.md", title="Hướng dẫn cấp Giấy chứng sinh", date="2026-06-01 08:00",
           tthc_lien_quan=["1.014331"], body="Xem [thủ tục](../../procedures/1.014331.yml) để biết hồ sơ.")
    p.news("2026-06-02-nhap.md", title="Bản nháp về giấy chứng sinh", date="2026-06-02 08:00", draft=True, tthc_lien_quan=["1.014331"])
    p.news("2026-08-01-tuong-lai.md", title="Tin hẹn giờ về giấy chứng sinh", date="2026-08-01 08:00", tthc_lien_quan=["1.014331"])
    res = p.build(now=NOW)
    assert res.ok, res.output
    return p, res


def test_procedure_page_step_by_step(built):
    p, res = built
    soup = res.soup("thu-tuc/1-014331/index.html")
    assert soup.h1.get_text(strip=True) == "Cấp Giấy chứng sinh"
    summary = soup.select_one(".cchc-tthc-summary").get_text(" ", strip=True)
    assert "1.014331" in summary and "3–5 ngày làm việc" in summary and "Không thu phí, lệ phí" in summary
    assert "Quầy Giấy chứng sinh, tầng 2, nhà B" in summary
    steps = soup.select("ol.cchc-steps > li.cchc-steps__step")
    titles = [s.find(["h2"]).get_text(" ", strip=True) for s in steps]
    assert titles == ["Bước 1 Chuẩn bị hồ sơ", "Bước 2 Nộp hồ sơ", "Bước 3 Thời hạn giải quyết và phí, lệ phí",
                      "Bước 4 Trình tự giải quyết", "Bước 5 Nhận kết quả"]
    # dossier per case, case 1 first, tables with header cells
    cases = [h.get_text(" ", strip=True) for h in steps[0].select("h3")]
    assert cases[0].startswith("Trường hợp 1:") and cases[1].startswith("Trường hợp 2:")
    assert all(th.get("scope") == "col" for th in steps[0].select("thead th"))
    # the local form file: a download link with format and size
    link = steps[0].find("a", attrs={"download": True})
    assert link["href"] == "../../bieu-mau/to-khai-giay-chung-sinh.docx" and "DOCX" in link.get_text()
    assert "3 KB" in link.parent.get_text()
    assert (res.site / "bieu-mau/to-khai-giay-chung-sinh.docx").is_file()
    # forms that exist only on the national portal link there, with a meaningful name
    portal_forms = [a for a in steps[0].select("a") if "dichvucong.gov.vn" in a.get("href", "")]
    assert portal_forms and all("Tải mẫu tại Cổng DVC quốc gia" in a.get_text() for a in portal_forms)
    # where to go, time per case, steps per case with their situations
    assert "Thứ Hai – Thứ Sáu, 7h00 – 17h00" in steps[1].get_text()
    rows = [tr.get_text(" ", strip=True) for tr in steps[2].select("tbody tr")]
    assert rows[0].startswith("Nộp trực tiếp Trường hợp 1") and "5 ngày làm việc" in rows[0]
    assert any("3 ngày làm việc" in r for r in rows)
    assert len(steps[3].select("ol.cchc-tthc-substeps")) == 3
    assert "Nếu trẻ sinh ra tại cơ sở khám bệnh, chữa bệnh không phải" in steps[3].get_text()
    # code, decision, last-updated date, national portal link
    info = soup.select_one("#thong-tin").find_next("dl").get_text(" ", strip=True)
    assert "Dân số, Bà mẹ - Trẻ em" in info and "Cơ quan khác" in info and "06/05/2026" in info
    decisions = soup.find(string="Quyết định công bố").find_next("table").get_text(" ", strip=True)
    assert "2922/QĐ-BYT" in decisions and "15/09/2025" in decisions
    assert soup.find("a", href="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bff-3d1e-70ef-946d-a8702ab0bc8b")
    # readable without JavaScript: the content is in the HTML, no script of ours
    assert not soup.select("article script")


def test_every_procedure_page_lists_its_steps_near_the_top(built):
    # Material hides the table of contents of pages outside the navigation on narrow
    # screens: the page's own list of its steps is how keyboard users reach them there.
    p, res = built
    pages = sorted((res.site / "thu-tuc").glob("1-*/index.html"))
    assert len(pages) == 5  # in force, replaced, abolished and amended-soon alike
    for path in pages:
        rel = str(path.relative_to(res.site))
        soup = res.soup(rel)
        navs = soup.select("article nav.cchc-steps-nav")
        assert len(navs) == 1, rel
        nav = navs[0]
        assert nav["aria-label"] == "Các bước" and nav.select_one(".cchc-steps-nav__title").get_text(strip=True) == "Các bước"
        assert "cchc-noprint" in nav["class"]  # the printed sheet has the steps in order already
        links = nav.select("ol > li > a")
        assert [a.get_text(" ", strip=True) for a in links] == [
            "Bước 1: Chuẩn bị hồ sơ", "Bước 2: Nộp hồ sơ", "Bước 3: Thời hạn giải quyết và phí, lệ phí",
            "Bước 4: Trình tự giải quyết", "Bước 5: Nhận kết quả", "Thông tin thủ tục"], rel
        # every link goes to an element of this page, the sections in page order
        targets = [a["href"] for a in links]
        assert all(h.startswith("#") for h in targets), targets
        ids = [h[1:] for h in targets]
        for i in ids:
            assert len(soup.find_all(id=i)) == 1, (rel, i)
        assert ids == [li["id"] for li in soup.select("ol.cchc-steps > li.cchc-steps__step")] + ["thong-tin"]
        # near the top: before the key facts and the first step, after the lifecycle banner
        body = str(soup.select_one("article.cchc-tthc"))
        at = body.index('class="cchc-steps-nav')
        assert at < body.index('class="cchc-tthc-summary"') < body.index('id="buoc-chuan-bi"')
        if soup.select_one(".cchc-tthc-banner"):
            assert body.index('class="cchc-tthc-banner') < at
        assert not nav.select("script") and not nav.select("[onclick]")
    # the print-all page lays several procedures out one after another: no step lists there
    assert not res.soup("thu-tuc/in/index.html").select(".cchc-steps-nav")


def test_print_header_and_qr_code(built):
    p, res = built
    soup = res.soup("thu-tuc/1-014331/index.html")
    head = soup.select_one(".cchc-print-head").get_text(" ", strip=True)
    assert "Trung tâm Y tế khu vực Thử Nghiệm" in head and "1.014331" in head and "2922/QĐ-BYT (15/09/2025)" in head
    svg = soup.select_one("svg.cchc-qr")
    assert svg is not None and svg["role"] == "img"
    assert "https://cchc.thu-nghiem.example/thu-tuc/1-014331/" in svg["aria-label"]
    # the QR code is a real code of that address: same modules as the qrcode package draws
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data("https://cchc.thu-nghiem.example/thu-tuc/1-014331/")
    q.make(fit=True)
    m = q.get_matrix()
    d = svg.find("path")["d"]
    dark = sum(int(seg.split("h")[1]) for seg in d.split("M")[1:])
    assert dark == sum(sum(row) for row in m)


def test_fees_follow_validity_dates(built):
    p, res = built
    text = res.soup("thu-tuc/1-014128/index.html").select_one("#buoc-thoi-han-phi").get_text(" ", strip=True)
    assert "50.000 đồng" in text and "từ 01/01/2026" in text
    assert "20.000 đồng" not in text  # ended on 31/12/2025: kept in the file, not posted


def test_replaced_and_abolished_pages_stay_with_banner(built):
    p, res = built
    old = res.soup("thu-tuc/1-002341/index.html")
    banner = old.select_one(".cchc-tthc-banner--replaced")
    assert banner is not None and "đã bị thay thế từ ngày 15/09/2025 (2922/QĐ-BYT)" in banner.get_text()
    assert banner.find("a")["href"] == "../1-014128/"
    assert "Không có thông tin." in old.select_one("#buoc-trinh-tu").get_text()
    new = res.soup("thu-tuc/1-014128/index.html")
    assert new.find("a", href="../1-002341/")  # "Thủ tục này thay thế"
    # an amendment dated after the build is announced, not yet applied
    soon = res.soup("thu-tuc/1-999002/index.html")
    assert "Sắp thay đổi: theo Quyết định 40/QĐ-BYT, từ ngày 01/12/2026" in soon.select_one(".cchc-tthc-banner--future").get_text()
    assert "Đang áp dụng" in soon.select_one(".cchc-meta .cchc-status").get_text()
    gone = res.soup("thu-tuc/1-999001/index.html")
    assert "đã bị bãi bỏ từ ngày 01/03/2026 (20/QĐ-BYT)" in gone.select_one(".cchc-tthc-banner--abolished").get_text()


def test_index_grouped_and_filterable_without_javascript(built):
    p, res = built
    soup = res.soup("thu-tuc/index.html")
    # in the navigation, rendered by MkDocs
    assert soup.select_one('.md-tabs a[href="./"], .md-nav a[href="./"]') is not None or soup.select_one('a.md-tabs__link--active')
    groups = {h.get_text(" ", strip=True).split(" (")[0]: h for h in soup.select("h2[id^=lv-]")}
    assert set(groups) == {"Dân số, Bà mẹ - Trẻ em", "Khám bệnh, chữa bệnh"}
    in_force = {tr.td.get_text() for h in groups.values() for tr in h.find_next("table").select("tbody tr")}
    assert in_force == {"1.014331", "1.014128", "1.999002"}
    retired = soup.select_one("#da-thay-the-bai-bo").find_next("table").get_text(" ", strip=True)
    assert "1.002341" in retired and "1.999001" in retired and "Đã bị bãi bỏ" in retired
    nav = soup.select_one("nav.cchc-facets")
    hrefs = {a.get_text(strip=True): a["href"] for a in nav.select("a")}
    assert hrefs["Cấp tỉnh"] == "cap/cap-tinh/" and hrefs["Đã bị thay thế"] == "trang-thai/bi-thay-the/"
    assert hrefs["Khám bệnh, chữa bệnh"] == "linh-vuc/kham-benh-chua-benh/"
    level = res.soup("thu-tuc/cap/cap-tinh/index.html")
    codes = {tr.td.get_text() for tr in level.select("table.cchc-tthc-list tbody tr")}
    assert codes == {"1.999001", "1.999002"}
    assert level.select_one('nav.cchc-facets a[aria-current="page"]').get_text(strip=True) == "Cấp tỉnh"
    changes = soup.select_one("#thay-doi").find_next("ul").get_text(" ", strip=True)
    assert "40/QĐ-BYT" not in changes and "20/QĐ-BYT" in changes


def test_news_back_references_and_links(built):
    p, res = built
    soup = res.soup("thu-tuc/1-014331/index.html")
    news = soup.select_one("#cchc-tthc-news").find_next("ul")
    titles = [a.get_text() for a in news.select("a")]
    assert titles == ["Hướng dẫn cấp Giấy chứng sinh"]  # not the draft, not the future item
    assert news.a["href"] == "../../tin-tuc/huong-dan-cap-giay-chung-sinh/"
    item = res.soup("tin-tuc/huong-dan-cap-giay-chung-sinh/index.html")
    # a Markdown link to the procedure file becomes the procedure page
    assert item.find("a", href="../../thu-tuc/1-014331/")


def test_print_pages_and_sitemap(built):
    p, res = built
    soup = res.soup("thu-tuc/in/index.html")
    sheets = soup.select("section.cchc-print-sheet")
    assert [s["id"] for s in sheets] == ["tthc-1-014128", "tthc-1-014331", "tthc-1-999002"]
    assert all(s.select_one("svg.cchc-qr") for s in sheets)
    assert len(soup.select("table.cchc-tthc-list tbody tr")) == 3
    assert (res.site / "thu-tuc/in/dan-so-ba-me-tre-em/index.html").is_file()
    sitemap = res.read("sitemap.xml")
    assert "thu-tuc/1-014331/" in sitemap and "thu-tuc/1-002341/" in sitemap and "thu-tuc/in/" not in sitemap


def test_state_for_other_modules(built):
    p, res = built
    problems = Problems()
    from cchc import timeutil

    site = load_site(str(p.root / "mkdocs.yml"), problems, now=timeutil.parse_datetime(NOW))
    assert not problems.has_errors(), problems.format()
    state = site.data["procedures"]
    e = state.get("1.014331")
    assert (e.code, e.name, e.url, e.status) == ("1.014331", "Cấp Giấy chứng sinh", "thu-tuc/1-014331/", "hieu_luc")
    assert state.get("9.999999") is None
    assert [x.code for x in state.entries] == ["1.002341", "1.014128", "1.014331", "1.999001", "1.999002"]
    assert site.urls["../procedures/1.014331.yml"] == "thu-tuc/1-014331/"
    kinds = {(c.code, c.kind, c.decision) for c in state.changes}
    assert ("1.999001", "abolished", "20/QĐ-BYT") in kinds and ("1.002341", "replaced", "2922/QĐ-BYT") in kinds
    assert ("1.999002", "amended", "40/QĐ-BYT") not in kinds  # dated after now
    assert state.changes == sorted(state.changes, key=lambda c: (c.date, c.code, c.decision), reverse=True)
    replaced = next(c for c in state.changes if c.kind == "replaced")
    assert replaced.replacement_url == "thu-tuc/1-014128/" and replaced.url == "thu-tuc/1-002341/"
    pages = {o.url: o for o in site.pages()}
    assert pages["thu-tuc/1-014331/"].search_kind == "procedure" and pages["thu-tuc/"].nav_stub
    assert pages["thu-tuc/in/"].sitemap is False and pages["thu-tuc/in/"].search_kind is None


def test_page_stays_light(built):
    p, res = built
    html = (res.site / "thu-tuc/1-014331/index.html").read_bytes()
    # the whole page (Material chrome, QR code, two cases of a real procedure) under 60 KB
    assert len(html) < 60_000, len(html)


def test_committed_schema_is_generated_from_the_model():
    committed = (REPO / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == dumps(schemas()[SCHEMA_FILE]), "run: .venv/bin/cchc schema --out schemas"
    schema = json.loads(committed)
    assert "ma_tthc" in schema["required"] and "cach_thuc_thuc_hien" in schema["properties"]


# --- the printout, as a person would check it ------------------------------------------------


@pytest.mark.browser
def test_printout_is_clean_a4(built, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm missing: run scripts/setup.sh --test (installs poppler-utils)")
    from playwright.sync_api import sync_playwright

    from quality_support import launch_chromium, serve

    p, res = built
    with serve(res.site) as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        for url, out in (("thu-tuc/1-014331/", "one.pdf"), ("thu-tuc/in/", "all.pdf")):
            page.goto(base + url)
            page.emulate_media(media="print")
            # A4 minus the page margins at 96 dpi: nothing may stick out on the right
            page.set_viewport_size({"width": 698, "height": 1000})
            overflow = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
            assert overflow == [], (url, overflow)
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).display") == "none"
            page.pdf(path=str(tmp_path / out), format="A4", print_background=False)
        browser.close()
    info = subprocess.run(["pdfinfo", str(tmp_path / "one.pdf")], capture_output=True, text=True).stdout
    assert "(A4)" in info, info
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "one.pdf"), "-"], capture_output=True, text=True).stdout
    folded = fold(text)
    for needle in ("trung tam y te khu vuc thu nghiem", "1.014331", "2922/qd-byt", "06/05/2026", "buoc 1", "to khai de nghi cap giay chung sinh"):
        assert needle in folded, needle
    first_page = fold(text.split("\f")[0])
    assert "trung tam y te khu vuc thu nghiem" in first_page and "1.014331" in first_page  # the sheet header is on page 1
    all_text = subprocess.run(["pdftotext", str(tmp_path / "all.pdf"), "-"], capture_output=True, text=True).stdout
    pages = all_text.split("\f")
    starts = [i for i, pg in enumerate(pages) if "1. Cấp bản tóm tắt" in pg or "2. Cấp Giấy chứng sinh" in pg]
    assert len(starts) == 2 and starts[0] < starts[1]  # each procedure starts on its own sheet
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "one.pdf"), str(tmp_path / "one")], check=True)
    pngs = sorted(tmp_path.glob("one-*.png"))
    assert pngs and all(p.stat().st_size > 1000 for p in pngs)


def test_long_lists_print_field_by_field(built, monkeypatch):
    """Past the limit, the whole-list print page keeps the list and links to per-field pages."""
    from cchc import timeutil
    from cchc.procedures import views

    p, res = built
    monkeypatch.setattr(views, "PRINT_ALL_LIMIT", 2)
    site = load_site(str(p.root / "mkdocs.yml"), Problems(), now=timeutil.parse_datetime(NOW))
    pages = {o.url: o for o in site.pages()}
    whole = pages["thu-tuc/in/"].context
    assert whole["full"] is False and len(whole["catalogue"]) == 3
    assert whole["views"] == []  # the list only: no procedure's view is built for it
    assert [link["url"] for link in whole["field_links"]] == ["thu-tuc/in/dan-so-ba-me-tre-em/", "thu-tuc/in/kham-benh-chua-benh/"]
    assert pages["thu-tuc/in/kham-benh-chua-benh/"].context["full"] is True


def test_a_print_page_builds_the_view_of_every_sheet_not_found_under_its_own_place():
    """A kept sheet is named by its procedure's URL and its place on the page (print.html):
    a sheet stored for another place (the list moved) spares no view, which would otherwise be
    built in a rendering worker, away from the build cache."""
    from types import SimpleNamespace

    from cchc.procedures.views import kept_bases
    from cchc.site import OutputPage

    views = [SimpleNamespace(e=SimpleNamespace(url=f"thu-tuc/{c}/")) for c in ("a", "x", "b")]
    page = OutputPage(url="thu-tuc/in/", template="cchc/procedures/print.html", title="In", context={"views": views})
    assert kept_bases(page) == frozenset()
    page.kept_parts = {("thu-tuc/b/", (2,)): "<section></section>", ("thu-tuc/a/", (1,)): "<section></section>"}
    assert kept_bases(page) == {"thu-tuc/a/"}
    page.kept_parts[("thu-tuc/b/", (3,))] = "<section></section>"
    assert kept_bases(page) == {"thu-tuc/a/", "thu-tuc/b/"}


def test_the_index_table_is_kept_while_its_procedures_show_the_same(project):
    """The procedures index, which MkDocs renders on every build, keeps its table in the build
    cache (`cchc_stored`) under a digest of what the table shows: a rebuild shows what was
    stored (a stored table made wrong shows), a checked build (CCHC_CHECK_KEYS=1) renders it
    again and refuses one that differs, and a renamed procedure gives a new table."""
    import sqlite3

    p = project(CONFIG)
    p.write("procedures/1.999001.yml", yml("1.999001", "Cấp giấy xác nhận thứ nhất"))
    p.write("procedures/1.999002.yml", yml("1.999002", "Cấp giấy xác nhận thứ hai", field="Dược"))
    first = p.build()
    assert first.ok, first.output
    index = first.site / "thu-tuc" / "index.html"
    assert "Cấp giấy xác nhận thứ hai" in index.read_text("utf-8")
    db = sqlite3.connect(str(p.root / ".cache" / "cchc" / "cache.sqlite"))
    rows = db.execute("SELECT k, v FROM obj WHERE k LIKE 'stored-block:%'").fetchall()
    assert len(rows) == 1
    import pickle

    planted = pickle.loads(rows[0][1]).replace("Cấp giấy xác nhận thứ hai", "Bảng đã lưu")
    db.execute("UPDATE obj SET v = ? WHERE k = ?", (pickle.dumps(planted), rows[0][0]))
    db.commit()
    db.close()
    again = p.build()
    assert again.ok, again.output
    assert "Bảng đã lưu" in index.read_text("utf-8")  # the stored table, not rendered again

    def run(site: str, **env) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(p.root / "mkdocs.yml"),
                               "-d", str(p.root / site)], cwd=p.root, env={**p.env(NOW), **env},
                              capture_output=True, text=True, timeout=600)

    checked = run("site", CCHC_CHECK_KEYS="1")
    assert checked.returncode != 0 and "tthc-index-groups" in checked.stdout + checked.stderr
    p.write("procedures/1.999002.yml", yml("1.999002", "Cấp giấy xác nhận đã đổi tên", field="Dược"))
    renamed = p.build()
    assert renamed.ok, renamed.output
    text = index.read_text("utf-8")
    assert "Cấp giấy xác nhận đã đổi tên" in text and "Bảng đã lưu" not in text
    cold = run("cold", CCHC_CACHE_DIR=str(p.root / "cold-cache"))
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert (p.root / "cold" / "thu-tuc" / "index.html").read_bytes() == index.read_bytes()
