"""Page keys (cchc.buildcache.PageDigester): what a page is made of, found exactly."""

from __future__ import annotations

import sqlite3
from datetime import date
from types import SimpleNamespace

import pytest

from cchc import buildcache
from cchc.site import OutputPage


class Item:
    """A source item: an object whose `source` names a file of the project."""

    def __init__(self, source: str, url: str):
        self.source = source
        self.url = url
        self.refs: list = []


def _site(tmp_path, n: int):
    items = []
    for i in range(n):
        (tmp_path / f"{i}.md").write_text(f"item {i}", "utf-8")
        items.append(Item(f"{i}.md", f"tin/{i}/"))
    for a, b in zip(items, items[1:]):
        a.refs.append(b)  # a chain: item 0 -> 1 -> … -> n-1
    site = SimpleNamespace(data={}, config_dir=str(tmp_path), pages=lambda: [])
    return site, items


def test_references_along_a_long_chain_are_all_found(tmp_path):
    """Walking items one inside another hit Python's recursion limit on long chains of
    references (news -> procedure -> news …) and silently lost references."""
    site, items = _site(tmp_path, 3000)
    page = OutputPage(url="tin/0/", template="t.html", title="0", context={"item": items[0]})
    digester = buildcache.PageDigester(site)
    keys = digester.page_keys([page], [], "fp")
    assert not digester.walk_failed
    assert len(digester.edges) == 2999
    assert keys["tin/0/index.html"] is not None


def test_a_new_reference_far_along_the_chain_changes_the_key(tmp_path):
    site, items = _site(tmp_path, 1500)
    page = OutputPage(url="tin/0/", template="t.html", title="0", context={"item": items[0]})
    before = buildcache.PageDigester(site).page_keys([page], [], "fp")
    items[1400].refs.append(items[3])  # nothing in item 0 or its file changed
    after = buildcache.PageDigester(site).page_keys([page], [], "fp")
    assert before != after


def test_same_values_give_the_same_key_whatever_objects_hold_them(tmp_path):
    """Keys depend on values only: two equal strings that are one object or two, and a
    set in any order, give one key."""
    site, _ = _site(tmp_path, 1)
    shared = "giá trị dùng chung " * 10
    one = OutputPage(url="a/", template="t.html", title="a",
                     context={"x": [shared, shared], "s": {"b", "a", "c"}})
    two = OutputPage(url="a/", template="t.html", title="a",
                     context={"x": [shared, "".join(list(shared))], "s": {"c", "a", "b"}})
    k1 = buildcache.PageDigester(site).page_keys([one], [], "fp")
    k2 = buildcache.PageDigester(site).page_keys([two], [], "fp")
    assert k1 == k2


def test_a_plan_entry_is_keyed_by_every_value_it_holds(tmp_path):
    """Plan pages show thousands of entries (cchc.plans.progress.Entry), keyed by their values
    (`__cchc_key_state__`): equal values give one key, and a change of any field another."""
    import dataclasses
    from datetime import date

    from cchc.plans.progress import Entry

    site, _ = _site(tmp_path, 1)
    base = Entry("gui_cong", date(2026, 3, 1), "cong_cchc_tinh", "tin", 1, "Tin", "tin-tuc/a/", ("1",),
                 ("hoi-dap",), ("bhyt",), portal="Cổng tỉnh", portal_state="da_gui", copies=None, file=None,
                 origin="content/tin-tuc/a.md", portals=(("Cổng tỉnh", "da_gui"),))

    def key(entry) -> str:
        page = OutputPage(url="ke-hoach/", template="t.html", title="a", context={"entries": [entry]})
        return buildcache.PageDigester(site).page_keys([page], [], "fp")["ke-hoach/index.html"]

    first = key(base)
    assert key(dataclasses.replace(base)) == first
    others = {"source": "tin", "date": date(2026, 3, 2), "kenh": "website_don_vi", "loai": "video", "count": 2,
              "title": "Tin khác", "url": "tin-tuc/b/", "tasks": ("2",), "chuyen_muc": (), "tags": ("khac",),
              "portal": "Cổng sở", "portal_state": "da_dang", "copies": 3, "file": "minh-chung/a.pdf",
              "origin": "plans/a.yml:3", "portals": ()}
    assert set(others) == {f.name for f in dataclasses.fields(Entry)}
    keys = {key(dataclasses.replace(base, **{name: value})) for name, value in others.items()}
    assert len(keys) == len(others) and first not in keys


KEY_IN_SUBPROCESS = r"""
import dataclasses, sys
import sqlite3
from types import SimpleNamespace

import pytest
from pydantic import BaseModel
from cchc import buildcache
from cchc.site import OutputPage

class Model(BaseModel):
    a: str = ""
    b: int = 0

@dataclasses.dataclass
class Holder:
    names: set
    model: Model

words = [f"từ {i}" for i in range(40)]
ctx = {"holder": Holder(names=set(words), model=Model(a="x")), "top": frozenset(words)}
page = OutputPage(url="a/", template="t.html", title="a", context=ctx)
site = SimpleNamespace(data={}, config_dir=sys.argv[1], pages=lambda: [])
print(buildcache.PageDigester(site).page_keys([page], [], "fp")["a/index.html"])
"""


def test_sets_inside_objects_give_one_key_in_every_process(tmp_path):
    """A set's order follows string hashes, which differ between processes: sets held by an
    object's attributes (a dataclass field, a pydantic model's fields set) and the page's
    own values are written sorted, so another build process finds the same key."""
    import os
    import subprocess
    import sys

    keys = set()
    for seed in ("1", "2", "3"):
        out = subprocess.run([sys.executable, "-c", KEY_IN_SUBPROCESS, str(tmp_path)], capture_output=True, text=True,
                             env=dict(os.environ, PYTHONHASHSEED=seed), check=True).stdout.strip()
        assert out and out != "None"
        keys.add(out)
    assert len(keys) == 1


class View:
    """A derived object summarised once per build (like a procedure's view)."""

    __cchc_key_memo__ = True

    def __init__(self, shows):
        self.shows = shows


def test_an_item_holding_a_summarised_view_refers_to_what_the_view_shows(tmp_path):
    site, items = _site(tmp_path, 3)
    a, b, c = items
    a.refs = []
    view = View([b])  # a's view shows b; c's page shows the same view first
    a.view = view
    c.refs = [view]
    pages = [OutputPage(url="c/", template="t.html", title="c", context={"v": view, "item": c}),
             OutputPage(url="a/", template="t.html", title="a", context={"item": a})]
    digester = buildcache.PageDigester(site)
    digester.page_keys(pages, [], "fp")
    assert ("0.md", "1.md") in digester.edges  # a -> b, through the view
    assert ("2.md", "1.md") in digester.edges  # c -> b, through the same view


def test_values_with_copyreg_reducers_and_lookalikes_of_sets_get_keys_of_their_own(tmp_path):
    import re

    site, _ = _site(tmp_path, 1)

    def key(value):
        page = OutputPage(url="a/", template="t.html", title="a", context={"v": SimpleNamespace(x=value)})
        return buildcache.PageDigester(site).page_keys([page], [], "fp")["a/index.html"]

    # Types whose reducer is registered with copyreg (a compiled pattern, `int | None`).
    assert key(re.compile("a+")) is not None and key(int | None) is not None
    assert key(re.compile("a+")) != key(re.compile("b+"))
    # A set is not the tuple a set is written as.
    assert key({"a", "b"}) != key(("set", ["a", "b"])) != key(frozenset({"a", "b"}))


class Unpicklable:
    def __reduce__(self):
        raise TypeError("no")


def test_a_view_that_cannot_be_summarised_costs_only_the_pages_showing_it(tmp_path):
    from pydantic import BaseModel, ConfigDict

    class Model(BaseModel):  # parsed data: an item's walk does not look inside
        model_config = ConfigDict(arbitrary_types_allowed=True)
        x: Unpicklable

    site, items = _site(tmp_path, 3)
    a, b, c = items
    a.refs, b.refs, c.refs = [], [], []
    a.view = View([b, Model(x=Unpicklable())])  # held by item a, shown by no page but b's
    pages = [OutputPage(url="a/", template="t.html", title="a", context={"item": a}),
             OutputPage(url="b/", template="t.html", title="b", context={"v": a.view}),
             OutputPage(url="c/", template="t.html", title="c", context={"item": c})]
    digester = buildcache.PageDigester(site)
    keys = digester.page_keys(pages, [], "fp")
    assert not digester.walk_failed
    assert keys["b/index.html"] is None  # shows the view: rendered every time
    assert keys["a/index.html"] is not None and keys["c/index.html"] is not None
    assert ("0.md", "1.md") in digester.edges  # a's reference through its view is still found


def test_templates_read_through_site_only_the_states_every_page_key_has():
    """A template that reads a module state through the global `site` (not its page's
    context) shows something its page's key does not cover, unless every page's key has
    that state's `page_key()`: the plugin's `_EVERY_PAGE`. The home page is the exception:
    MkDocs renders it on every build (it is in the navigation), it is never kept."""
    import re
    from pathlib import Path

    from cchc.mkdocs_plugin import _EVERY_PAGE

    rendered_by_mkdocs = {"cchc/home.html"}
    root = Path(__file__).resolve().parent.parent / "overrides"
    reads = re.compile(r"""site\.data(?:\[\s*["'](\w+)["']\s*\]|\.get\(\s*["'](\w+)["'])""")
    found = {}
    for path in root.rglob("*.html"):
        rel = path.relative_to(root).as_posix()
        text = path.read_text("utf-8")
        assert "site.data" not in reads.sub("", text), f"{rel}: site.data read in a way this test cannot check"
        for m in reads.finditer(text):
            found.setdefault(m.group(1) or m.group(2), set()).add(rel)
    assert found, "the pattern finds nothing: the test would pass whatever the templates do"
    for state, templates in found.items():
        if state not in _EVERY_PAGE:
            assert templates <= rendered_by_mkdocs, f"{sorted(templates)} read site.data[{state!r}]"


def test_every_page_state_has_a_page_key():
    from cchc import feeds, pages
    from cchc.mkdocs_plugin import _EVERY_PAGE

    assert set(_EVERY_PAGE) == {"pages", "feeds"}
    assert callable(getattr(pages.PagesState(), "page_key", None))
    assert callable(getattr(feeds.FeedsState(), "page_key", None))


def test_a_page_key_follows_the_items_it_reaches_and_nothing_else(tmp_path):
    """Page a shows item 0, which refers to item 1; page c shows item 2. What the build adds to
    an item (a copied title) counts, as does any item reached through another; other pages'
    titles and unrelated items do not."""
    site, items = _site(tmp_path, 3)
    i0, i1, i2 = items
    i0.refs, i1.refs, i2.refs = [i1], [], []

    def keys(title_c="c"):
        pages = [OutputPage(url="a/", template="t.html", title="a", context={"item": i0}),
                 OutputPage(url="c/", template="t.html", title=title_c, context={"item": i2})]
        site.pages = lambda: pages
        return buildcache.PageDigester(site).page_keys(pages, [], "fp")

    first = keys()
    assert keys(title_c="c, renamed")["a/index.html"] == first["a/index.html"]
    i1.copied_title = "a title copied from elsewhere"  # reached through item 0
    second = keys()
    assert second["a/index.html"] != first["a/index.html"]
    assert second["c/index.html"] == first["c/index.html"]
    (tmp_path / "1.md").write_text("item 1, edited", "utf-8")  # the file of an item reached
    third = keys()
    assert third["a/index.html"] != second["a/index.html"] and third["c/index.html"] == second["c/index.html"]


class State:
    def __init__(self, rules, summary=True):
        self.rules = rules
        self.everything = []
        if summary:
            self.page_key = lambda: self.rules


def _three_pages(site, first, last) -> tuple:
    """A state summarised by its `page_key` ("news"), one that counts as the whole site ("plans"),
    and three pages: `first` item with the news state, the plans state alone, `last` item alone."""
    summarised, whole = State("rules"), State("rules", summary=False)
    site.data = {"news": summarised, "plans": whole}
    pages = [OutputPage(url="a/", template="t.html", title="a", context={"item": first, "news": summarised}),
             OutputPage(url="b/", template="t.html", title="b", context={"plans": whole}),
             OutputPage(url="c/", template="t.html", title="c", context={"item": last})]
    site.pages = lambda: pages
    return summarised, whole, pages


def test_a_state_counts_as_its_page_key_or_else_as_the_whole_site(tmp_path):
    site, items = _site(tmp_path, 2)
    i0, i1 = items
    i0.refs, i1.refs = [], []
    summarised, whole, pages = _three_pages(site, i0, i1)

    def keys(**kw):
        return buildcache.PageDigester(site, **kw).page_keys(pages, [], "fp")

    first = keys()
    i1.extra = "edited"  # only the whole site shows it
    second = keys()
    assert second["a/index.html"] == first["a/index.html"]
    assert second["b/index.html"] != first["b/index.html"]
    summarised.rules = "other rules"
    third = keys()
    assert third["a/index.html"] != second["a/index.html"] and third["c/index.html"] == second["c/index.html"]
    # A state every page's template reads counts in every key.
    assert keys(every_page=("news",))["c/index.html"] != keys()["c/index.html"]


def test_declared_sources_are_the_files_and_states_the_exact_key_reached(tmp_path):
    """A page's declared key (a rebuild keeps the page by it while the site's structure is
    unchanged) is made of the files of every item its exact key reached, through other items
    too, and of the states it met; a page meeting a state that counts as the whole site has
    none. Editing a file reached changes the declared key; editing another does not."""
    site, items = _site(tmp_path, 3)
    i0, i1, i2 = items
    i0.refs, i1.refs, i2.refs = [i1], [], []
    news, plans, pages = _three_pages(site, i0, i2)

    def declared():
        d = buildcache.PageDigester(site)
        d.page_keys(pages, [], "fp")
        common = d.declared_common("fp", "structure")
        return {p.output_path: (d.sources(p.output_path), d.declared_key(common, p.output_path, d.sources(p.output_path))
                                if d.sources(p.output_path) else None) for p in pages}

    first = declared()
    assert first["a/index.html"][0] == (("0.md", "1.md"), ("news",))
    assert first["b/index.html"] == (None, None)
    assert first["c/index.html"][0] == (("2.md",), ())
    (tmp_path / "1.md").write_text("item 1, edited", "utf-8")
    second = declared()
    assert second["a/index.html"][1] != first["a/index.html"][1]
    assert second["c/index.html"][1] == first["c/index.html"][1]
    news.rules = "other rules"
    assert declared()["a/index.html"][1] != second["a/index.html"][1]


def test_closures_digest_cycles_as_one_and_follow_long_chains():
    base = {str(i): bytes([i % 256]) * 4 for i in range(5000)}
    links = {str(i): {str(i + 1)} for i in range(4999)}  # a chain longer than the recursion limit
    links["10"].add("5")  # 5 -> … -> 10 -> 5: one component
    out = buildcache._closures(base, links)
    assert len({out[str(i)] for i in range(5, 11)}) == 1
    assert len({out[str(i)] for i in range(11, 5000)}) == 4989
    changed = buildcache._closures({**base, "4000": b"new"}, links)
    assert all(changed[str(i)] != out[str(i)] for i in range(4001))
    assert all(changed[str(i)] == out[str(i)] for i in range(4001, 5000))


class SlottedItem:
    __slots__ = ("source", "url")

    def __init__(self, source, url):
        self.source, self.url = source, url


def test_an_item_that_cannot_be_walked_keeps_no_page(tmp_path):
    """Its references are unknown, so no closure is: every page is rendered (nothing crashes)."""
    site, items = _site(tmp_path, 1)
    items[0].refs = []
    pages = [OutputPage(url="a/", template="t.html", title="a", context={"item": SlottedItem("0.md", "tin/0/")}),
             OutputPage(url="b/", template="t.html", title="b", context={"item": items[0]})]
    digester = buildcache.PageDigester(site)
    assert digester.page_keys(pages, [], "fp") == {"a/index.html": None, "b/index.html": None}
    assert digester.walk_failed


def test_a_source_file_is_read_again_whenever_it_may_have_changed(tmp_path):
    """`digest_file` trusts the digest recorded when the last build read a file only while its
    size, times and inode are the same and it was not changed just before that reading."""
    import hashlib
    import os
    import time

    def real(path):
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()

    def build(check):
        cache = buildcache.BuildCache(str(tmp_path / "cache.sqlite"), "fp")
        try:
            check(cache)
            cache.stage({})
            cache.commit()
        finally:
            cache.close()

    src = tmp_path / "tin.md"
    src.write_text("nội dung một", "utf-8")
    build(lambda c: c.digest_file(str(src)) == real(src) or pytest.fail("first reading"))
    # Written less than RACY_NS before it was read: read again, not trusted.
    stored = sqlite3.connect(str(tmp_path / "cache.sqlite"))
    stored.execute("UPDATE stats SET digest = 'recorded'")
    stored.commit()
    build(lambda c: c.digest_file(str(src)) == real(src) or pytest.fail("a racy file is trusted"))
    # Long unchanged (its times set 10 s back, then read): the recorded digest is trusted
    # (made recognisable here), and the file is not read.
    old = time.time() - 10
    os.utime(src, (old, old))
    time.sleep(0.01)
    buildcache.BuildCache.RACY_NS, racy = 0, buildcache.BuildCache.RACY_NS
    try:
        build(lambda c: c.digest_file(str(src)))
        stored.execute("UPDATE stats SET digest = 'recorded'")
        stored.commit()
        build(lambda c: c.digest_file(str(src)) == "recorded" or pytest.fail("an unchanged file is read"))
        # The same size, its modification time set back as it was: its change time moved.
        mtime = src.stat().st_mtime_ns
        src.write_text("nội dung mốt", "utf-8")
        os.utime(src, ns=(mtime, mtime))
        assert src.stat().st_mtime_ns == mtime and src.stat().st_size == len("nội dung một".encode())
        build(lambda c: c.digest_file(str(src)) == real(src) or pytest.fail("a rewritten file is trusted"))
        # Replaced by another file (a new inode), and gone: read again, or an error.
        other = tmp_path / "khac.md"
        other.write_text("nội dung ba!", "utf-8")
        os.replace(other, src)
        build(lambda c: c.digest_file(str(src)) == real(src) or pytest.fail("a replaced file is trusted"))
        src.unlink()
        build(lambda c: pytest.raises(OSError, c.digest_file, str(src)))
    finally:
        buildcache.BuildCache.RACY_NS = racy
    assert stored.execute("SELECT COUNT(*) FROM stats").fetchone() == (0,)  # rows of files gone go


def test_the_fingerprint_remembers_template_files_and_follows_every_change(tmp_path):
    """The digests of template files (and the listings of their folders) are remembered between
    builds (`_FileDigests`) under the same rule as source files: the fingerprint with them
    always equals the one computed by reading everything, whatever changed in the folder."""
    import os
    import time

    theme = tmp_path / "theme"
    (theme / "partials").mkdir(parents=True)
    (theme / ".icons").mkdir()
    (theme / "main.html").write_text("<main>{{ page }}</main>", "utf-8")
    (theme / "partials" / "footer.html").write_text("<footer>một</footer>", "utf-8")
    (theme / ".icons" / "a.svg").write_text("<svg/>", "utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", "utf-8")
    memo_dir = str(tmp_path / "cache")

    def both() -> str:
        read = buildcache.fingerprint(str(config), [str(theme)], date(2026, 6, 30))
        remembered = buildcache.fingerprint(str(config), [str(theme)], date(2026, 6, 30), memo_dir=memo_dir)
        assert remembered == read
        return read

    def age() -> None:  # every file and folder long unchanged: what the memo holds is trusted
        old = time.time() - 10
        for dirpath, _, filenames in os.walk(theme):
            for name in filenames:
                os.utime(os.path.join(dirpath, name), (old, old))
            os.utime(dirpath, (old, old))

    def plant(path: str, change) -> None:  # a record of the memo file changed in place
        import pickle

        memo_file = os.path.join(memo_dir, "file-digests.pickle")
        with open(memo_file, "rb") as fh:
            known = pickle.load(fh)
        known[path] = change(known[path])
        with open(memo_file, "wb") as fh:
            pickle.dump(known, fh)

    first = both()
    assert os.path.isfile(os.path.join(memo_dir, "file-digests.pickle"))
    racy, buildcache._FileDigests.RACY_NS = buildcache._FileDigests.RACY_NS, 0
    try:
        age()
        both()
        memo = buildcache._FileDigests(os.path.join(memo_dir, "file-digests.pickle"))
        assert str(theme / "partials" / "footer.html") in memo.known and "dir:" + str(theme) in memo.known
        seen = [both()]
        # The same size, its modification time set back as it was.
        footer = theme / "partials" / "footer.html"
        mtime = footer.stat().st_mtime_ns
        footer.write_text("<footer>hai</footer>", "utf-8")
        os.utime(footer, ns=(mtime, mtime))
        seen.append(both())
        age()
        (theme / "partials" / "header.html").write_text("<header/>", "utf-8")  # a new file in a sub-folder
        seen.append(both())
        age()
        (theme / "partials" / "header.html").rename(theme / "partials" / "nav.html")  # renamed
        seen.append(both())
        age()
        (theme / "partials" / "nav.html").unlink()  # removed: as before it was added
        assert both() == seen[1]
        (theme / ".icons" / "b.svg").write_text("<svg/>", "utf-8")  # a file the fingerprint does not hash
        assert both() == seen[1]
        # What is remembered is what is used (a recorded digest made wrong shows).
        plant(str(theme / "main.html"), lambda rec: (*rec[:5], b"wrong"))
        assert buildcache.fingerprint(str(config), [str(theme)], date(2026, 6, 30), memo_dir=memo_dir) != seen[1]
    finally:
        buildcache._FileDigests.RACY_NS = racy
    assert len(set(seen)) == len(seen) and first == seen[0]
    # Under the real rule, a file changed shortly before it was read is read again: a wrong
    # digest recorded as read just after the file's last change is not trusted.
    footer = theme / "partials" / "footer.html"
    footer.write_text("<footer>ba</footer>", "utf-8")
    st = footer.stat()
    plant(str(footer), lambda rec: (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_ctime_ns + 1, b"wrong"))
    fresh = both()
    assert fresh not in seen
    # A folder holding a link is listed again by every build (what a link points to can
    # change kind without touching the folder); the fingerprint still follows the file.
    (theme / "shared").mkdir()
    (theme / "shared" / "x.html").write_text("<p>x</p>", "utf-8")
    (theme / "partials" / "x.html").symlink_to(theme / "shared" / "x.html")
    linked = both()
    memo = buildcache._FileDigests(os.path.join(memo_dir, "file-digests.pickle"))
    assert "dir:" + str(theme / "partials") not in memo.known and "dir:" + str(theme) in memo.known
    (theme / "shared" / "x.html").write_text("<p>y</p>", "utf-8")
    assert both() != linked


def test_a_value_digest_follows_plain_values_only():
    """`value_digest` (kept template blocks): equal plain values give one digest whatever
    objects hold them, another value another digest, and an object of another type none."""
    from markupsafe import Markup

    shared = "tên thủ tục " * 5
    one = [{"name": Markup("<b>a</b>"), "rows": [shared, shared], "n": 1, "ok": True}]
    two = [{"name": Markup("<b>a</b>"), "rows": [shared, "".join(list(shared))], "n": 1, "ok": True}]
    assert buildcache.value_digest(one) == buildcache.value_digest(two) is not None
    assert buildcache.value_digest([{"name": Markup("<b>b</b>"), "rows": [], "n": 1, "ok": True}]) != \
        buildcache.value_digest(one)
    assert buildcache.value_digest([date(2026, 1, 1)]) is None
    assert buildcache.value_digest([SimpleNamespace(a=1)]) is None
