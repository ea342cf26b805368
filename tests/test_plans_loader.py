"""Plans as data: the model fits the real plans, the schema is generated, and every check
reports `path:line: field: message` in Vietnamese saying what to write instead."""

from __future__ import annotations

import json
import os
import textwrap
from datetime import date
from pathlib import Path

import pytest

from cchc.plans.loader import load_plans
from cchc.plans.model import NgayVanBan, evidence_schema, plan_schema
from cchc.plans.timing import parse_timing
from cchc.problems import Problems

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "plans"
TODAY = date(2026, 5, 20)


def load(tmp_path: Path, files: dict[str, str], categories=None, now=TODAY):
    """Write plans/… files under tmp_path and load them; returns (state, problems)."""
    for rel, text in files.items():
        path = tmp_path / "plans" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # Texts written indented in a test start with a newline; P() texts are ready.
        path.write_text(textwrap.dedent(text).lstrip("\n") if text.startswith("\n") else text, encoding="utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)
    problems = Problems()
    state = load_plans(str(tmp_path / "plans"), docs_dir=str(tmp_path / "content"),
                       rel_path=lambda p: os.path.relpath(p, tmp_path).replace(os.sep, "/"),
                       problems=problems, now=now, categories=categories)
    return state, problems


MINIMAL = """
id: kh-a
ten: Truyền thông CCHC năm 2026
nam: 2026
don_vi_ban_hanh: Trung tâm Y tế A
ngay_ban_hanh: 2026-01-10
"""


def P(extra: str = "", minimal: str = MINIMAL) -> str:
    """The minimal plan followed by `extra` (written indented in the tests)."""
    return minimal.lstrip("\n") + textwrap.dedent(extra).lstrip("\n")


def lines(problems: Problems) -> list[str]:
    return problems.format("vi").split("\n") if len(problems) else []


# --- the real plans ------------------------------------------------------------------------


def test_sample_plans_load_without_any_problem():
    problems = Problems()
    state = load_plans(str(REPO / "plans"), docs_dir=str(REPO / "content"),
                       rel_path=lambda p: os.path.relpath(p, REPO), problems=problems, now=date(2026, 11, 22))
    assert len(problems) == 0, problems.format()
    assert set(state.plans) == {"kh-tt-cchc-2026", "kh-85-ttyt-tu-mo-rong-2025", "kh-429-syt-da-nang-2017"}


def test_seed_000_facts_as_written():
    problems = Problems()
    state = load_plans(str(REPO / "plans"), docs_dir=str(REPO / "content"),
                       rel_path=lambda p: os.path.relpath(p, REPO), problems=problems, now=date(2026, 11, 22))
    plan = state.get("kh-tt-cchc-2026")
    m = plan.model
    # The published copy was not yet numbered nor dated to the day: "Số: /KH-…", "ngày  tháng 3 năm 2026".
    assert m.so_ky_hieu == "/KH-YTSH" and m.ngay_ban_hanh == NgayVanBan(2026, 3, None)
    assert [(vb.dong_tu, vb.so_ky_hieu, vb.ngay) for vb in m.can_cu] == [
        ("Căn cứ", "259/KH-SYT", date(2025, 1, 13)),
        ("Thực hiện", "1289/KH-SYT", date(2026, 2, 6)),
        ("Căn cứ", "181/KH-YSTS", date(2026, 1, 27)),
    ]
    appendix = [(t.stt, t.model.so_luong, t.model.thoi_gian) for t in plan.task_list if t.where == "phu_luc"]
    assert appendix == [
        ("1", None, None),
        ("1.1", "5", "Thường xuyên hàng tháng"), ("1.2", "5", "Thường xuyên hàng tháng"),
        ("2", None, None),
        ("2.1", "01/5.000", "Hoàn thành trước tháng 10/2026"), ("2.2", "02/50", "Hoàn thành trước tháng 10/2026"),
        ("2.3", "02/50", "Hoàn thành trước tháng 11/2026"), ("2.4", "01", "Hoàn thành trước tháng 11/2026"),
    ]
    assert plan.tasks["1.1"].model.don_vi_chu_tri == ["Phòng TC-HC", "Phòng KH-NV", "Tổ CTXH", "Tổ QLCL"]
    assert plan.tasks["2.1"].timing.end == date(2026, 9, 30)
    assert plan.tasks["II.3.5"].timing.every == "nam"  # "Mỗi loại/1 năm"
    assert plan.tasks["II.3.4"].timing is None  # the plan gives no timing for this bullet
    quotas = {q.ma: (q.model.kenh, q.model.so_luong_toi_thieu, q.model.chu_ky, q.end) for q in plan.quotas}
    assert quotas["CT1.1"] == ("website_don_vi", 5, "thang", date(2026, 12, 31))
    assert quotas["CT2.1"] == ("an_pham", 1, "khoang", date(2026, 9, 30))
    assert plan.quotas[2].model.so_ban_toi_thieu == 5000


def test_seed_001_and_002_facts_as_written():
    problems = Problems()
    state = load_plans(str(REPO / "plans"), docs_dir=str(REPO / "content"),
                       rel_path=lambda p: os.path.relpath(p, REPO), problems=problems, now=date(2026, 11, 22))
    tmr = state.get("kh-85-ttyt-tu-mo-rong-2025")
    assert (tmr.model.so_ky_hieu, tmr.model.ngay_ban_hanh.as_date()) == ("85/KH-YTTMR", date(2025, 9, 9))
    assert [t.stt for t in tmr.task_list] == ["1", "2", "3", "4", "5", "III.3"]
    assert tmr.tasks["4"].timing.kind == "theo_yeu_cau" and tmr.tasks["III.3"].timing.end == date(2025, 9, 15)
    assert tmr.tasks["3"].model.tan_suat == "02 bài/năm"
    # Section numbers as written: "III" twice.
    assert [s.so for s in tmr.model.phan] == ["I", "II", "III", "IV", "III"]
    syt = state.get("kh-429-syt-da-nang-2017")
    assert syt.model.nguoi_ky.chuc_vu is None  # the extract has no title line
    t = syt.tasks["III.2.1"].timing
    assert (t.every, t.due_dates) == ("nua_nam", (date(2017, 6, 10), date(2017, 11, 10)))


def test_scanned_plan_loads_with_each_repair_reported(tmp_path):
    state, problems = load(tmp_path, {"kh-ocr.yml": (FIXTURES / "kh-ocr-tu-mo-rong-2025.yml").read_text(encoding="utf-8")})
    assert not problems.has_errors(), problems.format()
    plan = state.get("kh-ocr-tu-mo-rong-2025")
    assert plan.model.ngay_ban_hanh.as_date() == date(2025, 9, 9)  # "ngay 09 thang 9 nam 2025"
    assert [t.stt for t in plan.task_list] == ["1", "2", "3", "4", "5", "III.3"]  # "1." -> "1"
    kinds = {t.stt: t.timing.kind for t in plan.task_list}
    assert kinds == {"1": "thuong_xuyen", "2": "thuong_xuyen", "3": "khoang", "4": "theo_yeu_cau", "5": "thuong_xuyen",
                     "III.3": "moc"}
    warnings = [p.format("vi") for p in problems.warnings]
    assert len(warnings) == 4
    assert warnings[0] == (
        "plans/kh-ocr.yml:22: phan[0].nhiem_vu[0].thoi_gian: cảnh báo: thời gian 'Thudng xuyén trong nam.' có chữ sai "
        "(thường do quét từ bản giấy); hệ thống đọc là 'thuong xuyen trong nam' (Thường xuyên, từ 01/01/2025 đến "
        "31/12/2025). Nếu đúng, nên sửa chính tả cho rõ; nếu sai, viết lại.")
    assert any("'Khi c6 yéu cau.'" in w and "'khi co yeu cau'" in w for w in warnings)


def test_schemas_are_generated_from_the_model_and_committed():
    for name, schema in (("plan.schema.json", plan_schema()), ("plan-evidence.schema.json", evidence_schema())):
        committed = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(schema)), f"schemas/{name} is stale: run `cchc schema`"
    s = plan_schema()
    assert "thoi_gian" in json.dumps(s) and s["required"] == ["id", "ten", "nam", "don_vi_ban_hanh", "ngay_ban_hanh"]


def test_the_schema_accepts_every_sample_and_fixture_file():
    """What editors check (the committed JSON Schema) accepts what the build accepts."""
    from jsonschema import Draft202012Validator

    from cchc.yamlsrc import load_yaml

    from cchc.plans.model import translation_schema

    def plans_in(folder):
        return sorted(p for p in folder.glob("*.yml") if not p.name.endswith(".en.yml"))

    checks = [(plan_schema(), plans_in(REPO / "plans") + plans_in(FIXTURES)),
              (evidence_schema(), sorted((REPO / "plans" / "minh-chung").glob("*.yml"))
               + sorted((FIXTURES / "minh-chung").glob("*.yml"))),
              (translation_schema(), sorted((REPO / "plans").glob("*.en.yml")))]
    for schema, paths in checks:
        v = Draft202012Validator(schema)
        assert paths
        for path in paths:
            # The project's YAML reading: dates stay text (the models parse them), numbers are numbers.
            data = load_yaml(path.read_text(encoding="utf-8"), path.name, Problems()).data
            errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in v.iter_errors(data)]
            assert not errors, (path.name, errors[:5])
    # And it refuses what the build refuses.
    bad = {"id": "x", "ten": "t", "nam": 2026, "don_vi_ban_hanh": "d", "ngay_ban_hanh": "2026-01-01",
           "chi_tieu": [{"ma": "A", "mo_ta": "m", "kenh": "facebook", "so_luong_toi_thieu": 1, "chu_ky": "thang"}]}
    assert any(e.path and list(e.path)[-1] == "kenh" for e in Draft202012Validator(plan_schema()).iter_errors(bad))


@pytest.mark.parametrize("text,expected", [
    ("2025-09-09", NgayVanBan(2025, 9, 9)),
    ("09/9/2025", NgayVanBan(2025, 9, 9)),
    ("ngày 09 tháng 9 năm 2025", NgayVanBan(2025, 9, 9)),
    ("03/2026", NgayVanBan(2026, 3)),
    ("tháng 3 năm 2026", NgayVanBan(2026, 3)),
    ("2026-03", NgayVanBan(2026, 3)),
])
def test_document_dates_with_or_without_the_day(text, expected):
    assert NgayVanBan.parse(text) == expected


def test_document_date_long_forms():
    assert NgayVanBan(2025, 9, 9).long() == "ngày 09 tháng 9 năm 2025"
    assert NgayVanBan(2026, 1, 8).long() == "ngày 08 tháng 01 năm 2026"
    assert NgayVanBan(2026, 3).long() == "ngày\u2003\u2003tháng 3 năm 2026"


# --- checks ------------------------------------------------------------------------------------


def test_duplicate_task_number_and_unknown_task_in_a_quota(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        phu_luc:
          - tieu_de: PHỤ LỤC
            nhiem_vu:
              - {stt: "1.1", noi_dung: Website, thoi_gian: Hàng tháng}
              - {stt: "1.1", noi_dung: Fanpage, thoi_gian: Hàng tháng}
        chi_tieu:
          - {ma: CT1, mo_ta: 5 tin mỗi tháng, kenh: website_don_vi, so_luong_toi_thieu: 5, chu_ky: thang, nhiem_vu: "1.3"}
          - {ma: CT1, mo_ta: lặp mã, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: nam}
    """)})
    assert lines(problems) == [
        "plans/a.yml:10: phu_luc[0].nhiem_vu[1].stt: số thứ tự nhiệm vụ '1.1' trùng với nhiệm vụ ở dòng 9. Mỗi nhiệm vụ "
        "cần một số riêng (gạch đầu dòng không đánh số: ghi số mục kèm thứ tự, ví dụ 'II.3.1').",
        "plans/a.yml:12: chi_tieu[0].nhiem_vu[0]: không có nhiệm vụ số '1.3' trong kế hoạch 'kh-a'. Các số có: 1.1.",
        "plans/a.yml:13: chi_tieu[1].ma: mã chỉ tiêu 'CT1' trùng với chỉ tiêu ở dòng 12. Đặt một mã khác.",
    ]


def test_unreadable_timing_is_an_error_naming_the_text_at_its_line(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        phan:
          - so: II
            tieu_de: NHIỆM VỤ
            nhiem_vu:
              - stt: "1"
                noi_dung: Tập huấn
                thoi_gian: sắp tới
    """)})
    assert lines(problems) == [
        "plans/a.yml:12: phan[0].nhiem_vu[0].thoi_gian: không đọc được thời gian 'sắp tới'. Viết theo một trong các dạng: "
        "'Trước 15/03/2026', 'Tháng 9/2026', 'Quý II-III/2026', 'Hàng tháng', 'Định kỳ 6 tháng', 'Thường xuyên', "
        "'Khi có yêu cầu', 'Trong vòng 15 ngày kể từ ngày ban hành Kế hoạch số 1289/KH-SYT'."
    ]


def test_dates_outside_the_plans_year(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        phan:
          - tieu_de: NHIỆM VỤ
            nhiem_vu:
              - {stt: "1", noi_dung: Tổng kết, thoi_gian: trước 15/01/2027}
        chi_tieu:
          - {ma: CT1, mo_ta: x, kenh: an_pham, so_luong_toi_thieu: 1, chu_ky: khoang, den_ngay: 2025-12-31}
    """), "minh-chung/a.yml": """
        ke_hoach: kh-a
        minh_chung:
          - {ngay: 2027-01-03, kenh: an_pham, loai: to_gap, mo_ta: Tờ gấp}
    """})
    assert lines(problems) == [
        "plans/a.yml:9: phan[0].nhiem_vu[0].thoi_gian: thời gian 'trước 15/01/2027' có ngày 15/01/2027 nằm ngoài thời "
        "gian của kế hoạch (01/01/2026 – 31/12/2026). Kiểm tra năm, hoặc ghi 'tu_ngay'/'den_ngay' cho kế hoạch.",
        "plans/a.yml:11: chi_tieu[0].den_ngay: ngày 31/12/2025 nằm ngoài thời gian của kế hoạch (01/01/2026 – 31/12/2026). Kiểm tra năm.",
        "plans/a.yml:11: chi_tieu[0].den_ngay: ngày bắt đầu 01/01/2026 sau ngày kết thúc 31/12/2025. Đổi lại cho đúng thứ tự.",
        "plans/minh-chung/a.yml:3: minh_chung[0].ngay: ngày 03/01/2027 nằm ngoài thời gian của kế hoạch (01/01/2026 – 31/12/2026). Kiểm tra năm.",
        "plans/minh-chung/a.yml:3: minh_chung[0].ngay: cảnh báo: minh chứng ghi ngày 03/01/2027, sau thời điểm build; "
        "chưa được tính cho đến ngày đó.",
    ]


def test_plan_period_can_be_extended(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        den_ngay: 2027-01-31
        phan:
          - tieu_de: NHIỆM VỤ
            nhiem_vu:
              - {stt: "1", noi_dung: Tổng kết, thoi_gian: trước 15/01/2027}
    """)})
    assert len(problems) == 0, problems.format()


def test_relative_deadline_needs_the_document_with_its_date(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        can_cu:
          - {so_ky_hieu: 12/KH-SYT, co_quan: Sở Y tế}
        phan:
          - tieu_de: NHIỆM VỤ
            nhiem_vu:
              - {stt: "1", noi_dung: Kế hoạch các khoa, thoi_gian: Trong 15 ngày kể từ ngày ban hành Kế hoạch số 12/KH-SYT}
    """)})
    assert lines(problems) == [
        "plans/a.yml:11: phan[0].nhiem_vu[0].thoi_gian: thời gian 'Trong 15 ngày kể từ ngày ban hành Kế hoạch số "
        "12/KH-SYT' tính từ văn bản 12/KH-SYT, nhưng văn bản này không có trong 'can_cu' (kèm ngày ban hành). Thêm vào "
        "can_cu: '- so_ky_hieu: 12/KH-SYT' và 'ngay: …'."
    ]


def test_relative_to_this_plan_without_its_day_is_a_warning_not_a_guess(tmp_path):
    state, problems = load(tmp_path, {"a.yml": P(minimal=MINIMAL.replace("2026-01-10", "03/2026"), extra="""
        phan:
          - tieu_de: NHIỆM VỤ
            nhiem_vu:
              - {stt: "1", noi_dung: Kế hoạch các khoa, thoi_gian: trong 10 ngày làm việc kể từ ngày ban hành kế hoạch này}
    """)})
    assert not problems.has_errors() and len(problems.warnings) == 1
    assert "chưa ghi ngày (chỉ có tháng)" in problems.warnings[0].message()
    assert state.get("kh-a").tasks["1"].timing.end is None


def test_wrong_values_are_explained(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P(minimal=MINIMAL.replace("2026-01-10", "31/02/2026"), extra="""
        chi_tieu:
          - {ma: CT 1, mo_ta: x, kenh: facebook, so_luong_toi_thieu: 0, chu_ky: thang}
        phan:
          - {tieu_de: X, nhiem_vu: [{stt: "1 a", noi_dung: y}]}
    """)})
    out = lines(problems)
    assert out[0] == ("plans/a.yml:5: ngay_ban_hanh: '31/02/2026' không phải ngày hợp lệ. Viết 2025-09-09 hoặc "
                      "09/09/2025; bản chưa ghi ngày: '03/2026' (tháng/năm).")
    assert any(line.startswith("plans/a.yml:7: chi_tieu[0].ma: mã chỉ tiêu 'CT 1' chỉ gồm chữ") for line in out)
    assert any(line.startswith("plans/a.yml:7: chi_tieu[0].kenh: giá trị 'facebook' không hợp lệ. Viết một trong: "
                               "website_don_vi, cong_cchc_tinh") for line in out)
    assert any(line.startswith("plans/a.yml:7: chi_tieu[0].so_luong_toi_thieu:") for line in out)
    assert any(line.startswith("plans/a.yml:9: phan[0].nhiem_vu[0].stt: số thứ tự '1 a' chỉ gồm") for line in out)


def test_quota_fields_must_suit_the_channel(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        chi_tieu:
          - {ma: A, mo_ta: x, kenh: cong_so_y_te, so_luong_toi_thieu: 1, chu_ky: thang}
          - {ma: B, mo_ta: x, kenh: mang_xa_hoi, so_luong_toi_thieu: 1, chu_ky: thang, cong: cchc.example, bo_loc: {tags: [x]}}
          - {ma: C, mo_ta: x, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: thang, bo_loc: {chuyen_muc: [khong-co]}}
    """)}, categories=["tin-hoat-dong"])
    out = lines(problems)
    assert out == [
        "plans/a.yml:7: chi_tieu[0].kenh: chỉ tiêu kênh 'cong_so_y_te' cần tên cổng: thêm dòng 'cong: …' (tên hoặc tên "
        "miền, như trong 'gui_cong' của tin bài).",
        "plans/a.yml:8: chi_tieu[1].bo_loc: bộ lọc chuyên mục/từ khoá chỉ áp dụng cho tin bài trên trang và tin gửi cổng; "
        "kênh 'mang_xa_hoi' được đếm bằng minh chứng. Xoá 'bo_loc' hoặc dùng 'nhiem_vu'/'loai_noi_dung'.",
        "plans/a.yml:8: chi_tieu[1].cong: trường 'cong' chỉ dùng cho kênh cổng (cong_cchc_tinh, cong_so_y_te). Xoá dòng "
        "này hoặc đổi kênh.",
        "plans/a.yml:9: chi_tieu[2].bo_loc.chuyen_muc[0]: chuyên mục 'khong-co' không có trên trang. Dùng một trong: tin-hoat-dong.",
    ]


def test_evidence_names_an_existing_plan_task_and_file(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        phan:
          - {tieu_de: X, nhiem_vu: [{stt: "1", noi_dung: y}]}
    """), "minh-chung/a.yml": """
        ke_hoach: kh-a
        minh_chung:
          - {ngay: 2026-03-01, nhiem_vu: "2", kenh: an_pham, loai: to_gap, mo_ta: Tờ gấp, tep: tai-lieu/khong-co.pdf}
          - {ngay: 2026-06-01, nhiem_vu: "1", kenh: mang_xa_hoi, loai: bai, mo_ta: Bài đăng sau}
    """, "minh-chung/b.yml": """
        ke_hoach: kh-b
        minh_chung:
          - {ngay: 2026-03-01, kenh: an_pham, loai: to_gap, mo_ta: Tờ gấp}
    """})
    assert lines(problems) == [
        "plans/minh-chung/a.yml:3: minh_chung[0].nhiem_vu: không có nhiệm vụ số '2' trong kế hoạch 'kh-a'. Các số có: 1.",
        "plans/minh-chung/a.yml:3: minh_chung[0].tep: không tìm thấy tệp 'tai-lieu/khong-co.pdf' trong thư mục content/. "
        "Kiểm tra tên và đường dẫn (tính từ content/).",
        "plans/minh-chung/a.yml:4: minh_chung[1].ngay: cảnh báo: minh chứng ghi ngày 01/06/2026, sau thời điểm build; "
        "chưa được tính cho đến ngày đó.",
        "plans/minh-chung/b.yml:1: ke_hoach: không có kế hoạch mã 'kh-b'. Các mã có: kh-a.",
    ]


def test_duplicate_plan_id(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P(), "b.yml": P()})
    assert lines(problems) == [
        "plans/b.yml:1: id: mã kế hoạch 'kh-a' đã dùng trong plans/a.yml. Mỗi kế hoạch cần một mã riêng, ví dụ 'kh-a-2'."]


def test_a_broken_plan_is_reported_once_not_by_every_reference(tmp_path):
    state, problems = load(tmp_path, {"a.yml": P("nam_sai: 1\n"), "minh-chung/a.yml": """
        ke_hoach: kh-a
        minh_chung:
          - {ngay: 2026-03-01, kenh: an_pham, loai: to_gap, mo_ta: Tờ gấp}
    """})
    assert len(problems) == 1 and problems.errors[0].field == "nam_sai"
    assert "kh-a" in state.broken


def test_english_messages(tmp_path):
    _, problems = load(tmp_path, {"a.yml": P("""
        phan:
          - {tieu_de: X, nhiem_vu: [{stt: "1", noi_dung: y, thoi_gian: sắp tới}]}
    """)})
    assert problems.format("en").startswith("plans/a.yml:7: phan[0].nhiem_vu[0].thoi_gian: cannot read the timing 'sắp tới'.")


def test_timing_years_default_to_the_plan(tmp_path):
    state, problems = load(tmp_path, {"a.yml": P(minimal=MINIMAL.replace("nam: 2026", "nam: 2017").replace("2026-01-10", "2017-03-01"), extra="""
        phan:
          - {tieu_de: X, nhiem_vu: [{stt: "1", noi_dung: y, thoi_gian: "định kỳ 6 tháng/lần, vào ngày 10/6 và 10/11"}]}
    """)}, now=date(2017, 12, 31))
    assert len(problems) == 0, problems.format()
    assert state.get("kh-a").tasks["1"].timing.due_dates == parse_timing("vào ngày 10/6 và 10/11", 2017).due_dates


def test_task_numbers_keep_their_written_digits(tmp_path):
    """YAML reads `stt: 1.10` as 1.1; the plan's task 1.10 must stay 1.10."""
    state, problems = load(tmp_path, {"a.yml": P("""
        phu_luc:
          - tieu_de: PL
            nhiem_vu:
              - {stt: 1.1, noi_dung: Một}
              - {stt: 1.10, noi_dung: Mười}
              - stt: 2.0
                noi_dung: Hai
              - stt: 3
                noi_dung: Ba
        chi_tieu:
          - {ma: A, mo_ta: x, kenh: website_don_vi, so_luong_toi_thieu: 1, chu_ky: nam, nhiem_vu: [1.10, 2.0]}
          - ma: B
            mo_ta: y
            kenh: website_don_vi
            so_luong_toi_thieu: 1
            chu_ky: nam
            nhiem_vu:
              - 1.10
              - 3
    """), "minh-chung/a.yml": """
        ke_hoach: kh-a
        minh_chung:
          - {ngay: 2026-03-01, nhiem_vu: 1.10, kenh: khac, loai: khac, mo_ta: x}
    """})
    assert len(problems) == 0, problems.format()
    plan = state.get("kh-a")
    assert list(plan.tasks) == ["1.1", "1.10", "2.0", "3"]
    assert [[t.stt for t in q.tasks] for q in plan.quotas] == [["1.10", "2.0"], ["1.10", "3"]]
    assert plan.evidence[0].model.nhiem_vu == "1.10"
