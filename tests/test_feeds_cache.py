"""Feeds served from the build cache (cchc.feeds.build.render with a cache): the same bytes as
serialising them, a dropped entry reported on every build, any changed input serialised again."""

from __future__ import annotations

import pickle
from datetime import datetime

import feedparser

from cchc import buildcache
from cchc.feeds.build import Category, Channel, Entry, FeedSpec, render
from cchc.timeutil import VN_TZ


def _entry(n: int, title: str) -> Entry:
    when = datetime(2026, 3, n, 8, 0, tzinfo=VN_TZ)
    return Entry(id=f"tag:bv.example,2026:tin/{n}", title=title, link=f"https://bv.example/tin/{n}/",
                 published=when, updated=when, summary=f"Tóm tắt {n}", content_html=f"<p>Nội dung {n}</p>",
                 description_html=f"<p>Tóm tắt {n}</p>", categories=[Category("cchc", "Cải cách hành chính")],
                 authors=["Phòng Tổ chức"], source=f"content/tin/{n}.md")


def _spec(entries: list[Entry]) -> FeedSpec:
    return FeedSpec(key="all", kind="all", lang="vi", title="Tin CCHC – Bệnh viện", description="Tin mới",
                    explanation="-", page_url="tin-tuc/", rss_path="rss/tin-tuc.xml", atom_path="atom/tin-tuc.xml",
                    id="tag:bv.example,2026:feed/tin-tuc", entries=entries, updated=entries[0].updated)


def _channel() -> Channel:
    return Channel(site_url="https://bv.example/", abs_url=lambda u: "https://bv.example/" + u,
                   unit_name="Bệnh viện Đa khoa", unit_email=None, logo_url=None, icon_url=None, rights=None, ttl=60)


def _render(cache, entries):
    spec = _spec(entries)
    dropped: list[tuple[str, str]] = []
    render(spec, _channel(), lambda e, detail: dropped.append((e.source, detail)), cache)
    return spec, dropped


def test_cached_feed_is_the_serialised_feed_and_still_reports_what_it_dropped(tmp_path):
    cache = buildcache.BuildCache(str(tmp_path / "cache.sqlite"), "fp")
    # A NUL byte is not XML: feedgen/lxml refuse this entry, the feed keeps the others.
    entries = [_entry(3, "Tin ba"), _entry(2, "Tin hai\x00"), _entry(1, "Tin một")]
    plain, plain_dropped = _render(None, list(entries))
    first, first_dropped = _render(cache, list(entries))
    assert cache.computed["feed"] == 1
    again, again_dropped = _render(cache, [_entry(3, "Tin ba"), _entry(2, "Tin hai\x00"), _entry(1, "Tin một")])
    assert cache.computed["feed"] == 1  # equal inputs: taken from the cache
    for spec, dropped in ((first, first_dropped), (again, again_dropped)):
        assert (spec.rss, spec.atom) == (plain.rss, plain.atom)
        assert [e.source for e in spec.entries] == ["content/tin/3.md", "content/tin/1.md"]
        assert [source for source, _ in dropped] == ["content/tin/2.md"] == [s for s, _ in plain_dropped]
    parsed = feedparser.parse(again.rss)
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["Tin ba", "Tin một"]
    cache.close()


def test_a_changed_entry_or_channel_is_serialised_again(tmp_path):
    cache = buildcache.BuildCache(str(tmp_path / "cache.sqlite"), "fp")
    _render(cache, [_entry(2, "Tin hai"), _entry(1, "Tin một")])
    changed, _ = _render(cache, [_entry(2, "Tin hai (sửa)"), _entry(1, "Tin một")])
    assert cache.computed["feed"] == 2
    assert "Tin hai (sửa)" in changed.rss.decode("utf-8")
    spec = _spec([_entry(2, "Tin hai (sửa)"), _entry(1, "Tin một")])
    other = _channel()
    other.unit_name = "Trung tâm Y tế"
    render(spec, other, lambda e, d: None, cache)
    assert cache.computed["feed"] == 3 and "Trung tâm Y tế" in spec.atom.decode("utf-8")  # the feed's author
    cache.close()


def test_an_entry_body_with_absolute_links_is_kept_and_follows_its_html_and_address(tmp_path):
    """The body of a feed entry with its links made absolute (`_absolute_html`) is kept in the
    build cache: a stored body is used (a wrong one planted there shows), another HTML or
    another address of the entry is made again, and without a cache it is always made."""
    from types import SimpleNamespace

    from cchc.feeds import _absolute_html
    from cchc.feeds.build import absolutize_html

    html = '<p>Xem <a href="../thu-tuc/1-014331/">thủ tục</a> và <img src="anh.png" alt="ảnh"></p>'
    link = "https://bv.example/tin-tuc/a/"
    cache = buildcache.BuildCache(str(tmp_path / "cache.sqlite"), "fp")
    site = SimpleNamespace(markdown=SimpleNamespace(cache=cache))
    made = _absolute_html(site, html, link)
    assert made == absolutize_html(html, link) and 'href="https://bv.example/tin-tuc/thu-tuc/1-014331/"' in made
    key = [k for (k,) in cache.db.execute("SELECT k FROM obj WHERE k LIKE 'absolute-html:%'")]
    assert len(key) == 1
    cache.db.execute("UPDATE obj SET v = ? WHERE k = ?", (pickle.dumps("<p>đã lưu</p>"), key[0]))
    assert _absolute_html(site, html, link) == "<p>đã lưu</p>"  # kept, not made again
    other = "https://bv.example/tin-tuc/b/"
    assert _absolute_html(site, html, other) == absolutize_html(html, other)
    assert _absolute_html(site, html + "<p>thêm</p>", link) == absolutize_html(html + "<p>thêm</p>", link)
    cache.close()
    assert _absolute_html(SimpleNamespace(markdown=SimpleNamespace(cache=None)), html, link) == made
