"""`cchc import-tthc`: national portal JSON -> procedure YAML, on real and hand-written records."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from cchc.modeling import validate
from cchc.problems import Problems
from cchc.procedures.importer import ImportError_, convert, dump, import_record, merge, split_steps, unwrap
from cchc.procedures.model import Procedure
from cchc.yamlsrc import load_yaml

REPO = Path(__file__).resolve().parent.parent
PORTAL = REPO / "tests" / "fixtures" / "procedures" / "portal"
SHIPPED = Path("/work/shared/data/dvcqg/1.014331.json")
TODAY = date(2026, 5, 6)


def shipped() -> dict:
    path = SHIPPED if SHIPPED.is_file() else PORTAL / "1.014331.json"
    return json.loads(path.read_text(encoding="utf-8"))


def as_model(data: dict) -> Procedure:
    """The YAML the importer writes must pass the same checks as a hand-written file."""
    problems = Problems()
    located = load_yaml(dump(data), "x.yml", problems)
    model = validate(Procedure, located, problems)
    assert model is not None and not problems.has_errors(), problems.format()
    return model


# --- the shipped record ------------------------------------------------------------


def test_shipped_record_fields():
    d = convert(shipped(), TODAY)
    m = as_model(d)
    assert m.ma_tthc == "1.014331" and m.ten == "Cấp Giấy chứng sinh"
    assert (m.linh_vuc.ten, m.linh_vuc.ma) == ("Dân số, Bà mẹ - Trẻ em", "G18-YT02")
    assert m.cap_thuc_hien == ["co_quan_khac"] and m.loai_tthc == "tieu_chuan"
    assert m.co_quan.thuc_hien[0].ma == "H21.19.100"
    # decision: number only in procedureProposal; 1757894400000 ms = 2025-09-15 00:00 UTC
    q = m.quyet_dinh_cong_bo[0]
    assert (q.so, q.ngay, q.co_quan, q.loai_thay_doi) == ("2922/QĐ-BYT", date(2025, 9, 15), "Bộ Y tế", "moi_ban_hanh")
    assert m.nguon.ngay_cap_nhat_dvcqg == date(2026, 5, 6)  # updatedAt 1778034165403
    assert m.nguon.url_dvcqg == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bff-3d1e-70ef-946d-a8702ab0bc8b"
    assert [s.ma_dvc for s in m.dich_vu_cong] == ["1.014331.01"]
    # the note "Mô tả đối tượng thực hiện\t\n…" becomes the subjects' description
    assert m.mo_ta_doi_tuong == "Người mẹ hoặc người cha hoặc thân nhân của trẻ"
    assert m.ghi_chu is None


def test_shipped_record_cases_link_every_section():
    m = as_model(convert(shipped(), TODAY))
    assert [c.ma for c in m.cac_truong_hop] == ["1", "2"]
    assert m.cac_truong_hop[1].ten == "Cấp giấy chứng sinh cho trường hợp trẻ sinh ra do thực hiện kỹ thuật mang thai hộ"
    # the dossier titles ("Đối với trường hợp …:") are matched to the step cases
    assert sorted(g.truong_hop for g in m.thanh_phan_ho_so) == ["1", "2"]
    by_case = {c.truong_hop: c.thoi_han.so for c in m.cach_thuc_thuc_hien}
    assert by_case == {"1": 5, "2": 3}
    assert {k.ma: k.truong_hop for k in m.ket_qua} == {"KQ.G18.000307": "1", "KQ.G18.000308": "2"}
    assert m.ket_qua[0].ten.startswith("Giấy chứng sinh theo mẫu số 1")


def test_shipped_record_steps_split():
    m = as_model(convert(shipped(), TODAY))
    case1 = [s for s in m.trinh_tu_thuc_hien if s.truong_hop == "1"]
    assert len(case1) == 1 and len(case1[0].cac_buoc) == 2
    assert case1[0].cac_buoc[0].startswith("Trong thời hạn 30 ngày")
    # the sentence after step 2 stays with step 2, as its own paragraph
    assert case1[0].cac_buoc[1].endswith("thì không cấp giấy chứng sinh.")
    assert "\n\nTrường hợp không xác minh" in case1[0].cac_buoc[1]
    # case 2 holds two situations, each with its own steps 1–2
    case2 = [s for s in m.trinh_tu_thuc_hien if s.truong_hop == "2"]
    assert [len(s.cac_buoc) for s in case2] == [2, 2]
    assert case2[0].tinh_huong.startswith("Nếu trẻ sinh ra tại cơ sở khám bệnh, chữa bệnh thực hiện kỹ thuật mang thai hộ")
    assert case2[1].tinh_huong.startswith("Nếu trẻ sinh ra tại cơ sở khám bệnh, chữa bệnh không phải")


def test_shipped_record_text_cleaned():
    d = convert(shipped(), TODAY)
    def strings(x):
        if isinstance(x, dict):
            for v in x.values():
                yield from strings(v)
        elif isinstance(x, list):
            for v in x:
                yield from strings(v)
        elif isinstance(x, str):
            yield x

    values = list(strings(d))
    assert not [v for v in values if "  " in v or "\t" in v or "\u00a0" in v]
    assert all(unicodedata.is_normalized("NFC", v) for v in values)
    legal = {x["so_ky_hieu"]: x for x in d["can_cu_phap_ly"]}
    assert "của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch" in legal["123/2015/NĐ-CP"]["trich_yeu"]
    assert legal["123/2015/NĐ-CP"]["ngay_ban_hanh"] == "2015-11-15"
    assert legal["22/2025/TT-BYT"]["ngay_ban_hanh"] == "2025-06-28"
    assert "ngay_ban_hanh" not in legal["63/2024/NĐ-CP"]  # no date written in its name


@pytest.mark.parametrize("name", ["1.014128", "1.014332", "1.014527"])
def test_real_records_never_seen_before(name):
    """Other real records of the same portal, as fetched: they convert to valid procedures."""
    rec = json.loads((PORTAL / f"{name}.json").read_text(encoding="utf-8"))
    m = as_model(convert(rec, TODAY))
    assert m.ma_tthc == name and m.trinh_tu_thuc_hien and m.cach_thuc_thuc_hien and m.quyet_dinh_cong_bo


def test_record_with_wrapped_lines_and_appointment_time():
    rec = json.loads((PORTAL / "1.014128.json").read_text(encoding="utf-8"))
    m = as_model(convert(rec, TODAY))
    steps = m.trinh_tu_thuc_hien[0].cac_buoc
    # the PDF line wraps are undone: one sentence per step, no paragraph break mid-sentence
    assert steps[0].startswith("Người bệnh hoặc người đại diện của người bệnh nếu có nhu cầu cấp bản tóm tắt")
    assert "\n" not in steps[0]
    # "processingTime 0, unit OTHER": no number, the text says "theo giấy hẹn"
    assert {c.hinh_thuc for c in m.cach_thuc_thuc_hien} == {"truc_tiep", "buu_chinh"}
    assert all(c.thoi_han.so is None and c.thoi_han.don_vi == "khac" for c in m.cach_thuc_thuc_hien)
    assert "giấy hẹn" in m.cach_thuc_thuc_hien[0].thoi_han.mo_ta
    q = m.quyet_dinh_cong_bo[0]
    assert (q.so, q.ngay) == ("2294/QĐ-BYT", date(2025, 7, 10))


def test_fee_without_amount_and_numbered_note():
    rec = json.loads((PORTAL / "1.014527.json").read_text(encoding="utf-8"))
    m = as_model(convert(rec, TODAY))
    fee = m.cach_thuc_thuc_hien[0].phi_le_phi[0]
    assert fee.so_tien is None and fee.loai == "phi"  # value 0 + a description = amount not entered
    assert fee.mo_ta.startswith("Theo quy định của cơ sở khám bệnh")
    assert m.mo_ta_doi_tuong == "Cặp vợ chồng vô sinh và người mang thai hộ"
    assert m.mo_ta_co_quan.startswith("Cơ sở khám bệnh, chữa bệnh được phép")
    # "a) …" / "b) …" items are kept as separate paragraphs of step 3
    assert "\n\na) Thực hiện" in m.trinh_tu_thuc_hien[0].cac_buoc[2]


# --- a hand-written record that exercises every branch --------------------------------

NFD_NAME = unicodedata.normalize("NFD", "Cấp  giấy   chứng nhận\u00a0thử nghiệm")


def synthetic() -> dict:
    return {
        "id": "00000000-0000-0000-0000-000000000001",
        "code": "2.000986",
        "name": NFD_NAME,
        "description": "Mô tả riêng của thủ tục.",
        "requirementsAndConditions": "Người nộp phải đủ 18 tuổi.\n\n\nKhông nợ phí.",
        "state": "UPDATED",
        "type": "SPECIFIC",
        "isWard": True, "isProvince": True, "isVertical": True, "isFullProcess": True,
        "categoriesDetails": [{"name": "Bảo hiểm y tế", "code": "G18-YT26"}, {"name": "Khác", "code": "X"}],
        "departmentPromulgateName": "Ủy ban nhân dân tỉnh Mẫu",
        "subjectTypesDetails": [{"name": "Công dân Việt Nam", "code": "ĐT1"}, {"name": "", "code": "X"}],
        "departmentsExecuting": [],
        "executingAgencies": "Trạm Y tế xã, Trung tâm Y tế khu vực",
        "departmentsCoordinating": [{"name": "Bảo hiểm xã hội tỉnh", "code": "BHXHT"}],
        "dossierReceivingAddresses": "Bộ phận Một cửa",
        "note": "Lưu ý: dinh dƣỡng và  thông tin đƣợc cập nhật.",
        "keywords": "BHYT, thẻ bảo hiểm; KCB",
        "executionSteps": [
            {"name": "Trường hợp 1: Nộp lần đầu",
             "description": "Chuẩn bị trước khi nộp.\nBước 1: Nộp hồ sơ. Bước 2: Nhận giấy hẹn; Bước 3: Nhận kết quả."},
            {"name": "Trường hợp 2: Nộp lại",
             "description": "- Nộp tờ khai\n- Nhận kết quả"},
            {"name": "Trường hợp cấp đổi",
             "description": "Bước 1. Nộp thẻ cũ.\nBước 3. Nhận thẻ mới."},
            {"name": "Trường hợp 4: Không có bước", "description": "Thực hiện theo hướng dẫn của cán bộ tiếp nhận."},
        ],
        "executionMethods": [
            {"submissionMethod": "ONLINE", "processingTime": 2.5, "processingTimeUnit": "DAY",
             "description": "Trường hợp 1: nộp trên Cổng", "fees": [
                 {"type": "FEE", "value": 500000, "currencyName": "VNĐ", "description": "/hồ sơ"},
                 {"type": "CHARGE", "value": "1.500.000", "description": "Từ ngày 01 tháng 7 năm 2025 đến hết ngày 31 tháng 12 năm 2026 áp dụng mức giảm"},
             ]},
            {"submissionMethod": "POSTAL", "processingTime": 1, "processingTimeUnit": "MONTH", "description": "",
             "fees": [{"type": "SERVICE_FEE", "value": 30, "currencyName": "USD", "description": "từ ngày 01/01/2026 đến ngày 30/6/2026"}]},
            {"submissionMethod": "DIRECT", "processingTime": 4, "processingTimeUnit": "HOUR", "description": "Trường hợp 9: không có",
             "fees": [{"type": "WEIRD", "value": None}]},
            {"submissionMethod": "FAX", "processingTime": 1, "processingTimeUnit": "DAY"},
            {"submissionMethod": "DIRECT", "processingTime": 1, "processingTimeUnit": "FORTNIGHT"},
        ],
        "executionCases": [
            {"name": "* Giấy tờ phải xuất trình:", "profileComponents": [
                {"name": "Căn cước", "code": "C1", "originalQty": 1, "copyQty": 0, "required": True, "attachments": []}]},
            {"name": "Đối với trường hợp nộp lại:", "profileComponents": [
                {"name": "Tờ khai  cũ", "originalQty": None, "copyQty": 2,
                 "attachments": [{"fileName": "To khai.docx", "filePath": "configuring/abc/To khai.docx"}, {"fileName": ""}]},
                {"name": "", "originalQty": 1}]},
            {"name": "Trường hợp phát sinh ngoài các bước", "profileComponents": [{"name": "Giấy tờ khác", "originalQty": 1, "copyQty": 0}]},
            {"name": "", "profileComponents": []},
        ],
        "resultsDetails": [{"name": "Trường hợp 1: Thẻ mới", "code": "KQ1"}, {"name": "Giấy hẹn", "code": ""}],
        "legalBasisesDetails": [
            {"name": "Thông tư số 01/2025/TT-BYT ngày 01 tháng 01 năm 2025 hướng dẫn", "code": "01/2025/TT-BYT"},
            {"name": "", "code": "99/2024/QH15"},
            {"name": "Văn bản không có số", "code": ""},
            {"name": "Thông tư số 02/2025/TT-BYT ngày 31/02/2025 (ngày sai)", "code": "02/2025/TT-BYT"},
        ],
        "cases": [{"code": "2.000986.01", "name": "Dịch vụ 1"}, {"code": "bad"}],
        "procedureRelatedGroup": [{"procedures": [{"codeNotation": "1.001193", "name": "Đăng ký khai sinh"}, {"code": "x"}]}, "1.000656"],
        "returningMethods": ["AT_HOME", "ONLINE", "PIGEON"],
        "procedureProposal": {"proposalNumber": "15/QĐ-UBND", "decisionDate": 1767225600000,
                              "issuingAgency": {"name": "Ủy ban nhân dân tỉnh Mẫu"}},
        "updatedAt": 1767225600000,
    }


def test_synthetic_record_every_branch():
    notes: list[str] = []
    d = convert(synthetic(), TODAY, notes)
    m = as_model(d)
    # text cleaning: NFC, NBSP and runs of spaces, "ƣ" -> "ư"
    assert m.ten == "Cấp giấy chứng nhận thử nghiệm" and unicodedata.is_normalized("NFC", m.ten)
    assert m.ghi_chu == "Lưu ý: dinh dưỡng và thông tin được cập nhật."
    assert m.yeu_cau_dieu_kien == "Người nộp phải đủ 18 tuổi.\n\nKhông nợ phí."
    assert m.mo_ta == "Mô tả riêng của thủ tục."
    assert m.cap_thuc_hien == ["cap_tinh", "cap_xa"] and m.loai_tthc == "dac_thu" and m.nganh_doc is True
    assert m.linh_vuc.ten == "Bảo hiểm y tế" and any("nhiều lĩnh vực" in n for n in notes)
    assert [s.ten for s in m.doi_tuong_thuc_hien] == ["Công dân Việt Nam"]
    assert [a.ten for a in m.co_quan.thuc_hien] == ["Trạm Y tế xã", "Trung tâm Y tế khu vực"]
    assert m.co_quan.phoi_hop[0].ma == "BHXHT"
    assert m.dia_chi_tiep_nhan == "Bộ phận Một cửa"
    assert m.tu_khoa == ["BHYT", "thẻ bảo hiểm", "KCB"]
    # cases: numbered, unnumbered, and new ones met in later sections
    keys = {c.ma: c.ten for c in m.cac_truong_hop}
    assert keys["1"] == "Nộp lần đầu" and keys["2"] == "Nộp lại" and keys["3"] == "Trường hợp cấp đổi"
    steps = {s.truong_hop: s for s in m.trinh_tu_thuc_hien}
    assert steps["1"].mo_ta == "Chuẩn bị trước khi nộp."
    assert steps["1"].cac_buoc == ["Nộp hồ sơ.", "Nhận giấy hẹn;", "Nhận kết quả."]  # split inside one line
    assert steps["2"].cac_buoc == ["Nộp tờ khai", "Nhận kết quả"]  # bullets without "Bước"
    assert steps["3"].cac_buoc == ["Bước 1. Nộp thẻ cũ.", "Bước 3. Nhận thẻ mới."]  # numbering kept when not 1, 2, 3
    assert steps["4"].cac_buoc == ["Thực hiện theo hướng dẫn của cán bộ tiếp nhận."]
    # methods: units, fractional time, fees, validity, currencies, unknown values noted
    online, postal, direct, odd = m.cach_thuc_thuc_hien  # the FAX method is skipped
    assert (online.hinh_thuc, online.truong_hop, online.thoi_han.so, online.thoi_han.don_vi) == ("truc_tuyen", "1", 2.5, "ngay")
    assert [(f.loai, f.so_tien) for f in online.phi_le_phi] == [("phi", 500000), ("le_phi", 1500000)]
    assert (online.phi_le_phi[1].hieu_luc_tu, online.phi_le_phi[1].hieu_luc_den) == (date(2025, 7, 1), date(2026, 12, 31))
    assert (postal.thoi_han.don_vi, postal.phi_le_phi[0].don_vi_tien, postal.phi_le_phi[0].so_tien) == ("thang", "USD", 30)
    assert postal.phi_le_phi[0].hieu_luc_den == date(2026, 6, 30)
    assert direct.thoi_han.don_vi == "gio" and direct.truong_hop is None  # "Trường hợp 9" is not a declared case
    assert direct.phi_le_phi[0].loai == "khac" and direct.phi_le_phi[0].so_tien is None
    assert any("WEIRD" in n for n in notes) and any("FAX" in n for n in notes) and any("FORTNIGHT" in n for n in notes)
    assert (odd.thoi_han.don_vi, odd.thoi_han.so) == ("khac", None)  # unknown unit: kept, flagged
    # dossier: groups "phải xuất trình", a case found by its words, an unknown case declared
    groups = m.thanh_phan_ho_so
    assert groups[0].nhom == "phai_xuat_trinh" and groups[0].giay_to[0].bat_buoc is True
    assert groups[1].truong_hop == "2" and groups[1].giay_to[0].ten == "Tờ khai cũ"
    assert (groups[1].giay_to[0].ban_chinh, groups[1].giay_to[0].ban_sao) == (0, 2)
    assert [f.ten for f in groups[1].giay_to[0].mau_don] == ["To khai.docx"]
    assert len(groups[1].giay_to) == 1  # the nameless component is dropped
    assert keys[groups[2].truong_hop] == "Trường hợp phát sinh ngoài các bước"
    assert len(groups) == 3
    # results, legal basis, decision, services, related, delivery
    assert (m.ket_qua[0].ten, m.ket_qua[0].truong_hop) == ("Thẻ mới", "1") and m.ket_qua[1].ma is None
    legal = {x.so_ky_hieu: x for x in m.can_cu_phap_ly}
    assert legal["01/2025/TT-BYT"].ngay_ban_hanh == date(2025, 1, 1)
    assert legal["99/2024/QH15"].trich_yeu is None
    assert "Văn bản không có số" in legal
    assert legal["02/2025/TT-BYT"].ngay_ban_hanh is None  # 31/02 is not a date
    q = m.quyet_dinh_cong_bo[0]
    assert (q.so, q.ngay, q.loai_thay_doi) == ("15/QĐ-UBND", date(2026, 1, 1), "sua_doi_bo_sung")
    assert [(s.ma_dvc, s.muc_do) for s in m.dich_vu_cong] == [("2.000986.01", "toan_trinh")]
    assert [r.ma for r in m.thu_tuc_lien_quan] == ["1.001193", "1.000656"]
    assert m.cach_nhan_ket_qua == ["tai_nha", "truc_tuyen"]


def test_record_without_decision_or_steps_is_reported_not_invented():
    rec = synthetic()
    rec["procedureProposal"] = {}
    rec["decisionNo"] = ""
    rec["executionSteps"] = []
    rec["executionMethods"] = []
    rec["state"] = "SOMETHING_NEW"
    notes: list[str] = []
    d = convert(rec, TODAY, notes)
    assert d["quyet_dinh_cong_bo"] == [] and d["trinh_tu_thuc_hien"] == [] and d["cach_thuc_thuc_hien"] == []
    joined = " | ".join(notes)
    assert "quyết định công bố" in joined and "trình tự" in joined and "cách thức" in joined and "SOMETHING_NEW" in joined


@pytest.mark.parametrize("bad, words", [
    ({"code": "ABC", "name": "x"}, "mã thủ tục hợp lệ"),
    ({"code": "1.014331", "name": ""}, "không có tên"),
])
def test_invalid_records_raise_clear_errors(bad, words):
    with pytest.raises(ImportError_, match=words):
        convert(bad, TODAY)


def test_unwrap_envelopes():
    rec = shipped()
    assert unwrap(rec) == [rec]
    assert unwrap({"data": rec}) == [rec]
    assert unwrap([rec, rec]) == [rec, rec]
    with pytest.raises(ImportError_):
        unwrap("text")


def test_split_steps_edge_cases():
    assert split_steps("") == []
    assert split_steps(None) == []
    # a step label alone on its line takes the following lines as its content
    out = split_steps("Bước 1:\n- a\n- b\nBước 2: xong")
    assert out == [{"cac_buoc": ["- a\n- b", "xong"]}]


# --- re-import ------------------------------------------------------------------------


def test_reimport_keeps_local_fields_and_shows_diff(tmp_path):
    first = import_record(shipped(), str(tmp_path), TODAY)
    assert first["old_text"] is None and first["changed"]
    path = Path(first["path"])
    path.write_text(first["text"], encoding="utf-8")
    # The unit adds its own fields, a provincial decision and a local form file.
    text = first["text"] + (
        "tai_don_vi:\n  noi_tiep_nhan: Quầy tiếp nhận, tầng 1, nhà B\n  gio_tiep_nhan: Thứ Hai – Thứ Sáu, 7h00 – 17h00\n"
        "tu_khoa: [GCS, giấy khai sinh]\n"
        "ghi_chu: Đơn vị tiếp nhận cả ngày thứ Bảy.\n"
    )
    text = text.replace(
        "  loai_thay_doi: moi_ban_hanh\n",
        "  loai_thay_doi: moi_ban_hanh\n- so: 1234/QĐ-UBND\n  ngay: 2025-10-01\n  co_quan: UBND thành phố Đà Nẵng\n  loai_thay_doi: moi_ban_hanh\n",
    )
    text = text.replace("      duong_dan_dvcqg: configuring/019e1f68", "      tep: bieu-mau/to-khai.docx\n      duong_dan_dvcqg: configuring/019e1f68")
    path.write_text(text, encoding="utf-8")

    # Same record again: nothing to change except bookkeeping, so the dates stay.
    again = import_record(shipped(), str(tmp_path), date(2026, 6, 1))
    assert again["data"]["ngay_cap_nhat"] == "2026-05-06"
    # An updated record: time for case 1 goes from 5 to 7 days, a legal basis is added.
    rec = shipped()
    rec["executionMethods"][1]["processingTime"] = 7
    rec["legalBasisesDetails"].append({"name": "Thông tư mới số 09/2026/TT-BYT ngày 02/02/2026", "code": "09/2026/TT-BYT"})
    rec["procedureProposal"]["proposalNumber"] = "999/QĐ-BYT"
    rec["procedureProposal"]["decisionDate"] = 1780272000000  # 2026-06-01
    rec["state"] = "UPDATED"
    res = import_record(rec, str(tmp_path), date(2026, 6, 2))
    assert res["changed"]
    assert "-    so: 5\n" in res["diff"] and "+    so: 7\n" in res["diff"]
    assert "+- so_ky_hieu: 09/2026/TT-BYT" in res["diff"]
    d = res["data"]
    assert d["tai_don_vi"]["noi_tiep_nhan"] == "Quầy tiếp nhận, tầng 1, nhà B"
    assert d["tu_khoa"] == ["GCS", "giấy khai sinh"]
    assert d["ghi_chu"] == "Đơn vị tiếp nhận cả ngày thứ Bảy."
    assert [q["so"] for q in d["quyet_dinh_cong_bo"]] == ["2922/QĐ-BYT", "1234/QĐ-UBND", "999/QĐ-BYT"]
    assert d["quyet_dinh_cong_bo"][-1]["loai_thay_doi"] == "sua_doi_bo_sung"
    forms = [f for g in d["thanh_phan_ho_so"] for doc in g["giay_to"] for f in doc.get("mau_don", [])]
    assert any(f.get("tep") == "bieu-mau/to-khai.docx" for f in forms)
    assert d["ngay_cap_nhat"] == "2026-06-02"
    as_model(d)


def test_merge_without_old_file_is_identity():
    d = convert(shipped(), TODAY)
    assert merge(copy.deepcopy(d), None) == d


def test_cli_creates_updates_and_reports(tmp_path):
    env = dict(os.environ, CCHC_NOW="2026-05-06 09:00")
    src = tmp_path / "rec.json"
    src.write_text(json.dumps({"data": shipped()}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "procedures"
    cmd = [sys.executable, "-m", "cchc.cli", "import-tthc", str(src), "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Đã tạo" in r.stdout and (out / "1.014331.yml").is_file()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "không có thay đổi" in r.stdout
    rec = shipped()
    rec["name"] = "Cấp Giấy chứng sinh (sửa)"
    src.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run(cmd + ["--dry-run"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "+ten: Cấp Giấy chứng sinh (sửa)" in r.stdout and "Sẽ cập nhật" in r.stdout
    assert "(sửa)" not in (out / "1.014331.yml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "cchc.cli", "import-tthc", str(bad), "-o", str(out)],
                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 1 and "JSON không hợp lệ ở dòng 1" in r.stderr and "Traceback" not in r.stderr
