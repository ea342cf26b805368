"""English alongside Vietnamese: one build, /en/, switchers that go to the same item."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

EN = {"languages": {"en": {"site_name": "Reform – Test Health Centre", "untranslated": "omit"}}}


def _make(project, untranslated="omit"):
    p = project()
    p.set_plugin(languages={"en": {"site_name": "Reform – Test Health Centre", "untranslated": untranslated}},
                 don_vi={**p.config["plugins"][0]["cchc"]["don_vi"],
                         "en": {"ten": "Test Regional Health Centre", "dia_chi": "9 Test Street, Sample Province"}})
    p.write("content/index.en.md", "---\ntemplate: cchc/home.html\ntitle: Home\n---\n\n# Administrative reform\n")
    p.write("content/lien-he.en.md", "---\ntitle: Contact and feedback\nslug: contact\n---\n\nSend us your feedback.\n")
    p.news("a.md", title="Tin chỉ có tiếng Việt", date="2026-03-01", chuyen_muc=["tin-hoat-dong"])
    p.news("b.md", title="Cấp Giấy chứng sinh tại Trung tâm", date="2026-04-01",
           chuyen_muc=["cai-cach-thu-tuc-hanh-chinh"], body="Nội dung tiếng Việt.")
    p.write("content/tin-tuc/b.en.md",
            "---\ntitle: Birth certificates issued at the Centre\nsummary: How to obtain a birth certificate.\n---\n\nEnglish text.\n")
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import conftest

    root = tmp_path_factory.mktemp("i18n")

    class _P:  # minimal stand-in for the function-scoped factory
        pass

    def factory():
        return conftest.Project(root / "p", conftest.deep_merge(conftest.BASE_CONFIG, {}))

    p = _make(factory)
    r = p.build()
    assert r.ok, r.output
    return r


def test_english_pages_exist_with_english_interface(built):
    soup = built.soup("en/index.html")
    assert soup.html["lang"] == "en"
    assert soup.title.get_text().endswith("Reform – Test Health Centre")
    assert "Test Regional Health Centre" in soup.select_one(".cchc-unit").get_text()
    item = built.soup("en/news/birth-certificates-issued-at-the-centre/index.html")
    assert item.h1.get_text() == "Birth certificates issued at the Centre"
    assert item.select_one(".cchc-meta time").get_text().startswith("Wednesday, 1 April 2026")
    # Inherited from the Vietnamese file: date and category.
    assert "Administrative procedure reform" in item.get_text()
    contact = built.soup("en/contact/index.html")
    assert contact.html["lang"] == "en" and "Send us your feedback." in contact.get_text()


def test_vietnamese_only_item_is_left_out_in_omit_mode(built):
    listing = built.soup("en/news/index.html")
    titles = [a.get_text() for a in listing.select(".cchc-card__title a")]
    assert titles == ["Birth certificates issued at the Centre"]
    assert not (built.site / "en/news/tin-chi-co-tieng-viet").exists()


def _switch_links(soup):
    return {a["hreflang"]: a["href"] for a in soup.select(".md-select__link[hreflang]")}


def _head_alternates(soup):
    return {l["hreflang"]: l["href"] for l in soup.select('link[rel=alternate][hreflang]')}


def test_every_page_switches_to_its_counterpart_and_back(built):
    pages = [p for p in built.files() if p.suffix == ".html" and p.name == "index.html"]
    assert len(pages) > 10
    checked = 0
    for path in pages:
        rel = path.relative_to(built.site).as_posix()
        url = "/" + rel[: -len("index.html")]
        soup = built.soup(rel)
        links = _switch_links(soup)
        assert set(links) == {"vi", "en"}, rel
        assert _head_alternates(soup) == links, rel
        own = "en" if url.startswith("/en/") else "vi"
        assert soup.html["lang"] == own, rel
        for lang, href in links.items():
            target = urljoin(url, href)
            target_file = built.site / target.lstrip("/") / "index.html"
            assert target_file.exists(), (rel, lang, href)
            if lang == own:
                assert target == url, (rel, href)
                continue
            other = built.soup(target_file.relative_to(built.site).as_posix())
            assert other.html["lang"] == lang
            back = urljoin(target, _switch_links(other)[own])
            # A page with a counterpart links back to exactly this page; one without
            # goes to the other language's parent list, whose switcher leads to ours.
            if back != url:
                assert target in ("/en/", "/en/news/", "/", "/tin-tuc/"), (rel, target, back)
        checked += 1
    assert checked == len(pages)


def test_pairs_link_each_other(built):
    vi = built.soup("tin-tuc/cap-giay-chung-sinh-tai-trung-tam/index.html")
    assert _switch_links(vi)["en"] == "../../en/news/birth-certificates-issued-at-the-centre/"
    en = built.soup("en/news/birth-certificates-issued-at-the-centre/index.html")
    assert _switch_links(en)["vi"] == "../../../tin-tuc/cap-giay-chung-sinh-tai-trung-tam/"
    untranslated = built.soup("tin-tuc/tin-chi-co-tieng-viet/index.html")
    assert _switch_links(untranslated)["en"] == "../../en/news/"
    assert _switch_links(built.soup("lien-he/index.html"))["en"] == "../en/contact/"


def test_english_nav_lists_translated_sections(built):
    soup = built.soup("en/news/index.html")
    labels = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--primary > ul > li > a")]
    assert labels[:2] == ["Home", "Reform news"]
    assert "Contact and feedback" in labels


def test_vietnamese_urls_do_not_change_when_english_is_added(project, built):
    p = project()
    p.news("a.md", title="Tin chỉ có tiếng Việt", date="2026-03-01", chuyen_muc=["tin-hoat-dong"])
    p.news("b.md", title="Cấp Giấy chứng sinh tại Trung tâm", date="2026-04-01",
           chuyen_muc=["cai-cach-thu-tuc-hanh-chinh"], body="Nội dung tiếng Việt.")
    mono = p.build()
    assert mono.ok, mono.output
    def vi_pages(r):
        return {f.relative_to(r.site).as_posix() for f in r.files()
                if f.suffix == ".html" and not f.relative_to(r.site).as_posix().startswith("en/")}

    assert vi_pages(mono) == vi_pages(built)


def test_sitemaps_per_language_with_hreflang(built):
    root = built.read("sitemap.xml")
    assert "<loc>https://cchc.thu-nghiem.example/en/contact/</loc>" in root
    assert ('<xhtml:link rel="alternate" hreflang="en" '
            'href="https://cchc.thu-nghiem.example/en/news/birth-certificates-issued-at-the-centre/"/>') in root
    en = built.read("en/sitemap.xml")
    assert "<loc>https://cchc.thu-nghiem.example/en/contact/</loc>" in en
    assert "tin-tuc" not in en.replace('hreflang="vi"', "").split("<loc>", 1)[1].split("</loc>")[0]
    locs = [line.strip()[5:-6] for line in en.splitlines() if line.strip().startswith("<loc>")]
    assert locs and all(u.startswith("https://cchc.thu-nghiem.example/en/") for u in locs)


def test_head_alternates_do_not_trigger_material_sitemap_probes(built):
    html = built.read("tin-tuc/cap-giay-chung-sinh-tai-trung-tam/index.html")
    # Material's bundle probes link[rel=alternate] (exact value); ours carry the token with a
    # leading space so no 404 request for '<page>/sitemap.xml' is made.
    assert '<link rel="alternate"' not in html
    assert '<link rel=" alternate" href="../../en/news/birth-certificates-issued-at-the-centre/" hreflang="en">' in html


def test_notice_mode_shows_vietnamese_only_items(project):
    p = _make(project, untranslated="notice")
    r = p.build()
    assert r.ok, r.output
    listing = r.soup("en/news/index.html")
    cards = listing.select(".cchc-card")
    assert [c.select_one(".cchc-card__title a").get_text() for c in cards] == [
        "Birth certificates issued at the Centre", "Tin chỉ có tiếng Việt"]
    assert cards[1]["lang"] == "vi" and "Available in Vietnamese only" in cards[1].get_text()
    notice = r.soup("en/news/tin-chi-co-tieng-viet/index.html")
    assert "Available in Vietnamese only" in notice.get_text()
    assert notice.select_one("a[hreflang=vi]")["href"] == "../../../tin-tuc/tin-chi-co-tieng-viet/"
    assert _switch_links(r.soup("tin-tuc/tin-chi-co-tieng-viet/index.html"))["en"] == "../../en/news/tin-chi-co-tieng-viet/"


def test_english_file_errors_are_as_clear(project):
    p = _make(project)
    p.write("content/tin-tuc/a.en.md", "---\nsummary: No title here.\n---\n\nText.\n")
    r = p.cchc("check", "--lang", "en")
    assert r.returncode == 1
    assert "content/tin-tuc/a.en.md:2: title: required field is missing. Add a line 'title: …' (Tiêu đề tin bài)." in r.stderr


def test_translation_without_language_enabled_is_an_error(project):
    p = project()
    p.write("content/lien-he.en.md", "# Contact\n")
    r = p.cchc("check")
    assert r.returncode == 1
    assert "content/lien-he.en.md: -: tệp bản dịch ('en') nhưng trang chưa bật ngôn ngữ này." in r.stderr


def test_sitemap_gzip_copies_are_reused_only_for_the_same_sitemap(tmp_path):
    import gzip

    from cchc import buildcache
    from cchc.sitemap import CACHE_FORMAT, sitemap_files

    lastmod = {"tin-tuc/a/": "2026-05-01", "en/news/a/": "2026-05-01"}
    alternates = {"tin-tuc/a/": {"vi": "tin-tuc/a/", "en": "en/news/a/"}}
    first = {f.path: f.content for f in sitemap_files(lastmod, alternates, "https://x.example/", ["vi", "en"], str(tmp_path))}
    assert gzip.decompress(first["sitemap.xml.gz"]) == first["sitemap.xml"]
    cached = str(tmp_path / "sitemap-gz.pickle")
    kept = buildcache.load_side(cached, CACHE_FORMAT)["gz"]
    assert len(kept) == 2  # the two sitemaps' copies
    buildcache.save_side(cached, CACHE_FORMAT, {"gz": {k: b"recognisable" for k in kept}})
    again = {f.path: f.content for f in sitemap_files(lastmod, alternates, "https://x.example/", ["vi", "en"], str(tmp_path))}
    assert again["sitemap.xml.gz"] == b"recognisable" and again["sitemap.xml"] == first["sitemap.xml"]
    lastmod["tin-tuc/a/"] = "2026-05-02"
    changed = {f.path: f.content for f in sitemap_files(lastmod, alternates, "https://x.example/", ["vi", "en"], str(tmp_path))}
    assert gzip.decompress(changed["sitemap.xml.gz"]) == changed["sitemap.xml"] != first["sitemap.xml"]
    assert changed["en/sitemap.xml.gz"] == b"recognisable"  # the English sitemap did not change
