"""Sitemaps of everything published, per language, with hreflang alternates.

`sitemap.xml` at the root lists every page of every language; each URL that exists
in another language carries `<xhtml:link rel="alternate" hreflang>` entries (the
form search engines read for multilingual sites). Each extra language also gets
its own `<lang>/sitemap.xml` with only its pages. Dates are the content's own
(last update), so two builds of the same input write the same bytes; gzip copies
have a zero timestamp for the same reason.
"""

from __future__ import annotations

import gzip
import io
from html import escape

from .site import OutputFile


def _urlset(urls: list[str], lastmod: dict[str, str], alternates: dict[str, dict[str, str]], base: str) -> bytes:
    buf = io.StringIO()
    buf.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    buf.write('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
    for url in urls:
        buf.write(f"  <url>\n    <loc>{escape(base + url)}</loc>\n")
        alts = alternates.get(url) or {}
        if len(alts) > 1:
            for lang in sorted(alts):
                buf.write(f'    <xhtml:link rel="alternate" hreflang="{lang}" href="{escape(base + alts[lang])}"/>\n')
        buf.write(f"    <lastmod>{lastmod[url]}</lastmod>\n  </url>\n")
    buf.write("</urlset>\n")
    return buf.getvalue().encode("utf-8")


def _gz(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as fh:
        fh.write(data)
    return out.getvalue()


def sitemap_files(
    lastmod: dict[str, str],
    alternates: dict[str, dict[str, str]],
    base: str,
    languages: list[str],
) -> list[OutputFile]:
    """`lastmod`: site-relative URL -> YYYY-MM-DD of every published page."""
    urls = sorted(lastmod)
    data = _urlset(urls, lastmod, alternates, base)
    files = [OutputFile("sitemap.xml", data), OutputFile("sitemap.xml.gz", _gz(data))]
    for lang in languages[1:]:
        own = [u for u in urls if u.startswith(f"{lang}/")]
        data = _urlset(own, lastmod, alternates, base)
        files += [OutputFile(f"{lang}/sitemap.xml", data), OutputFile(f"{lang}/sitemap.xml.gz", _gz(data))]
    return files
