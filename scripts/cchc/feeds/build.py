"""Feed documents (RSS 2.0 and Atom 1.0) from neutral entries, written with feedgen.

The module's `__init__` decides *which* entries go into which feed; this file turns
one `FeedSpec` and its `Entry` list into bytes, and keeps the three promises every
feed makes to the software reading it:

* it parses: every string passes `cchc.text.strip_control` (characters XML 1.0
  cannot carry are dropped and reported, never fatal), `]]>` cannot end a CDATA
  section early, and the serialised document is parsed back before it is kept;
  an entry that still fails is left out of that feed with a warning rather than
  losing the whole feed;
* it is reproducible: feedgen stamps "now" into `lastBuildDate`/`updated` by
  default; here every date comes from the content, so two builds of the same
  sources give byte-identical files;
* it is complete for a portal: absolute links, a permanent identifier,
  +07:00 dates, summary, full content, categories, author/department, enclosure.

Why feedgen and a light post-processing pass rather than hand-written XML:
feedgen (lkiesow/python-feedgen) writes both formats from one entry model with
lxml, so escaping and namespaces are right by construction. Two of its habits
are corrected on the serialised tree: it drops rel/type/length of Atom entry
links (a bug, see `_atom_entry_links`), and it writes RSS `description` and
`content:encoded` as escaped text where Vietnamese portals and the VnExpress
profile expect CDATA (shared/domain.md §4, see `_rss_cdata`). Giving RSS an HTML
description (lead image + sapo) while Atom keeps a plain-text summary depends on
the order of feedgen calls (see `_feedgen`).
"""

from __future__ import annotations

import html
import pickle
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Optional

import lxml.html
from lxml import etree

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

from ..text import nfc, strip_control

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
GENERATOR = "cchc-site (feedgen)"

Report = Callable[[str, str], None]  # (field, original text) -> record a problem


def clean(text: Optional[str], report: Optional[Report] = None, field_name: str = "-") -> str:
    """Text safe for XML 1.0: NFC, control characters and lone surrogates dropped.

    A change is reported (the source already went through `clean_line`/`clean_block`
    on input, so a change here means something slipped through, e.g. a numeric
    character reference such as ``&#12;`` in Markdown that the renderer decoded).
    """
    if not text:
        return ""
    normal = nfc(text)
    out = strip_control(normal)
    if out != normal and report is not None:
        report(field_name, text)
    return out


def cdata_safe(s: str) -> str:
    """HTML that can sit in a CDATA section: ``]]>`` written as ``]]&gt;`` (same HTML)."""
    return s.replace("]]>", "]]&gt;")


def absolutize_html(fragment: str, base_url: str) -> str:
    """Rewrite every relative link and image address in an HTML fragment against `base_url`.

    lxml's `make_links_absolute` knows every URL-bearing attribute of HTML
    (href, src, cite, longdesc, srcset is not produced by our renderer).
    """
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    if base_url.startswith(("http://", "https://")):
        root.make_links_absolute(base_url, resolve_base_href=False)
    else:  # no site_url: root-relative addresses are the best we can do
        def fix(link: str) -> str:
            if link.startswith(("#", "/", "mailto:", "tel:")) or "://" in link:
                return link
            from urllib.parse import urljoin

            return urljoin(base_url, link)

        root.rewrite_links(fix, resolve_base_href=False)
    out = html.escape(root.text, quote=False) if root.text else ""
    for child in root:
        out += lxml.html.tostring(child, encoding="unicode")
    return out


_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr", "blockquote",
          "pre", "figure", "figcaption", "dl", "dt", "dd", "hr", "details", "summary"}


def html_to_text(fragment: str) -> str:
    """Readable plain text of an HTML fragment: one blank line between blocks, "- " list items.

    For portals whose form takes plain text only. (The renderer's own `text` is a
    single run of words for search and reading time, without paragraph breaks.)
    """
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "li":
            parts.append("\n- ")
        elif tag in _BLOCK:
            parts.append("\n\n")
        if tag == "br":
            parts.append("\n")
        if tag in ("td", "th"):
            parts.append(" | ")
        if tag == "img" and el.get("alt"):
            parts.append(f"[Ảnh: {el.get('alt')}]")
        if el.text and tag not in ("script", "style"):
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail and (child.tail.strip() or tag not in ("ul", "ol", "table", "tbody", "thead", "tr", "dl")):
                parts.append(child.tail)
        if tag in _BLOCK and tag != "li":
            parts.append("\n\n")

    walk(root)
    text = "".join(parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


@dataclass
class Enclosure:
    url: str
    length: int
    type: str


@dataclass
class Category:
    term: str
    label: str
    scheme: Optional[str] = None  # absolute URL of the category scheme (RSS domain)


@dataclass
class Entry:
    """One item of a feed, in neither format."""

    id: str  # permanent identifier (tag: URI)
    title: str
    link: str  # absolute URL of the page
    published: datetime
    updated: datetime
    summary: str  # plain text
    content_html: str  # full content, absolute URLs
    description_html: str  # RSS description: lead image + summary, absolute URLs
    categories: list[Category] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # person, then department
    enclosure: Optional[Enclosure] = None
    source: str = "-"  # source path for problem messages
    lang: str = "vi"


@dataclass
class FeedSpec:
    """One feed (both formats) and what the feeds page says about it."""

    key: str  # "all", "category:<slug>", "portal", "procedures"
    kind: str  # all | category | portal | procedures
    lang: str
    title: str
    description: str  # channel description (RSS) / subtitle (Atom)
    explanation: str  # for the feeds page: who should use it and what it holds
    page_url: str  # site-relative URL of the HTML page this feed mirrors
    rss_path: str  # site-relative path of the RSS file
    atom_path: str
    id: str  # Atom feed id (tag: URI)
    entries: list[Entry] = field(default_factory=list)
    updated: Optional[datetime] = None
    total: int = 0  # items eligible before the count limit
    rss: bytes = b""
    atom: bytes = b""
    category: Optional[str] = None  # slug, for category feeds
    announce_on: Optional[str] = None  # pages under this URL announce this feed in <head> (besides "all")


@dataclass
class Channel:
    """What every feed of the site shares: the unit, logo, limits."""

    site_url: str
    abs_url: Callable[[str], str]
    unit_name: str
    unit_email: Optional[str]
    logo_url: Optional[str]  # absolute; GIF/JPEG/PNG (RSS <image> allows nothing else)
    icon_url: Optional[str]
    rights: Optional[str]
    ttl: int


def _feedgen(spec: FeedSpec, ch: Channel, entries: list[Entry], rss: bool) -> FeedGenerator:
    # Imported when a feed is written, not by every build: a rebuild takes its feeds from the
    # build cache (`render`), and importing feedgen (with dateutil) was ≈ 7 ms of each.
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    if rss:
        fg.load_extension("dc", atom=False, rss=True)
    fg.id(spec.id)
    fg.title(spec.title)
    fg.subtitle(spec.description)
    fg.language(spec.lang)
    page = ch.abs_url(spec.page_url)
    self_url = ch.abs_url(spec.rss_path if rss else spec.atom_path)
    fg.link(href=self_url, rel="self", type="application/rss+xml" if rss else "application/atom+xml")
    fg.link(href=page, rel="alternate", type="text/html")  # last: feedgen's RSS <link> is the last link
    fg.author({"name": ch.unit_name, **({"email": ch.unit_email} if ch.unit_email else {})})
    if ch.unit_email:
        fg.managingEditor(f"{ch.unit_email} ({ch.unit_name})")
        fg.webMaster(f"{ch.unit_email} ({ch.unit_name})")
    if ch.logo_url:
        if rss:
            fg.image(url=ch.logo_url, title=spec.title, link=page)
        else:
            fg.logo(ch.logo_url)
    if ch.icon_url and not rss:
        fg.icon(ch.icon_url)
    if ch.rights:
        fg.rights(ch.rights)
    fg.generator(GENERATOR)
    fg.ttl(ch.ttl)
    # The content's own date, never the clock (feedgen's default is now()).
    fg.updated(spec.updated)
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.guid(e.id, permalink=False)
        fe.title(e.title)
        fe.link(href=e.link, rel="alternate", type="text/html")
        fe.published(e.published)
        fe.updated(e.updated)
        # Order matters with feedgen: summary() sets the RSS description only when
        # empty, description() overwrites Atom content, content() sets both contents.
        fe.summary(e.summary, type="text")
        if rss:
            fe.description(e.description_html)
        fe.content(e.content_html, type="html")
        for c in e.categories:
            fe.category(term=c.term, label=c.label, **({"scheme": c.scheme} if c.scheme else {}))
        if e.authors:
            fe.author([{"name": a} for a in e.authors])
            if rss:
                for a in e.authors:
                    fe.dc.dc_creator(a)
        if e.enclosure is not None:
            fe.link(href=e.enclosure.url, rel="enclosure", type=e.enclosure.type, length=str(e.enclosure.length))
    return fg


def _rss_cdata(data: bytes) -> bytes:
    """RSS description and content:encoded as CDATA sections (see module docstring)."""
    parser = etree.XMLParser(strip_cdata=False, resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    for item in root.iter("item"):
        for el in list(item.findall("description")) + list(item.findall(f"{{{CONTENT_NS}}}encoded")):
            if el.text:
                el.text = etree.CDATA(cdata_safe(el.text))
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _atom_entry_links(data: bytes, entries: list[Entry]) -> bytes:
    """Put back rel/type/length on entry links.

    feedgen 1.0.0 (`FeedEntry.atom_entry`) rebinds its loop variable to the new
    element before reading the link's attributes, so every entry link comes out as
    a bare ``<link href>``: the enclosure would read as a second alternate page.
    The links are written in the order we added them, so they are restored by position.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    ns = "{http://www.w3.org/2005/Atom}"
    for el, e in zip(root.findall(f"{ns}entry"), entries):
        wanted = [{"rel": "alternate", "type": "text/html"}]
        if e.enclosure is not None:
            wanted.append({"rel": "enclosure", "type": e.enclosure.type, "length": str(e.enclosure.length)})
        for link, attrs in zip(el.findall(f"{ns}link"), wanted):
            for k, v in attrs.items():
                link.set(k, v)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _serialise(spec: FeedSpec, ch: Channel, entries: list[Entry]) -> tuple[bytes, bytes]:
    rss = _rss_cdata(_feedgen(spec, ch, entries, rss=True).rss_str(pretty=True))
    atom = _atom_entry_links(_feedgen(spec, ch, entries, rss=False).atom_str(pretty=True), entries)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    etree.fromstring(rss, parser)  # parse back: a feed that does not parse is never written
    etree.fromstring(atom, parser)
    return rss, atom


def render(spec: FeedSpec, ch: Channel, on_dropped: Callable[[Entry, str], None], cache=None) -> None:
    """Fill `spec.rss` and `spec.atom`. Entries that cannot be serialised are dropped and reported.

    `cache` (a cchc.buildcache.BuildCache): the bytes of a feed whose inputs (the
    spec, the channel, the entries) are those of the last build are taken from there
    (serialising the large benchmark's 23 feeds, 46 files, with feedgen and lxml is ≈ 0.15 s of
    every rebuild); dropped entries are reported again."""
    inputs = _inputs(spec, ch) if cache is not None else None
    if inputs is None:
        _render(spec, ch, on_dropped)
        return
    entries = list(spec.entries)

    def compute() -> tuple:
        dropped: list[tuple[int, str]] = []
        _render(spec, ch, lambda e, detail: dropped.append((next(i for i, x in enumerate(entries) if x is e), detail)))
        return spec.rss, spec.atom, dropped

    spec.rss, spec.atom, dropped = cache.load("feed", inputs, compute)
    gone = {i for i, _ in dropped}
    spec.entries = [e for i, e in enumerate(entries) if i not in gone]
    for i, detail in dropped:
        on_dropped(entries[i], detail)


def _inputs(spec: FeedSpec, ch: Channel) -> bytes | None:
    """What a feed's bytes are made of (its cache key's content), or None when that cannot be
    summarised (the feed is then serialised every time)."""
    try:
        return pickle.dumps((GENERATOR, [(f.name, getattr(spec, f.name)) for f in fields(spec) if f.name not in ("rss", "atom")],
                             [(f.name, getattr(ch, f.name)) for f in fields(ch) if f.name != "abs_url"],
                             [ch.abs_url(u) for u in (spec.page_url, spec.rss_path, spec.atom_path)]),
                            protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an entry holding something pickle refuses
        return None


def _render(spec: FeedSpec, ch: Channel, on_dropped: Callable[[Entry, str], None]) -> None:
    entries = list(spec.entries)
    try:
        spec.rss, spec.atom = _serialise(spec, ch, entries)
        return
    except (ValueError, etree.LxmlError):
        pass
    # Something in one entry defeats the cleaning: find it, keep the rest.
    kept = []
    for e in entries:
        try:
            _serialise(spec, ch, [e])
            kept.append(e)
        except (ValueError, etree.LxmlError) as exc:
            on_dropped(e, str(exc))
    spec.entries = kept
    spec.rss, spec.atom = _serialise(spec, ch, kept)
