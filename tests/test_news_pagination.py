"""The page links under a news list: a fixed window, whatever the number of pages."""

from cchc.news import _page_window


def _shown(page, pages):
    urls = [f"trang/{i}/" for i in range(1, pages + 1)]
    return [("…" if u is None else i) for i, u in _page_window(page, urls)]


def test_window_of_a_long_list():
    assert _shown(10, 20) == [1, 2, "…", 8, 9, 10, 11, 12, "…", 19, 20]
    assert _shown(1, 500) == [1, 2, 3, "…", 499, 500]
    assert _shown(500, 500) == [1, 2, "…", 498, 499, 500]
    assert _shown(4, 9) == [1, 2, 3, 4, 5, 6, "…", 8, 9]


def test_short_lists_show_every_page():
    assert _shown(1, 1) == [1]
    assert _shown(2, 3) == [1, 2, 3]


def test_urls_belong_to_their_page_numbers():
    urls = [f"trang/{i}/" for i in range(1, 31)]
    for i, u in _page_window(15, urls):
        assert u is None or u == f"trang/{i}/"


def test_window_size_does_not_grow_with_the_list():
    # The template loops over this window only: a list of thousands of pages costs the same.
    assert len(_page_window(2500, [f"p{i}" for i in range(5000)])) <= 11
