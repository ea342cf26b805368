"""Feed identifiers are permanent: a portal must not see a renamed or moved item as a new one."""

from __future__ import annotations

import feedparser

from test_feeds_build import NOW

BODY = "Nội dung."


def _ids(r, rel="rss/tin-tuc.xml"):
    d = feedparser.parse((r.site / rel).read_bytes())
    assert not d.bozo, d.get("bozo_exception")
    return [(e.id, e.link) for e in d.entries]


def _write_items(p, renamed: bool):
    """Two items; the second version has new titles and slugs (and the first an explicit slug)."""
    p.news("2026-03-01-a.md", title="Tiêu đề đã sửa lần hai" if renamed else "Tiêu đề ban đầu",
           date="2026-03-01 08:00", **({"slug": "duong-dan-moi"} if renamed else {}))
    p.news("2026-04-01-b.md", title="Bài B, tên mới" if renamed else "Bài B",
           id="urn:uuid:5a0c8a52-1f0e-4a53-8a0b-0e6d1c7f2b11", date="2026-04-01 08:00",
           **({"slug": "bai-b-doi-ten"} if renamed else {}))


def test_identifiers_survive_title_slug_and_site_layout_changes(project):
    p = project()
    _write_items(p, renamed=False)
    before = p.build(now=NOW)
    assert before.ok, before.output
    ids_before = {rel: _ids(before, rel) for rel in ("rss/tin-tuc.xml", "atom/tin-tuc.xml", "rss/chuyen-muc/tin-hoat-dong.xml")}

    _write_items(p, renamed=True)
    # the site also moves into a sub-folder of the same host (a layout change)
    p.config["site_url"] = "https://cchc.thu-nghiem.example/cchc/"
    p.save_config()
    after = p.build(now=NOW, site_dir=p.root / "site2")
    assert after.ok, after.output
    for rel, old in ids_before.items():
        new = _ids(after, rel)
        assert [i for i, _ in new] == [i for i, _ in old], rel
        assert [link for _, link in new] != [link for _, link in old], "links did change"
    assert [i for i, _ in ids_before["rss/tin-tuc.xml"]] == [
        "urn:uuid:5a0c8a52-1f0e-4a53-8a0b-0e6d1c7f2b11",
        "tag:cchc.thu-nghiem.example,2026:tin-tuc/2026-03-01-a",
    ]
    assert _ids(after)[1][1] == "https://cchc.thu-nghiem.example/cchc/tin-tuc/duong-dan-moi/"


def test_configured_prefix_keeps_identifiers_when_the_domain_changes(project):
    p = project()
    p.set_plugin(feeds={"tien_to_ma": "tag:cchc.thu-nghiem.example,2026:"})
    p.news("2026-03-01-a.md", title="Tin A", date="2026-03-01 08:00")
    first = p.build(now=NOW)
    assert first.ok, first.output
    p.config["site_url"] = "https://cchc.ten-mien-moi.example/"
    p.save_config()
    second = p.build(now=NOW, site_dir=p.root / "site2")
    assert second.ok, second.output
    assert [i for i, _ in _ids(first)] == [i for i, _ in _ids(second)] == ["tag:cchc.thu-nghiem.example,2026:tin-tuc/2026-03-01-a"]
    assert _ids(second)[0][1].startswith("https://cchc.ten-mien-moi.example/")


def test_duplicate_identifier_is_an_error_at_its_line(project):
    p = project()
    p.news("2026-03-01-a.md", title="Tin gốc", id="urn:uuid:11111111-2222-4333-8444-555555555555", date="2026-03-01")
    # staff copied the file to write a new item and kept the id line
    p.news("2026-03-02-b.md", title="Tin mới chép từ tin gốc", id="urn:uuid:11111111-2222-4333-8444-555555555555",
           date="2026-03-02")
    r = p.build(now=NOW)
    assert not r.ok
    assert ("content/tin-tuc/2026-03-02-b.md:3: id: mã định danh 'urn:uuid:11111111-2222-4333-8444-555555555555' "
            "trùng với tin content/tin-tuc/2026-03-01-a.md") in r.output
    assert "Xoá dòng 'id:' trong tệp này" in r.output
    assert "Traceback" not in r.output


def test_bad_prefix_setting_is_reported(project):
    p = project()
    p.set_plugin(feeds={"tien_to_ma": "cchc.thu-nghiem.example"})
    r = p.build(now=NOW)
    assert not r.ok
    assert "feeds.tien_to_ma" in r.output and "Traceback" not in r.output


def test_without_site_url_feeds_are_still_written_and_the_gap_reported(project):
    p = project()
    del p.config["site_url"]
    p.save_config()
    p.news("2026-03-01-a.md", title="Tin A", date="2026-03-01 08:00")
    r = p.build(now=NOW)
    assert r.ok, r.output
    assert "site_url: cảnh báo: chưa khai báo site_url" in r.output
    d = feedparser.parse((r.site / "rss/tin-tuc.xml").read_bytes())
    assert not d.bozo and [e.title for e in d.entries] == ["Tin A"]
    assert d.entries[0].id == "tag:trung-tam-y-te-khu-vuc-thu-nghiem.invalid,2026:tin-tuc/2026-03-01-a"
    # pages still announce the feeds, relative to the page
    links = [lk["href"] for lk in r.soup("tin-tuc/index.html").select('head link[type="application/rss+xml"]')]
    assert links == ["../rss/tin-tuc.xml"]
