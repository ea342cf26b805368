"""Markdown to safe HTML for generated pages, with links checked and rewritten.

Python-Markdown converts (the same engine MkDocs uses, with the extensions listed
in mkdocs.yml). Around it this module adds what MkDocs only does for its own
pages, and what it does not do at all:

* relative links and images are resolved against the source file, rewritten to
  the URL of the page built from the target (a news item linking
  ``../procedures/1.014331.yml`` gets the procedure page), and reported with
  file and line when the target does not exist;
* an image without alternative text is an error (WCAG 1.1.1);
* raw HTML is limited to the tags the unit allows; ``<script>``, event-handler
  attributes and ``javascript:`` URLs are refused with an error, and the output
  is passed through nh3 (the Ammonia sanitiser) as a second line of defence.

Rendering is memoised by content hash, so a page, its list entry, its feed item
and its search record reuse one conversion.
"""

from __future__ import annotations

import hashlib
import html as _html
import pickle
import posixpath
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as etree

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .problems import Problems, register_messages
from .text import slugify

register_messages(
    {
        "md.link_broken": {
            "vi": "liên kết tới '{target}' không tồn tại. Kiểm tra tên tệp (phân biệt chữ hoa/thường) và đường dẫn tương đối tính từ tệp này.",
            "en": "link to '{target}' does not exist. Check the file name (case matters) and the path relative to this file.",
        },
        "md.image_missing": {
            "vi": "không tìm thấy ảnh '{target}'. Đặt tệp ảnh vào thư mục content/ và viết đường dẫn tính từ tệp này, ví dụ 'anh/ten-anh.jpg'.",
            "en": "image '{target}' not found. Put the image file under content/ and write its path relative to this file, e.g. 'anh/photo.jpg'.",
        },
        "md.image_alt": {
            "vi": "ảnh '{target}' thiếu mô tả thay thế. Viết mô tả ngắn nội dung ảnh trong ngoặc vuông: ![Cán bộ hướng dẫn người dân nộp hồ sơ]({target}).",
            "en": "image '{target}' has no alternative text. Describe the picture in the brackets: ![Staff helping a citizen file a dossier]({target}).",
        },
        "md.html_forbidden_tag": {
            "vi": "không được dùng thẻ HTML <{tag}> trong bài. Xoá thẻ này; muốn nhúng video hoặc bản đồ, hãy đặt liên kết tới trang gốc.",
            "en": "the HTML tag <{tag}> is not allowed in content. Remove it; to show a video or map, link to its page instead.",
        },
        "md.html_forbidden_attr": {
            "vi": "thuộc tính '{attr}' trong thẻ <{tag}> không được phép (có thể chạy mã độc). Xoá thuộc tính này.",
            "en": "attribute '{attr}' on <{tag}> is not allowed (it can run code). Remove it.",
        },
        "md.html_forbidden_url": {
            "vi": "địa chỉ '{value}' không được phép (javascript:/data:). Dùng liên kết http(s):// hoặc tới tệp trong content/.",
            "en": "address '{value}' is not allowed (javascript:/data:). Use an http(s):// link or a file under content/.",
        },
    }
)

# Tags Markdown itself produces; always allowed in the sanitised output.
_MARKDOWN_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_ALWAYS_FORBIDDEN = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea",
                     "select", "link", "meta", "base", "frame", "frameset", "applet", "svg", "math", "template"}
_ATTRS = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "details": {"open"},
}
_ALIGN = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*")
_BAD_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

DEFAULT_EXTENSIONS: list = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "sane_lists",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark",
]


class RenderResult:
    """A converted text: its HTML, headings and word count.

    Pickled (into the build cache, or from a worker) with its HTML as UTF-8 bytes, which are
    decoded when something first reads `html`: a rebuild takes all 5,000 news texts of the
    benchmark's large site from the cache and reads the HTML of the few it renders or puts
    in a feed. Unpickling them as strings, and as dataclasses, was ≈ 0.1 s of every rebuild.
    In a template, the object stands for its HTML (``{{ result }}``, ``| safe``)."""

    __slots__ = ("_html", "_raw", "toc", "words")

    def __init__(self, html: str = "", toc: list | None = None, words: int = 0):
        self._html: str | None = html
        self._raw: bytes | None = None
        self.toc: list[tuple[int, str, str]] = toc if toc is not None else []  # (level, id, title) of h2/h3
        self.words = words  # words of the plain text (reading time)

    @classmethod
    def _from_raw(cls, raw: bytes, toc: list, words: int) -> "RenderResult":
        result = cls.__new__(cls)
        result._html, result._raw, result.toc, result.words = None, raw, toc, words
        return result

    @property
    def html(self) -> str:
        html = self._html
        if html is None:
            html = self._html = self._raw.decode("utf-8")
            self._raw = None
        return html

    @property
    def text(self) -> str:
        """Plain text of `html`, computed when asked: a large site's news bodies kept twice
        (HTML and text) were ≈ 50 MB of the build's memory, and the text is rarely needed."""
        return _plain_text(self.html)

    def __reduce__(self):
        raw = self._raw if self._raw is not None else self._html.encode("utf-8")
        return RenderResult._from_raw, (raw, self.toc, self.words)

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> str:
        return self.html

    def __bool__(self) -> bool:
        return bool(self._raw) if self._html is None else bool(self._html)

    def __eq__(self, other) -> bool:
        if not isinstance(other, RenderResult):
            return NotImplemented
        return (self.html, self.toc, self.words) == (other.html, other.toc, other.words)

    def __repr__(self) -> str:
        return f"RenderResult(html={self.html!r}, toc={self.toc!r}, words={self.words!r})"


class _RawHtmlAudit(HTMLParser):
    def __init__(self, allowed: set[str]):
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        if tag in _ALWAYS_FORBIDDEN or tag not in self.allowed:
            self.found.append(("md.html_forbidden_tag", {"tag": tag}))
            return
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                self.found.append(("md.html_forbidden_attr", {"tag": tag, "attr": name}))
            elif name in ("href", "src", "action", "xlink:href") and value and _BAD_URL.match(value):
                self.found.append(("md.html_forbidden_url", {"value": value[:60]}))


class _LinkProcessor(Treeprocessor):
    """Resolve and check relative links and images; collect the headings."""

    def __init__(self, md, renderer: "MarkdownRenderer"):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        job = self.renderer._job
        for el in root.iter():
            # Attributes set with Markdown syntax ({: onclick=… } attribute lists, a
            # [link](javascript:…)) are refused like raw HTML, not silently stripped.
            if el.tag in ("th", "td"):
                # Table column alignment (|---:|) comes from the tables extension as a
                # style attribute, which the sanitiser drops: keep it as a class.
                m = _ALIGN.fullmatch(el.get("style") or "")
                if m:
                    del el.attrib["style"]
                    el.set("class", (el.get("class", "") + f" cchc-align-{m.group(1)}").strip())
            for name in list(el.attrib):
                if name.lower().startswith("on") or name.lower() in ("style", "formaction", "srcdoc"):
                    job.report("md.html_forbidden_attr", name, tag=el.tag, attr=name)
                    del el.attrib[name]
            for name in ("href", "src"):
                value = el.get(name)
                if value and _BAD_URL.match(value):
                    job.report("md.html_forbidden_url", value, value=value[:60])
                    del el.attrib[name]
            if el.tag == "a" and el.get("href") is not None:
                el.set("href", self.renderer._resolve(el.get("href"), job, is_image=False))
            elif el.tag == "img":
                src = el.get("src") or ""
                if not (el.get("alt") or "").strip():
                    job.report("md.image_alt", src, target=src)
                el.set("src", self.renderer._resolve(src, job, is_image=True))
                el.set("loading", "lazy")
            elif el.tag in ("h2", "h3"):
                text = "".join(el.itertext()).strip()
                hid = el.get("id") or slugify(text) or f"muc-{len(job.toc) + 1}"
                base, n = hid, 2
                while hid in job.ids:
                    hid, n = f"{base}-{n}", n + 1
                job.ids.add(hid)
                el.set("id", hid)
                job.toc.append((int(el.tag[1]), hid, text))
        return None


# Characters without which an inline pattern's regular expression cannot match, by the
# exact expression (source, flags) of Python-Markdown's and pymdownx's patterns.
#
# Python-Markdown searches every text node with each of its ~16 inline patterns in turn
# (`InlineProcessor.__applyPattern`): a 5 KB paragraph of plain Vietnamese is scanned
# 16 times, and expressions that begin with a look-behind or an alternation (code spans,
# links) get no fast scan from `re`. On the benchmark's news that scanning was a third of
# converting Markdown (py-spy: 4.9 s of 15 s CPU on a cold build). Most text holds none
# of these characters, and `in` finds that out at memory speed. No library offers this
# (Python-Markdown has no hook before a pattern's search), so the compiled expressions
# of the patterns listed here are wrapped (`_Prefiltered`): a pattern whose expression
# is not exactly the one listed (another version, another extension) is left as it is.
_NEEDLES: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # code span: every branch needs a backtick
    r"\\(.)": ("\\",),  # escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote reference
    r"(?<!\!)\[": ("[",),  # link, reference, short reference
    r"\!\[": ("![",),  # image link and reference
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # line break
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # emphasis
    r"\~|\^|=": ("~", "^", "="),  # pymdownx tilde, caret, mark
}


class _Prefiltered:
    """A pattern's compiled expression whose `finditer`, `search` and `match` return nothing
    at once for a text holding none of the strings every match needs (what the expression
    would find there too); everything else is the expression's own.

    `needles`: strings of which a match contains at least one, anywhere; `line_starts`:
    strings of which a match contains one at the start of a line (or of the text)."""

    __slots__ = ("_rx", "_needles", "_line_starts")

    def __init__(self, rx: re.Pattern, needles: tuple[str, ...], line_starts: tuple[str, ...] = ()):
        self._rx = rx
        self._needles = needles
        self._line_starts = tuple("\n" + s for s in line_starts)
        if line_starts:
            self._needles = line_starts  # the text's first line has no "\n" before it

    def _may(self, data: str) -> bool:
        for needle in self._needles:
            if needle in data:
                break
        else:
            return False
        if not self._line_starts:
            return True
        return data.startswith(self._needles) or any(s in data for s in self._line_starts)

    def finditer(self, data: str, *args):
        return self._rx.finditer(data, *args) if self._may(data) else iter(())

    def search(self, data: str, *args):
        return self._rx.search(data, *args) if self._may(data) else None

    def match(self, data: str, *args):
        return self._rx.match(data, *args) if self._may(data) else None

    def __getattr__(self, name):
        return getattr(self._rx, name)


def _prefilter_inline(md: markdown.Markdown) -> None:
    """Wrap the compiled expressions of `md`'s inline patterns listed in `_NEEDLES`."""
    for pattern in md.inlinePatterns:
        rx = getattr(pattern, "compiled_re", None)
        if not isinstance(rx, re.Pattern) or not isinstance(pattern, markdown.inlinepatterns.InlineProcessor):
            continue
        needles = _NEEDLES.get(rx.pattern)
        if needles is not None and rx.flags == re.DOTALL | re.UNICODE:
            pattern.compiled_re = _Prefiltered(rx, needles)


# The same for block processors: Python-Markdown tries each block (a paragraph) against every
# processor in turn, and most test it with an expression anchored by `(?:^|\n)`, which `re`
# tries at every position of the block: on the benchmark's news that was a quarter of
# converting Markdown (py-spy: ≈ 2.2 s of ≈ 9 s CPU on a cold build), for paragraphs that
# hold none of `#`, `>`, `!!!`… By the exact (expression, flags) of the installed
# libraries' processors: (needles anywhere, needles at a line's start [after up to 3 spaces
# where the expression allows them]).
_M, _U = re.MULTILINE, re.UNICODE
_BLOCK_NEEDLES: dict[tuple[str, int], tuple[tuple[str, ...], tuple[str, ...]]] = {
    # admonition: "!!! type"
    (r'(?:^|\n)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)', _U): (("!!!",), ()),
    # pymdownx.details: "??? type", "???+ type"
    (r'(?:^|\n)\?{3}(\+)? ?(?:([\w\-]+(?: +[\w\-]+)*?)?(?: +"(.*?)")|([\w\-]+(?: +[\w\-]+)*?)) *(?:\n|$)', _U):
        (("???",), ()),
    # "# heading"
    (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", _U): ((), ("#",)),
    # setext heading: a line, then "===" or "---" (`match`: `.` does not cross the first line)
    (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", _M | _U): (("\n=", "\n-"), ()),
    # horizontal rule: three of "-", "_" or "*", each after 0–2 spaces: two of them follow
    # each other within 0–2 spaces
    (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$", _M | _U):
        (("--", "- -", "-  -", "__", "_ _", "_  _", "**", "* *", "*  *"), ()),
    # definition: ": " at a line's start
    (r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", _U): ((), (": ", " : ", "  : ", "   : ")),
    # block quote: ">" at a line's start
    (r"(^|\n)[ ]{0,3}>[ ]?(.*)", _U): ((), (">", " >", "  >", "   >")),
    # footnote definition "[^1]:"
    (r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", _M | _U): (("[^",), ()),
    # abbreviation "*[HTML]: …"
    (r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", _M | _U): (("*[",), ()),
    # link reference "[id]: url"
    (r'''^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$''', _M | _U):
        (("]:",), ()),
}
_BLOCK_RE_ATTRS = ("RE", "START", "SEARCH_RE")


def _prefilter_blocks(md: markdown.Markdown) -> None:
    """Wrap the compiled expressions of `md`'s block processors listed in `_BLOCK_NEEDLES`."""
    for processor in md.parser.blockprocessors:
        for attr in _BLOCK_RE_ATTRS:
            rx = getattr(processor, attr, None)
            spec = _BLOCK_NEEDLES.get((rx.pattern, rx.flags)) if isinstance(rx, re.Pattern) else None
            if spec is not None:
                setattr(processor, attr, _Prefiltered(rx, *spec))


class _Ext(markdown.Extension):
    def __init__(self, renderer):
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md):
        md.treeprocessors.register(_LinkProcessor(md, self.renderer), "cchc_links", 5)


@dataclass
class _Job:
    source: str  # path of the source as shown in messages (relative to mkdocs.yml)
    base: str  # docs-relative path of the source, against which relative links resolve
    field: str  # name shown in messages: "body" for a news body, the YAML path for a field
    body: str
    first_line: int
    page_url: str
    problems: Problems
    toc: list = field(default_factory=list)
    ids: set = field(default_factory=set)
    targets: set = field(default_factory=set)  # link targets looked up (the result depends on them)

    def line_of(self, needle: str) -> int:
        idx = self.body.find(needle) if needle else -1
        return self.first_line + (self.body.count("\n", 0, idx) if idx >= 0 else 0)

    def report(self, code: str, needle: str, **params):
        self.problems.add(self.source, self.line_of(needle), self.field, code, **params)


def relative_url(target: str, page_url: str) -> str:
    """Relative link from the page at `page_url` to the site-relative `target`."""
    if target.startswith(("http://", "https://", "mailto:", "tel:", "#")):
        return target
    frag = ""
    if "#" in target:
        target, frag = target.split("#", 1)
        frag = "#" + frag
    base = posixpath.dirname(page_url.rstrip("/")) if not page_url.endswith("/") else page_url.rstrip("/")
    rel = posixpath.relpath(target or ".", base or ".")
    if (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = "./"
    return rel + frag


class MarkdownRenderer:
    """Converts Markdown of one site; knows its files and the URLs of generated pages."""

    def __init__(
        self,
        *,
        docs_dir: str,
        urls: dict[str, str],
        file_exists: Callable[[str], bool],
        allowed_tags: list[str],
        extensions: list | None = None,
        extension_configs: dict | None = None,
    ):
        self.docs_dir = docs_dir
        self.urls = urls
        self.file_exists = file_exists
        self.allowed = set(allowed_tags) - _ALWAYS_FORBIDDEN
        self.extensions = list(extensions or DEFAULT_EXTENSIONS)
        self.extension_configs = dict(extension_configs or {})
        self._md = markdown.Markdown(
            extensions=self.extensions + [_Ext(self)], extension_configs=self.extension_configs
        )
        _prefilter_inline(self._md)
        _prefilter_blocks(self._md)
        self._lock = threading.Lock()
        # key -> (result, problems found, link targets' deps as `_deps` gives them)
        self._cache: dict[str, tuple[RenderResult, list, list]] = {}
        self._job: _Job | None = None
        self._sanitize_tags = _MARKDOWN_TAGS | self.allowed
        # One cleaner, configured once: `nh3.clean(html, tags=…)` converted the allowed tags and
        # attributes for every text (a third of sanitising the benchmark's news bodies).
        self._cleaner = nh3.Cleaner(tags=self._sanitize_tags, attributes=_ATTRS,
                                    url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener",
                                    strip_comments=True)

    # --- link resolution -----------------------------------------------------
    def _resolve(self, href: str, job: _Job, *, is_image: bool) -> str:
        if not href or href.startswith("#") or _SCHEME.match(href) or href.startswith("//"):
            return href
        parts = urlsplit(href)
        path = unquote(parts.path)
        frag = ("#" + parts.fragment) if parts.fragment else ""
        if path.startswith("/"):
            target = posixpath.normpath(path.lstrip("/"))
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(job.base), path))
        job.targets.add(target)
        if target in self.urls:
            return relative_url(self.urls[target], job.page_url) + frag
        if target.startswith("../") or target == "..":
            job.report("md.image_missing" if is_image else "md.link_broken", href, target=href)
            return href
        if self.file_exists(target):
            if target.endswith(".md"):
                stem = target[:-3]
                if posixpath.basename(stem) in ("index", "README"):
                    url = posixpath.dirname(stem) + "/" if posixpath.dirname(stem) else ""
                else:
                    url = stem + "/"
                return relative_url(url, job.page_url) + frag
            return relative_url(target, job.page_url) + frag
        if not path and parts.query:
            return href
        job.report("md.image_missing" if is_image else "md.link_broken", href, target=href)
        return href

    # --- conversion ----------------------------------------------------------
    def render(
        self,
        body: str,
        *,
        source: str,
        first_line: int,
        page_url: str,
        problems: Problems,
        base: str | None = None,
        field: str = "body",
        keep: bool = True,
        deps: list | None = None,
        keys: list | None = None,
    ) -> RenderResult:
        """Convert `body` for the page at `page_url`.

        `source` is the file as shown in messages, `first_line` the line where
        `body` starts in it, `base` the docs-relative path links resolve against
        (default: `source`). Files outside content/ use "../" paths, e.g.
        "../procedures/1.014331.yml". `keep=False`: the caller keeps its own copy of the
        result, which this renderer then forgets (asked again, it comes from the build cache).
        `deps`: a list the link targets the text looked up are appended to, as `deps_hold`
        checks them (what a caller storing the problems found must check before replaying them).
        `keys`: a list the text's key in the build cache is appended to (`BuildCache.keep_md`).
        """
        base = base if base is not None else source
        return self._results([(body, source, base, field, first_line, page_url)], problems, keep, deps, keys)[0]

    def deps_hold(self, deps: list) -> bool:
        """Whether link targets noted by `render(deps=…)` in an earlier build resolve the same
        now (same URL, same file present or missing): a conversion's problems depend on
        nothing else but its text, its place and the build's settings (in the cache's
        fingerprint)."""
        want = sorted(set(map(tuple, deps)))
        return self._deps(t for t, _, _ in want) == want

    def render_many(self, requests: list[dict], problems: Problems) -> list[RenderResult]:
        """`[render(**r, problems=problems) for r in requests]`, the missing texts converted on
        every core and each text's key computed once (the news items of a site: 5,000 texts)."""
        return self._results(self._args(requests), problems, True)

    def _results(self, args: list[tuple], problems: Problems, keep: bool, deps: list | None = None,
                 keys: list | None = None) -> list[RenderResult]:
        with self._lock:
            out = []
            for key in self._ensure(args):
                result, found, used = self._cache[key] if keep else self._cache.pop(key)
                problems.extend(found)
                if deps is not None:
                    deps.extend(used)
                if keys is not None:
                    keys.append(key)
                out.append(result)
        return out

    @staticmethod
    def _args(requests: list[dict]) -> list[tuple]:
        args = []
        for req in requests:
            source = req["source"]
            base = req.get("base") if req.get("base") is not None else source
            args.append((req["body"], source, base, req.get("field", "body"), req["first_line"], req["page_url"]))
        return args

    def prefetch(self, requests: list[dict]) -> None:
        """Convert, on every core, what later `render(**request)` calls will ask for.

        A large site converts thousands of texts (16% of the benchmark's cold build
        when serial); each conversion is independent, so the missing ones are computed
        by forked workers (cchc.fastbuild.map_all) and kept here for `render`.
        `requests` hold render()'s keyword arguments without `problems`."""
        with self._lock:
            self._ensure(self._args(requests))

    def _ensure(self, requests: list[tuple]) -> list[str]:
        """Keys of `requests` ((body, source, base, field, first_line, page_url) each), after
        converting those in neither cache (on every core: cchc.fastbuild.map_all)."""
        from . import fastbuild

        keys = [_key(src, base, field, line, url, body) for body, src, base, field, line, url in requests]
        self._fetch([k for k in keys if k not in self._cache])
        todo: dict[str, tuple] = {}
        for key, args in zip(keys, requests):
            if key not in todo and key not in self._cache:
                todo[key] = args
        if todo:
            missing = list(todo)
            if self.cache is None:
                done = fastbuild.map_all([todo[k] for k in missing], lambda a: self._convert(*a))
                for key, (result, found, targets) in zip(missing, done):
                    self._cache[key] = (result, found, self._deps(targets))
            else:
                # Pickled where it was converted (a worker pickles what it sends back anyway):
                # this process stores the bytes as they come (pickling 5,000 news bodies again
                # here was ≈ 0.2 s of the large benchmark's first build, serial).
                done = fastbuild.map_all([todo[k] for k in missing], self._convert_packed)
                for key, raw in zip(missing, done):
                    result, found, deps = pickle.loads(raw)
                    self._cache[key] = (result, found, deps)
                    self.cache.md_put(key, raw)
        return keys

    def _convert_packed(self, args: tuple) -> bytes:
        result, found, targets = self._convert(*args)
        return pickle.dumps((result, found, self._deps(targets)), protocol=pickle.HIGHEST_PROTOCOL)

    def _convert(self, body: str, source: str, base: str, field: str, first_line: int, page_url: str):
        """(RenderResult, problems found, link targets looked up) of one text."""
        body = str(body)  # a SourceText, decoded now
        local = Problems()
        job = _Job(source=source, base=base, field=field, body=body, first_line=first_line, page_url=page_url, problems=local)
        self._job = job
        try:
            self._md.reset()
            html = self._md.convert(body)
            raw_blocks = list(self._md.htmlStash.rawHtmlBlocks)
        finally:
            self._job = None
        expanded = body.expandtabs(4)
        for block in raw_blocks:
            # Only HTML the author wrote is checked against the unit's policy: it
            # stands verbatim in the source. Extensions stash their own output too
            # (superfences' highlighted code blocks), which is not the author's raw
            # HTML; everything is sanitised by nh3 below either way.
            raw = str(block)
            at = expanded.find(raw) if raw.strip() else -1
            if at < 0:
                continue
            audit = _RawHtmlAudit(self.allowed)
            try:
                audit.feed(raw)
                audit.close()
            except Exception:  # malformed HTML is still sanitised below
                pass
            line = first_line + expanded.count("\n", 0, at)
            for code, params in audit.found:
                if "attr" in params:
                    needle = params["attr"]
                elif "tag" in params:
                    needle = "<" + params["tag"]
                else:
                    needle = params.get("value", "")
                offset = raw.find(needle) if needle else -1
                job.problems.add(source, line + (raw.count("\n", 0, offset) if offset > 0 else 0),
                                 job.field, code, **params)
        html = self._cleaner.clean(html)
        words = len(_words(html))  # not len(_plain_text(html).split()): no join only to split again
        return RenderResult(html=html, toc=list(job.toc), words=words), list(local), job.targets

    # --- persistent cache (cchc.buildcache) ----------------------------------
    # A conversion is reused by a later build when the text, its place and every
    # link target it looked up resolve the same (a renamed or new page changes a
    # link's URL; a deleted file makes it broken). Extensions, allowed tags and the
    # code are in the cache's fingerprint. Measured on the benchmark's large corpus:
    # Markdown conversion is ~16% of a cold build (py-spy).
    cache = None  # a cchc.buildcache.BuildCache, set by the build

    def _deps(self, targets) -> list:
        return [(t, self.urls.get(t), self.file_exists(t)) for t in sorted(targets)]

    def _fetch(self, keys: list[str]) -> None:
        """Bring the entries of `keys` found in the build cache into memory, in one query
        per few hundred keys (one query per key was a fifth of loading 5,000 news items)."""
        if self.cache is None or not keys:
            return
        for key, raw in self.cache.md_get_many(keys).items():
            hit = self._unpack(raw)
            if hit is not None:
                self._cache[key] = hit

    def _unpack(self, raw: bytes):
        try:
            result, found, deps = pickle.loads(raw)
        except Exception:  # an unreadable entry is rebuilt
            return None
        if self._deps(t for t, _, _ in deps) != deps:
            return None
        return result, found, deps


def _key(source: str, base: str, field: str, first_line: int, page_url: str, body: "str | SourceText") -> str:
    digest = body.digest if isinstance(body, SourceText) else hashlib.sha256(body.encode()).digest()
    place = "\x00".join((source, base, field, str(first_line), page_url)).encode()
    return hashlib.sha256(place + b"\x00" + digest).hexdigest()


class SourceText:
    """A Markdown text as UTF-8 bytes, with its digest: what the build cache keeps of a news
    item's body. A rebuild finds each text's conversion by the digest (`_key`) and decodes the
    text only to convert it again: decoding and hashing the 5,000 bodies of the benchmark's
    large site on every rebuild was ≈ 0.07 s. `str()` gives the text."""

    __slots__ = ("raw", "digest")

    def __init__(self, raw: bytes, digest: bytes):
        self.raw = raw
        self.digest = digest

    @classmethod
    def of(cls, text: str) -> "SourceText":
        raw = text.encode()
        return cls(raw, hashlib.sha256(raw).digest())

    def __str__(self) -> str:
        return self.raw.decode()

    def __eq__(self, other) -> bool:
        return isinstance(other, SourceText) and other.raw == self.raw

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        return SourceText, (self.raw, self.digest)


_TAG_RE = re.compile(r"<[^>]+>")


def _words(html: str) -> list[str]:
    return _html.unescape(_TAG_RE.sub(" ", html)).split()


def _plain_text(html: str) -> str:
    return " ".join(_words(html))


def markdown_settings(raw_config: dict) -> tuple[list, dict]:
    """Extensions and their configs from mkdocs.yml's `markdown_extensions` (MkDocs form)."""
    exts = raw_config.get("markdown_extensions")
    if not exts:
        return list(DEFAULT_EXTENSIONS), {}
    names: list = []
    configs: dict = {}
    for item in exts:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, cfg in item.items():
                names.append(name)
                if isinstance(cfg, dict):
                    configs[name] = cfg
    # toc is handled by our own heading processor; its permalink config uses
    # MkDocs-specific options that plain Python-Markdown rejects in some versions.
    names = [n for n in names if n != "toc"]
    configs.pop("toc", None)
    return names, configs
