"""The search index files: format, ranking data, extraction, settings and the build cache."""

from __future__ import annotations

import json
import unicodedata

from cchc.search.extract import content_text
from cchc.search.index import INDEX_DIR, Doc, build
from cchc.site import load_site


def decode(arr: list[int]) -> list[tuple[int, int]]:
    out, doc = [], 0
    for p in arr:
        doc += p >> 4
        out.append((doc, p & 15))
    return out


def files_json(built, lang="vi"):
    base = f"{INDEX_DIR}/{lang}/"
    vocab = json.loads(built.files[base + "vocab.json"])
    shards = {name: json.loads(built.files[f"{base}t/{name}.json"]) for _, name in vocab["shards"]}
    rows = []
    for name in vocab["chunks"]:
        rows += json.loads(built.files[f"{base}d/{name}.json"])
    return vocab, shards, rows


DOCS = [
    Doc(url="tin-tuc/a/", kind="news", title="Hòa giải tại trạm", lead="Tin về hoà giải.", body="hòa " * 5 + "bệnh viện",
        date="2026-03-01"),
    Doc(url="thu-tuc/1-014331/", kind="procedure", title="Cấp Giấy chứng sinh", lead="Mã thủ tục 1.014331.",
        body=unicodedata.normalize("NFD", "Thân nhân nộp tờ khai giấy chứng sinh."), code="1.014331", keywords=["GCS"]),
    Doc(url="tin-tuc/b/", kind="news", title="Hoa hồng", body="tặng hoa cho người bệnh", date="2026-04-01"),
]


def test_vocabulary_shards_and_postings():
    built = build(DOCS, {"GCS": ["giấy chứng sinh"]})
    vocab, shards, rows = files_json(built)
    keys = vocab["keys"].split(" ")
    assert keys == sorted(keys) and len(keys) == len(set(keys)) == len(vocab["df"]) == built.keys
    starts = [s[0] for s in vocab["shards"]]
    assert starts[0] == 0 and starts == sorted(starts)
    # every key is in the shard the vocabulary says
    for i, key in enumerate(keys):
        s = max(j for j, st in enumerate(starts) if st <= i)
        assert key in shards[vocab["shards"][s][1]], key
    # documents: procedures first, then news oldest first (a new item takes the next number)
    assert [r[0] for r in rows] == ["thu-tuc/1-014331/", "tin-tuc/a/", "tin-tuc/b/"]
    assert vocab["dk"] == "pnn" and vocab["n"] == 3
    assert rows[0][5] == "1.014331" and rows[0][2] == "procedure"
    by_url = {r[0]: i for i, r in enumerate(rows)}

    hoa = next(shards[n]["hoa"] for _, n in vocab["shards"] if "hoa" in shards[n])
    # "hòa" and "hoà" are one exact form; "hoa" is another; both under the key "hoa"
    assert set(hoa) == {"hòa", "hoa"}
    a = dict(decode(hoa["hòa"]))[by_url["tin-tuc/a/"]]
    assert a & 8 and a & 4 and (a & 3) == 3  # in the title, in the lead, 5 times in the body
    b = dict(decode(hoa["hoa"]))[by_url["tin-tuc/b/"]]
    assert b & 8 and (b & 3) == 1
    assert vocab["df"][keys.index("hoa")] == 2

    # the NFD body and the code are indexed in their NFC / digits-only forms
    allkeys = {k for sh in shards.values() for k in sh}
    assert {"giay", "chung", "sinh", "1014331", "gcs"} <= allkeys
    code = next(shards[n]["1014331"] for _, n in vocab["shards"] if "1014331" in shards[n])
    assert dict(decode(code["1014331"]))[by_url["thu-tuc/1-014331/"]] & 4  # lead (the code field)
    assert vocab["syn"] == {"gcs": ["giấy chứng sinh"]}


def test_file_names_follow_content_and_output_is_reproducible():
    a = build(DOCS, {})
    b = build(list(reversed(DOCS)), {})
    assert a.files == b.files
    c = build(DOCS[:2], {})
    assert set(c.files) != set(a.files)


def test_extraction_keeps_content_and_drops_chrome():
    html = """<html><body><header class="md-header">Đầu trang</header><nav>Menu</nav>
    <div class="md-content"><article class="md-content__inner md-typeset">
    <h1>Tiêu đề<a class="headerlink" href="#x">¶</a></h1>
    <p>Đoạn <strong>một</strong>&nbsp;&amp; hai</p><table><tr><td>ô1</td><td>ô2</td></tr></table>
    <script>var x = "mã độc";</script><svg><title>biểu tượng</title></svg>
    </article></div><footer>Chân trang</footer></body></html>"""
    text = content_text(html)
    assert text.split() == ["Đoạn", "một", "&", "hai", "ô1", "ô2"]
    excluded = html.replace("<p>Đoạn", '<p data-search-exclude>Ẩn</p><p>Đoạn')
    assert content_text(excluded).split() == text.split()


def test_bad_abbreviation_settings_are_reported_in_vietnamese(project):
    p = project()
    p.set_plugin(tu_viet_tat={"BẢO HIỂM": "bảo hiểm", "XYZ": " ; ", "CDHA": "chẩn đoán hình ảnh; siêu âm"})
    r = p.cchc("check")
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    lines = [ln for ln in out.splitlines() if "tu_viet_tat" in ln]
    assert len(lines) == 2, out
    assert lines[0].startswith("mkdocs.yml:") and "tu_viet_tat.BẢO HIỂM: " in lines[0] and "phải là một từ liền" in lines[0], out
    assert "tu_viet_tat.XYZ: " in lines[1] and "chưa có nghĩa đầy đủ" in lines[1] and "BHYT: bảo hiểm y tế" in lines[1], out
    assert "Traceback" not in out


def test_cache_reuses_unchanged_pages_and_sees_changed_ones(project):
    p = project()
    p.news("2026-03-01-a.md", title="Tin thứ nhất", date="2026-03-01 08:00", body="Nội dung đầu tiên.")
    p.news("2026-03-02-b.md", title="Tin thứ hai", date="2026-03-02 08:00", body="Nội dung thứ hai.")
    r = p.build()
    assert r.ok, r.output
    vocab_path = r.site / INDEX_DIR / "vi" / "vocab.json"
    before = vocab_path.read_bytes()

    import os

    os.environ["CCHC_NOW"] = "2026-06-30 12:00"
    try:
        site = load_site(str(p.root / "mkdocs.yml"))
        mod = site.module("search")
        mod.post_build(site, str(r.site))
        assert site.data["search"]["stats"]["counted"] == 0  # everything came from the cache
        assert vocab_path.read_bytes() == before

        page = next(r.site.glob("tin-tuc/tin-thu-hai/index.html"))
        page.write_text(page.read_text(encoding="utf-8").replace("Nội dung thứ hai.", "Nội dung thứ hai, từ mớitinhkhôi."),
                        encoding="utf-8")
        mod.post_build(site, str(r.site))
        assert site.data["search"]["stats"]["counted"] == 1
        assert site.data["search"]["stats"]["patched"] == ["vi"]  # one page changed: the index is patched
        blob = "".join(f.read_text(encoding="utf-8") for f in (r.site / INDEX_DIR).rglob("*.json"))
        assert "mớitinhkhôi" in blob
        patched = {f.relative_to(r.site): f.read_bytes() for f in (r.site / INDEX_DIR).rglob("*") if f.is_file()}
        # The same index built in full, without the cache: the same files.
        import shutil

        shutil.rmtree(p.root / ".cache" / "cchc" / "search")
        mod.post_build(site, str(r.site))
        assert site.data["search"]["stats"]["patched"] == []
        assert {f.relative_to(r.site): f.read_bytes() for f in (r.site / INDEX_DIR).rglob("*") if f.is_file()} == patched
    finally:
        os.environ.pop("CCHC_NOW", None)


def _index_files(site) -> dict:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in (site / INDEX_DIR).rglob("*") if f.is_file()}


def test_a_new_item_patches_the_index_a_back_dated_one_rebuilds_it(project):
    """Rebuilds after staff publish today's item, or unpublish it, patch the search index
    (news are numbered oldest first, so the new item takes the next number); an item dated
    among old ones renumbers the later news and the index is built in full. Either way the
    files are those of a build from scratch."""
    import shutil

    p = project()
    for day in range(1, 6):
        p.news(f"2026-03-0{day}-tin.md", title=f"Tin ngày {day} tháng ba", date=f"2026-03-0{day} 08:00",
               body=f"Nội dung của tin ngày {day}, về hồ sơ khám bệnh.")
    assert p.build().ok

    def rebuild(expect: str) -> None:
        r = p.build("-v")
        assert r.ok, r.output
        line = next(x for x in r.output.splitlines() if "cchc: search index:" in x)
        assert expect in line, line
        shutil.rmtree(p.root / ".cache")
        cold = p.build(site_dir=p.root / "cold")
        assert cold.ok and _index_files(cold.site) == _index_files(r.site)

    p.news("2026-06-29-moi.md", title="Tin mới đăng hôm nay", date="2026-06-29 08:00", body="Từ mớiđăng, hồ sơ.")
    rebuild("patched ['vi']")
    for f in (p.root / "content").rglob("2026-06-29-moi.md"):  # unpublished again
        f.unlink()
    rebuild("patched ['vi']")
    p.news("2026-01-15-cu.md", title="Tin đăng bổ sung ngày cũ", date="2026-01-15 08:00", body="Bổ sung.")
    rebuild("built in full ['vi']")


def test_a_cached_page_count_reads_its_text_and_counts_only_when_asked():
    import pickle

    from cchc.search.index import count

    doc = Doc(url="tin-tuc/a/", kind="news", title="Cải cách hành chính", lead="Tóm tắt", date="2026-05-01",
              code="", keywords=["bhyt"], body="Người dân nộp hồ sơ trực tuyến.")
    counted = count(doc)
    again = pickle.loads(pickle.dumps(counted))
    assert (again.url, again.kind, again.date, again.code) == (doc.url, doc.kind, doc.date, doc.code)
    assert "_blob" in vars(again) and "bits" not in vars(again)  # what orders the pages, nothing more
    assert pickle.loads(pickle.dumps(again)) == counted  # written back unread, it is the same record
    assert again.title == doc.title and "_blob" not in vars(again)
    assert again == counted and list(again.bits.items()) == list(counted.bits.items())
    try:
        again.nothing
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown attribute must raise")


def test_a_build_stopped_in_search_leaves_no_stale_entry_behind(project, tmp_path):
    """A page kept by the next build takes its search entry from the last one only while the
    build cache's page keys and the search record come from the same build: a build stopped
    after committing its keys but before saving the search record must not leave the old
    keywords of a procedure (which its HTML does not show) in the index."""
    import subprocess
    import sys

    from test_procedures_build import CONFIG, yml

    p = project(CONFIG)
    p.write("procedures/1.999001.yml", yml("1.999001", "Thủ tục thử", extra="tu_khoa: [tucu]\n"))
    stopper = tmp_path / "stop_in_search.py"
    stopper.write_text(
        "import sys\nimport cchc.search as s\n"
        "def stop(self, site, site_dir):\n    raise KeyboardInterrupt('stopped in search')\n"
        "s.SearchModule.post_build = stop\n"
        "from mkdocs.__main__ import cli\nsys.exit(cli())\n", "utf-8")

    def index_text(site) -> str:
        return "".join(f.read_text("utf-8") for f in sorted((site / INDEX_DIR).rglob("*.json")))

    assert p.build().ok
    p.write("procedures/1.999001.yml", yml("1.999001", "Thủ tục thử", extra="tu_khoa: [tumoi]\n"))
    stopped = subprocess.run([sys.executable, str(stopper), "build", "-f", str(p.root / "mkdocs.yml"),
                              "-d", str(p.root / "site")], cwd=p.root, env=p.env("2026-06-30 12:00"),
                             capture_output=True, text=True, timeout=600)
    assert stopped.returncode != 0 and "Aborted!" in stopped.stdout + stopped.stderr  # click reports the interrupt
    warm = p.build()
    assert warm.ok, warm.output
    assert "tumoi" in index_text(warm.site) and "tucu" not in index_text(warm.site)
    cold = p.build(site_dir=tmp_path / "cold", strict=True)
    assert index_text(cold.site) == index_text(warm.site)


def test_a_build_that_changed_nothing_keeps_the_search_record_trusted(project, tmp_path):
    """A build that finds every page as the last one left it writes no index, but still
    records that the search record holds for it: the next build, after one edit, takes the
    other pages' entry digests from it instead of computing the metadata of every page again,
    and its index equals a cold build's."""
    import subprocess
    import sys

    p = project()
    for i in range(1, 7):
        p.news(f"2026-03-0{i}-tin.md", title=f"Tin số {i}", date=f"2026-03-0{i} 08:00", body=f"Nội dung tin {i}.")
    counter = tmp_path / "count_meta.py"
    counter.write_text(
        "import atexit, sys\nimport cchc.search as s\ncalls = []\nreal = s.page_meta\n"
        "def page_meta(out):\n    calls.append(out.url)\n    return real(out)\n"
        "s.page_meta = page_meta\n"
        "atexit.register(lambda: print('page_meta calls:', len(calls)))\n"
        "from mkdocs.__main__ import cli\nsys.exit(cli())\n", "utf-8")

    def build() -> int:
        r = subprocess.run([sys.executable, str(counter), "build", "-f", str(p.root / "mkdocs.yml"),
                            "-d", str(p.root / "site")], cwd=p.root, env=p.env("2026-06-30 12:00"),
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        return int(r.stdout.rsplit("page_meta calls:", 1)[1].split()[0])

    def index_text(site) -> str:
        return "".join(f.read_text("utf-8") for f in sorted((site / INDEX_DIR).rglob("*.json")))

    assert build() >= 6  # cold: every indexed page (counted as written)
    assert build() == 0  # nothing changed
    p.news("2026-03-03-tin.md", title="Tin số 3", date="2026-03-03 08:00", body="Nội dung tin 3, có thêm câu.")
    assert build() <= 1  # only the edited page, as it is written: the others' digests are trusted
    cold = p.build(site_dir=tmp_path / "cold", strict=True)
    assert index_text(p.root / "site") == index_text(cold.site)
    assert "thêm" in index_text(cold.site)


def test_the_counted_pages_are_kept_as_a_base_and_a_small_delta(tmp_path):
    """After a few pages changed, only what differs from the last full copy is written; what
    is read back is always the pages as the last build left them; a delta grown past a tenth
    of the pages makes a new full copy; a delta left for another copy is not applied."""
    import os

    from cchc.search import DELTA_SHARE, _delta_path, _load_pages, _save_pages

    cache = str(tmp_path / "pages.pickle")
    pages = {f"tin-tuc/{i}/": (f"d{i}", f"counts {i}") for i in range(100)}
    assert _load_pages(cache) == ({}, None, {})
    _save_pages(cache, pages, {}, None)
    base, base_id, now = _load_pages(cache)
    assert now == pages == base and base_id
    size = os.path.getsize(cache)

    def build(change) -> dict:
        base_, id_, last = _load_pages(cache)
        new = {url: last[url] for url in last}  # kept entries: the objects read back
        change(new)
        _save_pages(cache, new, base_, id_)
        assert _load_pages(cache)[2] == new
        return new

    build(lambda p: p.update({"tin-tuc/3/": ("d3b", "counts 3b")}))
    build(lambda p: (p.pop("tin-tuc/4/"), p.update({"tin-tuc/new/": ("dn", "counts new")})))
    latest = build(lambda p: p.update({"tin-tuc/3/": ("d3c", "counts 3c")}))
    assert _load_pages(cache)[1] == base_id and os.path.getsize(cache) == size  # the base untouched
    assert os.path.getsize(_delta_path(cache)) < size / 10
    assert latest["tin-tuc/3/"] == ("d3c", "counts 3c") and "tin-tuc/4/" not in latest and "tin-tuc/new/" in latest
    # Past a tenth of the pages: a new base, and an empty delta for it.
    latest = build(lambda p: p.update({f"tin-tuc/{i}/": (f"e{i}", "x") for i in range(10, 10 + 100 // DELTA_SHARE)}))
    base, new_id, now = _load_pages(cache)
    assert new_id != base_id and base == now == latest
    # A delta written for another base (a build stopped between the two files) is ignored.
    stale = _side_load(_delta_path(cache))
    build(lambda p: p.update({"tin-tuc/5/": ("d5b", "y")}))
    _side_save(_delta_path(cache), dict(stale, base="another"))
    assert _load_pages(cache)[2] == _load_pages(cache)[0] == base


def _side_load(path):
    from cchc import buildcache
    from cchc.search import CACHE_FORMAT

    data = buildcache.load_side(path, CACHE_FORMAT)
    return {k: v for k, v in data.items() if k not in ("v", "code")}


def _side_save(path, data):
    from cchc import buildcache
    from cchc.search import CACHE_FORMAT

    buildcache.save_side(path, CACHE_FORMAT, data)
