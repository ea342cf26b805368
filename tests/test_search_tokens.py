"""Search tokens: the Python rules (index) and search.js (queries) give the same tokens.

If they drifted apart, a query would look up keys the index never wrote. The
JavaScript half runs in real headless Chromium on the real search.js.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from conftest import chromium_path
from cchc.search.index import count, Doc
from cchc.search.tokens import chunk_tokens, has_diacritics, key_of, raw_counts, tokenize

SEARCH_JS = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "cchc" / "search.js"

SAMPLES = [
    "Cấp Giấy chứng sinh",
    unicodedata.normalize("NFD", "Cấp Giấy chứng sinh đồng Đà Nẵng"),
    "hoà hòa HOÀ Hoà thuỷ thủy Thuỷ Uỷ ban Ủy ban khoẻ khỏe xoá xóa hoá hóa",
    "quý Quý quỳ toàn hoàng khuyến thuở",
    "Mã 1.014331, mã DVC 1.014331.01; phí 1.500.000 đồng; 2,5 ngày",
    "QĐ 2922/QĐ-BYT ngày 15/9/2025 (TT 22/2025/TT-BYT)",
    "BHYT, KCB; TTHC – CCHC… “GCS”",
    "dinh dƣỡng đƣợc",  # PDF artefact ƣ for ư
    "no\u00a0break\u200bzero soft\u00adhyphen",
    "Ngày 01/01/2026: 100% hồ sơ đúng hạn!",
    "café naïve Ærø 東京 ½ ²",
]


def test_python_rules():
    assert tokenize("Hoà giải, THUỶ lợi") == ["hòa", "giải", "thủy", "lợi"]
    assert tokenize(unicodedata.normalize("NFD", "Hoà giải")) == ["hòa", "giải"]
    assert tokenize("1.014331 và 1014331") == ["1014331", "và", "1014331"]
    assert tokenize("2922/QĐ-BYT") == ["2922", "qđ", "byt"]
    assert [key_of(t) for t in tokenize("Đăng ký khám bệnh")] == ["dang", "ky", "kham", "benh"]
    assert key_of("hòa") == key_of("hoá") == key_of("hoa") == "hoa"
    assert has_diacritics("hòa") and not has_diacritics("hoa")
    assert tokenize("quý") == ["quý"]  # "qu" + y has a single spelling


@pytest.mark.parametrize("text", SAMPLES)
def test_counted_chunks_give_the_same_tokens(text):
    """The fast path used for page bodies agrees with tokenize()."""
    fast = sorted(t for chunk, n in raw_counts(text).items() for t in chunk_tokens(chunk) for _ in range(n))
    assert fast == sorted(tokenize(text))
    # and what a document adds to the postings is exactly the forms tokenize() finds
    c = count(Doc(url="x/", kind="news", title="t", body=text))
    assert {form for form, _ in c.bits.items()} == set(tokenize(text)) | {"t"}


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    from cchc.search.benchserve import Server

    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (scripts/setup.sh --test installs it)")
    root = tmp_path_factory.mktemp("tokens")
    (root / "search.js").write_text(SEARCH_JS.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "index.html").write_text(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>t</title></head><body>'
        '<input type="checkbox" id="__search">'
        '<div data-cchc-search="search/cchc/vi/"><form><input data-cchc-search-query></form>'
        '<div data-cchc-search-meta></div><ol data-cchc-search-list></ol></div>'
        '<script src="search.js"></script></body></html>',
        encoding="utf-8",
    )
    with Server(str(root)) as srv, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        pg = browser.new_page()
        pg.goto(srv.url)
        assert pg.evaluate("typeof window.cchcSearch") == "object"
        yield pg
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("text", SAMPLES)
def test_search_js_tokenizes_like_python(page, text):
    js = page.evaluate("s => window.cchcSearch.tokenize(s)", text)
    assert js == tokenize(text)
    js_keys = page.evaluate("s => window.cchcSearch.tokenize(s).map(window.cchcSearch.keyOf)", text)
    assert js_keys == [key_of(t) for t in tokenize(text)]
