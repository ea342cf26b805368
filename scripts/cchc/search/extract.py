"""Text of a built page, as the search index sees it.

The index is built from the HTML that was actually published (after every module
has written its pages), so it always matches what a reader sees, whatever
template a module uses. Only the page's content area counts: Material puts it
in ``article.md-content__inner``; navigation, header, footer, scripts, heading
permalinks and anything marked ``data-search-exclude`` are left out.
"""

from __future__ import annotations

import html as htmllib
import re

import lxml.html

_DROP = (
    "script", "style", "nav", "noscript", "template", "form", "button", "svg", "header", "footer",
)
_DROP_XPATH = (
    "|".join(f"//{t}" for t in _DROP)
    + "|//*[@data-search-exclude]|//*[contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')]"
    + "|//*[contains(concat(' ', normalize-space(@class), ' '), ' md-source-file ')]"
)


_ARTICLE_OPEN = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bmd-content__inner\b[^>]*>")
_ARTICLE_TAG = re.compile(r"<(/?)article\b", re.I)
_SKIP_BLOCK = re.compile(
    r"<(script|style|svg|nav|form|button|template|noscript|header|footer)\b[^>]*>.*?</\1\s*>", re.S | re.I
)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def content_text(html: str | bytes) -> str:
    """Visible text of the page's content area, without its first <h1> (the title).

    Material's pages take a fast path (a few regular expressions over the content
    area: ~10× faster than a parse, which matters at thousands of pages); pages
    with exclusions, or not built by Material, are parsed with lxml.
    """
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    m = _ARTICLE_OPEN.search(text)
    if m:
        depth, end = 1, None
        for t in _ARTICLE_TAG.finditer(text, m.end()):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                end = t.start()
                break
        area = text[m.end() : end]
        if end is not None and "data-search-exclude" not in area and "md-source-file" not in area:
            area = _H1.sub(" ", _SKIP_BLOCK.sub(" ", area), count=1)
            # str.split() splits on the same (Unicode) whitespace as \s, in C: the regex
            # took a third of the extraction on a procedure page.
            return " ".join(htmllib.unescape(_TAG.sub(" ", area)).split())
    return _parsed_text(text)


def _parsed_text(html: str) -> str:
    doc = lxml.html.fromstring(html)
    area = None
    for xp in (
        "//article[contains(concat(' ', normalize-space(@class), ' '), ' md-content__inner ')]",
        "//main",
        "//body",
    ):
        found = doc.xpath(xp)
        if found:
            area = found[0]
            break
    if area is None:
        area = doc
    for el in area.xpath(_relative(_DROP_XPATH)):
        el.drop_tree()
    h1 = area.xpath(".//h1")
    if h1:
        h1[0].drop_tree()
    # Block elements end words: "…</td><td>…" must not glue two cells together.
    for el in area.iter("p", "li", "td", "th", "dt", "dd", "div", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "figcaption", "caption"):
        el.tail = (" " + el.tail) if el.tail else " "
        if el.text is not None:
            el.text = " " + el.text
    return " ".join(area.text_content().split())


def _relative(xpath: str) -> str:
    return "|".join("." + part for part in xpath.split("|"))
