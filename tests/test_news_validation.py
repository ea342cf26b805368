"""Every validation rule for news: the exact message, a non-zero exit, nothing published."""

from __future__ import annotations

import pytest

IMG = b"\x89PNG\r\n\x1a\n"

# (file name, how to write it, expected line in `cchc check` output)
CASES = [
    (
        "thieu-tieu-de.md",
        dict(date="2026-03-01"),
        "content/tin-tuc/thieu-tieu-de.md:2: title: thiếu trường bắt buộc. Thêm dòng 'title: …' (Tiêu đề tin bài).",
    ),
    (
        "sai-ngay.md",
        dict(title="Sai ngày", date="5 tháng 3 năm 2026"),
        "content/tin-tuc/sai-ngay.md:3: date: '5 tháng 3 năm 2026' không phải ngày hợp lệ. Viết theo dạng 2026-03-05 hoặc 05/03/2026 (có thể thêm giờ: 2026-03-05 08:30).",
    ),
    (
        "ngay-khong-co-that.md",
        dict(title="Ngày không có thật", date="2026-02-30"),
        "content/tin-tuc/ngay-khong-co-that.md:3: date: '2026-02-30' không phải ngày hợp lệ. Viết theo dạng 2026-03-05 hoặc 05/03/2026 (có thể thêm giờ: 2026-03-05 08:30).",
    ),
    (
        "sai-chuyen-muc.md",
        dict(title="Sai chuyên mục", date="2026-03-01", chuyen_muc=["tin-tuc-chung"]),
        "content/tin-tuc/sai-chuyen-muc.md:5: chuyen_muc[0]: chuyên mục 'tin-tuc-chung' chưa được khai báo. Dùng một trong: "
        "cai-cach-the-che, cai-cach-thu-tuc-hanh-chinh, cai-cach-to-chuc-bo-may, cai-cach-che-do-cong-vu, "
        "cai-cach-tai-chinh-cong, chinh-phu-dien-tu-chinh-phu-so, tin-hoat-dong; hoặc nhờ người quản trị thêm chuyên mục vào mkdocs.yml (mục chuyen_muc).",
    ),
    (
        "anh-khong-alt.md",
        dict(title="Ảnh không alt", date="2026-03-01", image={"src": "anh/a.png"}),
        "content/tin-tuc/anh-khong-alt.md:4: image.alt: thiếu trường bắt buộc. Thêm dòng 'alt: …' (Mô tả thay thế: một câu ngắn nói ảnh có gì (cho người khiếm thị và khi ảnh không tải được)).",
    ),
    (
        "anh-alt-rong.md",
        dict(title="Ảnh alt rỗng", date="2026-03-01", image={"src": "anh/a.png", "alt": "  "}),
        "content/tin-tuc/anh-alt-rong.md:6: image.alt: không được để trống. Viết nội dung cho trường này hoặc xoá dòng nếu trường không bắt buộc.",
    ),
    (
        "anh-khong-co.md",
        dict(title="Ảnh không có", date="2026-03-01", image={"src": "anh/khong-co.png", "alt": "Ảnh"}),
        "content/tin-tuc/anh-khong-co.md:5: image.src: không tìm thấy tệp ảnh 'anh/khong-co.png' (tìm tại content/tin-tuc/anh/khong-co.png). Kiểm tra tên tệp, phần mở rộng (.jpg/.png) và thư mục.",
    ),
    (
        "yaml-hong.md",
        "title: Hỏng\ndate: 2026-03-01\nsummary: [chưa đóng\nchuyen_muc: [tin-hoat-dong]\n",
        "content/tin-tuc/yaml-hong.md:4: -: YAML không đọc được: expected ',' or ']', but got ':' (chỗ bắt đầu ở dòng này, phát hiện ở dòng 5). Kiểm tra ngoặc [ ] hoặc dấu ngoặc kép đã đóng chưa, dấu hai chấm sau tên trường, thụt lề bằng dấu cách (không dùng Tab).",
    ),
    (
        "truong-la.md",
        dict(title="Trường lạ", date="2026-03-01", tieu_de="x"),
        "content/tin-tuc/truong-la.md:4: tieu_de: trường 'tieu_de' không được hỗ trợ. Kiểm tra chính tả; các trường hợp lệ ở đây: "
        "title, date, summary, chuyen_muc, loai, slug, id, updated, change_note, tags, image, author, don_vi, nguon, tthc_lien_quan, ke_hoach, gui_cong, rss, draft.",
    ),
    (
        "loai-sai.md",
        dict(title="Loại sai", date="2026-03-01", loai="phong-su"),
        "content/tin-tuc/loai-sai.md:4: loai: giá trị 'phong-su' không hợp lệ. Viết một trong: tin, bai, thong_bao, van_ban, anh, video.",
    ),
    (
        "trung-lap-khoa.md",
        "title: A\ntitle: B\ndate: 2026-03-01\nsummary: S\nchuyen_muc: [tin-hoat-dong]\n",
        "content/tin-tuc/trung-lap-khoa.md:3: title: trường 'title' được viết hai lần (lần đầu ở dòng 2). Giữ lại một dòng.",
    ),
    (
        "cap-nhat.md",
        dict(title="Cập nhật", date="2026-03-01", updated="2026-03-02"),
        "content/tin-tuc/cap-nhat.md:4: change_note: có ngày cập nhật nhưng chưa ghi nội dung sửa. Thêm dòng 'change_note: …' nói ngắn gọn đã sửa gì.",
    ),
    (
        "cap-nhat-truoc.md",
        dict(title="Cập nhật trước", date="2026-03-05", updated="2026-03-02", change_note="Sửa số liệu"),
        "content/tin-tuc/cap-nhat-truoc.md:4: updated: ngày cập nhật 02/03/2026 00:00 sớm hơn ngày đăng 05/03/2026 00:00. Ngày cập nhật phải bằng hoặc sau ngày đăng.",
    ),
    (
        "slug-sai.md",
        dict(title="Slug sai", date="2026-03-01", slug="Đường Dẫn"),
        "content/tin-tuc/slug-sai.md:4: slug: đường dẫn 'Đường Dẫn' chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ 'day-manh-cai-cach-hanh-chinh'.",
    ),
    (
        "tthc-sai.md",
        dict(title="Mã sai", date="2026-03-01", tthc_lien_quan=["1014331"]),
        "content/tin-tuc/tthc-sai.md:5: tthc_lien_quan[0]: mã thủ tục '1014331' không đúng dạng. Mã TTHC gồm 1 chữ số, dấu chấm và 6 chữ số, ví dụ 1.014331 (xem trên dichvucong.gov.vn).",
    ),
]


def _write(p, name, spec):
    if isinstance(spec, str):
        p.news(name, raw_front=spec)
    else:
        p.news(name, **spec)


@pytest.mark.parametrize("name,spec,expected", CASES, ids=[c[0] for c in CASES])
def test_each_rule_has_its_exact_message(project, name, spec, expected):
    p = project()
    p.write("content/tin-tuc/anh/a.png", IMG)
    _write(p, name, spec)
    r = p.cchc("check")
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("content/")]
    assert lines == [expected]


def test_duplicate_slug_names_both_files(project):
    p = project()
    p.news("a.md", title="Trùng đường dẫn", date="2026-03-01")
    p.news("b.md", title="Trùng  đường  dẫn", date="2026-03-02")
    r = p.cchc("check")
    assert r.returncode == 1
    assert "content/tin-tuc/b.md:2: slug: đường dẫn 'trung-duong-dan' trùng với tin 'content/tin-tuc/a.md'. Đổi tiêu đề hoặc thêm dòng 'slug: trung-duong-dan-2' (một đường dẫn khác) vào một trong hai tệp." in r.stderr


def test_tone_variant_titles_collide_too(project):
    p = project()
    p.news("a.md", title="Hoà giải", date="2026-03-01")
    p.news("b.md", title="Hòa giải", date="2026-03-02")
    assert "slug: đường dẫn 'hoa-giai' trùng với tin 'content/tin-tuc/a.md'" in p.cchc("check").stderr


def test_body_problems_have_lines(project):
    p = project()
    p.write("content/tin-tuc/anh/a.png", IMG)
    p.news("noi-dung.md", title="Nội dung lỗi", date="2026-03-01",
           body="![](anh/a.png)\n\n[hỏng](khong-co.md)\n\n<script>alert(1)</script>\n\n<p onclick=\"x()\">a</p>\n\n<a href=\"javascript:alert(1)\">x</a>")
    r = p.cchc("check")
    got = [ln for ln in r.stderr.splitlines() if ln.startswith("content/")]
    assert got == [
        "content/tin-tuc/noi-dung.md:9: nội dung: ảnh 'anh/a.png' thiếu mô tả thay thế. Viết mô tả ngắn nội dung ảnh trong ngoặc vuông: ![Cán bộ hướng dẫn người dân nộp hồ sơ](anh/a.png).",
        "content/tin-tuc/noi-dung.md:11: nội dung: liên kết tới 'khong-co.md' không tồn tại. Kiểm tra tên tệp (phân biệt chữ hoa/thường) và đường dẫn tương đối tính từ tệp này.",
        "content/tin-tuc/noi-dung.md:13: nội dung: không được dùng thẻ HTML <script> trong bài. Xoá thẻ này; muốn nhúng video hoặc bản đồ, hãy đặt liên kết tới trang gốc.",
        "content/tin-tuc/noi-dung.md:15: nội dung: thuộc tính 'onclick' trong thẻ <p> không được phép (có thể chạy mã độc). Xoá thuộc tính này.",
        "content/tin-tuc/noi-dung.md:17: nội dung: địa chỉ 'javascript:alert(1)' không được phép (javascript:/data:). Dùng liên kết http(s):// hoặc tới tệp trong content/.",
    ]


def test_missing_front_matter_and_reserved_name(project):
    p = project()
    p.write("content/tin-tuc/khong-front.md", "# Chỉ có nội dung\n")
    p.write("content/tin-tuc/index.md", "---\ntitle: x\n---\n")
    lines = [ln for ln in p.cchc("check").stderr.splitlines() if ln.startswith("content/")]
    assert lines == [
        "content/tin-tuc/index.md: -: tên tệp 'index.md' dành cho trang danh sách do hệ thống tạo. Đổi tên tệp, ví dụ '2026-03-05-ten-bai.md'.",
        "content/tin-tuc/khong-front.md:1: -: thiếu phần thông tin đầu bài. Dòng đầu tiên của tệp phải là '---', tiếp theo là các trường (title, date, summary, chuyen_muc…), rồi một dòng '---'. Dùng lệnh 'cchc new \"Tiêu đề\"' để tạo tệp mẫu.",
    ]


def test_settings_errors_point_into_mkdocs_yml(project):
    p = project()
    p.config["plugins"][0]["cchc"]["don_vi"].pop("ten")
    p.config["plugins"][0]["cchc"]["don_vi"]["email"] = "khong-phai-email"
    p.save_config()
    r = p.cchc("check")
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("mkdocs.yml")]
    text = (p.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    email_line = next(i for i, ln in enumerate(text, 1) if "khong-phai-email" in ln)
    don_vi_line = next(i for i, ln in enumerate(text, 1) if ln.strip() == "don_vi:")
    assert lines == [
        f"mkdocs.yml:{don_vi_line}: don_vi.ten: thiếu trường bắt buộc. Thêm dòng 'ten: …' (Tên đầy đủ của đơn vị, ví dụ 'Trung tâm Y tế khu vực Hòa Bình').",
        f"mkdocs.yml:{email_line}: don_vi.email: 'khong-phai-email' không phải địa chỉ thư điện tử hợp lệ (dạng ten@donvi.gov.vn).",
    ]


def test_all_problems_at_once_build_fails_and_nothing_is_published(project, tmp_path):
    p = project()
    p.write("content/tin-tuc/anh/a.png", IMG)
    p.news("tot.md", title="Tin tốt", date="2026-03-01")
    good = p.build(site_dir=tmp_path / "published")
    assert good.ok
    before = {f: f.read_bytes() for f in good.files()}
    for name, spec, _ in CASES:
        _write(p, name, spec)
    r = p.build(site_dir=tmp_path / "published")
    assert r.returncode != 0
    assert "Traceback" not in r.output
    for _, _, expected in CASES:
        assert expected in r.stderr
    assert f"Dừng build: Có {len(CASES)} lỗi" not in r.stderr  # the summary counts, without "Có"
    assert f"Dừng build: {len(CASES)} lỗi, 0 cảnh báo." in r.stderr
    # The previously published site is untouched: nothing half-way.
    after = {f: f.read_bytes() for f in good.files()}
    assert after == before
    # A fresh output folder is not even created.
    fresh = p.build(site_dir=tmp_path / "fresh")
    assert fresh.returncode != 0 and not (tmp_path / "fresh").exists()


def test_english_messages_on_request(project):
    p = project()
    p.news("a.md", date="2026-03-01")
    r = p.cchc("check", "--lang", "en")
    assert "content/tin-tuc/a.md:2: title: required field is missing. Add a line 'title: …' (Tiêu đề tin bài)." in r.stderr
    p.set_plugin(error_lang="en")
    r = p.build()
    assert r.returncode != 0 and "title: required field is missing" in r.stderr and "Build stopped: 1 error(s)" in r.stderr


def test_nfd_input_is_normalised_with_a_warning(project):
    import unicodedata

    p = project()
    p.news("nfd.md", title=unicodedata.normalize("NFD", "Đăng ký khám bệnh"), date="2026-03-01")
    r = p.cchc("check")
    assert r.returncode == 0
    assert "content/tin-tuc/nfd.md:2: -: cảnh báo: chữ tiếng Việt đang ở dạng tổ hợp (NFD)" in r.stderr
    b = p.build()
    assert b.ok, b.output
    html = b.read("tin-tuc/dang-ky-kham-benh/index.html")
    assert "Đăng ký khám bệnh" in html and unicodedata.is_normalized("NFC", html)


def test_a_huge_value_is_cut_in_the_message():
    # Found by the fuzz test: a 5,000-character category pasted by mistake was quoted whole.
    import cchc.news  # noqa: F401 - registers the news messages
    from cchc.problems import Problem

    p = Problem("content/tin-tuc/a.md", 6, "chuyen_muc[0]", "news.unknown_category",
                {"value": "a" * 5000, "allowed": "tin-hoat-dong, hoi-dap"})
    text = p.format("vi")
    assert len(text) < 600
    assert text.startswith("content/tin-tuc/a.md:6: chuyen_muc[0]: chuyên mục 'aaa")
    assert "a…' chưa được khai báo. Dùng một trong: tin-hoat-dong, hoi-dap" in text
