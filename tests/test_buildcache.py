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


KEY_IN_SUBPROCESS = r"""
import dataclasses, sys
from types import SimpleNamespace
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
