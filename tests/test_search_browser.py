"""Search in real headless Chromium, typed into the real search box of a built fixture site.

The fixture (tests/fixtures/search/) has procedures and news written the ways real
input arrives: NFD text, the old tone placement ("Thuỷ"), only an abbreviation
("BHYT"), a word in the title of one page and only in the body of another, a
draft and a future-dated item. The site is built with the real `mkdocs build`,
served with gzip on 127.0.0.1, and every assertion is on what the page shows.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, Project, chromium_path, deep_merge
from cchc.search.benchserve import Server
from cchc.text import fold

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures" / "search"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DRAFT_WORD = "nhápbímậtkhôngđăng"
FUTURE_WORD = "tươnglaichưađăng"
TIE_WORD = "đồngđiểmhaitin"  # in the body of two news items, once each: they score the same


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    p = Project(root / "p", deep_merge(BASE_CONFIG, {}))
    p.set_plugin(tu_viet_tat={"CDHA": "chẩn đoán hình ảnh"})
    for f in sorted((FIXTURES / "procedures").glob("*.yml")):
        p.write(f"procedures/{f.name}", f.read_text(encoding="utf-8"))
    for f in sorted((FIXTURES / "news").glob("*.md")):
        text = f.read_text(encoding="utf-8")
        if f.name.startswith("nfd-"):
            text = unicodedata.normalize("NFD", text)
        p.write(f"content/tin-tuc/{f.name}", text)
    p.write("content/tin-tuc/2026-05-01-ban-nhap.md",
            f"---\ntitle: Bản nháp chưa đăng\ndate: 2026-05-01 08:00\nsummary: Bản nháp.\nchuyen_muc: [tin-hoat-dong]\n"
            f"draft: true\n---\n\nTừ {DRAFT_WORD} chỉ có trong bản nháp.\n")
    p.write("content/tin-tuc/2027-01-01-tin-tuong-lai.md",
            f"---\ntitle: Tin hẹn giờ đăng năm sau\ndate: 2027-01-01 08:00\nsummary: Tin hẹn giờ.\n"
            f"chuyen_muc: [tin-hoat-dong]\n---\n\nTừ {FUTURE_WORD} chỉ có trong tin hẹn giờ.\n")
    for day, which in (("2026-02-02", "cũ hơn"), ("2026-04-04", "mới hơn")):
        p.write(f"content/tin-tuc/{day}-dong-diem.md",
                f"---\ntitle: Tin đồng điểm {which}\ndate: {day} 08:00\nsummary: Hai tin giống nhau.\n"
                f"chuyen_muc: [tin-hoat-dong]\n---\n\nTừ {TIE_WORD} có ở hai tin.\n")
    r = p.build(now="2026-06-30 12:00")
    assert r.ok, r.output
    return r


@pytest.fixture(scope="module")
def server(site):
    with Server(str(site.site)) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (scripts/setup.sh --test installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, server, path=""):
    ctx = browser.new_context()
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path, wait_until="load")
    return ctx, page, errors


def run_query(page, q: str) -> dict:
    page.keyboard.press("/")
    box = page.locator("[data-cchc-search-query]")
    box.fill(q)
    page.wait_for_function(
        "() => ['results', 'empty', 'error'].includes(document.querySelector('[data-cchc-search]').getAttribute('data-cchc-search-state'))",
        timeout=15_000,
    )
    items = page.locator(".md-search-result__item .md-search-result__article")
    out = []
    for i in range(items.count()):
        it = items.nth(i)
        out.append({
            "title": it.locator("h1").inner_text(),
            "kind": it.locator(".cchc-search-kind__label").inner_text(),
            "href": it.locator("xpath=..").get_attribute("href"),
        })
    return {
        "state": page.get_attribute("[data-cchc-search]", "data-cchc-search-state"),
        "meta": page.inner_text(".md-search-result__meta"),
        "results": out,
    }


def search(browser, server, q: str, path: str = "") -> dict:
    ctx, page, errors = open_page(browser, server, path)
    try:
        res = run_query(page, q)
    finally:
        ctx.close()
    assert not errors, errors
    return res


def titles(res: dict) -> list[str]:
    return [r["title"] for r in res["results"]]


# --------------------------------------------------------------------------- reading costs nothing
def test_reading_a_page_downloads_no_index(browser, server):
    m = server.log.mark()
    ctx, page, errors = open_page(browser, server, "tin-tuc/")
    page.wait_for_timeout(500)
    ctx.close()
    paths = [h.path for h in server.log.since(m)]
    assert not [p for p in paths if p.startswith("/search/")], paths
    assert "/assets/cchc/search.js" in paths  # the box is there, its index is not
    assert not errors


# --------------------------------------------------------------------------- matching
@pytest.mark.parametrize("q", [
    "giay chung sinh",
    "Giấy chứng sinh",
    unicodedata.normalize("NFD", "giấy chứng sinh"),
    "GIẤY CHỨNG SINH",
    "1.014331",
    "1014331",
    "GCS",
])
def test_birth_certificate_found_every_way(browser, server, q):
    res = search(browser, server, q)
    assert res["state"] == "results", res
    assert res["results"][0]["title"] == "Cấp Giấy chứng sinh", res
    assert res["results"][0]["kind"] == "Thủ tục hành chính"
    assert res["results"][0]["href"].rstrip("/").endswith("thu-tuc/1-014331")


@pytest.mark.parametrize("q, expected", [
    ("BHYT", "Thủ tục khám bệnh, chữa bệnh bảo hiểm y tế"),
    ("kcb bhyt", "Thủ tục khám bệnh, chữa bệnh bảo hiểm y tế"),
    ("HSBA", "Cấp bản tóm tắt hồ sơ bệnh án"),
    ("tom tat benh an", "Cấp bản tóm tắt hồ sơ bệnh án"),
])
def test_abbreviations_and_unaccented_queries(browser, server, q, expected):
    res = search(browser, server, q)
    assert expected in titles(res)[:2], res


def test_full_words_find_a_page_that_only_writes_the_abbreviation(browser, server):
    res = search(browser, server, "đổi thẻ bảo hiểm y tế")
    assert "Đổi thẻ BHYT tại quầy tiếp đón" in titles(res), res


def test_unit_abbreviation_from_settings(browser, server):
    res = search(browser, server, "CDHA")
    assert "Mở rộng khoa chẩn đoán hình ảnh" in titles(res), res


@pytest.mark.parametrize("q", ["thủy an", "thuỷ an", "thuy an", unicodedata.normalize("NFD", "Thuỷ An")])
def test_tone_placement_variants(browser, server, q):
    res = search(browser, server, q)
    assert res["results"] and res["results"][0]["title"] == "Trạm Y tế xã Thuỷ An đạt chuẩn quốc gia", res


def test_nfd_page_found_by_nfc_and_unaccented_queries(browser, server):
    for q in ("khám sức khỏe định kỳ", "kham suc khoe dinh ky", "khoẻ định kỳ"):
        res = search(browser, server, q)
        assert "Khám sức khỏe định kỳ cho người cao tuổi" in titles(res)[:2], (q, res)


def test_exact_diacritics_rank_above_folded_matches(browser, server):
    # Two pages alike but for the diacritics; the unaccented one is newer, so it would win a tie.
    accented, plain = "Hướng dẫn thủ tục bảo hiểm y tế", "Huong dan thu tuc bao hiem y te"
    t = titles(search(browser, server, "hướng dẫn thủ tục bảo hiểm y tế"))
    assert accented in t and plain in t and t.index(accented) < t.index(plain), t
    t = titles(search(browser, server, "huong dan thu tuc bao hiem y te"))
    assert accented in t and plain in t, t
    res = search(browser, server, "hòa giải")
    assert titles(res)[:1] == ["Hòa giải vướng mắc khi làm thủ tục"], res
    folded = titles(search(browser, server, "hoa"))
    assert "Hòa giải vướng mắc khi làm thủ tục" in folded and "Hoa hồng tặng người bệnh ngày 8/3" in folded
    exact = titles(search(browser, server, "hoa hồng"))
    assert exact[0] == "Hoa hồng tặng người bệnh ngày 8/3", exact


def test_titles_rank_above_body_text(browser, server):
    res = search(browser, server, "tiem chung")
    t = titles(res)
    assert t[0] == "Lịch tiêm chủng mở rộng tháng 6", res
    assert "Họp giao ban tháng 6" in t, res  # mentions tiêm chủng in its body only


def test_equal_scores_show_the_newer_news_item_first(browser, server):
    # News are numbered oldest first in the index (a new item takes the next number):
    # search.js breaks ties among news by the higher number.
    assert titles(search(browser, server, TIE_WORD)) == ["Tin đồng điểm mới hơn", "Tin đồng điểm cũ hơn"]


def test_lists_do_not_crowd_results_and_kinds_are_shown(browser, server, site):
    res = search(browser, server, "tin tuc thu tuc")
    res2 = search(browser, server, "thủ tục")
    for r in res["results"] + res2["results"]:
        path = r["href"].split("127.0.0.1", 1)[-1].split("/", 1)[-1]
        assert path.startswith(("tin-tuc/", "thu-tuc/", "ke-hoach/")), r
        assert path.count("/") >= 2, r  # an item page, never a list, archive or category page
        assert "/trang-" not in path and "/chuyen-muc/" not in path and "/luu-tru/" not in path, r
        assert r["kind"] in ("Thủ tục hành chính", "Tin tức", "Kế hoạch"), r
    assert {r["kind"] for r in res2["results"]} >= {"Thủ tục hành chính", "Tin tức"}


def test_a_query_that_matches_nothing(browser, server):
    res = search(browser, server, "qwxzv")
    assert res["state"] == "empty" and res["results"] == [], res
    assert "Không tìm thấy" in res["meta"]


# --------------------------------------------------------------------------- drafts and future items
def test_drafts_and_future_items_are_never_indexed(site, browser, server):
    root = site.site / "search" / "cchc"
    blob = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.json"))
    for word in (DRAFT_WORD, FUTURE_WORD):
        assert unicodedata.normalize("NFC", word) not in blob and fold(word) not in blob, word
    assert "Bản nháp chưa đăng" not in blob and "Tin hẹn giờ đăng năm sau" not in blob
    assert search(browser, server, fold(DRAFT_WORD))["state"] == "empty"


def test_index_lists_only_item_pages(site):
    vocab = json.loads((site.site / "search" / "cchc" / "vi" / "vocab.json").read_text(encoding="utf-8"))
    rows = []
    for name in vocab["chunks"]:
        rows += json.loads((site.site / "search" / "cchc" / "vi" / "d" / f"{name}.json").read_text(encoding="utf-8"))
    kinds = {r[2] for r in rows}
    assert kinds <= {"news", "procedure", "plan"} and {"news", "procedure"} <= kinds
    assert len(rows) == vocab["n"]
    assert all(r[0].count("/") >= 2 for r in rows), [r[0] for r in rows]


# --------------------------------------------------------------------------- Material's behaviour
def test_keyboard_shortcuts_like_material(browser, server):
    ctx, page, errors = open_page(browser, server, "tin-tuc/")
    try:
        page.keyboard.press("s")
        assert page.evaluate("document.activeElement.matches('[data-cchc-search-query]')")
        assert page.evaluate("document.getElementById('__search').checked")
        page.keyboard.type("giay chung sinh")
        page.wait_for_selector("[data-cchc-search][data-cchc-search-state=results]")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.matches('[data-cchc-search-query]')")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked")
        page.keyboard.press("/")
        page.keyboard.press("Enter")
        page.wait_for_url("**/thu-tuc/1-014331/")
    finally:
        ctx.close()
    assert not errors, errors


def test_works_offline_once_loaded(browser, server):
    ctx, page, errors = open_page(browser, server, "")
    try:
        assert run_query(page, "giay chung sinh")["state"] == "results"
        page.wait_for_timeout(800)  # the small index is fetched whole after the first search
        ctx.set_offline(True)
        page.fill("[data-cchc-search-query]", "")
        res = run_query(page, "hoa hong")
        assert res["state"] == "results", res
        assert res["results"][0]["title"] == "Hoa hồng tặng người bệnh ngày 8/3"
    finally:
        ctx.close()
    assert not errors, errors


def test_pages_point_to_the_index_of_their_language(site):
    html = (site.site / "index.html").read_text(encoding="utf-8")
    assert 'data-cchc-search="search/cchc/vi/"' in html
    assert (site.site / "search" / "cchc" / "vi" / "vocab.json").is_file()


def test_network_failure_is_said_and_recovered_from(browser, server):
    ctx, page, errors = open_page(browser, server, "")
    try:
        ctx.set_offline(True)
        res = run_query(page, "giay chung sinh")
        assert res["state"] == "error" and "Không tải được dữ liệu tìm kiếm" in res["meta"], res
        ctx.set_offline(False)
        page.fill("[data-cchc-search-query]", "")
        res = run_query(page, "giay chung sinh")
        assert res["state"] == "results" and res["results"][0]["title"] == "Cấp Giấy chứng sinh", res
    finally:
        ctx.close()
    assert not errors, errors
