"""Thin MkDocs adapter: MkDocs + Material render; `cchc.site` decides everything else.

What this file does, and nothing more:
* on_config: load and check all content through the core; on any error, print
  every problem (file:line: field: message) and abort before anything is written;
* on_files: take news sources out of MkDocs' hands (the core renders them) and add
  the few section pages that appear in the short explicit navigation;
* on_env: expose the core's data, interface strings and date filters to templates;
* on_post_build: render every generated page with Material's Jinja environment,
  write feeds and other files, and write the sitemap of everything published.

Generated pages never pass through MkDocs' page pipeline and never enter the
navigation: rendering one costs ~1.6 ms instead of MkDocs' per-page Markdown,
plugin and navigation work (shared/anchors.md §1.1, §3.9).
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import sys
import time
from typing import NamedTuple

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, pass_context
from markupsafe import Markup, escape
from mkdocs.config import base as config_base
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url, write_file

from . import buildcache, fastbuild, outdir, timeutil, yamlsrc
from .i18n import t as _t
from .problems import Problems
from .settings import Settings, load_settings, read_config
from .site import OutputPage, Site
from .sitemap import sitemap_files

log = logging.getLogger("mkdocs.plugins.cchc")


class _ThemeListing(FileSystemLoader):
    """The theme's loader, listing its files without those under a folder named ".…".

    MkDocs lists every file of the theme folders to copy the static ones
    (`Files.add_files_from_theme`), then drops each path with a part starting with a
    dot (its patterns '.*' and '*/.*'). Material keeps 14,000 icons under `.icons/`:
    walking them and matching each against twenty patterns took 0.13 s of every build,
    warm rebuilds included, to keep 48 files. Not walking such folders gives MkDocs the
    same list. Templates are still loaded from anywhere (`{% include ".icons/…" %}`):
    only the listing changes. MkDocs has no option or event for this (the list is
    made between `on_config` and `on_files`), hence a loader of our own."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for filename in filenames:
                    template = os.path.join(dirpath, filename)[len(searchpath):].strip(os.path.sep)
                    found.add(template.replace(os.path.sep, "/"))
        return sorted(found)


def _list_theme_files_fast(theme) -> None:
    """Make `theme.get_env()` (which MkDocs calls once a build, after `on_config`) give an
    environment whose loader is `_ThemeListing`."""
    if getattr(theme, "_cchc_listing", False):
        return
    make_env = theme.get_env

    def get_env():
        env = make_env()
        if type(env.loader) is FileSystemLoader:
            env.loader.__class__ = _ThemeListing  # same state (search path, encoding, links)
        return env

    theme.get_env = get_env
    theme._cchc_listing = True


def _files_without_generated_sources(config, skip) -> Files:
    """`mkdocs.structure.files.get_files` (MkDocs 1.6.1, which `pyproject.toml` pins), leaving out
    the files `skip(src_uri)` names: the news items (and English twins), which this plugin
    builds itself and `on_files` would remove. MkDocs made a `File` of each and matched it
    against the exclusion patterns: ≈ 0.1 s of every build of the benchmark's 5,000 items."""
    from mkdocs.structure import files as mkfiles

    found: list = []
    conflicting: list = []
    docs_dir = config["docs_dir"]
    for source_dir, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        relative_dir = os.path.relpath(source_dir, docs_dir)
        dirnames.sort()
        # Left out before sorting (sorting is stable: the same order for the rest), so that
        # the 5,000 news files are not given MkDocs' sort key (≈ 20 ms a build).
        kept = [(filename, rel) for filename in filenames
                if not skip(posixpath.normpath((rel := os.path.join(relative_dir, filename)).replace(os.sep, "/")))]
        kept.sort(key=lambda pair: mkfiles._file_sort_key(pair[0]))
        by_dest: dict = {}
        for _, rel in kept:
            file = File(rel, docs_dir, config["site_dir"], config["use_directory_urls"])
            prev = by_dest.setdefault(file.dest_uri, file)
            if prev is not file:
                conflicting.append((prev, file))
            found.append(file)
    mkfiles.set_exclusions(found, config)
    for a, b in conflicting:  # README.md beside index.md, as MkDocs resolves it
        if b.inclusion.is_included():
            if a.inclusion.is_included():
                log.warning(f"Excluding '{a.src_uri}' from the site because it conflicts with '{b.src_uri}'.")
            if a in found:
                found.remove(a)
        elif b in found:
            found.remove(b)
    return Files(found)


def _list_docs_fast(skip) -> None:
    """Make MkDocs' build list the docs folder with `_files_without_generated_sources`."""
    from mkdocs.commands import build as mkbuild

    mkbuild.get_files = lambda config: _files_without_generated_sources(config, skip)


class Declared(NamedTuple):
    """The pages a rebuild keeps or renders again by their declared keys (`CchcPlugin._by_declaration`)."""
    kept: dict  # output path -> (its last exact key, its declared record)
    changed: dict  # output path -> its new declared record (rendered again, no exact key)


class _Passthrough(config_base.BaseConfigOption):
    """Plugin options are validated by the core (with line numbers), not by MkDocs."""

    def run_validation(self, value):
        return value


class _GeneratedPage:
    """The attributes of mkdocs.structure.pages.Page that Material's templates read."""

    is_page = True
    is_section = False
    is_link = False
    is_homepage = False
    edit_url = None
    previous_page = None
    next_page = None
    parent = None
    children = None
    file = None
    content = ""

    def __init__(self, out: OutputPage, site_url: str):
        # Material prints page.title and the description as HTML (header, <meta>): the
        # core gives plain text, so it is escaped here; <title> is written by main.html.
        self.title = escape(out.title)
        self.url = out.url
        self.canonical_url = (site_url + out.url) if site_url else None
        self.abs_url = "/" + out.url
        hide = ["toc"] if not out.toc else []
        self.meta = {"description": escape(out.description or ""), "hide": hide + list(out.context.get("hide", []))}
        self.toc = _toc(out)
        self.ancestors = []
        self.active = False
        self.content = str(out.context.get("content_html", ""))  # a RenderResult stands for its HTML


class _Overlay:
    """A read-only view of a config object (or the theme) with some keys replaced.

    English pages are rendered with Material's English interface and the
    English site name without a second MkDocs build: templates see the same
    config with `theme.language`, `site_name`, … and the language switcher
    (`extra.alternate`) replaced for that page.
    """

    def __init__(self, base, **over):
        self._base = base
        self._over = over

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._over:
            return self._over[name]
        return getattr(self._base, name)

    def __getitem__(self, key):
        if key in self._over:
            return self._over[key]
        return self._base[key]

    def get(self, key, default=None):
        try:
            return self[key]
        except (KeyError, IndexError, TypeError):
            return default

    def __contains__(self, key):
        return key in self._over or key in self._base

    def __iter__(self):
        return iter(self._base)


class _NavEntry:
    """A top-level navigation entry of a non-default language (Material reads these attributes)."""

    is_page = True
    is_section = False
    is_link = False
    is_index = False
    children = None
    parent = None
    encrypted = False
    typeset = None

    def __init__(self, title: str, url: str):
        self.title = title
        self.url = url
        self.active = False
        self.meta: dict = {}


class _Nav:
    def __init__(self, items: list[_NavEntry]):
        self.items = items
        self.pages = items
        self.homepage = items[0] if items else None

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def _toc(out: OutputPage) -> TableOfContents:
    roots: list[AnchorLink] = []
    for entry in out.toc:
        # Material prints toc titles as HTML: the entries are plain text.
        link = AnchorLink(str(escape(entry.title)), entry.id, entry.level)
        if entry.level > 2 and roots:
            roots[-1].children.append(link)
        else:
            roots.append(link)
    return TableOfContents(roots)


def _stub_src(url: str) -> str:
    return (url + "index.md") if url.endswith("/") or url == "" else url + ".md"


class CchcPlugin(BasePlugin):
    config_scheme = tuple((name, _Passthrough()) for name in Settings.model_fields)

    def __init__(self):
        super().__init__()
        self.site: Site | None = None
        self._cache = None
        self.env = None
        self._stubs: dict[str, OutputPage] = {}
        self._mkdocs_pages: list[str] = []
        self._alternates: dict[str, dict] = {}
        self._navs: dict = {}
        self._dirty = False
        self._prev: str | None = None
        self._prev_listing = None  # waits for the listing of `_prev` (on_pre_build)
        self._precompiled = None  # waits for the templates compiled on another core (on_env)
        self._to_precompile: list[str] = []
        self._command: str | None = None

    def on_startup(self, *, command, dirty):
        self._dirty = dirty
        self._command = command
        if dirty and command == "build":
            # `--dirty` rewrites only changed pages and MkDocs then writes a partial
            # sitemap (and, with Material's search, a truncated index): preview only.
            log.warning("mkdocs build --dirty: kết quả chỉ để xem trước, không xuất bản (không đầy đủ). "
                        "Build without --dirty before publishing; the project's cache already makes rebuilds fast.")

    # --- load and check ---------------------------------------------------------
    def on_config(self, config):
        # `mkdocs serve` reuses this object: a build that failed left its cache open (and its
        # transaction unfinished), which would lock the next build's cache.
        self._close_cache()
        _list_theme_files_fast(config.theme)
        # The last build's data goes before this one is made (`mkdocs serve`).
        self.site = self.env = None
        self._stubs, self._navs, self._files, self._nav = {}, {}, None, None
        fastbuild.release_long_lived()
        problems = Problems()
        source = read_config(config.config_file_path, problems)
        settings = load_settings(source, problems) if source is not None else None
        lang = settings.error_lang if settings is not None else "vi"
        site = None
        if settings is not None:
            try:
                site = Site(source, settings, problems)
                self._cache = _open_cache(config, site)
                site.markdown.cache = yamlsrc.cache = self._cache
                with fastbuild.long_lived():
                    try:
                        with _timed("load and check content"):
                            site = site.load()
                    finally:
                        yamlsrc.cache = None
                    if not problems.has_errors():
                        # Building the pages' data checks what only shows then (Markdown in
                        # procedure and plan fields, feeds): found here, before anything is
                        # written, and never swallowed (as `cchc check` does).
                        with _timed("build page data"):
                            site.pages()
                        for what, amount in site.stats.items():
                            log.debug("cchc: %s: %s", what, amount)
                        with _timed("build feeds and files"):
                            site.files()
                        if self._cache is not None:
                            with _timed("structure"):
                                site.structure()  # before `release` drops the parsed sources
                        site.release()
            except Exception:  # a bug of ours must not hide the content problems found so far
                _print_problems(problems, lang)
                raise
        _print_problems(problems, lang)
        if problems.has_errors() or site is None:
            raise PluginError(
                ("Dừng build: " if lang == "vi" else "Build stopped: ")
                + problems.summary(lang)
                + (" Sửa các lỗi trên rồi chạy lại; chưa có gì được xuất bản." if lang == "vi"
                   else " Fix the problems above and run again; nothing was published.")
            )
        self.site = site
        news_prefix = site.settings.news_dir.strip("/") + "/"
        self._generated_source = lambda uri: uri.endswith(".md") and (uri.startswith(news_prefix) or uri.endswith(".en.md"))
        _list_docs_fast(self._generated_source)
        self._stubs = {}
        self._mkdocs_pages = []
        self._navs = {}
        return config

    # --- files --------------------------------------------------------------------
    def on_files(self, files, config):
        site = self.site
        for f in list(files):  # none left by `_files_without_generated_sources`, unless MkDocs listed them
            if self._generated_source(f.src_uri):
                files.remove(f)
        self._alternates = dict(site.data["pages"].alternates) if "pages" in site.data else {}
        for out in site.pages():
            if out.alternates:
                self._alternates[out.url] = out.alternates
        for out in site.pages():
            if not out.nav_stub:
                continue
            src = _stub_src(out.url)
            existing = files.get_file_from_path(src)
            if existing is not None:
                files.remove(existing)
            content = f"---\ntemplate: {out.template}\n---\n\n# {out.title}\n"
            files.append(File.generated(config, src, content=content, inclusion=InclusionLevel.INCLUDED))
            self._stubs[out.url] = out
        return files

    def on_pre_build(self, config):
        # MkDocs empties the output folder right after this event: the previous
        # output is set aside first, so that unchanged pages are moved back instead of
        # written again (cchc/outdir.py). Not with --dirty (MkDocs keeps the folder)
        # nor without the cache (nothing says which pages are unchanged).
        self._prev = self._prev_listing = None
        if self._cache is not None and not self._dirty:
            with _timed("set the previous output aside"):
                self._prev = outdir.stash(config.site_dir)
            if self._prev is not None:
                # Listed on another core (≈ 7,700 folders and their files on the large
                # benchmark, 0.1 s) while MkDocs and the page keys go on.
                prev = self._prev
                self._prev_listing = fastbuild.in_child(lambda: outdir.listing(prev))
        else:
            # A build that failed after setting the output aside left it in a hidden folder
            # that MkDocs' clean (and --dirty) would keep and `gh-deploy` would publish.
            outdir.discard(config.site_dir)

    def on_shutdown(self):
        if self._command == "build":
            # `mkdocs build` exits right after this. Python would then free the build's
            # objects one by one (≈ 1–1.5 s on the large benchmark, as long as a warm
            # rebuild's whole search phase); the operating system takes the memory back
            # at once. Only for the `build` command, whose process ends here; `serve` keeps
            # rebuilding in the same process and frees each build as usual.
            fastbuild.keep_until_exit(self, self.site, self.env)

    def on_build_error(self, error):
        self._wait_precompiled()
        # The previous output set aside is not put back into a half-built folder: it goes,
        # and the next build renders what it needs.
        if self._prev is not None:
            self._wait_listing()
            outdir.discard(os.path.dirname(self._prev))
            self._prev = None
        self._close_cache()

    def _wait_listing(self):
        """The listing of the previous output (`on_pre_build`), once its process (or thread) is
        done; None when there is none or it failed (`outdir.restore` then lists the folder
        itself, and meets the error then)."""
        wait, self._prev_listing = self._prev_listing, None
        return _result_or_none(wait)

    def _close_cache(self) -> None:
        if self._cache is not None:
            try:
                self._cache.close()  # an unfinished transaction is rolled back
            except Exception:  # noqa: BLE001 - a broken cache only costs speed
                pass
            self._cache = None

    def on_serve(self, server, config, builder):
        site = self.site
        for d in (site.settings.procedures_dir, site.settings.plans_dir):
            path = os.path.join(site.config_dir, d)
            if os.path.isdir(path):
                server.watch(path)
        return server

    def on_nav(self, nav, config, files):
        self._nav, self._files = nav, files
        return nav

    # --- languages -------------------------------------------------------------------
    def _languages(self) -> list[str]:
        return ["vi"] + sorted(self.site.settings.languages)

    def _switcher(self, url: str, lang: str) -> list[dict]:
        alts = self._alternates.get(url, {})
        out = []
        for x in self._languages():
            target = alts.get(x) or (url if x == lang else ("" if x == "vi" else f"{x}/"))
            out.append({"name": _t(f"i18n.name.{x}", lang), "link": target, "lang": x})
        return out

    def _config_for(self, config, url: str, lang: str):
        """The config templates see on the page at `url` in `lang`."""
        if len(self._languages()) == 1:
            return config
        extra = _Overlay(config.extra, alternate=self._switcher(url, lang))
        if lang == "vi":
            return _Overlay(config, extra=extra)
        ls = self.site.settings.languages[lang]
        theme = _Overlay(config.theme, language=lang)
        return _Overlay(
            config, extra=extra, theme=theme, site_name=ls.site_name,
            site_description=ls.site_description or config.site_description,
            copyright=ls.copyright or config.copyright,
        )

    def _nav_for(self, lang: str):
        """The short navigation of `lang`: the Vietnamese entries that have a page in `lang`."""
        if lang == "vi":
            return self._nav
        cached = self._navs.get(lang)
        if cached is not None:
            return cached
        titles = {out.url: out.title for out in self.site.pages() if out.lang == lang}
        if "pages" in self.site.data:
            titles.update({i.url: i.title for i in self.site.data["pages"].translations if i.lang == lang})
        entries = []
        for item in self._nav.items:
            url = getattr(item, "url", None)
            if url is None:
                continue
            target = self._alternates.get(url, {}).get(lang)
            if target is not None and target in titles:
                entries.append(_NavEntry(titles[target], target))
        self._navs[lang] = _Nav(entries)
        return self._navs[lang]

    # --- templates ------------------------------------------------------------------
    def on_env(self, env, config, files):
        site = self.site

        @pass_context
        def t(ctx, key, **params):
            return _t(key, ctx.get("page_lang") or "vi", **params)

        @pass_context
        def unit(ctx):
            return site.settings.don_vi.localized(ctx.get("page_lang") or "vi")

        fragments: dict = {}
        use_fragments = os.environ.get("CCHC_FRAGMENTS", "1") != "0"

        def cached(key, caller):
            """Output of the `{% call cchc_cached(key) %}` block, rendered once per key.

            On a large site most of a generated page's HTML is Material's header,
            navigation, tabs and footer, identical for every page of a folder, language
            and section (py-spy: ≈ 40% of template time on the benchmark's large corpus).
            The templates pass a key only on generated pages, built from exactly what
            those parts read (render_and_write's `cchc_fk`); without a key the block is
            rendered as usual (and always with CCHC_FRAGMENTS=0, which the tests
            use to prove the fragments change no byte of the output)."""
            if not key or not use_fragments:
                return caller()
            hit = fragments.get(key)
            if hit is None:
                hit = fragments[key] = caller()
            return hit

        env.globals["cchc_cached"] = cached

        @pass_context
        def kept_part(ctx, basis: str, *parts, caller):
            """Output of the `{% call cchc_kept_part(basis, *parts) %}` block: a part of the
            page that shows only what the page at the URL `basis` shows (the same data),
            laid out for this page (its URL and language) with `parts` (its place here).

            Kept between builds (cchc.buildcache, "parts of pages"): the renderer looks up
            before rendering the parts stored with this page whose basis still has the key
            it had (`OutputPage.kept_parts`); those are not rendered, and what they show need
            not be built (a procedure's view). The others are rendered and stored with the
            key their basis has in this build. Under CCHC_CHECK_KEYS=1 (tests) a kept part
            is rendered too, and must be the same."""
            slot = ctx.get("cchc_parts")
            if slot is None:
                return caller()
            pid = (basis, parts)
            html = slot.found.get(pid)
            if html is None:
                html = caller()
                slot.made[pid] = str(html)
                return html
            if slot.check:
                fresh = str(caller())
                if fresh != html:
                    raise PluginError(f"cchc: a kept part of {ctx['output'].output_path} has changed: {pid}")
            slot.made[pid] = None  # the one found
            return Markup(html)

        env.globals["cchc_kept_part"] = kept_part
        checking = os.environ.get("CCHC_CHECK_KEYS") == "1"

        @pass_context
        def stored(ctx, name: str, *values, caller):
            """Output of the `{% call cchc_stored(name, *values) %}` block, kept in the build
            cache under a digest of the template, `name`, `values` (plain data only:
            `buildcache.value_digest`), the page's URL, the base URL and the page's language:
            the block must show nothing but `values` (passed whole), with relative links (the
            URLs) and translated words (the language); templates and code are in the cache's
            fingerprint. For a large part of a page MkDocs renders on every build: the
            procedures index's table of 1,000 procedures took 36 ms of each rebuild.
            Rendered as usual in a rendering worker (no cache there), without the cache and
            with CCHC_FRAGMENTS=0; under CCHC_CHECK_KEYS=1 (tests) a stored block is rendered
            too, and must be the same."""
            cache = self._cache
            if cache is None or not use_fragments or fastbuild.in_worker():
                return caller()
            page = ctx.get("page")
            key = buildcache.value_digest((ctx.name, name, getattr(page, "url", None), ctx.get("base_url"),
                                           ctx.get("page_lang"), values))
            if key is None:
                return caller()
            rendered: list[str] = []

            def render() -> str:
                rendered.append(str(caller()))
                return rendered[0]

            html = cache.load("stored-block", key.encode(), render)
            if checking and not rendered and str(caller()) != html:
                raise PluginError(f"cchc: the stored block {name!r} of {getattr(page, 'url', '?')} has changed")
            return Markup(html)

        env.globals["cchc_stored"] = stored
        theme_texts: dict = {}

        def theme_t(language, key):
            """Material's `lang.t(key)` (partials/language.html: the language's text, else the
            English one, else the key), looked up once per language and key."""
            hit = theme_texts.get((language, key))
            if hit is None:
                own = env.get_template(f"partials/languages/{language}.html").module
                fallback = env.get_template("partials/languages/en.html").module
                hit = theme_texts[(language, key)] = own.t(key) or fallback.t(key) or key
            return hit

        env.globals["cchc_theme_t"] = theme_t
        if self._cache is not None:
            # Compiled templates are kept between builds (Jinja checks each template's
            # source checksum): compiling Material's ~50 templates is ~1 s of every build.
            path = os.path.join(buildcache.cache_dir(site.config_dir), "jinja")
            try:
                os.makedirs(path, exist_ok=True)
                env.bytecode_cache = FileSystemBytecodeCache(path)
            except OSError:  # a read-only checkout only loses the speed-up
                pass
        env.globals["t"] = t
        env.globals["site"] = site
        env.globals["unit_for"] = unit
        env.globals["cchc_unit"] = site.settings.don_vi
        env.filters["vn_date"] = lambda d, lang="vi": timeutil.format_date(d, lang) if d else ""
        env.filters["vn_date_long"] = lambda d, lang="vi": timeutil.format_date_long(d, lang) if d else ""
        env.filters["vn_datetime"] = lambda d, lang="vi": timeutil.format_datetime(d, lang) if d else ""
        env.filters["iso"] = lambda d: timeutil.rfc3339(d) if d else ""
        # MkDocs creates its Jinja environment without autoescape (Material escapes by hand
        # with `| e`). The project's templates print content values (titles, summaries, plan
        # and procedure text) directly, so they are autoescaped: only Markup (HTML the core
        # rendered and sanitised) goes out as HTML. Material's own templates are unchanged.
        env.autoescape = _autoescape
        self.env = env
        self._precompiled = None
        self._to_precompile = []
        custom = config.theme.custom_dir
        jinja_dir = getattr(env.bytecode_cache, "directory", None)
        if jinja_dir and custom and not os.listdir(jinja_dir) and fastbuild.default_jobs() > 1:
            # A first build (the bytecode cache is empty): the project's page templates are
            # compiled on another core into that cache while MkDocs renders its own pages here
            # (compiled here, serial, before rendering, they took ≈ 0.2 s on the large
            # benchmark); this process then loads them from the cache. Started with MkDocs' first
            # page (`on_page_context`), once every plugin has set the environment up (what
            # another plugin's `on_env` changes after this one, an extension, would change the
            # compiled code). A template that fails to compile fails again here, with its message.
            self._to_precompile = sorted(
                os.path.relpath(os.path.join(d, f), custom).replace(os.sep, "/")
                for d, _, fs in os.walk(os.path.join(custom, "cchc")) for f in fs if f.endswith(".html"))
        return env

    def _start_precompiling(self) -> None:
        names, self._to_precompile = self._to_precompile, []
        if names and fastbuild.can_fork():
            env = self.env
            self._precompiled = fastbuild.in_child(lambda: [env.get_template(n) and None for n in names])

    def _wait_precompiled(self) -> None:
        """Wait for the templates compiled on another core; one that failed there is compiled
        (and its error reported) here instead."""
        self._to_precompile = []
        wait, self._precompiled = self._precompiled, None
        _result_or_none(wait)

    def on_page_context(self, context, page, config, nav):
        if self._to_precompile:
            self._start_precompiling()
        out = self._stubs.get(page.url)
        context["page_lang"] = "vi"
        context["unit"] = self.site.settings.don_vi
        if out is not None:
            page.title = escape(out.title)  # printed as HTML by Material's header
            page.meta.setdefault("description", escape(out.description or ""))
            page.meta.setdefault("hide", ["toc"])
            context.update(out.context)
            context["output"] = out
            context["page_lang"] = out.lang
            context["unit"] = self.site.settings.don_vi.localized(out.lang)
        context["config"] = self._config_for(config, page.url, context["page_lang"])
        self._mkdocs_pages.append(page.url)
        return context

    # --- generated pages and files ---------------------------------------------------
    def on_post_build(self, config):
        from mkdocs.commands.build import get_context

        site = self.site
        env = self.env
        site_dir = config.site_dir
        files, nav = self._files, self._nav
        nav_by_url = {p.url: p for p in nav.pages}
        nav_urls = [p.url for p in nav.pages] + [e.url for lang in self._languages()[1:] for e in self._nav_for(lang).items]
        site_url = site.site_url
        templates: dict = {}

        # Modules that look at each page as written (search counts its words): called in the
        # worker that rendered the page, with the HTML in hand, so nothing reads it back.
        watchers = [m for m in site.modules if hasattr(m, "page_written")]

        def render_and_write(out: OutputPage) -> tuple:
            page = _GeneratedPage(out, site_url)
            page_nav = self._nav_for(out.lang)
            if out.lang == "vi":
                section = nav_by_url.get(out.section) if out.section is not None else None
            else:
                section = next((e for e in page_nav.items if e.url == out.section), None)
            if section is not None:
                section.active = True
            try:
                ctx = get_context(page_nav, files, config, page, base_url=get_relative_url(".", page.url))
                ctx["config"] = self._config_for(config, out.url, out.lang)
                ctx.update(out.context)
                ctx["output"] = out
                ctx["page_lang"] = out.lang
                ctx["unit"] = site.settings.don_vi.localized(out.lang)
                ctx["cchc_fk"] = _fragment_key(out, nav_urls)
                parts = ctx["cchc_parts"] = _Parts(found_parts.get(out.output_path, {}), checking) if cache is not None else None
                template = templates.get(out.template) or templates.setdefault(out.template, env.get_template(out.template))
                html = template.render(ctx)
            finally:
                if section is not None:
                    section.active = False
            data = html.encode("utf-8")
            path = os.path.join(site_dir, *out.output_path.split("/"))
            write_file(data, path)
            st = os.stat(path)
            content = outdir.digest(data)
            seen = {m.name: m.page_written(site, out, html, content) for m in watchers}
            return (st.st_size, st.st_mtime_ns, content), seen, parts.made if parts is not None else None

        # Pages whose inputs are unchanged since the last build stay in the output
        # folder (cchc/buildcache.py, cchc/outdir.py); every core renders a share of
        # the others (cchc/fastbuild.py).
        pages = [out for out in site.pages() if not out.nav_stub]
        output_paths = {out.url: out.output_path for out in pages}  # what a part's basis URL names
        cache, keys, todo, kept, wanted = self._cache, {}, pages, {}, {}
        checking = os.environ.get("CCHC_CHECK_KEYS") == "1"
        found_parts: dict = {}  # output path -> {part id: HTML} kept from the last build (`kept_part`)
        outputs: dict = {}  # module -> {path: record} of its own files that may be kept
        keys_later = None  # the keys' computation, when nothing waits for them (below)
        if cache is not None:
            other_navs = [(lang, [(e.title, e.url) for e in self._nav_for(lang).items]) for lang in self._languages()[1:]]
            nav_fp = (cache.fingerprint + repr(_nav_summary(nav)) + repr(other_navs) + repr(sorted(self._mkdocs_pages))
                      + _config_summary(config))

            structure = site.structure()
            declared: dict = {}  # output path -> (declared key, its sources), for the next build
            # One digester for the declared keys and the exact ones: files hashed and states
            # summarised once.
            digester = buildcache.PageDigester(site, cache.file_digests, every_page=_EVERY_PAGE)

            def page_keys(subset: list, by_declaration: Declared | None = None) -> dict:
                """Exact keys of `subset` (and the declared keys of all pages, stored for the
                next build); `by_declaration`: the pages kept or rendered again by their
                declared keys (`_by_declaration`), whose records carry over."""
                with _timed("page cache keys"):
                    by_declaration = by_declaration or Declared({}, {})
                    d = digester
                    keys = d.page_keys(subset, site.files(), nav_fp)
                    if d.used_whole_site and (by_declaration.kept or by_declaration.changed):
                        # A page reached a state that counts as the whole site, which a
                        # subset cannot digest as all pages do: every page is keyed exactly.
                        by_declaration.kept.clear()  # (in place: the check after this reads them)
                        by_declaration.changed.clear()
                        subset = pages
                        d = buildcache.PageDigester(site, cache.file_digests, every_page=_EVERY_PAGE)
                        keys = d.page_keys(pages, site.files(), nav_fp)
                    common = d.declared_common(nav_fp, structure)
                    for path, (key, record) in by_declaration.kept.items():
                        keys[path] = key
                        declared[path] = record
                    for path, record in by_declaration.changed.items():
                        keys[path] = buildcache.DECLARED_ONLY + record[0]
                        declared[path] = record
                    for out in subset:
                        sources = d.sources(out.output_path) if out.declared and common else None
                        dkey = d.declared_key(common, out.output_path, sources) if sources is not None else None
                        if dkey is not None:
                            declared[out.output_path] = (dkey, sources)
                    return keys

            previous = cache.page_records()
            if previous and self._prev is not None:
                by_declaration = self._by_declaration(digester, pages, previous, nav_fp, structure)
                rest = [out for out in pages
                        if out.output_path not in by_declaration.kept and out.output_path not in by_declaration.changed]
                log.debug("cchc: declared keys: %d pages kept by them, %d keyed exactly", len(by_declaration.kept), len(rest))
                log.debug("cchc: declared keys: %d pages rendered again without an exact key", len(by_declaration.changed))
                keys = page_keys(rest, by_declaration)
                for out in pages:
                    key, rec = keys.get(out.output_path), previous.get(out.output_path)
                    if key is not None and rec is not None and rec[0] == key:
                        wanted[out.output_path] = rec[1:]
                if (by_declaration.kept or by_declaration.changed) and checking:
                    _check_declared(site, pages, by_declaration, nav_fp, cache)
            else:
                # Nothing can be kept (a first build, an emptied output folder): the keys are
                # only stored for the next build, and computed while the other cores render.
                keys_later = lambda: page_keys(pages)  # noqa: E731
            if self._prev is not None:
                # Files a module writes itself after the pages (the search index): the last
                # build's are kept like unchanged pages; the module rewrites those that changed.
                page_paths = {out.output_path for out in pages}
                for m in site.modules:
                    if hasattr(m, "reusable_outputs"):
                        outputs[m] = {p: rec for p, rec in m.reusable_outputs(site).items() if p not in page_paths}
                        wanted.update(outputs[m])
            with _timed("keep unchanged pages of the previous build"):
                kept = outdir.restore(site_dir, self._prev, wanted, self._wait_listing())
            self._prev = None
            for m, records in outputs.items():
                m.outputs_kept(site, {p: (*kept.pop(p), rec[2]) for p, rec in records.items() if p in kept})
            todo = [out for out in pages if out.output_path not in kept]
            if keys:
                with _timed("look up the kept parts of pages"):
                    found_parts.update(_kept_parts(cache, todo, keys, output_paths))
                    if not checking:  # (checked: what they show is built, and they are rendered again)
                        for out in todo:
                            out.kept_parts = found_parts.get(out.output_path, {})
        # Templates do not change during a build: no modification check on each of the
        # ~30 includes of every page. The first page of each template is rendered here,
        # before forking, so the workers share its compiled templates and fragments.
        env.auto_reload = False
        self._wait_precompiled()
        with _timed("prepare the pages to render"):
            site.prepare(todo)
        first: dict = {}
        for out in todo:
            first.setdefault(out.template, out)
        written = {out.output_path: render_and_write(out) for out in first.values()}
        rest = [out for out in todo if out.output_path not in written]
        with _timed(f"render {len(todo)} pages ({len(pages) - len(todo)} kept from the previous build)"):
            if keys_later is not None:
                keys, done = fastbuild.map_all_beside(keys_later, rest, render_and_write,
                                                      min_per_job=fastbuild.MIN_PAGES_PER_JOB)
            else:
                done = fastbuild.map_all(rest, render_and_write, min_per_job=fastbuild.MIN_PAGES_PER_JOB)
        written.update(zip((out.output_path for out in rest), done))
        saved = None
        if cache is not None:
            records = {path: (key, *kept[path], wanted[path][2]) if path in kept else (key, *written[path][0])
                       for path, key in keys.items() if key is not None}
            with _timed("store the parts of pages"):
                _store_parts(cache, written, found_parts, keys, output_paths)

            with _timed("save the cache"):
                # on an error, on_build_error closes the cache
                cache.stage(records, {p: d for p, d in declared.items() if p in records}, structure)

            def commit() -> None:
                with _timed("commit the cache"):
                    try:
                        cache.commit()
                    finally:
                        cache.close()

            # SQLite writes the cache (0.5 s on the large benchmark's first build) while this
            # thread writes the search index and the sitemap.
            saved = fastbuild.in_background(commit)
            self._cache = None
        try:
            for f in site.files():
                write_file(f.content, os.path.join(site_dir, *f.path.split("/")))
            # What the watching modules learn of every page: the content digest of each page
            # (written now, or kept: the digest recorded when it was written) and what they
            # computed for the pages written now.
            digests = {path: wanted[path][2] for path in kept}
            digests.update((path, rec[0][2]) for path, rec in written.items())
            for m in watchers:
                m.pages_written(site, digests, {path: rec[1][m.name] for path, rec in written.items()})
            for m in site.modules:
                hook = getattr(m, "post_build", None)
                if hook is not None:
                    with _timed(f"{m.name}: post_build"):
                        hook(site, site_dir)
            stats = (site.data.get("search") or {}).get("stats") or {}
            if stats:
                full = [x for x in stats.get("languages", ()) if x not in [*stats.get("patched", ()), *stats.get("reused", ())]]
                log.debug("cchc: search index: %s pages counted; kept %s, patched %s, built in full %s",
                          stats.get("counted"), stats.get("reused") or "-", stats.get("patched") or "-", full or "-")
            self._write_sitemap(site_dir)
        except BaseException:
            if saved is not None:
                try:
                    saved()  # the build's own error is the one to report
                except Exception:  # noqa: BLE001
                    pass
            raise
        if saved is not None:
            saved()

    def _by_declaration(self, digester, pages: list, previous: dict, nav_fp: str, structure: str) -> "Declared":
        """The pages a rebuild handles by their declared keys (cchc.buildcache, "declared
        keys"), only while the site's structure is the last build's (an edited text);
        otherwise every page is keyed exactly.

        * `kept`: {output path: (last exact key, declared record)} of the pages whose declared
          key is the last build's;
        * `changed`: {output path: new declared record} of those whose key changed with the
          file of an item they reach. Such a page is rendered again without its exact key:
          that key would differ from the last one anyway (an item's token holds its file's
          digest), and computing it meant building and pickling everything the page shows
          (a field's print page: the views of its 300 procedures, 0.4 s of the rebuild after
          one procedure's text). Under the same structure the page reaches the same files
          and states, so its record carries them over with the new key; its exact key is
          recorded as `DECLARED_ONLY` + that key, which no exact key equals."""
        cache = self._cache
        out = Declared({}, {})
        if cache.structure != structure:
            return out
        with _timed("declared page keys"):
            last = cache.page_deps()
            if not last:
                return out
            common = digester.declared_common(nav_fp, structure)
            if common is None:
                return out
            for page in pages:
                path = page.output_path
                record, rec = last.get(path), previous.get(path)
                if not page.declared or record is None or rec is None:
                    continue
                dkey = digester.declared_key(common, path, record[1])
                if dkey == record[0]:
                    out.kept[path] = (rec[0], record)
                elif dkey is not None:
                    out.changed[path] = (dkey, *record[1:])
            return out

    def _write_sitemap(self, site_dir: str) -> None:
        site = self.site
        default = site.now.date().isoformat()
        lastmod: dict[str, str] = {url: default for url in self._mkdocs_pages}
        for out in site.pages():
            if out.sitemap:
                lastmod[out.url] = out.lastmod.date().isoformat() if out.lastmod else default
        for f in site.files():
            if f.sitemap:
                lastmod[f.path] = default
        cache_dir = buildcache.cache_dir(site.config_dir) if buildcache.enabled() else None
        for f in sitemap_files(lastmod, self._alternates, site.site_url or "/", self._languages(), cache_dir):
            write_file(f.content, os.path.join(site_dir, *f.path.split("/")))


class _Parts:
    """What `kept_part` reads and writes while one page is rendered."""
    __slots__ = ("found", "made", "check")

    def __init__(self, found: dict, check: bool):
        self.found = found  # part id -> HTML kept from the last build
        self.made: dict = {}  # part id -> HTML rendered now, or None: the one found
        self.check = check


def _kept_parts(cache, todo: list, keys: dict, paths: dict) -> dict:
    """{output path: {part id: HTML}} of the stored parts of the pages about to be rendered whose
    basis page has the key it had when they were stored (cchc.buildcache, "parts of pages").
    `paths`: URL -> output path of every page."""
    out = {}
    for path, stored in cache.parts_get([page.output_path for page in todo]).items():
        found = {pid: html for pid, (basis, key, html) in stored.items()
                 if key is not None and keys.get(paths.get(basis)) == key}
        if found:
            out[path] = found
    return out


def _store_parts(cache, written: dict, found: dict, keys: dict, paths: dict) -> None:
    """Store the parts of the pages rendered now with their basis page's key in this build (a
    part whose basis has none, being uncacheable, is not stored), and drop them from `written`.
    `paths`: URL -> output path of every page."""
    counts = [0, 0]
    cache.parts_drop([path for path, rec in written.items() if rec[2] is not None and not rec[2]])
    for path, rec in written.items():
        made = rec[2]
        if not made:
            continue
        written[path] = (*rec[:2], None)  # the HTML is not kept in memory for the rest of the build
        own = found.get(path, {})
        stored = {}
        for pid, html in made.items():
            counts[html is None] += 1
            key = keys.get(paths.get(pid[0]))
            if key is not None:
                stored[pid] = (pid[0], key, own[pid] if html is None else html)
        cache.parts_put(path, stored)
    if counts[0] or counts[1]:
        log.debug("cchc: parts of pages: %d kept from the last build, %d rendered", counts[1], counts[0])


def _check_declared(site: Site, pages: list, by_declaration: "Declared", nav_fp: str, cache) -> None:
    """`CCHC_CHECK_KEYS=1` (tests): every page kept by its declared key must have the exact key
    the last build recorded (one that does not would have been left stale), and every page
    rendered again by its declared key must reach the files and states its record carries."""
    digester = buildcache.PageDigester(site, cache.file_digests, every_page=_EVERY_PAGE)
    exact = digester.page_keys(pages, site.files(), nav_fp)
    # A page rendered again by its declared key recorded no exact key (`DECLARED_ONLY`): the
    # exact keys computed here by the last build, when it was checked too, stand in for it, so
    # that such a page is still compared in later builds.
    side = os.path.join(buildcache.cache_dir(site.config_dir), "checked-keys.pickle")
    last = buildcache.load_side(side, 1)
    last = last.get("keys", {}) if last.get("build") == cache.previous_build else {}
    buildcache.save_side(side, 1, {"keys": exact, "build": cache.build_id})

    def recorded(path: str, key: str) -> str | None:
        return last.get(path) if key.startswith(buildcache.DECLARED_ONLY) else key

    stale = sorted(path for path, (key, _) in by_declaration.kept.items()
                   if recorded(path, key) is not None and exact.get(path) != recorded(path, key))
    if stale:
        raise PluginError(f"cchc: {len(stale)} pages kept by their declared keys have changed: {stale[:20]}")
    moved = sorted(path for path, record in {**by_declaration.changed,
                                             **{p: r for p, (_, r) in by_declaration.kept.items()}}.items()
                   if digester.sources(path) != record[1])
    if moved:
        raise PluginError(f"cchc: {len(moved)} pages handled by their declared keys reach other files: {moved[:20]}")


def _result_or_none(wait):
    """What `wait()` (a step started with fastbuild.in_child or in_background) gives; None when
    there is no step or it failed: for steps whose work the build does itself otherwise."""
    if wait is None:
        return None
    try:
        return wait()
    except Exception:  # noqa: BLE001 - the build does the step's work itself, and meets the error then
        return None


def _fragment_key(out: OutputPage, nav_urls: list[str]):
    """What the page-independent parts of a generated page depend on (see `cached` in on_env).

    Relative links (MkDocs' `url` filter) depend on the page's folder, not its own
    name, unless they point inside the page's own folder: a page that contains a
    navigation target (the home page, a section index) is rendered without fragments."""
    url = out.url
    if not url or any(u.startswith(url) for u in nav_urls if u):
        return None
    folder = posixpath.dirname(url.rstrip("/")) + ("/*/" if url.endswith("/") else "/*")
    return (folder, out.lang, out.section or "")


@contextlib.contextmanager
def _timed(what: str):
    """Duration of a build phase, shown by `mkdocs build -v` (where a slow build spends its time)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        log.debug("cchc: %s: %.2f s (memory %s MB)", what, time.perf_counter() - start, _rss_mb())


def _rss_mb() -> str:
    """Resident memory of the build process, for `mkdocs build -v` (Linux; "?" elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return str(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // (1 << 20))
    except (OSError, ValueError, IndexError, AttributeError):
        return "?"


def _autoescape(template_name: str | None) -> bool:
    """Autoescape the project's templates (overrides/cchc/…), not Material's."""
    return bool(template_name) and template_name.startswith("cchc/")


def _open_cache(config, site: Site):
    """The persistent build cache (None when disabled with CCHC_CACHE=0)."""
    if not buildcache.enabled():
        return None
    fp = buildcache.fingerprint(config.config_file_path, list(config.theme.dirs), site.now.date(),
                                memo_dir=buildcache.cache_dir(site.config_dir))
    return buildcache.open_cache(site.config_dir, fp)


# The module states the templates read on every page, outside the page's context: the
# feeds announced in <head> (overrides/cchc/partials/feed-links.html) and the contact page
# in the footer (overrides/cchc/partials/unit-footer.html). Their `page_key()` is part of
# every page's key. A template reading another state through `site` must be listed here
# (tests/test_buildcache.py checks the templates).
_EVERY_PAGE = ("pages", "feeds")


# What Material's templates read from the configuration MkDocs resolved: the cache's
# fingerprint has the bytes of mkdocs.yml, but `!ENV` values, command-line options and
# other plugins can change these without changing the file.
_CONFIG_KEYS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
                "edit_uri", "use_directory_urls", "extra", "extra_css", "extra_javascript")


def _config_summary(config) -> str:
    items = [(k, config.get(k)) for k in _CONFIG_KEYS]
    try:
        items.append(("theme", sorted((str(k), v) for k, v in dict(config.theme).items())))
    except Exception:  # noqa: BLE001 - a theme object without items: its name at least
        items.append(("theme", getattr(config.theme, "name", None)))
    return repr(items)


def _nav_summary(nav) -> list:
    """Titles and URLs of the navigation, which every page shows."""
    out = []

    def walk(items, depth):
        for item in items:
            out.append((depth, getattr(item, "title", None), getattr(item, "url", None)))
            walk(getattr(item, "children", None) or [], depth + 1)

    walk(getattr(nav, "items", []), 0)
    return out


def _print_problems(problems: Problems, lang: str) -> None:
    for p in problems.errors:
        log.error(p.format(lang))
    # Warnings go to stderr directly: they inform staff but must not fail
    # `mkdocs build --strict` (which counts warnings of the "mkdocs" loggers).
    for p in problems.warnings:
        print("WARNING -  " + p.format(lang), file=sys.stderr)
