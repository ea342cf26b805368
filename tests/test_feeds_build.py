"""Feeds end to end: a fixture site built with the real `mkdocs build`, every feed parsed with
feedparser and every field compared with the source; the feeds page, head links and the
submission packs checked in the output HTML and zip files."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from fixtures.feeds.feedcheck import feed_files, rss_date_problems

NOW = "2026-06-30 12:00"
SITE = "https://cchc.thu-nghiem.example/"
PREFIX = "tag:cchc.thu-nghiem.example,2026:"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
PNG2 = PNG + b"\x00" * 17  # a second image of another size (trailing bytes are ignored by decoders)


def make_project(root: Path, **plugin):
    from conftest import BASE_CONFIG, Project, deep_merge

    nav = BASE_CONFIG["nav"] + [{"Nguồn tin RSS": "nguon-tin-rss/index.md"}]
    p = Project(root, deep_merge(BASE_CONFIG, {"nav": nav}))
    p.set_plugin(
        languages={"en": {"site_name": "Reform – Test Health Centre"}},
        don_vi={**p.config["plugins"][0]["cchc"]["don_vi"], "en": {"ten": "Test Regional Health Centre"}},
        **plugin,
    )
    p.write("content/index.en.md", "---\ntemplate: cchc/home.html\ntitle: Home\n---\n\n# Reform\n")
    p.write("content/tin-tuc/anh/hop.png", PNG)
    p.write("content/tin-tuc/anh/so-do.png", PNG2)
    p.news(
        "2026-03-01-hoi-nghi.md", title="Hội nghị triển khai cải cách hành chính năm 2026",
        date="2026-03-01 08:30", updated="2026-03-02 09:15", change_note="Bổ sung ảnh sơ đồ.",
        summary="Trung tâm tổ chức hội nghị triển khai kế hoạch CCHC năm 2026.",
        chuyen_muc=["tin-hoat-dong", "cai-cach-thu-tuc-hanh-chinh"], tags=["BHYT", "dịch vụ công"],
        image={"src": "anh/hop.png", "alt": "Quang cảnh hội nghị", "caption": "Hội nghị sáng 01/3/2026"},
        author="Nguyễn Văn A", don_vi="Phòng Tổ chức – Hành chính",
        gui_cong=[{"cong": "Cổng CCHC tỉnh Mẫu", "trang_thai": "da_gui", "ngay_gui": "2026-03-03"}],
        nguon={"ten": "Sở Y tế tỉnh Mẫu", "url": "https://syt.tinh-mau.example/tin/1"},
        body=("Đoạn mở đầu với [tin về thể chế](2026-03-05-the-che.md) và [trang liên hệ](../lien-he.md).\n\n"
              "![Sơ đồ khu đón tiếp](anh/so-do.png)\n\n## Nội dung\n\n- mục một\n- mục **hai**\n"),
    )
    p.news(
        "2026-03-05-the-che.md", title="Rà soát văn bản quy phạm nội bộ", id="urn:uuid:0b7f3c1e-7d2a-4d4b-9a51-3f7b1c2d9e10",
        date="2026-03-05 14:00", summary="Rà soát 12 văn bản nội bộ.", chuyen_muc=["cai-cach-the-che"],
        don_vi="Phòng Tổ chức – Hành chính", body="Nội dung rà soát.",
    )
    for i, month in enumerate([4, 4, 5, 6]):
        p.news(f"2026-{month:02d}-1{i}-tin-{i}.md", title=f"Tin hoạt động số {i}", date=f"2026-{month:02d}-1{i} 07:0{i}",
               summary=f"Tóm tắt tin hoạt động số {i}.", chuyen_muc=["tin-hoat-dong"], body=f"Nội dung số {i}.")
    p.news("nhap.md", title="BẢN NHÁP DRAFTXYZZY", date="2026-01-05", draft=True, body="DRAFTXYZZY",
           gui_cong=[{"cong": "Cổng CCHC tỉnh Mẫu"}])
    p.news("tuong-lai.md", title="TIN TƯƠNG LAI FUTUREPLUGH", date="2026-07-05 08:00", body="FUTUREPLUGH",
           gui_cong=[{"cong": "Cổng CCHC tỉnh Mẫu"}])
    p.news("khong-rss.md", title="TIN NỘI BỘ NORSSQUUX", date="2026-02-01", rss=False, body="NORSSQUUX")
    p.write("content/tin-tuc/2026-03-05-the-che.en.md",
            "---\ntitle: Review of internal rules\nsummary: Twelve internal documents reviewed.\n---\n\nEnglish body.\n")
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    p = make_project(tmp_path_factory.mktemp("feeds") / "p", feeds={"so_tin": 4, "ttl": 90})
    r = p.build(now=NOW)
    assert r.ok, r.output
    return r


def parse(built, rel):
    raw = (built.site / rel).read_bytes()
    d = feedparser.parse(raw)
    assert not d.bozo, (rel, d.get("bozo_exception"))
    return d, raw


def assert_full_content(content: str) -> None:
    """The full content of the rich item, as a feed reader sees it (parsed HTML)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(content, "lxml")
    assert [(i["src"], i["alt"]) for i in soup.find_all("img")] == [
        (SITE + "tin-tuc/anh/hop.png", "Quang cảnh hội nghị"), (SITE + "tin-tuc/anh/so-do.png", "Sơ đồ khu đón tiếp")]
    assert soup.figcaption.get_text() == "Hội nghị sáng 01/3/2026"
    assert [a["href"] for a in soup.find_all("a")] == [
        SITE + "tin-tuc/ra-soat-van-ban-quy-pham-noi-bo/", SITE + "lien-he/", "https://syt.tinh-mau.example/tin/1"]
    assert [li.get_text() for li in soup.find_all("li")] == ["mục một", "mục hai"]
    assert soup.find("strong").get_text() == "hai"
    assert soup.find_all("p")[-1].get_text() == "Nguồn: Sở Y tế tỉnh Mẫu"


def test_every_feed_parses_without_errors(built):
    rss, atom = feed_files(built.site)
    names = {p.relative_to(built.site).as_posix() for p in rss + atom}
    # all news, portal, every category (6 reform areas + 1 unit category), in vi and en
    for prefix in ("", "en/"):
        for kind in ("rss", "atom"):
            assert f"{prefix}{kind}/tin-tuc.xml" in names
            assert f"{prefix}{kind}/gui-cong.xml" in names
            assert len([n for n in names if n.startswith(f"{prefix}{kind}/chuyen-muc/")]) == 7
    for path in rss + atom:
        d = feedparser.parse(path.read_bytes())
        assert not d.bozo, (path, d.get("bozo_exception"))
        assert d.version == ("rss20" if "/rss/" in path.as_posix() else "atom10")
        assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    for path in rss:
        assert rss_date_problems(path.read_bytes()) == [], path


def test_all_news_items_newest_first_limited_by_setting(built):
    d, _ = parse(built, "rss/tin-tuc.xml")
    titles = [e.title for e in d.entries]
    # 8 items are published and syndicated (the 6 above + none of draft/future/rss:false); so_tin = 4.
    assert titles == ["Tin hoạt động số 3", "Tin hoạt động số 2", "Tin hoạt động số 1", "Tin hoạt động số 0"]
    d, _ = parse(built, "atom/tin-tuc.xml")
    assert [e.title for e in d.entries] == titles


def test_rss_item_fields_match_source(built):
    d, raw = parse(built, "rss/chuyen-muc/cai-cach-thu-tuc-hanh-chinh.xml")
    assert len(d.entries) == 1
    e = d.entries[0]
    link = SITE + "tin-tuc/hoi-nghi-trien-khai-cai-cach-hanh-chinh-nam-2026/"
    assert e.title == "Hội nghị triển khai cải cách hành chính năm 2026"
    assert e.link == link
    assert e.id == PREFIX + "tin-tuc/2026-03-01-hoi-nghi"
    assert e.guidislink is False
    assert b'<guid isPermaLink="false">' + (PREFIX + "tin-tuc/2026-03-01-hoi-nghi").encode() + b"</guid>" in raw
    assert b"<pubDate>Sun, 01 Mar 2026 08:30:00 +0700</pubDate>" in raw
    # description: lead image + summary, as CDATA
    assert b"<description><![CDATA[" in raw and b"<content:encoded><![CDATA[" in raw
    assert "Trung tâm tổ chức hội nghị triển khai kế hoạch CCHC năm 2026." in e.summary
    assert SITE + "tin-tuc/anh/hop.png" in e.summary and 'alt="Quang cảnh hội nghị"' in e.summary
    # full content: lead figure with caption, body with absolute links and images, source
    content = e.content[0].value
    assert_full_content(content)
    # categories: labels of the two categories (domain = scheme), then the tags
    assert [t.term for t in e.tags] == ["Tin hoạt động CCHC", "Cải cách thủ tục hành chính", "BHYT", "dịch vụ công"]
    assert f'<category domain="{SITE}tin-tuc/chuyen-muc/">Cải cách thủ tục hành chính</category>'.encode() in raw
    # author and department
    assert [a["name"] for a in e.authors] == ["Nguyễn Văn A", "Phòng Tổ chức – Hành chính"]
    assert "<dc:creator>Nguyễn Văn A</dc:creator>".encode() in raw
    # enclosure with exact length and type
    enc = [lk for lk in e.links if lk.rel == "enclosure"]
    assert enc == [{"rel": "enclosure", "href": SITE + "tin-tuc/anh/hop.png", "length": str(len(PNG)), "type": "image/png"}]


def test_atom_entry_fields_match_source(built):
    d, raw = parse(built, "atom/chuyen-muc/cai-cach-thu-tuc-hanh-chinh.xml")
    e = d.entries[0]
    assert e.id == PREFIX + "tin-tuc/2026-03-01-hoi-nghi"
    assert e.link == SITE + "tin-tuc/hoi-nghi-trien-khai-cai-cach-hanh-chinh-nam-2026/"
    assert b"<published>2026-03-01T08:30:00+07:00</published>" in raw
    assert b"<updated>2026-03-02T09:15:00+07:00</updated>" in raw
    assert e.summary == "Trung tâm tổ chức hội nghị triển khai kế hoạch CCHC năm 2026."
    assert e.summary_detail.type == "text/plain"
    assert e.content[0].type == "text/html"
    assert_full_content(e.content[0].value)
    assert [a["name"] for a in e.authors] == ["Nguyễn Văn A", "Phòng Tổ chức – Hành chính"]
    assert [(t.term, t.label, t.scheme) for t in e.tags][:2] == [
        ("tin-hoat-dong", "Tin hoạt động CCHC", SITE + "tin-tuc/chuyen-muc/"),
        ("cai-cach-thu-tuc-hanh-chinh", "Cải cách thủ tục hành chính", SITE + "tin-tuc/chuyen-muc/"),
    ]
    enc = [lk for lk in e.links if lk.rel == "enclosure"]
    assert enc[0]["length"] == str(len(PNG)) and enc[0]["type"] == "image/png"


def test_front_matter_id_is_the_identifier(built):
    d, _ = parse(built, "rss/chuyen-muc/cai-cach-the-che.xml")
    assert [e.id for e in d.entries] == ["urn:uuid:0b7f3c1e-7d2a-4d4b-9a51-3f7b1c2d9e10"]
    d, _ = parse(built, "atom/chuyen-muc/cai-cach-the-che.xml")
    assert [e.id for e in d.entries] == ["urn:uuid:0b7f3c1e-7d2a-4d4b-9a51-3f7b1c2d9e10"]
    # the translation is another entry of another feed, with its own identifier
    d, _ = parse(built, "en/atom/tin-tuc.xml")
    assert [(e.title, e.id) for e in d.entries] == [
        ("Review of internal rules", PREFIX + "en/tin-tuc/2026-03-05-the-che.en")]
    assert d.entries[0].link == SITE + "en/news/review-of-internal-rules/"
    assert d.feed.language == "en" and d.feed.title.endswith("Test Regional Health Centre")


def test_channel_fields(built):
    d, raw = parse(built, "rss/tin-tuc.xml")
    f = d.feed
    assert f.title == "Tin tức CCHC – Trung tâm Y tế khu vực Thử Nghiệm"
    assert f.link == SITE + "tin-tuc/"
    assert f.subtitle.startswith("Tin, bài mới nhất của chuyên mục cải cách hành chính")
    assert f.language == "vi"
    assert f.image.href == SITE + "assets/images/favicon.png"
    assert b'<atom:link href="' + SITE.encode() + b'rss/tin-tuc.xml" rel="self" type="application/rss+xml"/>' in raw
    # the newest content date of the feed, never the clock
    assert b"<lastBuildDate>Sat, 13 Jun 2026 07:03:00 +0700</lastBuildDate>" in raw
    assert b"<ttl>90</ttl>" in raw
    assert "<managingEditor>cchc@thu-nghiem.example (Trung tâm Y tế khu vực Thử Nghiệm)</managingEditor>".encode() in raw
    d, raw = parse(built, "atom/tin-tuc.xml")
    assert d.feed.id == PREFIX + "feed/tin-tuc"
    assert b"<updated>2026-06-13T07:03:00+07:00</updated>" in raw.split(b"<entry>")[0]
    assert {(lk.rel, lk.href) for lk in d.feed.links} == {("self", SITE + "atom/tin-tuc.xml"), ("alternate", SITE + "tin-tuc/")}
    assert d.feed.logo == SITE + "assets/images/favicon.png"
    # an empty category feed is valid and dated by the newest item of the site's language
    d, raw = parse(built, "rss/chuyen-muc/cai-cach-tai-chinh-cong.xml")
    assert d.entries == [] and b"<lastBuildDate>Sat, 13 Jun 2026 07:03:00 +0700</lastBuildDate>" in raw
    # ... and, as the category has no page yet, its channel link is the news list (never a 404)
    assert d.feed.link == SITE + "tin-tuc/"
    assert not (built.site / "tin-tuc/chuyen-muc/cai-cach-tai-chinh-cong").exists()
    d, _ = parse(built, "rss/chuyen-muc/cai-cach-the-che.xml")
    assert d.feed.link == SITE + "tin-tuc/chuyen-muc/cai-cach-the-che/"


def test_drafts_future_and_not_syndicated_are_in_no_feed(built):
    rss, atom = feed_files(built.site)
    for path in rss + atom:
        data = path.read_bytes()
        for marker in (b"DRAFTXYZZY", b"FUTUREPLUGH", b"NORSSQUUX"):
            assert marker not in data, (path, marker)
    assert "NORSSQUUX" not in built.read("nguon-tin-rss/index.html")


def test_portal_feed_holds_only_marked_items(built):
    for rel in ("rss/gui-cong.xml", "atom/gui-cong.xml"):
        d, _ = parse(built, rel)
        assert [e.title for e in d.entries] == ["Hội nghị triển khai cải cách hành chính năm 2026"]


def test_category_feeds_hold_only_their_category(built):
    d, _ = parse(built, "rss/chuyen-muc/tin-hoat-dong.xml")
    assert len(d.entries) == 4  # 5 items in the category, so_tin = 4
    for e in d.entries:
        assert "Tin hoạt động CCHC" in [t.term for t in e.tags]


def test_pages_announce_their_feeds(built):
    def alternates(rel):
        soup = built.soup(rel)
        return {(lk["type"], lk["href"]) for lk in soup.select('head link[rel="alternate"][type]')}

    home = alternates("index.html")
    assert ("application/rss+xml", SITE + "rss/tin-tuc.xml") in home
    assert ("application/atom+xml", SITE + "atom/tin-tuc.xml") in home
    cat = alternates("tin-tuc/chuyen-muc/tin-hoat-dong/index.html")
    assert cat == {(t, SITE + f"{k}/{f}.xml") for t, k in (("application/rss+xml", "rss"), ("application/atom+xml", "atom"))
                   for f in ("tin-tuc", "chuyen-muc/tin-hoat-dong")}
    item = alternates("tin-tuc/hoi-nghi-trien-khai-cai-cach-hanh-chinh-nam-2026/index.html")
    assert ("application/rss+xml", SITE + "rss/tin-tuc.xml") in item
    en = alternates("en/index.html")
    assert ("application/rss+xml", SITE + "en/rss/tin-tuc.xml") in en
    assert ("application/rss+xml", SITE + "rss/tin-tuc.xml") not in en
    assert alternates("lien-he/index.html") >= {("application/rss+xml", SITE + "rss/tin-tuc.xml")}


def test_feeds_page_lists_every_feed(built):
    soup = built.soup("nguon-tin-rss/index.html")
    assert soup.h1.get_text(strip=True) == "Nguồn tin RSS"
    text = soup.get_text(" ", strip=True)
    assert "mã định danh cố định" in text and "+07:00" in text
    hrefs = {a["href"] for a in soup.select("a[href]")}
    rss, atom = feed_files(built.site)
    for path in rss + atom:
        url = SITE + path.relative_to(built.site).as_posix()
        assert url in hrefs, url
        assert url in text  # shown in full, to copy or print
    # it is in the navigation, rendered by MkDocs as a page of the site
    nav = [a.get_text(strip=True) for a in built.soup("index.html").select(".md-nav__link")]
    assert "Nguồn tin RSS" in nav
    # the pack list links the page and the download of each marked item
    packs = soup.select(".cchc-pack-list li")
    assert len(packs) == 1 and "Cổng CCHC tỉnh Mẫu: đã gửi" in packs[0].get_text(" ", strip=True)


def test_submission_pack_page_and_download(built):
    base = "nguon-tin-rss/gui-cong/hoi-nghi-trien-khai-cai-cach-hanh-chinh-nam-2026/"
    soup = built.soup(base + "index.html")
    boxes = {ta["id"]: ta.get_text() for ta in soup.select("textarea")}
    assert boxes["tieu-de"] == "Hội nghị triển khai cải cách hành chính năm 2026"
    assert boxes["sapo"] == "Trung tâm tổ chức hội nghị triển khai kế hoạch CCHC năm 2026."
    assert boxes["tac-gia"] == "Nguyễn Văn A"
    assert boxes["don-vi"] == "Phòng Tổ chức – Hành chính – Trung tâm Y tế khu vực Thử Nghiệm"
    assert boxes["lien-ket"] == SITE + "tin-tuc/hoi-nghi-trien-khai-cai-cach-hanh-chinh-nam-2026/"
    assert boxes["ma-dinh-danh"] == PREFIX + "tin-tuc/2026-03-01-hoi-nghi"
    assert f'href="{SITE}lien-he/"' in boxes["noi-dung-html"]  # HTML to paste: absolute addresses
    assert "- mục một\n- mục hai" in boxes["noi-dung-van-ban"]
    # each box is labelled (WCAG 1.3.1), readable and selectable without JavaScript
    for ta in soup.select("textarea"):
        assert soup.select_one(f'label[for="{ta["id"]}"]') is not None and ta.has_attr("readonly")
    # images with their alternative text and caption; addresses work before deployment
    figs = soup.select("figure.cchc-figure img")
    assert [img["alt"] for img in figs] == ["Quang cảnh hội nghị", "Sơ đồ khu đón tiếp"]
    for img in figs:
        assert not img["src"].startswith("http")
        assert (built.site / base / img["src"]).resolve().is_file()
    assert soup.select_one(".cchc-pack-preview strong").get_text() == "hai"
    # the body's headings sit under the page's "Nội dung" heading, without clashing ids
    assert [h.get_text() for h in soup.select(".cchc-pack-preview h3")] == ["Nội dung"]
    ids = [el["id"] for el in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    # the download
    href = soup.select_one('a[download][href$=".zip"]')["href"]
    zf = zipfile.ZipFile(io.BytesIO((built.site / base / href).read_bytes()))
    assert zf.namelist() == ["thong-tin.txt", "noi-dung.html", "noi-dung.txt", "anh/01-hop.png", "anh/02-so-do.png"]
    assert zf.read("anh/01-hop.png") == PNG and zf.read("anh/02-so-do.png") == PNG2
    info = zf.read("thong-tin.txt").decode("utf-8-sig")
    for expected in ("Hội nghị triển khai cải cách hành chính năm 2026", "Trung tâm tổ chức hội nghị",
                     "TÁC GIẢ: Nguyễn Văn A", "ĐƠN VỊ: Phòng Tổ chức – Hành chính – Trung tâm Y tế khu vực Thử Nghiệm",
                     SITE + "tin-tuc/hoi-nghi-trien-khai-cai-cach-hanh-chinh-nam-2026/",
                     "anh/01-hop.png: Quang cảnh hội nghị (chú thích: Hội nghị sáng 01/3/2026)"):
        assert expected in info, expected
    doc = etree.HTML(zf.read("noi-dung.html"))
    assert [i.get("src") for i in doc.iter("img")] == ["anh/01-hop.png", "anh/02-so-do.png"]
    assert {i.date_time for i in zf.infolist()} == {(2026, 3, 2, 9, 15, 0)}
    # draft and future items get no pack; the rss:false item is not marked
    packs = sorted(p.name for p in (built.site / "nguon-tin-rss/gui-cong").iterdir())
    assert packs == ["hoi-nghi-trien-khai-cai-cach-hanh-chinh-nam-2026"]
