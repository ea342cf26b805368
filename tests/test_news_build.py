"""End-to-end: a fixture site built with the real `mkdocs build`, output HTML parsed."""

from __future__ import annotations

import re

import pytest

NOW = "2026-06-30 12:00"
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import BASE_CONFIG, Project, deep_merge

    root = tmp_path_factory.mktemp("news") / "p"
    p = Project(root, deep_merge(BASE_CONFIG, {}))
    p.set_plugin(per_page=4)
    p.write("content/tin-tuc/anh/hop.png", PNG)
    months = [1, 1, 2, 3, 3, 4, 5, 5, 6, 6]
    for i, m in enumerate(months):
        p.news(
            f"2026-{m:02d}-{i:02d}-tin-{i}.md",
            title=f"Tin số {i} về cải cách hành chính",
            date=f"2026-{m:02d}-{10 + i:02d} 08:{i:02d}",
            summary=f"Tóm tắt tin số {i}.",
            chuyen_muc=["tin-hoat-dong"] + (["cai-cach-thu-tuc-hanh-chinh"] if i % 2 else []),
            author="Nguyễn Văn A",
            don_vi="Phòng Tổ chức – Hành chính",
            body=("Một đoạn nội dung. " * 300) if i == 0 else "Nội dung ngắn.",
        )
    p.news(
        "2025-12-01-cu.md", title="Tin năm 2025", date="2025-12-01", chuyen_muc=["cai-cach-the-che"],
        image={"src": "anh/hop.png", "alt": "Hội nghị triển khai kế hoạch", "caption": "Quang cảnh hội nghị"},
    )
    p.news("nhap.md", title="BẢN NHÁP BÍ MẬT XYZZY", date="2026-01-05", draft=True, body="Nội dung nháp XYZZY.")
    p.news("tuong-lai.md", title="TIN TƯƠNG LAI PLUGH", date="2026-07-01 08:00", body="Sẽ đăng PLUGH.")
    p.news(
        "dau.md", title="Đẩy mạnh cải cách thủ tục hành chính", date="2026-02-20 07:00",
        chuyen_muc=["cai-cach-thu-tuc-hanh-chinh"],
        body="Xem [tin số 1](2026-01-01-tin-1.md) và [liên hệ](../lien-he.md).",
    )
    r = p.build(now=NOW)
    assert r.ok, r.output
    return r


def test_list_is_paginated_newest_first(built):
    soup = built.soup("tin-tuc/index.html")
    titles = [a.get_text() for a in soup.select(".cchc-card__title a")]
    assert titles == ["Tin số 9 về cải cách hành chính", "Tin số 8 về cải cách hành chính",
                      "Tin số 7 về cải cách hành chính", "Tin số 6 về cải cách hành chính"]
    # 12 visible items, 4 a page -> 3 pages
    assert (built.site / "tin-tuc/trang/3/index.html").exists()
    assert not (built.site / "tin-tuc/trang/4/index.html").exists()
    last = built.soup("tin-tuc/trang/3/index.html")
    assert [a.get_text() for a in last.select(".cchc-card__title a")][-1] == "Tin năm 2025"
    nav = soup.select_one("nav.cchc-pagination")
    assert nav["aria-label"] == "Phân trang"
    assert nav.select_one("a[aria-current=page]").get_text() == "1"
    assert nav.select_one("a[rel=next]")["href"] == "trang/2/"


def test_category_and_archive_pages(built):
    cat = built.soup("tin-tuc/chuyen-muc/cai-cach-thu-tuc-hanh-chinh/index.html")
    assert cat.h1.get_text(strip=True) == "Cải cách thủ tục hành chính"
    page2 = built.soup("tin-tuc/chuyen-muc/cai-cach-thu-tuc-hanh-chinh/trang/2/index.html")
    titles = {a.get_text() for a in cat.select(".cchc-card__title a") + page2.select(".cchc-card__title a")}
    assert len(titles) == 6
    assert "Đẩy mạnh cải cách thủ tục hành chính" in titles and "Tin số 1 về cải cách hành chính" in titles
    assert not (built.site / "tin-tuc/chuyen-muc/cai-cach-tai-chinh-cong").exists()  # empty category: no page
    archive = built.soup("tin-tuc/nam/2025/index.html")
    assert [a.get_text() for a in archive.select(".cchc-card__title a")] == ["Tin năm 2025"]
    index = built.soup("tin-tuc/index.html")
    facets = {a.get_text(): a["href"] for a in index.select(".cchc-facets a")}
    assert facets["Cải cách thể chế"] == "chuyen-muc/cai-cach-the-che/"
    assert facets["2025"] == "nam/2025/"


def test_item_page(built):
    soup = built.soup("tin-tuc/tin-so-0-ve-cai-cach-hanh-chinh/index.html")
    art = soup.select_one("article.cchc-article")
    assert art.h1.get_text() == "Tin số 0 về cải cách hành chính"
    meta = art.select_one(".cchc-meta").get_text(" ", strip=True)
    assert "Thứ Bảy, 10/01/2026 08:00" in meta
    assert "5 phút đọc" in meta  # 1,200 syllables at 230 a minute
    assert art.select_one("time")["datetime"] == "2026-01-10T08:00:00+07:00"
    assert "Tác giả: Nguyễn Văn A" in art.get_text(" ") and "Phòng Tổ chức – Hành chính" in art.get_text(" ")
    assert art.select_one(".cchc-sapo").get_text() == "Tóm tắt tin số 0."
    assert soup.find("meta", attrs={"name": "description"})["content"] == "Tóm tắt tin số 0."
    assert soup.find("link", rel="canonical")["href"] == "https://cchc.thu-nghiem.example/tin-tuc/tin-so-0-ve-cai-cach-hanh-chinh/"
    assert soup.title.get_text() == "Tin số 0 về cải cách hành chính - CCHC – TTYT Thử Nghiệm"
    # The nav entry of the section is marked active on generated pages.
    active = soup.select(".md-nav__item--active, .md-tabs__item--active")
    assert any("Tin tức" in a.get_text() for a in active)


def test_image_with_alt_and_caption(built):
    soup = built.soup("tin-tuc/tin-nam-2025/index.html")
    img = soup.select_one("figure.cchc-figure img")
    assert img["alt"] == "Hội nghị triển khai kế hoạch"
    assert img["src"] == "../anh/hop.png"
    assert (built.site / "tin-tuc/anh/hop.png").exists()
    assert soup.select_one("figure.cchc-figure figcaption").get_text() == "Quang cảnh hội nghị"


def test_links_between_items_are_rewritten(built):
    soup = built.soup("tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh/index.html")
    hrefs = {a.get_text(): a["href"] for a in soup.select(".cchc-body a")}
    assert hrefs == {"tin số 1": "../tin-so-1-ve-cai-cach-hanh-chinh/", "liên hệ": "../../lien-he/"}


def test_ascii_slugs(built):
    for path in built.files():
        rel = path.relative_to(built.site).as_posix()
        assert re.fullmatch(r"[A-Za-z0-9._/\-]+", rel), rel


def test_footer_identity_on_every_page(built):
    pages = [p for p in built.files() if p.suffix == ".html"]
    assert len(pages) > 15
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "Trung tâm Y tế khu vực Thử Nghiệm" in text, path
        assert "Số 9 đường Kiểm Thử" in text and "0900 111 333" in text, path
        assert "Sở Y tế tỉnh Mẫu" in text, path


def test_contact_page_shows_identity_and_channels(built):
    soup = built.soup("lien-he/index.html")
    text = soup.select_one("article").get_text(" ", strip=True)
    for needle in ["Sở Y tế tỉnh Mẫu", "0200 3 111 222", "cchc@thu-nghiem.example", "Cổng CCHC tỉnh Mẫu", "Đường dây nóng"]:
        assert needle in text


def test_home_lists_latest_news(built):
    soup = built.soup("index.html")
    assert [a.get_text() for a in soup.select(".cchc-home-news .cchc-card__title a")][:2] == [
        "Tin số 9 về cải cách hành chính", "Tin số 8 về cải cách hành chính"]


def test_drafts_and_future_items_leak_nowhere(built):
    for path in built.files():
        data = path.read_bytes()
        if path.suffix == ".gz":
            import gzip

            data = gzip.decompress(data)
        for secret in (b"XYZZY", b"PLUGH", "BÍ MẬT".encode(), "TƯƠNG LAI".encode(), b"tuong-lai", b"nhap"):
            assert secret not in data, (path, secret)


def test_sitemap_lists_generated_pages(built):
    xml = built.read("sitemap.xml")
    assert "<loc>https://cchc.thu-nghiem.example/tin-tuc/tin-so-3-ve-cai-cach-hanh-chinh/</loc>" in xml
    assert "<loc>https://cchc.thu-nghiem.example/lien-he/</loc>" in xml
    assert "<lastmod>2026-03-13</lastmod>" in xml


def test_future_item_appears_once_its_date_comes(project):
    p = project()
    p.news("a.md", title="Tin hẹn giờ", date="2026-07-01 08:00")
    before = p.build(now="2026-07-01 07:59")
    assert before.ok and not (before.site / "tin-tuc/tin-hen-gio").exists()
    after = p.build(now="2026-07-01 08:00")
    assert after.ok and (after.site / "tin-tuc/tin-hen-gio/index.html").exists()


def test_two_builds_with_pinned_now_are_byte_identical(project, tmp_path):
    p = project()
    for i in range(3):
        p.news(f"t{i}.md", title=f"Tin {i}", date=f"2026-0{i + 1}-01")
    a = p.build(now=NOW, site_dir=tmp_path / "a")
    b = p.build(now=NOW, site_dir=tmp_path / "b")
    assert a.ok and b.ok
    fa = {f.relative_to(a.site): f.read_bytes() for f in a.files()}
    fb = {f.relative_to(b.site): f.read_bytes() for f in b.files()}
    assert fa.keys() == fb.keys()
    diff = [k for k in fa if fa[k] != fb[k]]
    assert diff == []


def test_builds_with_materials_search_plugin_beside_ours(project):
    # Material's search plugin reads partials/language.html from its own Jinja environment,
    # without this project's globals: the override must still give Material's texts there.
    p = project()
    p.config["plugins"].append("search")
    p.save_config()
    p.news("2026-03-01-a.md", title="Tin có tìm kiếm", date="2026-03-01 08:00", body="Nội dung.")
    r = p.build()
    assert r.ok, r.output
    assert "Traceback" not in r.output
    assert (r.site / "search" / "search_index.json").exists()
    page = r.soup("tin-tuc/index.html")
    assert page.html["lang"] == "vi"
