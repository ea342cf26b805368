"""English versions of procedures and plans as overlays: words only, the rest from the Vietnamese file.

Each rule of cchc/procedures/overlay.py, on real files through the core (`load_site`) and
the CLI (`cchc check`), with the exact `path:line: field: message` staff read, in Vietnamese
and with `--lang en`.
"""

from __future__ import annotations

import textwrap

import pytest

from cchc import timeutil
from cchc.problems import Problems
from cchc.site import load_site

NOW = "2026-06-30 12:00"
EN = {"en": {"site_name": "Reform – Test Health Centre", "untranslated": "omit"}}

VI = """\
ma_tthc: "1.014331"
ten: Cấp Giấy chứng sinh
linh_vuc: {ten: "Dân số, Bà mẹ - Trẻ em", ma: G18-YT02}
cap_thuc_hien: [co_quan_khac]
co_quan:
  thuc_hien:
    - ten: Cơ sở khám bệnh, chữa bệnh
tai_don_vi:
  noi_tiep_nhan: Quầy tiếp nhận hồ sơ, tầng 2, nhà B
  dien_thoai: 0236 3 000 102
cac_truong_hop:
  - ma: '1'
    ten: Trẻ sinh ra ngoài cơ sở khám bệnh, chữa bệnh
  - ma: '2'
    ten: Trẻ sinh ra do mang thai hộ
trinh_tu_thuc_hien:
  - truong_hop: '1'
    cac_buoc:
      - Nộp tờ khai đề nghị cấp giấy chứng sinh.
      - Nhận giấy chứng sinh.
  - truong_hop: '2'
    cac_buoc:
      - Nộp bản xác nhận mang thai hộ.
cach_thuc_thuc_hien:
  - hinh_thuc: truc_tiep
    truong_hop: '1'
    thoi_han: {so: 5, don_vi: ngay_lam_viec}
    phi_le_phi:
      - loai: le_phi
        so_tien: 30000
        mo_ta: Mỗi lần cấp
  - hinh_thuc: truc_tiep
    truong_hop: '2'
    thoi_han: {so: 3, don_vi: ngay_lam_viec}
ket_qua:
  - ten: Giấy chứng sinh
quyet_dinh_cong_bo:
  - so: 2922/QĐ-BYT
    ngay: 2025-09-15
    co_quan: Bộ Y tế
    loai_thay_doi: moi_ban_hanh
ngay_cap_nhat: 2026-05-06
"""

EN_FILE = """\
ten: Issuing a birth certificate
ngay_dich: 2026-05-08
cac_truong_hop:
  - ma: '1'
    ten: A baby born outside a health facility
  - ma: '2'
    ten: A baby born through surrogacy
trinh_tu_thuc_hien:
  - cac_buoc:
      - Submit the application form.
      - Collect the birth certificate.
  - cac_buoc:
      - Submit the surrogacy confirmation.
cach_thuc_thuc_hien:
  - phi_le_phi:
      - mo_ta: Each time
  - ~
"""


def _project(project, en: str | None = EN_FILE, vi: str = VI, untranslated: str = "omit", languages=True):
    p = project()
    if languages:
        p.set_plugin(languages={"en": {**EN["en"], "untranslated": untranslated}})
    p.write("procedures/1.014331.yml", vi)
    if en is not None:
        p.write("procedures/1.014331.en.yml", en)
    return p


def _load(p):
    problems = Problems()
    site = load_site(str(p.root / "mkdocs.yml"), problems, now=timeutil.parse_datetime(NOW))
    return site, problems


def _lines(problems: Problems, path: str, lang: str = "vi") -> list[str]:
    return [x.format(lang) for x in problems.sorted() if x.path == path]


# --- the overlay -------------------------------------------------------------------------------


def test_words_come_from_the_translation_everything_else_from_the_vietnamese_file(project):
    site, problems = _load(_project(project))
    assert not problems.errors and not problems.warnings, problems.format()
    state = site.data["procedures"]
    vi = state.get("1.014331")
    en = state.translations["en"]["1.014331"]
    assert vi.translations["en"] is en and en.vietnamese is vi
    assert (en.url, en.lang, en.source) == ("en/procedures/1-014331/", "en", "procedures/1.014331.en.yml")
    m = en.model
    assert m.ten == "Issuing a birth certificate" and m.ma_tthc == "1.014331"
    assert m.trinh_tu_thuc_hien[0].cac_buoc == ["Submit the application form.", "Collect the birth certificate."]
    assert m.trinh_tu_thuc_hien[0].truong_hop == "1"  # keys, times and fees are the Vietnamese file's
    assert (m.cach_thuc_thuc_hien[0].thoi_han.so, m.cach_thuc_thuc_hien[0].phi_le_phi[0].so_tien) == (5, 30000)
    assert m.cach_thuc_thuc_hien[0].phi_le_phi[0].mo_ta == "Each time"
    assert m.quyet_dinh_cong_bo == vi.model.quyet_dinh_cong_bo and m.ngay_cap_nhat == vi.model.ngay_cap_nhat
    # What the translation does not give stays Vietnamese, and is known to be so.
    assert m.ket_qua[0].ten == "Giấy chứng sinh" and not en.own(("ket_qua", 0, "ten"))
    assert m.tai_don_vi.noi_tiep_nhan == "Quầy tiếp nhận hồ sơ, tầng 2, nhà B" and not en.own(("tai_don_vi", "noi_tiep_nhan"))
    assert en.own(("trinh_tu_thuc_hien", 1, "cac_buoc", 0)) and en.own(("ten",))
    assert site.urls["../procedures/1.014331.en.yml"] == "en/procedures/1-014331/"
    # The Vietnamese model is untouched.
    assert vi.model.trinh_tu_thuc_hien[0].cac_buoc[0] == "Nộp tờ khai đề nghị cấp giấy chứng sinh."


def test_a_null_entry_keeps_the_vietnamese_one(project):
    en = EN_FILE.replace("      - Collect the birth certificate.\n", "      - ~\n")
    site, problems = _load(_project(project, en))
    assert not problems.warnings, problems.format()
    tr = site.data["procedures"].translations["en"]["1.014331"]
    assert tr.model.trinh_tu_thuc_hien[0].cac_buoc == ["Submit the application form.", "Nhận giấy chứng sinh."]
    assert tr.own(("trinh_tu_thuc_hien", 0, "cac_buoc", 0)) and not tr.own(("trinh_tu_thuc_hien", 0, "cac_buoc", 1))


def test_a_list_of_another_length_stays_vietnamese_with_a_warning(project):
    en = EN_FILE.replace("      - Collect the birth certificate.\n", "")
    p = _project(project, en)
    site, problems = _load(p)
    assert not problems.errors
    assert _lines(problems, "procedures/1.014331.en.yml") == [
        "procedures/1.014331.en.yml:9: trinh_tu_thuc_hien[0].cac_buoc: cảnh báo: danh sách 'trinh_tu_thuc_hien[0].cac_buoc' "
        "có 1 mục, nhưng trong tệp tiếng Việt procedures/1.014331.yml (dòng 18) có 2 mục. Bản dịch cần đúng 2 mục, cùng thứ tự "
        "(mục chưa dịch ghi '- ~'). Đến khi sửa, danh sách này hiện bằng tiếng Việt."
    ]
    assert _lines(problems, "procedures/1.014331.en.yml", "en") == [
        "procedures/1.014331.en.yml:9: trinh_tu_thuc_hien[0].cac_buoc: warning: list 'trinh_tu_thuc_hien[0].cac_buoc' has 1 "
        "entries, but the Vietnamese file procedures/1.014331.yml (line 18) has 2. Give exactly 2 entries, in the same order "
        "(write '- ~' for one not translated yet). Until then this list is shown in Vietnamese."
    ]
    tr = site.data["procedures"].translations["en"]["1.014331"]
    assert tr.model.trinh_tu_thuc_hien[0].cac_buoc == ["Nộp tờ khai đề nghị cấp giấy chứng sinh.", "Nhận giấy chứng sinh."]
    assert tr.model.trinh_tu_thuc_hien[1].cac_buoc == ["Submit the surrogacy confirmation."]  # other lists still apply


def test_neutral_fields_may_be_copied_but_not_changed(project):
    en = 'ma_tthc: "1.014331"\nngay_cap_nhat: 2026-05-06\n' + EN_FILE + "tai_don_vi:\n  dien_thoai: 0236 3 999 999\n"
    site, problems = _load(_project(project, en))
    # Equal values (the code, the date) are fine; a different phone number is not used.
    assert _lines(problems, "procedures/1.014331.en.yml") == [
        "procedures/1.014331.en.yml:21: tai_don_vi.dien_thoai: cảnh báo: 'dien_thoai' không dịch: giá trị lấy từ tệp tiếng Việt "
        "procedures/1.014331.yml (dòng 10: '0236 3 000 102'). Giá trị ở đây ('0236 3 999 999') không được dùng; xoá dòng này."
    ]
    tr = site.data["procedures"].translations["en"]["1.014331"]
    assert tr.model.tai_don_vi.dien_thoai == "0236 3 000 102"


def test_entries_out_of_order_are_not_used(project):
    en = EN_FILE.replace("  - ma: '1'\n    ten: A baby born outside a health facility\n  - ma: '2'\n    ten: A baby born through surrogacy\n",
                         "  - ma: '2'\n    ten: A baby born through surrogacy\n  - ma: '1'\n    ten: A baby born outside a health facility\n")
    site, problems = _load(_project(project, en))
    lines = _lines(problems, "procedures/1.014331.en.yml", "en")
    assert lines == [
        "procedures/1.014331.en.yml:4: cac_truong_hop[0].ma: warning: this entry says ma: '2', but the entry in the same position "
        "in the Vietnamese file procedures/1.014331.yml (line 12) is '1'. Entries are matched by position: put the translation "
        "in the Vietnamese file's order. Until then this entry is shown in Vietnamese.",
        "procedures/1.014331.en.yml:6: cac_truong_hop[1].ma: warning: this entry says ma: '1', but the entry in the same position "
        "in the Vietnamese file procedures/1.014331.yml (line 14) is '2'. Entries are matched by position: put the translation "
        "in the Vietnamese file's order. Until then this entry is shown in Vietnamese.",
    ]
    tr = site.data["procedures"].translations["en"]["1.014331"]
    assert [c.ten for c in tr.model.cac_truong_hop] == ["Trẻ sinh ra ngoài cơ sở khám bệnh, chữa bệnh", "Trẻ sinh ra do mang thai hộ"]


def test_translating_what_the_vietnamese_file_lacks(project):
    en = EN_FILE + "thanh_phan_ho_so:\n  - giay_to:\n      - ten: Application form\nghi_chu: Bring your passport if you are not a Vietnamese citizen.\n"
    site, problems = _load(_project(project, en))
    assert _lines(problems, "procedures/1.014331.en.yml", "en") == [
        "procedures/1.014331.en.yml:18: thanh_phan_ho_so: warning: the Vietnamese file procedures/1.014331.yml has no "
        "'thanh_phan_ho_so', so there is nothing to translate; this part is not used. Add it to the Vietnamese file first, "
        "or delete it from the translation."
    ]
    tr = site.data["procedures"].translations["en"]["1.014331"]
    assert tr.model.ghi_chu == "Bring your passport if you are not a Vietnamese citizen." and tr.own(("ghi_chu",))


@pytest.mark.parametrize("en, lang, expected", [
    ("tenn: Issuing a birth certificate\n", "vi",
     ["procedures/1.014331.en.yml:1: tenn: trường 'tenn' không được hỗ trợ.",
      "procedures/1.014331.en.yml:1: ten: thiếu trường bắt buộc. Thêm dòng 'ten: …' (Tên thủ tục đã dịch, ví dụ 'Issuing a birth certificate')."]),
    ("ten: Issuing a birth certificate\ntrinh_tu_thuc_hien:\n  - cac_buoc: Submit the form.\n", "en",
     ["procedures/1.014331.en.yml:3: trinh_tu_thuc_hien[0].cac_buoc:"]),
    ("ten: Issuing a birth certificate\nngay_dich: 31/02/2026\n", "en", ["procedures/1.014331.en.yml:2: ngay_dich:"]),
    ("ten: [unclosed\n", "en", ["procedures/1.014331.en.yml:1: -: YAML cannot be read"]),
])
def test_broken_translation_files_are_errors_with_line_and_field(project, en, lang, expected):
    p = _project(project, en)
    r = p.cchc("check", "--lang", lang)
    assert r.returncode == 1, r.stdout + r.stderr
    mine = [ln for ln in r.stderr.splitlines() if ln.startswith("procedures/1.014331.en.yml")]
    assert len(mine) == len(expected), r.stderr
    for line, start in zip(sorted(mine), sorted(expected)):
        assert line.startswith(start), (line, start)
    assert "Traceback" not in r.stderr


def test_translation_without_original_or_language(project):
    p = _project(project, en=None)
    p.write("procedures/1.014999.en.yml", "ten: Something\n")
    r = p.cchc("check")
    assert r.returncode == 1
    assert ("procedures/1.014999.en.yml: -: bản dịch không có tệp gốc tiếng Việt 'procedures/1.014999.yml'. Tạo tệp gốc "
            "trước, hoặc đổi tên tệp cho khớp (ví dụ '1.014999.en.yml').") in r.stderr
    q = _project(project, languages=False)
    r = q.cchc("check", "--lang", "en")
    assert r.returncode == 1
    assert ("procedures/1.014331.en.yml: -: a translation ('en') but the site has no such language. Add 'languages: en: …' "
            "under '- cchc:' in mkdocs.yml, or rename the file.") in r.stderr


def test_a_broken_vietnamese_file_is_reported_once(project):
    p = _project(project, vi=VI.replace("ngay_cap_nhat: 2026-05-06\n", ""))
    r = p.cchc("check")
    assert r.returncode == 1
    assert "procedures/1.014331.yml:1: ngay_cap_nhat: thiếu trường bắt buộc." in r.stderr
    assert "1.014331.en.yml" not in r.stderr  # its own errors say what to fix; the translation waits


def test_stale_translation_is_a_warning(project):
    en = EN_FILE.replace("ngay_dich: 2026-05-08", "ngay_dich: 2026-04-01")
    site, problems = _load(_project(project, en))
    assert _lines(problems, "procedures/1.014331.en.yml") == [
        "procedures/1.014331.en.yml:2: ngay_dich: cảnh báo: bản dịch ghi ngày 01/04/2026, cũ hơn lần cập nhật tệp tiếng Việt "
        "(06/05/2026). Đối chiếu với procedures/1.014331.yml, sửa bản dịch rồi ghi 'ngay_dich:' ngày sửa; đến lúc đó trang "
        "tiếng Anh báo rằng bản tiếng Việt mới hơn."
    ]
    assert site.data["procedures"].translations["en"]["1.014331"].stale


def test_markdown_problems_of_translated_text_point_at_the_translation(project):
    en = EN_FILE.replace("      - Submit the application form.\n", "      - Submit the [application form](mau-don.docx).\n")
    p = _project(project, en)
    r = p.cchc("check", "--lang", "en")
    mine = [ln for ln in (r.stdout + r.stderr).splitlines() if "mau-don.docx" in ln]
    assert mine and all(ln.startswith("procedures/1.014331.en.yml:10:") for ln in mine), r.stdout + r.stderr


# --- pages -------------------------------------------------------------------------------------


def _switch(soup) -> dict:
    return {a["hreflang"]: a["href"] for a in soup.select(".md-select__link[hreflang]")}


def test_english_page_marks_untranslated_text_and_shows_the_official_name(project):
    en = EN_FILE.replace("ngay_dich: 2026-05-08", "ngay_dich: 2026-04-01")
    p = _project(project, en)
    p.set_plugin(don_vi={**p.config["plugins"][0]["cchc"]["don_vi"], "en": {"ten": "Test Regional Health Centre"}})
    r = p.build()
    assert r.ok, r.output
    soup = r.soup("en/procedures/1-014331/index.html")
    assert soup.html["lang"] == "en" and soup.h1.get_text() == "Issuing a birth certificate"
    official = soup.select_one(".cchc-tthc-official")
    assert official.select_one("[lang=vi]").get_text() == "Cấp Giấy chứng sinh"
    # Untranslated words are Vietnamese, and say so; translated ones do not.
    marked = [e.get_text(" ", strip=True) for e in soup.select(".cchc-tthc [lang=vi]")]
    assert "Quầy tiếp nhận hồ sơ, tầng 2, nhà B" in marked and "Giấy chứng sinh" in marked
    assert not any("Submit" in m for m in marked)
    notes = soup.select_one(".cchc-notice").get_text(" ", strip=True)
    assert "Some parts have not been translated yet" in notes
    assert "The Vietnamese version was updated on 6 May 2026, after this translation (1 April 2026)" in notes
    text = soup.select_one(".cchc-tthc").get_text(" ", strip=True)
    for words in ("Step 1 Prepare your documents", "Case 1: A baby born outside a health facility", "5 working days",
                  "3–5 working days", "Charge: VND 30,000", "Each time", "15 September 2025", "Last updated 6 May 2026",
                  "Test Regional Health Centre"):
        assert words in text, words
    # The in-page list of the steps, in English, to sections of this page.
    nav = soup.select_one("article nav.cchc-steps-nav")
    assert nav["aria-label"] == "Steps" and nav.select_one(".cchc-steps-nav__title").get_text(strip=True) == "Steps"
    links = nav.select("ol > li > a")
    assert [a.get_text(" ", strip=True) for a in links] == [
        "Step 1: Prepare your documents", "Step 2: Submit the application", "Step 3: Processing time and fees",
        "Step 4: What happens next", "Step 5: Get the result", "About this procedure"]
    assert all(a["href"].startswith("#") and len(soup.find_all(id=a["href"][1:])) == 1 for a in links)
    assert _switch(soup) == {"vi": "../../../thu-tuc/1-014331/", "en": "./"}
    assert _switch(r.soup("thu-tuc/1-014331/index.html"))["en"] == "../../en/procedures/1-014331/"
    # Printing: the sheet header, address and QR code are the English page's.
    assert soup.select_one(".cchc-print-head__url").get_text() == "https://cchc.thu-nghiem.example/en/procedures/1-014331/"
    from bs4 import BeautifulSoup

    from cchc.procedures.qr import svg

    url = "https://cchc.thu-nghiem.example/en/procedures/1-014331/"
    code = soup.select_one(".cchc-print-head__qr svg")
    assert code["aria-label"] == f"Scan for the latest version: {url}"
    assert code.path["d"] == BeautifulSoup(svg(url, "x"), "lxml").path["d"]  # the code encodes the English address
    sheet = r.soup("en/procedures/print/index.html")
    assert sheet.html["lang"] == "en" and sheet.select("section.cchc-print-sheet h2")[0].get_text() == "1. Issuing a birth certificate"


def test_omit_mode(project):
    p = _project(project)
    p.write("procedures/1.014128.yml", VI.replace('"1.014331"', '"1.014128"').replace("Cấp Giấy chứng sinh", "Cấp bản tóm tắt hồ sơ bệnh án"))
    r = p.build()
    assert r.ok, r.output
    assert not (r.site / "en/procedures/1-014128").exists()
    assert _switch(r.soup("thu-tuc/1-014128/index.html"))["en"] == "../../en/procedures/"
    listing = r.soup("en/procedures/index.html")
    assert [a.get_text() for a in listing.select(".cchc-tthc-list a")] == ["Issuing a birth certificate"]
    assert "1 of the 2 administrative procedures" in listing.get_text()
    assert _switch(listing) == {"vi": "../../thu-tuc/", "en": "./"}


def test_notice_mode(project):
    p = _project(project, untranslated="notice")
    p.write("procedures/1.014128.yml", VI.replace('"1.014331"', '"1.014128"').replace("Cấp Giấy chứng sinh", "Cấp bản tóm tắt hồ sơ bệnh án"))
    r = p.build()
    assert r.ok, r.output
    notice = r.soup("en/procedures/1-014128/index.html")
    assert notice.html["lang"] == "en" and notice.h1["lang"] == "vi" and notice.h1.get_text() == "Cấp bản tóm tắt hồ sơ bệnh án"
    assert "This procedure is available in Vietnamese only" in notice.get_text()
    assert notice.select_one("a.md-button[hreflang=vi]")["href"] == "../../../thu-tuc/1-014128/"
    assert _switch(notice) == {"vi": "../../../thu-tuc/1-014128/", "en": "./"}
    assert _switch(r.soup("thu-tuc/1-014128/index.html"))["en"] == "../../en/procedures/1-014128/"
    listing = r.soup("en/procedures/index.html")
    rows = {a.get_text(): a for a in listing.select(".cchc-tthc-list td a")}
    assert set(rows) == {"Issuing a birth certificate", "Cấp bản tóm tắt hồ sơ bệnh án"}
    assert rows["Cấp bản tóm tắt hồ sơ bệnh án"].span["lang"] == "vi"
    assert "(in Vietnamese only)" in rows["Cấp bản tóm tắt hồ sơ bệnh án"].parent.get_text()


def test_no_english_procedure_no_english_section(project):
    p = _project(project, en=None)
    r = p.build()
    assert r.ok, r.output
    assert not (r.site / "en/procedures").exists()
    assert _switch(r.soup("thu-tuc/index.html"))["en"] == "../en/"
    assert _switch(r.soup("thu-tuc/1-014331/index.html"))["en"] == "../../en/"


# --- plans -------------------------------------------------------------------------------------

PLAN = """\
id: kh-2026
ten: Truyền thông công tác cải cách hành chính năm 2026
nam: 2026
so_ky_hieu: 45/KH-TTYT
don_vi_ban_hanh: Trung tâm Y tế khu vực Thử Nghiệm
ngay_ban_hanh: 2026-03-05
phan:
  - so: I
    tieu_de: MỤC ĐÍCH, YÊU CẦU
    noi_dung: Nâng cao nhận thức về cải cách hành chính.
  - so: II
    tieu_de: KINH PHÍ
    noi_dung: Theo quy định.
phu_luc:
  - tieu_de: CHỈ TIÊU
    nhiem_vu:
      - stt: "1.1"
        noi_dung: Tin bài trên trang của Trung tâm
        so_luong: "5"
        thoi_gian: Hàng tháng
chi_tieu:
  - ma: CT1
    mo_ta: 05 tin, bài mỗi tháng
    kenh: website_don_vi
    so_luong_toi_thieu: 5
    chu_ky: thang
    nhiem_vu: "1.1"
"""


def _plan_project(project, en: str, untranslated: str = "omit"):
    p = project()
    p.set_plugin(languages={"en": {**EN["en"], "untranslated": untranslated}})
    p.write("plans/kh-2026.yml", PLAN)
    p.write("plans/kh-2026.en.yml", en)
    return p


def test_plan_with_a_summary_only_links_to_the_vietnamese_text(project):
    p = _plan_project(project, "ten: Administrative reform communication plan 2026\ntom_tat: |\n  Five news items a month.\n")
    r = p.build()
    assert r.ok, r.output
    soup = r.soup("en/plans/kh-2026/index.html")
    assert soup.html["lang"] == "en" and soup.h1.get_text(" ", strip=True) == "Administrative reform communication plan 2026"
    assert soup.select_one(".cchc-doc-official [lang=vi]").get_text() == "Kế hoạch Truyền thông công tác cải cách hành chính năm 2026"
    assert "Five news items a month." in soup.select_one(".cchc-doc-summary").get_text()
    assert not soup.select(".cchc-doc-summary [lang=vi]")
    assert not soup.select(".cchc-doc-section")  # the document itself is not translated: not shown
    links = {a["href"]: a.get("hreflang") for a in soup.select("article a")}
    assert links["../../../ke-hoach/kh-2026/"] == "vi" and links["../../../ke-hoach/kh-2026/tien-do/"] == "vi"
    quota = soup.select_one("tr[data-quota=CT1]")
    assert quota.th.select_one("[lang=vi]").get_text() == "05 tin, bài mỗi tháng"
    assert "At least 5 per period (month)" in quota.get_text()
    # The progress page stays Vietnamese; its switcher goes to the English plan, which links back to the plan.
    assert _switch(r.soup("ke-hoach/kh-2026/tien-do/index.html"))["en"] == "../../../en/plans/kh-2026/"
    assert _switch(soup)["vi"] == "../../../ke-hoach/kh-2026/"
    index = r.soup("en/plans/index.html")
    assert [a.get_text() for a in index.select(".cchc-plan-card__title a")] == ["Administrative reform communication plan 2026"]


def test_plan_sections_translated_in_part(project):
    en = textwrap.dedent("""\
        ten: Administrative reform communication plan 2026
        tom_tat: Five news items a month.
        phan:
          - tieu_de: PURPOSE AND REQUIREMENTS
            noi_dung: Raise awareness of administrative reform.
          - ~
        phu_luc:
          - nhiem_vu:
              - stt: "1.1"
                noi_dung: News on the Centre's website
                thoi_gian: Every month
        """)
    r = _plan_project(project, en).build()
    assert r.ok, r.output
    soup = r.soup("en/plans/kh-2026/index.html")
    headings = [h.get_text(" ", strip=True) for h in soup.select(".cchc-doc-section > h2")]
    assert headings == ["I. PURPOSE AND REQUIREMENTS", "II. KINH PHÍ"]
    assert soup.select(".cchc-doc-section > h2")[1].select_one("[lang=vi]").get_text() == "KINH PHÍ"
    row = soup.select_one("tr#nv-1-1")
    assert "News on the Centre's website" in row.get_text() and "Every month" in row.get_text()
    assert not row.select("[lang=vi]")  # "5" has no words to mark
    assert soup.select_one(".cchc-doc-appendix__title [lang=vi]").get_text() == "CHỈ TIÊU"


def test_plan_translation_errors(project):
    p = _plan_project(project, "ten: Plan 2026\nphan:\n  - tieu_de: PURPOSE\n")
    r = p.cchc("check", "--lang", "en")
    assert r.returncode == 1
    assert "plans/kh-2026.en.yml:1: tom_tat: required field is missing. Add a line 'tom_tat: …'" in r.stderr
    p = _plan_project(project, "ten: Plan 2026\ntom_tat: Summary.\nphan:\n  - tieu_de: PURPOSE\n")
    r = p.cchc("check", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert ("plans/kh-2026.en.yml:3: phan: warning: list 'phan' has 1 entries, but the Vietnamese file plans/kh-2026.yml "
            "(line 7) has 2.") in r.stderr


# --- `cchc translate`: a file to fill in ---------------------------------------------------------


def test_translate_writes_a_file_to_fill_in_that_stays_valid_at_every_step(project):
    import shutil

    from conftest import REPO

    p = _project(project, en=None)
    for name in ("1.014331.yml", "1.014527.yml"):
        shutil.copy(REPO / "procedures" / name, p.root / "procedures" / name)
    (p.root / "plans").mkdir(exist_ok=True)
    shutil.copy(REPO / "plans" / "kh-tt-cchc-2026.yml", p.root / "plans" / "kh-tt-cchc-2026.yml")
    for src in ("procedures/1.014527.yml", "plans/kh-tt-cchc-2026.yml"):
        r = p.cchc("translate", src, "--now", "2026-06-01")
        assert r.returncode == 0, r.stderr
        assert "Đã tạo" in r.stdout
    text = (p.root / "procedures/1.014527.en.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/procedure-translation.schema.json\n")
    assert "# Đề nghị mang thai hộ vì mục đích nhân đạo\nten: \"\"\nngay_dich: 2026-06-01\n" in text
    assert "ma_tthc: '1.014527'" in text and "  - ~" in text
    # Until the name is written, the build says so at its line; then it is valid, everything else in Vietnamese.
    r = p.cchc("check")
    assert r.returncode == 1
    assert "procedures/1.014527.en.yml:7: ten: không được để trống." in r.stderr
    assert "plans/kh-tt-cchc-2026.en.yml:" in r.stderr and "tom_tat: không được để trống." in r.stderr
    for rel, fill in (("procedures/1.014527.en.yml", {'ten: ""': "ten: Request for humanitarian surrogacy"}),
                      ("plans/kh-tt-cchc-2026.en.yml", {'ten: ""': "ten: Reform communication 2026", 'tom_tat: ""': "tom_tat: Summary."})):
        path = p.root / rel
        t = path.read_text(encoding="utf-8")
        for a, b in fill.items():
            t = t.replace(a, b, 1)
        path.write_text(t, encoding="utf-8")
    site, problems = _load(p)
    assert not problems.errors and not problems.warnings, problems.format()
    tr = site.data["procedures"].translations["en"]["1.014527"]
    assert tr.translated == {("ten",)} and tr.model.cac_truong_hop == site.data["procedures"].get("1.014527").model.cac_truong_hop
    # A step translated in the file shows; the others stay Vietnamese.
    path = p.root / "procedures/1.014527.en.yml"
    t = path.read_text(encoding="utf-8")
    first_step = t.index("cac_buoc:")
    t = t[:first_step] + t[first_step:].replace("- ~", "- Submit the application.", 1)
    path.write_text(t, encoding="utf-8")
    site, problems = _load(p)
    assert not problems.warnings, problems.format()
    tr = site.data["procedures"].translations["en"]["1.014527"]
    assert tr.model.trinh_tu_thuc_hien[0].cac_buoc[0] == "Submit the application."
    r = p.cchc("translate", "procedures/1.014527.yml")
    assert r.returncode == 1 and "đã có" in r.stderr  # never overwrites a translation without --force


def test_plans_notice_mode(project):
    p = _plan_project(project, "ten: Administrative reform communication plan 2026\ntom_tat: Five news items a month.\n",
                      untranslated="notice")
    p.write("plans/kh-2025.yml", PLAN.replace("id: kh-2026", "id: kh-2025").replace("nam: 2026", "nam: 2025")
            .replace("2026-03-05", "2025-03-05").replace("năm 2026", "năm 2025"))
    r = p.build()
    assert r.ok, r.output
    notice = r.soup("en/plans/kh-2025/index.html")
    assert notice.html["lang"] == "en" and notice.h1["lang"] == "vi"
    assert "This plan is available in Vietnamese only" in notice.get_text()
    assert _switch(notice) == {"vi": "../../../ke-hoach/kh-2025/", "en": "./"}
    assert _switch(r.soup("ke-hoach/kh-2025/tien-do/index.html"))["en"] == "../../../en/plans/kh-2025/"
    cards = r.soup("en/plans/index.html").select(".cchc-plan-card__title")
    assert [c.a.get_text() for c in cards] == ["Administrative reform communication plan 2026", "Kế hoạch Truyền thông công tác cải cách hành chính năm 2025"]
    assert cards[1].a.span["lang"] == "vi" and "(in Vietnamese only)" in cards[1].get_text()


def test_a_broken_link_in_procedure_or_plan_text_stops_the_build(project):
    """Texts are rendered while the content is checked, so `mkdocs build` stops before writing anything."""
    en = EN_FILE.replace("      - Submit the application form.\n", "      - Submit the [application form](mau-don.docx).\n")
    p = _project(project, en)
    p.write("plans/kh-2026.yml", PLAN.replace("Nâng cao nhận thức về cải cách hành chính.",
                                              "Xem [kế hoạch của Sở](khong-co.pdf)."))
    r = p.build()
    assert r.returncode == 1
    lines = [ln.removeprefix("ERROR   -  ") for ln in r.stderr.splitlines()]
    assert any(ln.startswith("procedures/1.014331.en.yml:10: ") and "liên kết tới 'mau-don.docx' không tồn tại." in ln
               for ln in lines), r.stderr
    assert any(ln.startswith("plans/kh-2026.yml:10: ") and "liên kết tới 'khong-co.pdf' không tồn tại." in ln
               for ln in lines), r.stderr
    assert not (p.root / "site" / "index.html").exists()


FULL_EN = EN_FILE + """\
co_quan:
  thuc_hien:
    - ten: Health facility
tai_don_vi:
  noi_tiep_nhan: Reception desk, 2nd floor, building B
ket_qua:
  - ten: Birth certificate
quyet_dinh_cong_bo:
  - co_quan: Ministry of Health
"""


@pytest.mark.parametrize("field_translated", [False, True])
def test_a_page_with_only_its_field_name_in_vietnamese_says_it_is_partly_translated(project, field_translated):
    en = FULL_EN + ('linh_vuc: {ten: "Population, mothers and children"}\n' if field_translated else "")
    site, problems = _load(_project(project, en=en))
    assert not problems.errors, problems.format()
    page = next(p for p in site.pages() if p.url == "en/procedures/1-014331/")
    view = page.context["proc"]
    assert ('lang="vi"' in str(view.field_label)) is not field_translated
    assert view.partial is not field_translated  # the page's notice: some texts are shown in Vietnamese
