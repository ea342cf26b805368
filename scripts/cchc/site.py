"""The site as plain Python: load every kind of content, check it, and list the outputs.

No MkDocs import here. A renderer (today the MkDocs plugin in `mkdocs_plugin.py`,
which lends Material's templates) turns `OutputPage`s into HTML; everything else
(models, validation, cross-references, feeds, reports, search data) is computed
here, so another renderer could replace MkDocs by implementing `render`.

Each concept (news, procedures, plans, feeds, search…) is a `SiteModule` listed in
`MODULES`. The build calls, for every module in order:

1. ``load(site)``   read and validate its sources, adding problems to ``site.problems``;
2. ``link(site)``   resolve references to other modules (all are loaded by then);
3. ``pages(site)``  the HTML pages it generates (``OutputPage``);
4. ``files(site)``  other outputs (feeds, JSON, CSV…) as ``OutputFile``.

A module registers the URLs of its items in ``site.urls`` during ``load`` so that
Markdown links between content (a news item linking a procedure file) resolve.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, NamedTuple, Protocol

from . import timeutil
from .mdrender import MarkdownRenderer, markdown_settings
from .problems import Problems
from .settings import ConfigSource, Settings

# Dotted paths of the concept modules, in load order. Each exposes `module`, an
# object implementing SiteModule.
MODULES: list[str] = [
    "cchc.pages",
    "cchc.news",
    "cchc.plans",
    "cchc.procedures",
    "cchc.feeds",
    "cchc.search",
]


class ItemLink(NamedTuple):
    """Another item as a page shows it (a news item's related procedure, a procedure's news).

    A copy made when modules link their items, not the item itself: a page's key follows
    the items its context reaches (cchc.buildcache), and items referring to each other
    (news to procedures, procedures back to news) would make every such page depend on
    them all."""

    url: str
    title: str
    code: str | None = None
    date: datetime | None = None


@dataclass
class TocEntry:
    level: int
    id: str
    title: str


@dataclass
class OutputPage:
    """One generated HTML page."""

    url: str  # site-relative, directory style: "tin-tuc/day-manh-cchc/" ("" is the home page)
    template: str  # template name under overrides/, e.g. "cchc/news-item.html"
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    lang: str = "vi"
    section: str | None = None  # nav section (url of the nav entry to mark active), e.g. "tin-tuc/"
    description: str | None = None  # <meta name="description">
    toc: list[TocEntry] = field(default_factory=list)
    lastmod: datetime | None = None  # for the sitemap
    sitemap: bool = True
    search_kind: str | None = None  # "news" | "procedure" | "plan": indexed for search; None: not indexed
    alternates: dict[str, str] = field(default_factory=dict)  # lang -> url of the same page in that language
    nav_stub: bool = False  # True: a page MkDocs itself renders (it is in the navigation)
    # True: the page shows nothing but what its context reaches and the site's structure
    # (`Site.structure`), so a rebuild may keep it by its declared key (cchc.buildcache:
    # `PageDigester.sources`). Pages that show the build's time (plans' progress and index) leave it False.
    declared: bool = False
    # Parts of the page kept from the last build, as the renderer found them ({part id: HTML},
    # `kept_part` in mkdocs_plugin.py): what they show need not be built for this page. Not an
    # input of the page (`page_key` metadata): the page's key is computed before they are looked up.
    kept_parts: dict = field(default_factory=dict, repr=False, compare=False, metadata={"page_key": False})

    @property
    def output_path(self) -> str:
        # Asked ≈ 10 times per page and build (77,000 times on the benchmark's large site):
        # remembered with the URL it was made from.
        url = self.url
        memo = self.__dict__.get("_output_path")
        if memo is not None and memo[0] is url:
            return memo[1]
        path = (url + "index.html") if (url == "" or url.endswith("/")) else url
        self.__dict__["_output_path"] = (url, path)
        return path


@dataclass
class OutputFile:
    """A non-HTML output (feed, JSON, CSV, …), written as bytes."""

    path: str  # site-relative file path
    content: bytes
    sitemap: bool = False


class SiteModule(Protocol):
    name: str

    def load(self, site: "Site") -> None: ...

    def link(self, site: "Site") -> None: ...

    def pages(self, site: "Site") -> Iterable[OutputPage]: ...

    def files(self, site: "Site") -> Iterable[OutputFile]: ...


class Site:
    """Everything one build knows. Modules keep their state in ``site.data[name]``."""

    def __init__(self, source: ConfigSource, settings: Settings, problems: Problems, now: datetime | None = None):
        self.source = source
        self.settings = settings
        self.problems = problems
        self.now = now or timeutil.build_now(settings.now)
        self.data: dict[str, Any] = {}
        # Source path (docs-relative for files under content/, config-relative
        # otherwise, POSIX separators) -> site-relative URL of the page built from it.
        self.urls: dict[str, str] = {}
        self._exists: dict[str, bool] = {}
        exts, ext_cfg = markdown_settings(source.raw_config)
        # One Markdown converter for every module (pages, lists, feeds and search
        # all reuse its memoised output).
        self.markdown = MarkdownRenderer(
            docs_dir=source.docs_dir,
            urls=self.urls,
            file_exists=self._file_exists,
            allowed_tags=settings.raw_html_tags,
            extensions=exts,
            extension_configs=ext_cfg,
        )
        self.modules: list[SiteModule] = [importlib.import_module(m).module for m in MODULES]
        self._pages: list[OutputPage] | None = None
        self._files: list[OutputFile] | None = None
        self._structure: str | None = None
        # What modules say of their work ({what: how much}), which the renderer logs in detail.
        self.stats: dict[str, str] = {}

    def _file_exists(self, docs_path: str) -> bool:
        """Whether content/<docs_path> is a file, asked once per path and build (the link
        targets of 5,000 news texts are checked on every rebuild; the folder does not change
        while a build reads it)."""
        known = self._exists.get(docs_path)
        if known is None:
            known = self._exists[docs_path] = os.path.isfile(os.path.join(self.source.docs_dir, docs_path))
        return known

    # --- paths ---------------------------------------------------------------
    @property
    def docs_dir(self) -> str:
        return self.source.docs_dir

    @property
    def config_dir(self) -> str:
        return self.source.config_dir

    @property
    def site_url(self) -> str:
        url = self.source.site_url or ""
        return url if url.endswith("/") or not url else url + "/"

    def abs_url(self, url: str) -> str:
        """Absolute URL of a site-relative URL (needs site_url; otherwise root-relative)."""
        return (self.site_url or "/") + url.lstrip("/")

    def rel_path(self, abs_path: str) -> str:
        """A path as shown in messages: relative to the folder holding mkdocs.yml."""
        return relative_path(abs_path, self.config_dir)

    def docs_path(self, abs_path: str) -> str:
        """A path relative to the docs folder, as links and `urls` name files."""
        return relative_path(abs_path, self.docs_dir)

    def abs_path(self, rel_path: str) -> str:
        """The absolute path of a path as shown in messages (`rel_path`'s inverse)."""
        return os.path.abspath(os.path.join(self.config_dir, *rel_path.split("/")))

    @property
    def lang(self) -> str:
        return "vi"

    # --- build steps ---------------------------------------------------------
    def load(self) -> "Site":
        for m in self.modules:
            m.load(self)
        for m in self.modules:
            m.link(self)
        return self

    def pages(self) -> list[OutputPage]:
        if self._pages is None:
            out: list[OutputPage] = []
            for m in self.modules:
                out.extend(m.pages(self))
            seen: dict[str, OutputPage] = {}
            for p in out:
                if p.url in seen:
                    raise RuntimeError(f"two generated pages share the URL {p.url!r}")
                seen[p.url] = p
            self._pages = sorted(out, key=lambda p: p.url)
        return self._pages

    def files(self) -> list[OutputFile]:
        if self._files is None:
            out: list[OutputFile] = []
            for m in self.modules:
                out.extend(m.files(self))
            self._files = sorted(out, key=lambda f: f.path)
        return self._files

    def structure(self) -> str:
        """A digest of everything a page may show of a source file other than through the item
        loaded from it: what a rebuild's declared page keys rest on (cchc.buildcache).

        A module declares, with a ``structure(site)`` hook, {absolute path: digest} for the
        files whose items it can summarise: the parts of the file that other pages copy
        (a news item's front matter and whether it is published; a procedure's fields but
        the texts only its own pages print). Every other file under the content, procedures
        and plans folders counts with its size and modification time, so that any change to
        it (a content page, an image, a form whose size a procedure shows, a plan) changes
        this digest. Computed once, before `release` drops the parsed sources."""
        if self._structure is None:
            declared: dict[str, bytes] = {}
            for m in self.modules:
                hook = getattr(m, "structure", None)
                if hook is not None:
                    declared.update(hook(self))
            h = hashlib.blake2b(digest_size=20)
            roots = [self.docs_dir] + [os.path.join(self.config_dir, d) for d in
                                       (self.settings.procedures_dir, self.settings.plans_dir)]
            for root in dict.fromkeys(os.path.abspath(r) for r in roots):
                h.update(b"root\0" + root.encode("utf-8", "surrogateescape"))
                for dirpath, dirnames, filenames in os.walk(root):
                    dirnames.sort()
                    for fn in sorted(filenames):
                        path = os.path.join(dirpath, fn)
                        h.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
                        own = declared.get(path)
                        if own is not None:
                            h.update(b"d" + own)
                            continue
                        try:
                            st = os.stat(path)
                            h.update(b"s%d:%d" % (st.st_size, st.st_mtime_ns))
                        except OSError:
                            h.update(b"?")
            self._structure = h.hexdigest()
        return self._structure

    def prepare(self, pages: list[OutputPage]) -> None:
        """Let modules finish the data of the pages about to be rendered (what they build only
        for pages a rebuild does not keep: a procedure's view, unless the page part showing it
        is kept: `OutputPage.kept_parts`), before the renderer forks."""
        for m in self.modules:
            hook = getattr(m, "prepare", None)
            if hook is not None:
                hook(self, pages)

    def release(self) -> None:
        """Let modules drop what only checks needed (source positions), once every page's
        and file's data is built: nothing reports a problem after that."""
        for m in self.modules:
            hook = getattr(m, "release", None)
            if hook is not None:
                hook(self)

    def module(self, name: str) -> Any:
        for m in self.modules:
            if m.name == name:
                return m
        raise KeyError(name)


@functools.lru_cache(maxsize=64)
def _walk_prefix(start: str) -> str | None:
    """What a path under the absolute folder `start` begins with (None: `start` is relative)."""
    return (start if start.endswith(os.sep) else start + os.sep) if os.path.isabs(start) else None


def relative_path(path: str, start: str) -> str:
    """``os.path.relpath(path, start)`` with POSIX separators. A path found by walking `start`
    (an absolute, normalised path under it: every source file) is cut at once: `relpath`
    makes both paths absolute and compares them segment by segment, ≈ 0.15 s for the 12,000
    paths of the benchmark's large site on every build."""
    prefix = _walk_prefix(start)
    if prefix is not None and path.startswith(prefix):
        rest = path[len(prefix):]
        # No empty, "." or ".." part: no part starts with a dot or is empty (stricter, and
        # one scan each; a path that fails goes to `relpath`, which gives the same answer).
        sep = os.sep
        if rest and rest[0] not in (".", sep) and rest[-1] != sep and (sep + ".") not in rest and (sep + sep) not in rest:
            return rest if sep == "/" else rest.replace(sep, "/")
    return os.path.relpath(path, start).replace(os.sep, "/")


def load_site(config_file: str, problems: Problems | None = None, now: datetime | None = None) -> Site | None:
    """Read mkdocs.yml and all content; None when the settings themselves are broken."""
    from .settings import load_settings, read_config

    problems = problems if problems is not None else Problems()
    source = read_config(config_file, problems)
    if source is None:
        return None
    settings = load_settings(source, problems)
    if settings is None:
        return None
    site = Site(source, settings, problems, now=now)
    return site.load()
