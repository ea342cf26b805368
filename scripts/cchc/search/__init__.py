"""Site search that finds Vietnamese without diacritics, by code, on a cheap phone.

Why this engine. Measured by scripts/bench_search.py on a generated corpus of
5,000 news items and 1,000 procedures (cchc.search.corpus; 5 % of items NFD, 10 %
with the old tone placement), headless Chromium on the 2-core machine, all in
one run (the machine was shared, so absolute times are upper bounds; the ratios
are the result). Per query: KB gzipped downloaded for search until the first
result shows, and time from typing to the first result.

| engine | page view | first result (10 queries) | indexing / site build |
|---|---|---|---|
| Material lunr, stock | 4,539 KB, every page | 4,539 KB, 19–49 s to an answer; "thu tuc", NFD, "BHYT", "1014331" find nothing | 9.0 % |
| Material lunr + folded field | 7,075 KB, every page | 7,075 KB, 34–57 s (7 of 10 over 60 s) | 24 % |
| Pagefind 1.5.2 (content area) | 0 | 170–1,598 KB, 0.3–12 s | 47 % |
| cchc.search (this package) | 7 KB (search.js, css) | 42–81 KB, 0.29–0.55 s | 9.7 % |

(Site build: MkDocs + Material, pruned nav, 186 s. In this project's own build
of the same-sized corpus the index costs 8.8 s of 223 s, 4 %, cold; 0.95 s when
nothing changed. With the CPU slowed 4× in Chromium, as on a cheap phone, ours
answers in 0.63–1.04 s, median 0.8 s; Pagefind in 0.66–28 s.)

* Material's lunr search downloads its whole index on every page view and
  builds it in the browser (shared/anchors.md §1.2, §3.9); it does not fold
  diacritics. A folded field fixes matching but makes the index bigger still.
  Both fail "reading a page downloads no index" and the 300 KB / 1 s budget by
  one to two orders of magnitude.
* Pagefind folds Vietnamese tones and đ and loads its index in chunks, but it
  stores every word position: Vietnamese is written in short, very frequent
  syllables, so a common query ("thu tuc hanh chinh", "bao hiem y te") pulls
  0.7–1.6 MB of chunks; indexing only titles and summaries still took
  215–370 KB. It has no synonyms (no OR between a query's words) and no
  tone-placement unification; indexing the built HTML took half as long as the
  site build.
* So the index is our own, small and static (index.py): document-level postings
  without positions, sharded by key range, looked up by the diacritic-free key
  and ranked by field (title, summary, body), coverage, idf and the exact
  spelling ("thủ" above "thu", "hòa" = "hoà"). A query downloads the vocabulary
  once, then only the shards of its words and the rows it shows. search.js (no
  dependency, no WASM) runs it in Material's own search box with Material's
  shortcuts; small indexes are fetched whole after the first search, so search
  keeps working offline.

What is indexed: every `OutputPage` with a `search_kind` ("news", "procedure",
"plan"), from its published HTML: counted by the worker that wrote the page
(`page_written`), or read back from the output folder when the page was kept from
the last build and its counts are not in the cache; the index is built once all
pages are written (`post_build`), one per language under search/cchc/<lang>/; list,
archive and category pages have no kind and are left out. Drafts and future
items never become pages, so they never reach the index.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from typing import Iterable

from .. import buildcache, outdir
from ..i18n import register_strings
from ..problems import register_messages
from ..site import OutputFile, OutputPage, Site, relative_path
from .extract import content_text
from .index import FORMAT, INDEX_DIR, BuiltIndex, Counted, Doc, build, count, update
from .synonyms import merge
from .tokens import tokenize

register_messages(
    {
        "search.bad_abbreviation": {
            "vi": "chữ viết tắt '{value}' phải là một từ liền (chữ và số, không dấu cách), ví dụ 'BHYT'. Sửa lại mục tu_viet_tat trong mkdocs.yml.",
            "en": "abbreviation '{value}' must be a single word (letters and digits, no spaces), e.g. 'BHYT'. Fix tu_viet_tat in mkdocs.yml.",
        },
        "search.empty_expansion": {
            "vi": "chữ viết tắt '{value}' chưa có nghĩa đầy đủ. Viết dạng 'BHYT: bảo hiểm y tế' trong mục tu_viet_tat của mkdocs.yml.",
            "en": "abbreviation '{value}' has no expansion. Write it as 'BHYT: bảo hiểm y tế' under tu_viet_tat in mkdocs.yml.",
        },
    }
)

register_strings(
    {
        "search.hint": {
            "vi": "Gõ tên thủ tục, mã thủ tục (ví dụ 1.014331) hoặc chữ viết tắt (BHYT); gõ có dấu hay không dấu đều được.",
            "en": "Type a procedure name, a procedure code (e.g. 1.014331) or an abbreviation (BHYT), with or without diacritics.",
        },
        "search.nojs": {
            "vi": "Tìm kiếm cần JavaScript. Xem danh mục thủ tục hành chính và tin tức ở thanh điều hướng.",
            "en": "Search needs JavaScript. Browse the procedures and news from the navigation bar.",
        },
        "search.none": {
            "vi": "Không tìm thấy kết quả phù hợp. Thử bỏ bớt từ, kiểm tra chính tả, hoặc tìm bằng mã thủ tục.",
            "en": "No matching pages. Try fewer words, check the spelling, or search by procedure code.",
        },
        "search.one": {"vi": "1 kết quả", "en": "1 result"},
        "search.other": {"vi": "# kết quả", "en": "# results"},
        "search.partial": {
            "vi": "không trang nào chứa đủ các từ đã gõ; đây là các trang gần đúng nhất.",
            "en": "no page contains all the words typed; these are the closest.",
        },
        "search.loading": {"vi": "Đang tìm…", "en": "Searching…"},
        "search.error": {
            "vi": "Không tải được dữ liệu tìm kiếm. Kiểm tra kết nối mạng rồi thử lại.",
            "en": "The search data could not be loaded. Check the connection and try again.",
        },
        "search.more": {"vi": "Xem thêm kết quả", "en": "More results"},
        "search.kind.procedure": {"vi": "Thủ tục hành chính", "en": "Procedure"},
        "search.kind.news": {"vi": "Tin tức", "en": "News"},
        "search.kind.plan": {"vi": "Kế hoạch", "en": "Plan"},
    }
)

_CODE_RE = re.compile(r"(?<![\d.])[1-9]\.\d{6}(?![\d])")
CACHE_FORMAT = 3  # bump when Counted, BuiltIndex or the extraction changes


def _attr(obj, *names):
    for n in names:
        obj = getattr(obj, n, None)
        if obj is None:
            return None
    return obj


def page_meta(out: OutputPage) -> dict:
    """What the index shows and ranks besides the page body (title, summary, date, code, keywords)."""
    ctx = out.context if isinstance(out.context, dict) else {}
    item = ctx.get("item")  # news
    proc = _attr(ctx.get("proc"), "e")  # procedures
    when = getattr(item, "date", None) or out.lastmod
    code = ""
    keywords: list[str] = []
    if out.search_kind == "procedure":
        code = str(getattr(proc, "code", "") or "")
        if not code:
            m = _CODE_RE.search(f"{out.title} {out.description or ''}")
            code = m.group(0) if m else ""
        keywords = [str(k) for k in (_attr(proc, "light", "tu_khoa") or [])]
    elif item is not None:
        keywords = [str(k) for k in (_attr(item, "meta", "tags") or [])]
    return {
        "url": out.url,
        "kind": out.search_kind or "news",
        "title": out.title,
        "lead": out.description or "",
        "date": when.date().isoformat() if when is not None else "",
        "code": code,
        "keywords": keywords,
    }


def page_doc(out: OutputPage, html: str | bytes) -> Doc:
    """The index entry of one published page."""
    return Doc(body=content_text(html), **page_meta(out))


def _count_page(job: tuple[dict, bytes | str]) -> Counted:
    meta, html = job
    if isinstance(html, str):  # a path: read here, so that no process holds every page at once
        with open(html, "rb") as f:
            html = f.read()
    return count(Doc(body=content_text(html), **meta))


def count_pages(jobs: list[tuple[dict, bytes | str]]) -> list[Counted]:
    """Extract and count pages, given as (metadata, HTML bytes or the path of the HTML file)
    (about 1 ms a page; unchanged pages come from the cache).

    On every core (cchc.fastbuild.map_all: forked workers, so nothing but the small
    counts is pickled; serial inside `mkdocs serve`, whose threads make forking unsafe).
    """
    from .. import fastbuild

    return fastbuild.map_all(jobs, _count_page)


def _digest(meta: dict, content: str) -> str:
    """Cache key of a page's entry: its metadata and the digest of its HTML (cchc.outdir.digest)."""
    return hashlib.sha1((content + repr(sorted(meta.items()))).encode("utf-8")).hexdigest()


def _signature(lang: str, syn: tuple, pages: list[tuple[str, str]]) -> str:
    """What a language's index is built from: the format, the code and synonyms (`syn`), and
    each indexed page's (url, digest), in order."""
    return hashlib.sha1(repr((FORMAT, lang, syn, pages)).encode("utf-8")).hexdigest()


def _cache_dir(site: Site) -> str | None:
    """.cache/cchc/search/ next to mkdocs.yml; None with the build cache off (CCHC_CACHE=0)."""
    return os.path.join(buildcache.cache_dir(site.config_dir), "search") if buildcache.enabled() else None


def _files_cache(site: Site) -> str | None:
    cache_dir = _cache_dir(site)
    return os.path.join(cache_dir, "files.pickle") if cache_dir else None


def _index_files(site_dir: str) -> set[str]:
    """Output paths of the files under the index folder."""
    root = os.path.join(site_dir, *INDEX_DIR.split("/"))
    found = set()
    for dirpath, _, filenames in os.walk(root):
        rel = relative_path(dirpath, site_dir)
        found.update(f"{rel}/{fn}" for fn in filenames)
    return found


def _write_index(site_dir: str, indexes: dict, kept: dict | None) -> dict[str, tuple[int, int, str]]:
    """Write the index files; return their records (size, mtime_ns, digest) by output path.

    `kept`: the last build's index files the renderer put back, with their records; each
    is left as it is when its bytes are the new ones, and deleted when no longer made.
    None: the index folder is replaced whole."""
    root = os.path.join(site_dir, *INDEX_DIR.split("/"))
    if kept is None:
        kept = {}
        if os.path.isdir(root):
            shutil.rmtree(root)
    made = {rel: data for _, built in indexes.values() for rel, data in built.files.items()}
    records: dict[str, tuple[int, int, str]] = {}
    for rel, data in made.items():
        digest = outdir.digest(data)
        rec = kept.get(rel)
        if rec is not None and rec[2] == digest:
            records[rel] = rec
            continue
        path = os.path.join(site_dir, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        st = os.stat(path)
        records[rel] = (st.st_size, st.st_mtime_ns, digest)
    # Every other file of the index folder goes: the last build's files no longer made, and
    # whatever else is there (a file MkDocs copied from the docs or theme folder to that path).
    gone = [rel for rel in _index_files(site_dir) if rel not in made]
    for rel in gone:
        os.unlink(os.path.join(site_dir, *rel.split("/")))
    # Folders left empty go too (a build into an empty folder would not make them).
    for folder in sorted({rel.rpartition("/")[0] for rel in gone}, key=lambda d: d.count("/"), reverse=True):
        while folder and folder.startswith(INDEX_DIR):
            try:
                os.rmdir(os.path.join(site_dir, *folder.split("/")))
            except OSError:
                break
            folder = folder.rpartition("/")[0]
    return records


# --- the counted pages kept between builds ----------------------------------------------
# {url: (entry digest, Counted)} of every indexed page: 16 MB on the benchmark's large site.
# Pickling and writing it whole after one page changed was ≈ 30 ms of every rebuild (the old
# file's replacement included), so a build writes only what differs from the last full copy
# (the base, pages.pickle) into a small file beside it (pages-delta.pickle: the entries that
# differ, the pages gone, and the base they apply to), and writes a new base once the
# difference outgrows a tenth of the pages.

DELTA_SHARE = 10  # a new base once the delta holds more than 1/DELTA_SHARE of the pages


def _delta_path(pages_cache: str) -> str:
    return pages_cache[: -len(".pickle")] + "-delta.pickle"


def _load_pages(pages_cache: str | None) -> tuple[dict, str | None, dict]:
    """(the base's pages, the base's id, the pages as the last build left them: the base with
    the delta applied when the delta was written for this base)."""
    if not pages_cache:
        return {}, None, {}
    base = buildcache.load_side(pages_cache, CACHE_FORMAT)
    base_pages, base_id = base.get("pages"), base.get("base")
    if not isinstance(base_pages, dict) or not isinstance(base_id, str):
        return {}, None, {}
    delta = buildcache.load_side(_delta_path(pages_cache), CACHE_FORMAT)
    changed, gone = delta.get("pages"), delta.get("gone")
    if delta.get("base") != base_id or not isinstance(changed, dict) or not isinstance(gone, list):
        return base_pages, base_id, dict(base_pages)  # none, or written for another base
    gone_set = set(gone)
    pages = {url: rec for url, rec in base_pages.items() if url not in gone_set}
    pages.update(changed)
    return base_pages, base_id, pages


def _save_pages(pages_cache: str, pages: dict, base_pages: dict, base_id: str | None) -> None:
    """Record `pages` for the next build: as a delta against the base when it is small (an
    entry taken from the base is the same object, so `is` finds what differs), else as a
    new base (then a delta for it, empty: the old one is for the old base)."""
    changed = {url: rec for url, rec in pages.items() if base_pages.get(url) is not rec}
    gone = [url for url in base_pages if url not in pages]
    if base_id is None or (len(changed) + len(gone)) * DELTA_SHARE > max(len(pages), 1):
        base_id = os.urandom(8).hex()
        buildcache.save_side(pages_cache, CACHE_FORMAT, {"pages": pages, "base": base_id})
        changed, gone = {}, []
    buildcache.save_side(_delta_path(pages_cache), CACHE_FORMAT, {"pages": changed, "gone": gone, "base": base_id})


class SearchModule:
    name = "search"

    def load(self, site: Site) -> None:
        extra = getattr(site.settings, "tu_viet_tat", None) or {}
        located = site.source.settings_located
        where = located.path if located is not None else site.source.config_file

        def line(abbr: str) -> int | None:
            return located.line(("tu_viet_tat", abbr)) if located is not None else None

        clean: dict[str, list[str]] = {}
        for abbr, exp in extra.items():
            values = [v.strip() for v in (exp.split(";") if isinstance(exp, str) else list(exp or []))]
            if len(tokenize(abbr)) != 1 or not re.fullmatch(r"[^\W_]+", abbr.strip()):
                site.problems.add(where, line(abbr), f"tu_viet_tat.{abbr}", "search.bad_abbreviation", value=abbr)
                continue
            values = [v for v in values if isinstance(v, str) and tokenize(v)]
            if not values:
                site.problems.add(where, line(abbr), f"tu_viet_tat.{abbr}", "search.empty_expansion", value=abbr)
                continue
            clean[abbr] = values
        site.data[self.name] = {"synonyms": merge(clean), "stats": {}}

    def link(self, site: Site) -> None:
        return None

    def pages(self, site: Site) -> Iterable[OutputPage]:
        return []

    def files(self, site: Site) -> Iterable[OutputFile]:
        return []

    def page_written(self, site: Site, out: OutputPage, html: str, content: str) -> tuple[str, Counted] | None:
        """Called in the worker that has just written `out` (`html`, whose content digest is
        `content`): its entry's digest (`_digest`) and its counts, taken from the HTML in hand
        (reading 6,000 pages back after the build cost ≈ 2 s on the large benchmark; computing
        the digests after rendering, ≈ 0.2 s, serial)."""
        if not out.search_kind:
            return None
        meta = page_meta(out)
        return _digest(meta, content), count(Doc(body=content_text(html), **meta))

    # --- index files kept in the output folder ------------------------------------------
    # A rebuild writes the same few hundred index files as the last build, or nearly (shard
    # names are content digests): creating them again in the emptied output folder was
    # 0.15–0.3 s of every warm rebuild of the large benchmark. The renderer keeps the files
    # the last build recorded here (cchc.outdir.restore, checked as pages are), and
    # `post_build` writes only those whose bytes differ and deletes those no longer made.

    def _state(self, site: Site) -> dict:
        """`site.data["search"]`, made without synonyms when `load` did not run."""
        return site.data.setdefault(self.name, {"synonyms": merge(None), "stats": {}})

    def reusable_outputs(self, site: Site) -> dict[str, tuple[int, int, str]]:
        """{output path: (size, mtime_ns, digest)} of the index files the last build wrote."""
        path = _files_cache(site)
        last = buildcache.load_side(path, CACHE_FORMAT) if path else {}
        # Read once: `post_build` compares the same record with what was kept.
        self._state(site)["last files"] = last
        files = last.get("files")
        return dict(files) if isinstance(files, dict) else {}

    def outputs_kept(self, site: Site, kept: dict[str, tuple[int, int, str]]) -> None:
        """Which of `reusable_outputs` the renderer put back in the output folder, with their
        records. Not called when nothing was set aside (a first build, `--dirty`, no cache):
        `post_build` then replaces the whole index folder."""
        state = self._state(site)
        state["kept"] = kept

    def pages_written(self, site: Site, digests: dict[str, str], counted: dict[str, tuple[str, Counted] | None]) -> None:
        """After rendering: the HTML digest of every page in the output folder (written now or
        kept from the last build), and what `page_written` returned for those written now,
        both by output path. `post_build` uses them instead of reading the pages."""
        state = self._state(site)
        state["written"] = (digests, counted)

    def post_build(self, site: Site, site_dir: str) -> None:
        """Index every page with a search kind, as published, once all pages are written.

        Pages whose HTML and metadata did not change since the last build are taken
        from the cache (.cache/cchc/search/ next to mkdocs.yml); when nothing changed the
        previous index files stay as the renderer put them back (or are written again as
        they were), and when a few pages changed the previous index is patched
        (`index.update`, the same bytes as a full build) and only its changed files written.
        """
        started = time.perf_counter()
        state = self._state(site)
        # Next to the build cache, and off with it (CCHC_CACHE=0). Entries are keyed by
        # the page's HTML and this package's code: a change of the tokenizer or of the
        # index format is never served from an older cache.
        cache_dir = _cache_dir(site)
        # The code and dependency versions the counts and the index come from (tokenizer,
        # accent folding in cchc.text, HTML extraction) are part of every cache key.
        # In their order: the index lists them in that order (reordering them changes its bytes).
        syn = (buildcache.code_fingerprint(), list(state["synonyms"].items()))

        # 1. What is published now: one digest per indexed page (its HTML and metadata). The
        # build passes the HTML digests and fresh counts (pages_written); a page it did not
        # tell about is read here.
        known, fresh_counts = state.pop("written", None) or ({}, {})
        # A page the renderer kept from the last build (not written now) has the inputs it had
        # then (its cache key), so the metadata it had then: with the same HTML, the digest the
        # last build recorded (computing the metadata of 7,600 pages was ≈ 0.05 s a rebuild).
        # Only when the build cache's page records are those of the build that recorded them: a
        # build stopped after committing its page keys but before saving this record would
        # otherwise pair a page's new key with its old metadata (keywords are not in the HTML).
        last_record = state.get("last files") or {}
        build_cache = getattr(site.markdown, "cache", None)
        previous_build = getattr(build_cache, "previous_build", None)
        last_digests = last_record.get("digests") if isinstance(last_record.get("digests"), dict) \
            and previous_build is not None and last_record.get("build") == previous_build else {}
        digests: dict[str, str] = {}
        contents: dict[str, str] = {}
        fresh: dict[str, tuple[dict | None, OutputPage]] = {}  # url -> (metadata if computed, page)
        counted_now: dict[str, Counted] = {}
        by_lang: dict[str, list[str]] = {site.lang: []}
        for out in site.pages():
            lang = out.lang or site.lang
            by_lang.setdefault(lang, [])
            if not out.search_kind:
                continue
            content = known.get(out.output_path)
            if content is None:
                content = outdir.file_record(site_dir, out.output_path)[2]
            contents[out.url] = content
            last = last_digests.get(out.url)
            rec = fresh_counts.get(out.output_path)
            if rec is not None:  # counted as it was written
                digests[out.url], counted_now[out.url] = rec
                fresh[out.url] = (None, out)
            elif last is not None and last[0] == content and out.output_path in known:
                digests[out.url] = last[1]
                fresh[out.url] = (None, out)
            else:
                meta = page_meta(out)
                digests[out.url] = _digest(meta, content)
                fresh[out.url] = (meta, out)
            by_lang[lang].append(out.url)
        signatures = {lang: _signature(lang, syn, [(u, digests[u]) for u in urls]) for lang, urls in by_lang.items()}

        # 2. Nothing changed since the last build and its index files are all back in the
        # output folder as it wrote them: nothing to do (without reading the last index,
        # 8 MB on the large benchmark).
        kept = state.pop("kept", None)
        last = state.pop("last files", {}) if kept is not None else {}
        files_cache = _files_cache(site)
        if last.get("signatures") == signatures and isinstance(last.get("files"), dict) \
                and last["files"] == kept and last.get("stats") and _index_files(site_dir) == set(kept):
            # The record holds for this build too (the same signatures: the same digests, each
            # made from a page's metadata and HTML): said so, or the next build would not trust
            # its digests (a build after one that changed nothing computed the metadata of
            # every page again: ≈ 0.06 s of the benchmark's rebuild after one news text).
            build_id = getattr(build_cache, "build_id", None)
            if files_cache and last.get("build") != build_id:
                buildcache.save_side(files_cache, CACHE_FORMAT, {
                    k: v for k, v in last.items() if k not in ("v", "code", "build")} | {"build": build_id})
            state["stats"] = dict(last["stats"], counted=0, patched=[], reused=sorted(signatures),
                                  seconds=time.perf_counter() - started)
            return

        # 3. Nothing changed since the last build: the last index, as it was (small cache file).
        index_cache = os.path.join(cache_dir, "index.pickle") if cache_dir else None
        old_indexes: dict = buildcache.load_side(index_cache, CACHE_FORMAT).get("indexes", {}) if index_cache else {}
        counted = 0
        patched: list[str] = []  # languages whose index was patched (`update`), not built in full
        reused: list[str] = []  # languages whose index is the last build's, as it was
        if all(old_indexes.get(lang, ("",))[0] == sig for lang, sig in signatures.items()):
            indexes = {lang: old_indexes[lang] for lang in signatures}
            reused = sorted(signatures)
        else:
            # 4. Otherwise count the pages that changed, take the others from the page cache.
            pages_cache = os.path.join(cache_dir, "pages.pickle") if cache_dir else None
            base_pages, base_id, old_pages = _load_pages(pages_cache)
            pages: dict[str, tuple[str, Counted]] = {}
            jobs = []
            for url, digest in digests.items():
                old = old_pages.get(url)
                if url in counted_now:
                    pages[url] = (digest, counted_now[url])
                elif old is not None and old[0] == digest:
                    pages[url] = old
                else:
                    meta, out = fresh[url]
                    jobs.append((meta or page_meta(out), os.path.join(site_dir, *out.output_path.split("/"))))
            for rec in count_pages(jobs):
                pages[rec.url] = (digests[rec.url], rec)
            counted = len(jobs) + len(counted_now)
            indexes = {}
            for lang, urls in sorted(by_lang.items()):
                old = old_indexes.get(lang)
                if old is not None and old[0] == signatures[lang]:
                    indexes[lang] = old
                    reused.append(lang)
                    continue
                docs = [pages[u][1] for u in urls]
                built = None
                was = sorted(old[1].state.urls) if old is not None and old[1].state is not None else None
                if was is not None and all(u in old_pages for u in was):
                    # The old index is patched when it was built from the cached counts of
                    # the pages it holds (its signature says so: pages listed by URL, as
                    # `by_lang` lists them) and only a few changed, were added or removed.
                    before = _signature(lang, syn, [(u, old_pages[u][0]) for u in was])
                    changed = {u: old_pages[u][1] for u in was if u in pages and old_pages[u][0] != pages[u][0]}
                    if before == old[0]:
                        previous = {u: old_pages[u][1] for u in was}
                        built = update(old[1], docs, changed, state["synonyms"], lang, previous=previous)
                        if built is not None:
                            patched.append(lang)
                indexes[lang] = (signatures[lang], built or build(docs, state["synonyms"], lang))
            if cache_dir:
                _save_pages(pages_cache, pages, base_pages, base_id)
                buildcache.save_side(index_cache, CACHE_FORMAT, {"indexes": indexes})

        written = _write_index(site_dir, indexes, kept)
        stats = {
            "docs": sum(b.docs for _, b in indexes.values()),
            "bytes": sum(b.total_bytes for _, b in indexes.values()),
            "languages": sorted(indexes),
            "dir": INDEX_DIR,
        }
        if files_cache:
            buildcache.save_side(files_cache, CACHE_FORMAT, {
                "files": written, "signatures": signatures, "stats": stats,
                "digests": {url: (contents[url], d) for url, d in digests.items()},
                "build": getattr(build_cache, "build_id", None)})
        state["stats"] = dict(stats, counted=counted, patched=patched, reused=reused,
                              seconds=time.perf_counter() - started)


module = SearchModule()
