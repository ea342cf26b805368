"""Hostile text in every field reaches the feeds intact where it is text, cleaned where XML
cannot carry it, and never breaks a feed: control characters (raw and as YAML escapes and
HTML character references), a lone surrogate, ``]]>``, HTML and script tags, emoji, NFD."""

from __future__ import annotations

import unicodedata

import feedparser
import lxml.html
import pytest
from lxml import etree

from fixtures.feeds.feedcheck import ATOM_SCHEMA, RSS_SCHEMA, feed_files, jing
from test_feeds_build import NOW, PNG

NFD = unicodedata.normalize("NFD", "Hoà Bình khỏe")
# As written in YAML double quotes: form feed, SOH, combining acute (NFD), a lone surrogate.
Y = r'T\fi\x01e\u0302\u0301u ]]> <script>alert(1)</script> <b>đậm</b> & 🏥 Hoa\u0300 \ud800x'
# What every one-line field must read after cleaning: NFC, controls and the surrogate dropped.
CLEAN = "Tiếu ]]> <script>alert(1)</script> <b>đậm</b> & 🏥 Hoà x"
# Raw bytes pasted from office documents (form feed, vertical tab, DEL) in the file itself.
RAW = "Dán\x0c từ\x0b Word\x7f ]]> 🏥 " + NFD
RAW_CLEAN = "Dán từ Word ]]> 🏥 Hoà Bình khỏe"

FRONT = f'''title: "{Y} tiêu đề"
date: 2026-03-01 08:00
summary: "{Y} sapo"
chuyen_muc: [tin-doc-hai]
tags: ["{Y} từ khoá"]
author: "{Y} tác giả"
don_vi: "{Y} khoa"
image:
  src: anh/hop.png
  alt: "{Y} mô tả"
  caption: "{Y} chú thích"
nguon:
  ten: "{Y} nguồn"
  url: https://nguon.example/bai?a=1&b=2
gui_cong:
  - cong: "{Y} cổng"
'''

BODY = f"""Đoạn đầu {RAW}.

Tham chiếu ký tự: &#12; và &#1; và &#xD800; và &#x1F3E5; — kết thúc ]]> ở đây, <b>đậm</b>, `<script>alert(1)</script>`.

![Ảnh \\]\\]> & {NFD}](anh/hop.png)

[liên kết có & và \\]\\]>](https://example.org/?a=1&b=2)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import BASE_CONFIG, BASE_UNIT, Project, deep_merge

    p = Project(tmp_path_factory.mktemp("hostile") / "p", deep_merge(BASE_CONFIG, {}))
    p.set_plugin(
        don_vi={**BASE_UNIT, "ten": f"Trung tâm ]]> <b>Y tế</b> & 🏥 {NFD}"},
        chuyen_muc=[{"slug": "tin-doc-hai", "ten": f"Chuyên mục ]]> <i>lạ</i> & 🏥 {NFD}"}],
    )
    p.write("content/tin-tuc/anh/hop.png", PNG)
    p.write("content/tin-tuc/2026-03-01-doc-hai.md", f"---\n{FRONT}---\n\n{BODY}")
    r = p.build(now=NOW)
    assert r.ok, r.output
    return r


def _xml(built, rel):
    raw = (built.site / rel).read_bytes()
    d = feedparser.parse(raw)
    assert not d.bozo, (rel, d.get("bozo_exception"))
    return etree.fromstring(raw), raw


def test_feeds_parse_and_validate(built):
    rss, atom = feed_files(built.site)
    for path in rss + atom:
        d = feedparser.parse(path.read_bytes())
        assert not d.bozo, (path, d.get("bozo_exception"))
        data = path.read_bytes().decode("utf-8")
        assert not any(c in data for c in "\x00\x01\x0b\x0c\x7f\ufffe"), path
        assert unicodedata.is_normalized("NFC", data), path
    rc, out = jing(RSS_SCHEMA, rss)
    assert rc == 0, out
    rc, out = jing(ATOM_SCHEMA, atom)
    assert rc == 0, out


def test_every_rss_field_is_clean_and_exact(built):
    root, raw = _xml(built, "rss/chuyen-muc/tin-doc-hai.xml")
    ch = root.find("channel")
    unit = "Trung tâm ]]> <b>Y tế</b> & 🏥 Hoà Bình khỏe"
    assert ch.findtext("title") == f"Chuyên mục ]]> <i>lạ</i> & 🏥 Hoà Bình khỏe – {unit}"
    assert ch.findtext("managingEditor") == f"cchc@thu-nghiem.example ({unit})"
    item = ch.find("item")
    assert item.findtext("title") == CLEAN + " tiêu đề"
    dc = "{http://purl.org/dc/elements/1.1/}creator"
    assert [e.text for e in item.findall(dc)] == [CLEAN + " tác giả", CLEAN + " khoa"]
    assert [e.text for e in item.findall("category")] == ["Chuyên mục ]]> <i>lạ</i> & 🏥 Hoà Bình khỏe", CLEAN + " từ khoá"]
    # description: escaped summary inside CDATA whose ]]> cannot end the section early
    desc = lxml.html.fragment_fromstring(item.findtext("description"), create_parent="div")
    assert desc.xpath("string(./p[last()])") == CLEAN + " sapo"
    assert desc.find(".//img").get("alt") == CLEAN + " mô tả"
    assert b"<script>" not in raw.replace(b"&lt;script&gt;", b"")  # script only ever as text
    body = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    _check_body(body)


def _check_body(body: str) -> None:
    doc = lxml.html.fragment_fromstring(body, create_parent="div")
    text = doc.text_content()
    assert RAW_CLEAN in text
    assert "Tham chiếu ký tự:  và  và \ufffd và 🏥 — kết thúc ]]> ở đây" in text or \
        "Tham chiếu ký tự:  và  và  và 🏥 — kết thúc ]]> ở đây" in text
    assert [b.text for b in doc.iter("b")] == ["đậm"]
    assert doc.find(".//code").text == "<script>alert(1)</script>"
    assert not doc.findall(".//script")
    assert doc.find(".//figcaption").text == CLEAN + " chú thích"
    assert [i.get("alt") for i in doc.iter("img")] == [CLEAN + " mô tả", "Ảnh ]]> & Hoà Bình khỏe"]
    assert [a.get("href") for a in doc.iter("a")][:1] == ["https://example.org/?a=1&b=2"]
    assert [a.text for a in doc.iter("a")][0] == "liên kết có & và ]]>"
    assert doc.xpath("string(.//p[last()])") == "Nguồn: " + CLEAN + " nguồn"


def test_every_atom_field_is_clean_and_exact(built):
    root, _ = _xml(built, "atom/chuyen-muc/tin-doc-hai.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    e = root.find("a:entry", ns)
    assert e.findtext("a:title", namespaces=ns) == CLEAN + " tiêu đề"
    assert e.findtext("a:summary", namespaces=ns) == CLEAN + " sapo"
    assert [n.text for n in e.findall("a:author/a:name", ns)] == [CLEAN + " tác giả", CLEAN + " khoa"]
    assert [c.get("label") for c in e.findall("a:category", ns)] == [
        "Chuyên mục ]]> <i>lạ</i> & 🏥 Hoà Bình khỏe", CLEAN + " từ khoá"]
    _check_body(e.findtext("a:content", namespaces=ns))
    assert root.find("a:author/a:name", ns).text == "Trung tâm ]]> <b>Y tế</b> & 🏥 Hoà Bình khỏe"


def test_cleaning_is_reported_not_fatal(built):
    out = built.output
    assert ("content/tin-tuc/2026-03-01-doc-hai.md: nội dung: cảnh báo: có ký tự điều khiển không hiển thị "
            "(thường do dán từ Word/PDF) trong nội dung bài; nguồn tin RSS đã bỏ ký tự này.") in out
    assert "Traceback" not in out


def test_submission_pack_of_hostile_item(built):
    soup = built.soup("nguon-tin-rss/gui-cong/" + _pack_slug(built) + "/index.html")
    boxes = {ta["id"]: ta.get_text() for ta in soup.select("textarea")}
    assert boxes["tieu-de"] == CLEAN + " tiêu đề"
    assert boxes["sapo"] == CLEAN + " sapo"
    assert boxes["tac-gia"] == CLEAN + " tác giả"
    assert not soup.select(".cchc-pack-preview script")
    assert "\x0c" not in boxes["noi-dung-html"] and "]]>" in boxes["noi-dung-van-ban"]


def _pack_slug(built) -> str:
    (d,) = list((built.site / "nguon-tin-rss/gui-cong").iterdir())
    return d.name
