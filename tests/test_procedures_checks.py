"""Every check of procedure files reports `path:line: field: message` in Vietnamese, saying what to write."""

from __future__ import annotations

import re
import unicodedata

import pytest

MINIMAL = """\
ma_tthc: "{code}"
ten: {name}
linh_vuc: {{ten: "Khám bệnh, chữa bệnh", ma: G18-YT07}}
cap_thuc_hien: [co_quan_khac]
co_quan:
  thuc_hien:
    - ten: Cơ sở khám bệnh, chữa bệnh
trinh_tu_thuc_hien:
  - cac_buoc:
      - Nộp giấy đề nghị.
      - Nhận kết quả theo giấy hẹn.
cach_thuc_thuc_hien:
  - hinh_thuc: truc_tiep
    thoi_han: {{so: 3, don_vi: ngay_lam_viec}}
quyet_dinh_cong_bo:
  - so: 2294/QĐ-BYT
    ngay: 2025-07-10
    co_quan: Bộ Y tế
    loai_thay_doi: moi_ban_hanh
ngay_cap_nhat: 2025-08-01
"""


def proc(code="1.014128", name="Cấp bản tóm tắt hồ sơ bệnh án", extra="", replace=None) -> str:
    text = MINIMAL.format(code=code, name=name)
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    return text + extra


def check(project, files: dict[str, str]):
    p = project()
    for name, text in files.items():
        p.write(f"procedures/{name}", text)
    r = p.cchc("check")
    return r.returncode, r.stdout + r.stderr


def lines_of(output: str, path: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith(path + ":")]


def test_valid_file_passes(project):
    code, out = check(project, {"1.014128.yml": proc()})
    assert code == 0, out
    assert "lỗi" in out and "Traceback" not in out


@pytest.mark.parametrize("files, path, line, field, words", [
    # code pattern (quoted, so YAML keeps it as text)
    ({"1.01412.yml": proc(code="1.01412")}, "procedures/1.01412.yml", 1, "ma_tthc", "1 chữ số, dấu chấm và 6 chữ số"),
    # file named by its code
    ({"tom-tat.yml": proc()}, "procedures/tom-tat.yml", 1, "ma_tthc", "Đổi tên tệp thành '1.014128.yml'"),
    # at least one method
    ({"1.014128.yml": proc(replace={"  - hinh_thuc: truc_tiep\n    thoi_han: {so: 3, don_vi: ngay_lam_viec}\n": "  []\n"})},
     "procedures/1.014128.yml", 12, "cach_thuc_thuc_hien", "ít nhất một hình thức nộp"),
    # at least one step, at least one decision
    ({"1.014128.yml": proc(replace={"  - cac_buoc:\n      - Nộp giấy đề nghị.\n      - Nhận kết quả theo giấy hẹn.\n": "  []\n"})},
     "procedures/1.014128.yml", 8, "trinh_tu_thuc_hien", "Thêm 'trinh_tu_thuc_hien:'"),
    ({"1.014128.yml": proc(replace={"  - so: 2294/QĐ-BYT\n    ngay: 2025-07-10\n    co_quan: Bộ Y tế\n    loai_thay_doi: moi_ban_hanh\n": "  []\n"})},
     "procedures/1.014128.yml", 15, "quyet_dinh_cong_bo", "số, ngày, cơ quan ban hành và loai_thay_doi"),
    # fee dates in order
    ({"1.014128.yml": proc(replace={"    thoi_han: {so: 3, don_vi: ngay_lam_viec}\n":
        "    thoi_han: {so: 3, don_vi: ngay_lam_viec}\n    phi_le_phi:\n      - so_tien: 50000\n        hieu_luc_tu: 2026-12-31\n        hieu_luc_den: 2026-01-01\n"})},
     "procedures/1.014128.yml", 18, "cach_thuc_thuc_hien[0].phi_le_phi[0].hieu_luc_den", "có thể bị đảo"),
    # abolished => end date
    ({"1.014128.yml": proc(extra="trang_thai: bi_bai_bo\n")}, "procedures/1.014128.yml", 21, "hieu_luc_den", "Thêm dòng 'hieu_luc_den: …'"),
    # replaced => a replacement, which must exist
    ({"1.014128.yml": proc(replace={"loai_thay_doi: moi_ban_hanh": "loai_thay_doi: thay_the"})},
     "procedures/1.014128.yml", 15, "thay_the_boi", "thay_the_boi: \\\"1.xxxxxx\\\""),
    ({"1.014128.yml": proc(extra='trang_thai: bi_thay_the\nthay_the_boi: "1.999999"\n')},
     "procedures/1.014128.yml", 22, "thay_the_boi", "Thêm tệp procedures/1.999999.yml"),
    ({"1.014128.yml": proc(extra='thay_the_boi: "1.014332"\n')},
     "procedures/1.014128.yml", 21, "thay_the_boi", "trang_thai: bi_thay_the"),
    # every form file exists
    ({"1.014128.yml": proc(extra="thanh_phan_ho_so:\n  - giay_to:\n      - ten: Giấy đề nghị\n        ban_chinh: 1\n        mau_don:\n          - ten: Mẫu số 04\n            tep: bieu-mau/khong-co.docx\n")},
     "procedures/1.014128.yml", 27, "thanh_phan_ho_so[0].giay_to[0].mau_don[0].tep", "Đặt tệp vào thư mục content/"),
    # cases referred to must be declared
    ({"1.014128.yml": proc(replace={"  - hinh_thuc: truc_tiep\n": "  - hinh_thuc: truc_tiep\n    truong_hop: 2\n"})},
     "procedures/1.014128.yml", 14, "cach_thuc_thuc_hien[0].truong_hop", "thêm vào 'cac_truong_hop:'"),
    # service codes follow the procedure code
    ({"1.014128.yml": proc(extra='dich_vu_cong:\n  - ma_dvc: "1.014331.01"\n')},
     "procedures/1.014128.yml", 22, "dich_vu_cong[0].ma_dvc", "Mã dịch vụ công có dạng 1.014128.01"),
    # unknown field, wrong enum value
    ({"1.014128.yml": proc(extra="ten_goi: x\n")}, "procedures/1.014128.yml", 21, "ten_goi", "không được hỗ trợ"),
    ({"1.014128.yml": proc(replace={"hinh_thuc: truc_tiep": "hinh_thuc: qua_mang"})},
     "procedures/1.014128.yml", 13, "cach_thuc_thuc_hien[0].hinh_thuc", "truc_tiep, truc_tuyen, buu_chinh"),
])
def test_errors_name_file_line_field_and_fix(project, files, path, line, field, words):
    code, out = check(project, files)
    assert code == 1, out
    found = lines_of(out, path)
    wanted = [ln for ln in found if ln.startswith(f"{path}:{line}: {field}: ")]
    assert wanted, f"no problem at {path}:{line}: {field}\n{out}"
    assert any(words in ln.replace('"', '\\"') or words in ln for ln in wanted), out
    assert "Traceback" not in out


def test_duplicate_codes(project):
    code, out = check(project, {"1.014128.yml": proc(), "1.014128.yaml": proc()})
    assert code == 1
    assert re.search(r"procedures/1\.014128\.ya?ml:1: ma_tthc: mã thủ tục 1\.014128 đã có ở tệp procedures/1\.014128\.ya?ml\. Mỗi mã chỉ có một tệp", out), out


def test_warning_when_last_update_predates_newest_decision(project):
    text = proc(replace={"ngay_cap_nhat: 2025-08-01": "ngay_cap_nhat: 2025-07-01"})
    code, out = check(project, {"1.014128.yml": text})
    assert code == 0, out  # a warning does not stop the build
    assert "procedures/1.014128.yml:20: ngay_cap_nhat: cảnh báo: ngày cập nhật 01/07/2025 cũ hơn quyết định mới nhất 2294/QĐ-BYT ngày 10/07/2025" in out


def test_unquoted_code_is_recovered_with_a_warning(project):
    # 1.014330 unquoted is the number 1.01433 to YAML: the written code is recovered.
    text = proc(code="1.014330").replace('ma_tthc: "1.014330"', "ma_tthc: 1.014330")
    code, out = check(project, {"1.014330.yml": text})
    assert code == 0, out
    assert "procedures/1.014330.yml:1: ma_tthc: cảnh báo: mã '1.014330' được viết không có ngoặc kép" in out


def test_nfd_text_is_normalised_and_reported(project):
    text = proc(name=unicodedata.normalize("NFD", "Cấp bản tóm tắt hồ sơ bệnh án"))
    p = project()
    p.write("procedures/1.014128.yml", text)
    r = p.cchc("check")
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert re.search(r"procedures/1\.014128\.yml:2: .*cảnh báo: chữ tiếng Việt đang ở dạng tổ hợp \(NFD\)", out), out


def test_yaml_syntax_error_points_at_line(project):
    text = proc().replace("cap_thuc_hien: [co_quan_khac]", "cap_thuc_hien: [co_quan_khac")
    code, out = check(project, {"1.014128.yml": text})
    assert code == 1 and "Traceback" not in out
    assert re.search(r"procedures/1\.014128\.yml:\d+: -: YAML không đọc được", out), out


def test_english_messages(project):
    p = project()
    p.write("procedures/1.014128.yml", proc(extra="trang_thai: bi_bai_bo\n"))
    r = p.cchc("check", "--lang", "en")
    assert "the procedure is abolished but has no end date" in r.stdout + r.stderr


def test_a_rebuild_checks_again_what_depends_on_the_site_and_the_date(project):
    """A procedure's parse and its own rules come from the build cache on a rebuild; a form
    file removed since, or a decision that took effect since, is still reported."""
    p = project()
    p.write("content/bieu-mau/mau-04.docx", b"x" * 100)
    decision = ("  - so: 99/QĐ-BYT\n    ngay: 2026-07-15\n    co_quan: Bộ Y tế\n"
                "    loai_thay_doi: sua_doi_bo_sung\n")
    text = proc(extra="thanh_phan_ho_so:\n  - giay_to:\n      - ten: Giấy đề nghị\n        ban_chinh: 1\n"
                      "        mau_don:\n          - ten: Mẫu số 04\n            tep: bieu-mau/mau-04.docx\n")
    text = text.replace("    loai_thay_doi: moi_ban_hanh\n", "    loai_thay_doi: moi_ban_hanh\n" + decision)
    p.write("procedures/1.014128.yml", text)
    first = p.build(now="2026-06-30 12:00", strict=False)
    assert first.ok, first.output
    assert "ngay_cap_nhat: cảnh báo" not in first.output  # the decision of 15/07 is not in effect yet
    later = p.build(now="2026-07-20 12:00", strict=False)
    assert later.ok, later.output
    assert "procedures/1.014128.yml:24: ngay_cap_nhat: cảnh báo: ngày cập nhật 01/08/2025 cũ hơn quyết định mới nhất 99/QĐ-BYT" in later.output
    (p.root / "content/bieu-mau/mau-04.docx").unlink()
    gone = p.build(now="2026-07-20 12:00", strict=False)
    assert not gone.ok
    assert "procedures/1.014128.yml:31: thanh_phan_ho_so[0].giay_to[0].mau_don[0].tep: " in gone.output, gone.output
    assert "Traceback" not in gone.output


def test_the_light_model_reads_as_the_whole_one_for_its_fields():
    """What every build reads of a procedure (`ProcedureEntry.light`) is the file's, not a
    default: the light copy a rebuild unpickles gives the same values, statuses and decisions
    as the whole model, which is unpickled only when asked."""
    import pickle
    from datetime import date
    from pathlib import Path

    from cchc.procedures.loader import LIGHT_FIELDS, parse_file

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "procedures").glob("*.yml"))
    files = [f for f in files if f.name.count(".") == 2]  # not the translations
    assert len(files) >= 5
    for path in files:
        found, located, lazy, forms, ok = parse_file(str(path), f"procedures/{path.name}")
        assert lazy is not None, found
        whole = lazy.full()
        again = pickle.loads(pickle.dumps(lazy))
        assert not again.loaded
        light = again.light
        for name in LIGHT_FIELDS:
            assert getattr(light, name) == getattr(whole, name), (path.name, name)
        for day in (date(2020, 1, 1), date(2026, 6, 30), date(2030, 1, 1)) + tuple(q.ngay for q in whole.quyet_dinh_cong_bo):
            assert light.status_at(day) == whole.status_at(day)
        assert (light.status, light.in_force, light.newest_decision) == (whole.status, whole.in_force, whole.newest_decision)
        assert not again.loaded  # nothing above read the whole model
        with pytest.raises(AttributeError, match="not among the light fields"):
            light.thanh_phan_ho_so  # a field left out is an error, never a default value
        assert again.full() == whole and again.light.ten == whole.ten
