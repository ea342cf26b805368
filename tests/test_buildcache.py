"""Page keys (cchc.buildcache.PageDigester): what a page is made of, found exactly."""

from __future__ import annotations

from types import SimpleNamespace

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
