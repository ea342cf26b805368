"""The real sample site in both languages, end to end.

Walks every HTML page of the built sample site (`sample_site`), follows every
language-switcher link and checks that it leads to a page in the other language
that links back (or, when a page has no counterpart, to a parent list whose own
switcher leads to an ancestor of the page); that the English navigation offers the
procedures and the plans; that the English procedures print; and that adding English
changes no Vietnamese address.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from conftest import REPO, BuildResult
from cchc.text import fold

NOW = "2026-11-22 09:00"


def _switch(soup) -> dict:
    return {a["hreflang"]: a["href"] for a in soup.select(".md-select__link[hreflang]")}


def _html_pages(r: BuildResult) -> list[str]:
    return sorted(p.relative_to(r.site).as_posix() for p in r.site.rglob("*.html"))


def _url_of(rel: str) -> str:
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _file_of(r: BuildResult, url: str) -> Path:
    path = url.split("#")[0].lstrip("/")
    return r.site / (path + "index.html" if path == "" or path.endswith("/") else path)


@pytest.fixture(scope="module")
def soups(sample_site):
    from bs4 import BeautifulSoup

    cache: dict[str, object] = {}

    def get(rel: str):
        if rel not in cache:
            cache[rel] = BeautifulSoup((sample_site.site / rel).read_text(encoding="utf-8"), "lxml")
        return cache[rel]

    return get


def test_every_switcher_link_goes_to_the_other_language_and_back(sample_site, soups):
    pages = [p for p in _html_pages(sample_site) if p != "404.html"]
    assert len(pages) > 100
    langs = {"vi": 0, "en": 0}
    paired = {"vi": set(), "en": set()}
    for rel in pages:
        url = _url_of(rel)
        soup = soups(rel)
        own = "en" if url.startswith("/en/") else "vi"
        assert soup.html["lang"] == own, rel
        langs[own] += 1
        links = _switch(soup)
        assert set(links) == {"vi", "en"}, rel
        assert {link["hreflang"]: link["href"] for link in soup.select('link[rel~=alternate][hreflang]')} == links, rel
        for lang, href in links.items():
            target = urljoin(url, href)
            target_file = _file_of(sample_site, target)
            assert target_file.is_file(), (rel, lang, href)
            if lang == own:
                # Known and owned by the news module: page 2+ of a news list switches, in its own
                # language, to page 1 of that list (its alternates are the list's).
                assert target == url or ("/trang/" in url and url.startswith(target)), (rel, href)
                continue
            other_rel = target_file.relative_to(sample_site.site).as_posix()
            other = soups(other_rel)
            assert other.html["lang"] == lang, (rel, other_rel)
            back = urljoin(target, _switch(other)[own])
            if back == url:
                paired[own].add(url)
            else:
                # No counterpart: the other language's parent list, whose switcher leads to
                # an ancestor of this page (its list, the plan of a progress page, the home page).
                assert url.startswith(back), (rel, target, back)
    assert langs["en"] >= 15 and langs["vi"] > langs["en"]
    # The translated items are paired both ways.
    for vi, en in (("/thu-tuc/1-014331/", "/en/procedures/1-014331/"), ("/thu-tuc/1-014332/", "/en/procedures/1-014332/"),
                   ("/thu-tuc/1-014128/", "/en/procedures/1-014128/"), ("/thu-tuc/", "/en/procedures/"),
                   ("/thu-tuc/in/", "/en/procedures/print/"), ("/ke-hoach/", "/en/plans/"),
                   ("/ke-hoach/kh-tt-cchc-2026/", "/en/plans/kh-tt-cchc-2026/")):
        assert vi in paired["vi"] and en in paired["en"], (vi, en)
    # Every English page has its Vietnamese counterpart (Vietnamese is always complete).
    assert paired["en"] == {_url_of(p) for p in pages if p.startswith("en/")}


def test_untranslated_pages_lead_to_the_english_parent_list(sample_site, soups):
    assert urljoin("/thu-tuc/1-014137/", _switch(soups("thu-tuc/1-014137/index.html"))["en"]) == "/en/procedures/"
    assert urljoin("/thu-tuc/linh-vuc/bao-hiem-y-te/", _switch(soups("thu-tuc/linh-vuc/bao-hiem-y-te/index.html"))["en"]) == "/en/procedures/"
    progress = "ke-hoach/kh-tt-cchc-2026/tien-do/index.html"
    assert urljoin("/ke-hoach/kh-tt-cchc-2026/tien-do/", _switch(soups(progress))["en"]) == "/en/plans/kh-tt-cchc-2026/"
    # Plans without an English version: their pages lead to the English plans list.
    assert urljoin("/ke-hoach/kh-85-ttyt-tu-mo-rong-2025/",
                   _switch(soups("ke-hoach/kh-85-ttyt-tu-mo-rong-2025/index.html"))["en"]) == "/en/plans/"


def test_english_navigation_offers_procedures_and_plans(sample_site, soups):
    for rel in ("en/index.html", "en/procedures/1-014331/index.html", "en/plans/kh-tt-cchc-2026/index.html"):
        labels = [a.get_text(" ", strip=True) for a in soups(rel).select("nav.md-nav--primary > ul > li > a")]
        assert labels == ["Home", "Reform news", "Administrative procedures", "Reform plans", "Contact and feedback"], (rel, labels)
    # The section of the page is the active entry.
    active = soups("en/procedures/1-014331/index.html").select_one("nav.md-nav--primary > ul > li.md-nav__item--active > a")
    assert active.get_text(" ", strip=True) == "Administrative procedures"
    vi = [a.get_text(" ", strip=True) for a in soups("thu-tuc/index.html").select("nav.md-nav--primary > ul > li > a")]
    assert "Thủ tục hành chính" in vi and "Administrative procedures" not in vi


def test_english_procedure_pages_are_complete_and_keep_the_official_name(sample_site, soups):
    names = {"1-014331": ("Issuing a birth certificate", "Cấp Giấy chứng sinh"),
             "1-014332": ("Reissuing a birth certificate", "Cấp lại Giấy chứng sinh"),
             "1-014128": ("Issuing a summary of the medical record", "Cấp bản tóm tắt hồ sơ bệnh án")}
    for slug, (en, vi) in names.items():
        soup = soups(f"en/procedures/{slug}/index.html")
        assert soup.h1.get_text() == en
        assert soup.select_one(".cchc-tthc-official [lang=vi]").get_text() == vi
        # Every visible text of the sample translations is translated: nothing falls back to Vietnamese
        # but the official name (and the names of links to procedures that exist only in Vietnamese).
        article = soup.select_one("article.cchc-tthc")
        marked = [e.get_text(" ", strip=True) for e in article.select("[lang=vi]") if not e.find_parent("a", hreflang="vi")]
        assert marked == [vi], (slug, marked)
        assert "Some parts have not been translated" not in article.get_text()
        text = article.get_text(" ", strip=True)
        for words in ("Step 1 Prepare your documents", "Step 5 Get the result", "Last updated 6 May 2026",
                      "Song Han Regional Health Centre", "Monday – Friday"):
            assert words in text, (slug, words)
        assert not re.search(r"\d{2}/\d{2}/\d{4}", text), slug  # dates in English form
    gcs = soups("en/procedures/1-014331/index.html").select_one("article.cchc-tthc").get_text(" ", strip=True)
    for words in ("This procedure has 2 cases", "Case 2: A baby born through gestational surrogacy", "3–5 working days",
                  "No fee", "2922/QĐ-BYT", "15 September 2025", "Birth certificate desk, Obstetrics Department"):
        assert words in gcs, words
    listing = soups("en/procedures/index.html")
    assert [a.get_text() for a in listing.select(".cchc-tthc-list td a")] == [
        "Issuing a summary of the medical record", "Issuing a birth certificate", "Reissuing a birth certificate"]
    assert "3 of the" in listing.get_text()


def test_english_plan_page(sample_site, soups):
    soup = soups("en/plans/kh-tt-cchc-2026/index.html")
    assert soup.h1.get_text(" ", strip=True) == "PLAN Communication on administrative reform in 2026"
    assert "Kế hoạch Truyền thông công tác cải cách hành chính năm 2026" in soup.select_one(".cchc-doc-official").get_text()
    assert "Quotas:" in soup.select_one(".cchc-doc-summary").get_text()
    assert [tr["data-quota"] for tr in soup.select("tr[data-quota]")] == ["CT1.1", "CT1.2", "CT2.1", "CT2.2", "CT2.3", "CT2.4"]
    article = soup.select_one("article.cchc-doc")
    assert [e.get_text(" ", strip=True) for e in article.select("[lang=vi]")] == [
        "Kế hoạch Truyền thông công tác cải cách hành chính năm 2026"]
    links = {a.get_text(" ", strip=True): a for a in article.select("nav.cchc-plan-links a")}
    assert links["Progress"]["hreflang"] == "vi" and links["Progress"]["href"] == "../../../ke-hoach/kh-tt-cchc-2026/tien-do/"
    assert links["Q1 2026"]["href"] == "../../../ke-hoach/kh-tt-cchc-2026/bao-cao/2026-q1/"
    assert "II.3.3. Explain administrative reform" in article.get_text(" ", strip=True)
    assert "An Hai, March 2026" in article.get_text(" ", strip=True)
    index = soups("en/plans/index.html")
    assert [a.get_text() for a in index.select(".cchc-plan-card__title a")] == ["Communication on administrative reform in 2026"]


def test_sitemaps_and_search_have_the_english_pages(sample_site):
    en = sample_site.read("en/sitemap.xml")
    for url in ("en/procedures/", "en/procedures/1-014331/", "en/plans/", "en/plans/kh-tt-cchc-2026/"):
        assert f"<loc>https://cchc.ttyt-songhan.example/{url}</loc>" in en, url
    assert "en/procedures/print/" not in en  # print sheets are not listed, in either language
    root = sample_site.read("sitemap.xml")
    assert ('<xhtml:link rel="alternate" hreflang="en" href="https://cchc.ttyt-songhan.example/en/procedures/1-014331/"/>'
            in root)
    docs = (sample_site.site / "search/cchc/en").rglob("*.json")
    blob = "".join(p.read_text(encoding="utf-8") for p in docs)
    assert "Issuing a birth certificate" in blob and "Communication on administrative reform in 2026" in blob


@pytest.mark.browser
def test_english_procedures_print_on_a4(sample_site, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext missing: run scripts/setup.sh --test (installs poppler-utils)")
    from playwright.sync_api import sync_playwright

    from quality_support import launch_chromium, serve

    with serve(sample_site.site) as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        for url, out in (("en/procedures/1-014331/", "one.pdf"), ("en/procedures/print/", "all.pdf")):
            page.goto(base + url)
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 698, "height": 1000})
            overflow = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
            assert overflow == [], (url, overflow)
            page.pdf(path=str(tmp_path / out), format="A4", print_background=False)
        browser.close()
    one = subprocess.run(["pdftotext", "-layout", str(tmp_path / "one.pdf"), "-"], capture_output=True, text=True).stdout
    first = " ".join(one.split("\f")[0].split())
    assert "SONG HAN REGIONAL HEALTH CENTRE" in first.upper() and "1.014331" in first and "Scan for the latest version" in first
    flat = " ".join(one.split()).upper()  # headings print in capitals (CSS)
    for words in ("Step 1", "Prepare your documents", "Application form for a birth certificate", "Cấp Giấy chứng sinh"):
        assert words.upper() in flat, words
    pages = subprocess.run(["pdftotext", str(tmp_path / "all.pdf"), "-"], capture_output=True, text=True).stdout.split("\f")
    starts = [next(i for i, pg in enumerate(pages) if f"{n}. {name}" in pg) for n, name in
              ((1, "Issuing a summary of the medical record"), (2, "Issuing a birth certificate"), (3, "Reissuing a birth certificate"))]
    assert starts == sorted(starts) and len(set(starts)) == 3  # each procedure on its own sheet


def test_vietnamese_addresses_do_not_change_when_english_is_added(sample_site, tmp_path):
    """The sample site without any English (no `languages`, no *.en.* file) has the same Vietnamese pages."""
    root = tmp_path / "vi-only"
    for name in ("content", "procedures", "plans"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("*.en.md", "*.en.yml"))
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    cchc = next(p["cchc"] for p in config["plugins"] if isinstance(p, dict) and "cchc" in p)
    del cchc["languages"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert not list(root.rglob("*.en.*"))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CCHC_NOW=NOW)
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    mono = BuildResult(0, "", "", root / "site")

    def vietnamese(r: BuildResult) -> set[str]:
        return {p for p in _html_pages(r) if not p.startswith("en/")}

    assert not (mono.site / "en").exists()
    assert vietnamese(mono) == vietnamese(sample_site)
    # And they show the same procedures with the same words (the switcher aside).
    for rel in ("thu-tuc/1-014331/index.html", "ke-hoach/kh-tt-cchc-2026/index.html"):
        a, b = (fold(BuildResult(0, "", "", s).soup(rel).select_one("article").get_text(" ", strip=True))
                for s in (mono.site, sample_site.site))
        assert a == b, rel
