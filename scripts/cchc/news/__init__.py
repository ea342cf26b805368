"""News (tin, bài): load, check, and list as pages.

Why not Material's blog plugin (evidence in shared/anchors.md):
* it cannot be combined with mkdocs-static-i18n (§1.3: no post, archive or
  category page is built), and the site must be bilingual-ready;
* its views go through MkDocs' page pipeline, where the whole navigation is
  rendered into every page: 452 s for 5,000 posts against Hugo's 11.7 s (§3.9),
  while the target is within 4× of Hugo;
* it validates only its own fields, compares future dates in UTC, and has no
  per-category feeds (§1.6, §2).
So news listings are generated here from validated models and rendered with
Material's own templates by the plugin. The blog's view structure is kept: a
paginated index, per-category pages and a yearly archive.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass, field, replace
from typing import Iterable

from ..i18n import REFORM_AREAS, t
from ..mdrender import SourceText
from ..modeling import validate
from ..problems import Problems, register_messages
from ..site import ItemLink, OutputPage, Site
from ..text import slugify
from ..yamlsrc import LazyLocated, parse_all, read_text, split_front_matter
from .model import NewsFrontMatter, NewsItem

register_messages(
    {
        "news.unknown_category": {
            "vi": "chuyên mục '{value}' chưa được khai báo. Dùng một trong: {allowed}; hoặc nhờ người quản trị thêm chuyên mục vào mkdocs.yml (mục chuyen_muc).",
            "en": "category '{value}' is not declared. Use one of: {allowed}; or ask the administrator to add it to mkdocs.yml (chuyen_muc).",
        },
        "news.slug_collision": {
            "vi": "đường dẫn '{slug}' trùng với tin '{other}'. Đổi tiêu đề hoặc thêm dòng 'slug: {slug}-2' (một đường dẫn khác) vào một trong hai tệp.",
            "en": "slug '{slug}' is already used by '{other}'. Change the title or add a line 'slug: {slug}-2' (another slug) to one of the two files.",
        },
        "news.image_missing": {
            "vi": "không tìm thấy tệp ảnh '{value}' (tìm tại {looked}). Kiểm tra tên tệp, phần mở rộng (.jpg/.png) và thư mục.",
            "en": "image file '{value}' not found (looked at {looked}). Check the file name, extension (.jpg/.png) and folder.",
        },
        "news.updated_before_date": {
            "vi": "ngày cập nhật {updated} sớm hơn ngày đăng {date}. Ngày cập nhật phải bằng hoặc sau ngày đăng.",
            "en": "update date {updated} is before the publication date {date}. It must be on or after it.",
        },
        "news.change_note_missing": {
            "vi": "có ngày cập nhật nhưng chưa ghi nội dung sửa. Thêm dòng 'change_note: …' nói ngắn gọn đã sửa gì.",
            "en": "an update date is given but no change note. Add a line 'change_note: …' saying briefly what changed.",
        },
        "news.reserved_name": {
            "vi": "tên tệp '{name}' dành cho trang danh sách do hệ thống tạo. Đổi tên tệp, ví dụ '2026-03-05-ten-bai.md'.",
            "en": "the file name '{name}' is reserved for the generated list page. Rename the file, e.g. '2026-03-05-title.md'.",
        },
        "news.language_off": {
            "vi": "tệp bản dịch ('{lang}') nhưng trang chưa bật ngôn ngữ này. Thêm mục 'languages: {lang}: …' dưới '- cchc:' trong mkdocs.yml, hoặc đổi tên tệp.",
            "en": "a translation ('{lang}') but the site has no such language. Add 'languages: {lang}: …' under '- cchc:' in mkdocs.yml, or rename the file.",
        },
        "news.unknown_procedure": {
            "vi": "không có thủ tục mã '{value}' trong thư mục procedures/. Kiểm tra mã, hoặc thêm tệp procedures/{value}.yml.",
            "en": "no procedure with code '{value}' in procedures/. Check the code, or add procedures/{value}.yml.",
        },
    }
)

RESERVED_NAMES = {"index.md", "README.md", "index.en.md"}
# Fields a translation takes from its Vietnamese twin when it does not set them.
INHERITED = ("date", "updated", "chuyen_muc", "loai", "tthc_lien_quan", "rss", "draft")


def _stem_key(docs_path: str) -> str:
    """"tin-tuc/a.md" and "tin-tuc/a.en.md" share the key "tin-tuc/a"."""
    stem = docs_path[:-3]
    return stem[:-3] if stem.endswith(".en") else stem


@dataclass
class Category:
    slug: str
    labels: dict  # lang -> label
    description: str | None = None

    def label(self, lang: str = "vi") -> str:
        return self.labels.get(lang) or self.labels["vi"]


# Path segments of the news section per language. Vietnamese URLs never change
# when English is added.
SEGMENTS = {
    "vi": {"category": "chuyen-muc", "year": "nam", "page": "trang"},
    "en": {"category": "category", "year": "year", "page": "page"},
}


@dataclass
class NewsState:
    """What the news module knows after `load`; other modules read it."""

    items: list[NewsItem] = field(default_factory=list)  # every valid item, drafts included
    categories: dict[str, Category] = field(default_factory=dict)
    base: str = "tin-tuc"
    languages: tuple = ("vi",)
    untranslated: str = "omit"  # English site: "omit" or "notice"

    @property
    def visible(self) -> list[NewsItem]:
        """Every published item (not a draft, not dated after the build's now), newest first.

        Computed once per state of `items` (appended to during `load` only): lists, feeds,
        plans and search all ask for it, and sorting 5,000 items each time cost ≈ 1 s a build."""
        return list(self._visible_memo()[""])

    def published(self, lang: str = "vi") -> list[NewsItem]:
        """Visible items of one language, newest first."""
        memo = self._visible_memo()
        if lang not in memo:
            memo[lang] = [i for i in memo[""] if i.lang == lang]
        return list(memo[lang])

    def _visible_memo(self) -> dict:
        """{"": every visible item, lang: its visible items}, recomputed when `items` grows."""
        key = (id(self.items), len(self.items))
        cached = self.__dict__.get("_visible")
        if cached is None or cached[0] != key:
            ordered = sorted((i for i in self.items if i.visible), key=lambda i: (i.date, i.url), reverse=True)
            cached = self.__dict__["_visible"] = (key, {"": ordered})
        return cached[1]

    def listing(self, lang: str = "vi") -> list[NewsItem]:
        """What the lists of `lang` show: its items, plus Vietnamese-only notices when configured."""
        items = self.published(lang)
        if lang != "vi" and self.untranslated == "notice":
            stubs = [self.notice_item(i, lang) for i in self.published("vi") if lang not in i.translations]
            items = sorted(items + stubs, key=lambda i: (i.date, i.url), reverse=True)
        return items

    def notice_item(self, item: NewsItem, lang: str) -> NewsItem:
        """The page of `lang` that says `item` exists only in Vietnamese."""
        return replace(item, url=f"{self.list_url(lang)}{item.slug}/", untranslated_of=item, translations={})

    def latest(self, n: int = 5, lang: str = "vi") -> list[NewsItem]:
        return self.listing(lang)[:n]

    def page_key(self) -> tuple:
        """What a generated page reads through this state (cchc.buildcache): the URL rules and
        the categories' labels. The items a page shows are in its own context, never read
        from here by its template (the home page, which lists the latest items, is rendered
        by MkDocs on every build)."""
        cats = sorted((slug, sorted(c.labels.items()), c.description) for slug, c in self.categories.items())
        return (self.base, tuple(self.languages), self.untranslated, cats)

    def category_label(self, slug: str, lang: str = "vi") -> str:
        cat = self.categories.get(slug)
        return cat.label(lang) if cat else slug

    def list_url(self, lang: str = "vi") -> str:
        return f"{self.base}/" if lang == "vi" else f"{lang}/news/"

    def category_url(self, slug: str, lang: str = "vi") -> str:
        return f"{self.list_url(lang)}{SEGMENTS[lang]['category']}/{slug}/"

    def year_url(self, year: int, lang: str = "vi") -> str:
        return f"{self.list_url(lang)}{SEGMENTS[lang]['year']}/{year}/"

    def page_url(self, base_url: str, n: int, lang: str = "vi") -> str:
        return base_url if n == 1 else f"{base_url}{SEGMENTS[lang]['page']}/{n}/"


def _categories(site: Site) -> dict[str, Category]:
    cats = {a["slug"]: Category(a["slug"], {"vi": a["vi"], "en": a["en"]}) for a in REFORM_AREAS}
    for c in site.settings.chuyen_muc:
        labels = {"vi": c.ten}
        if c.en:
            labels["en"] = c.en
        cats[c.slug] = Category(c.slug, labels, c.mo_ta)
    return cats


def _lang_of(filename: str) -> tuple[str, str]:
    """("vi"|"en", stem without language suffix) from "x.md" / "x.en.md"."""
    stem = filename[:-3]
    if stem.endswith(".en"):
        return "en", stem[:-3]
    return "vi", stem


class NewsModule:
    name = "news"

    # --- load ----------------------------------------------------------------
    def load(self, site: Site) -> None:
        base = site.settings.news_dir.strip("/")
        extra = site.settings.languages
        state = NewsState(
            categories=_categories(site), base=base, languages=("vi",) + tuple(sorted(extra)),
            untranslated=extra["en"].untranslated if "en" in extra else "omit",
        )
        site.data["news"] = state
        root = os.path.join(site.docs_dir, base)
        if not os.path.isdir(root):
            return
        problems = site.problems
        sources: list[tuple[str, str, str, str]] = []  # (lang, abs, source, docs_path)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for fn in sorted(filenames):
                if not fn.endswith(".md") or fn.startswith((".", "_")):
                    continue
                abs_path = os.path.join(dirpath, fn)
                source = site.rel_path(abs_path)
                docs_path = site.docs_path(abs_path)
                if fn in RESERVED_NAMES:
                    problems.add(source, None, "-", "news.reserved_name", name=fn)
                    continue
                lang, _ = _lang_of(fn)
                if lang != "vi" and lang not in state.languages:
                    problems.add(source, None, "-", "news.language_off", lang=lang)
                    continue
                sources.append((lang, abs_path, source, docs_path))
        by_slug: dict[tuple[str, str], NewsItem] = {}
        by_stem: dict[str, NewsItem] = {}
        # Reading, YAML and validation of a Vietnamese file depend only on its bytes:
        # done on every core, and reused by a warm build (cchc.buildcache).
        sources.sort(key=lambda s: (s[0] != "vi", s[3]))
        vi = [s for s in sources if s[0] == "vi"]
        parsed = dict(zip((s[1] for s in vi), parse_all(
            "news", [s[1] for s in vi], lambda i: _parse(vi[i][1], vi[i][2], None),
            getattr(site.markdown, "cache", None), models=(NewsFrontMatter,))))
        # Vietnamese first: English files inherit from their Vietnamese twin.
        for lang, abs_path, source, docs_path in sources:
            stem_key = _stem_key(docs_path)
            twin = by_stem.get(stem_key) if lang != "vi" else None
            item = self._load_one(site, state, abs_path, source, docs_path, twin, parsed.get(abs_path))
            if item is None:
                continue
            key = (item.lang, item.slug)
            other = by_slug.get(key)
            if other is not None:
                problems.add(source, item.lines.line(("slug",)) if item.meta.slug else item.lines.line(("title",)),
                             "slug", "news.slug_collision", slug=item.slug, other=other.source)
                continue
            by_slug[key] = item
            if lang == "vi":
                by_stem[stem_key] = item
            elif twin is not None:
                twin.translations[lang] = item
                item.translations["vi"] = twin
                item.visible = item.visible and twin.visible
            state.items.append(item)
            site.urls[docs_path] = item.url

    def _load_one(self, site: Site, state: NewsState, abs_path: str, source: str, docs_path: str,
                  twin: NewsItem | None = None, parsed: tuple | None = None) -> NewsItem | None:
        problems = site.problems
        title_slug = None
        if parsed is not None:
            found, doc, meta, title_slug = parsed
            problems.extend(found)
        else:
            doc, meta = _parse_into(abs_path, source, twin, problems)
        if doc is None or meta is None:
            return None
        ok = True
        for i, slug in enumerate(meta.chuyen_muc):
            if slug not in state.categories:
                ok = False
                problems.add(source, doc.meta.line(("chuyen_muc", i)), f"chuyen_muc[{i}]", "news.unknown_category",
                             value=slug, allowed=", ".join(state.categories))
        if meta.updated is not None and meta.updated < meta.date:
            ok = False
            problems.add(source, doc.meta.line(("updated",)), "updated", "news.updated_before_date",
                         updated=meta.updated.strftime("%d/%m/%Y %H:%M"), date=meta.date.strftime("%d/%m/%Y %H:%M"))
        if meta.updated is not None and not meta.change_note:
            ok = False
            problems.add(source, doc.meta.line(("updated",)), "change_note", "news.change_note_missing")
        lang, stem = _lang_of(os.path.basename(abs_path))
        image_url = image_path = None
        if meta.image is not None:
            src = meta.image.src
            if src.startswith("/"):
                rel = posixpath.normpath(src.lstrip("/"))
            else:
                rel = posixpath.normpath(posixpath.join(posixpath.dirname(docs_path), src))
            candidate = os.path.join(site.docs_dir, *rel.split("/"))
            if src.startswith(("http://", "https://")) or rel.startswith("../") or not os.path.isfile(candidate):
                ok = False
                problems.add(source, doc.meta.line(("image", "src")), "image.src", "news.image_missing",
                             value=src, looked=site.rel_path(candidate))
            else:
                image_url, image_path = rel, candidate
        if not ok:
            return None
        slug = meta.slug or (title_slug if title_slug is not None else slugify(meta.title)) or slugify(stem) or "tin"
        url = f"{state.list_url(lang)}{slug}/"
        rel_stem = posixpath.join(posixpath.dirname(docs_path), stem)
        uid = meta.id or rel_stem
        if lang != "vi":
            uid = f"{uid}.{lang}"
        return NewsItem(
            meta=meta,
            source=source,
            docs_path=docs_path,
            body=doc.body,
            body_line=doc.body_line,
            lines=doc.meta,
            lang=lang,
            slug=slug,
            url=url,
            uid=uid,
            visible=(not meta.draft) and meta.date <= site.now,
            image_url=image_url,
            image_path=image_path,
        )

    # --- link ------------------------------------------------------------------
    def link(self, site: Site) -> None:
        state: NewsState = site.data["news"]
        procedures = site.data.get("procedures")
        results = site.markdown.render_many([
            dict(body=item.body, source=item.source, first_line=item.body_line, page_url=item.url, base=item.docs_path)
            for item in state.items
        ], site.problems)
        for item, res in zip(state.items, results):
            item.rendered, item.words = res, res.words
            if procedures is None:
                continue
            related = []
            for i, code in enumerate(item.tthc_lien_quan):
                entry = procedures.get(code)
                if entry is None:
                    site.problems.add(item.source, item.lines.line(("tthc_lien_quan", i)), f"tthc_lien_quan[{i}]",
                                      "news.unknown_procedure", value=code)
                else:
                    related.append(ItemLink(entry.url, entry.name, entry.code))
            item.related = related

    # --- pages -----------------------------------------------------------------
    def structure(self, site: Site) -> dict[str, bytes]:
        """What other pages may show of each news file (`Site.structure`): its front matter as
        parsed, and whether it is published now (a future item appears during the day).
        The body is shown only on the pages whose context reaches the item (its own page and
        the lists holding its card), which a declared page key follows by the item's file."""
        state: NewsState = site.data["news"]
        out = {}
        for item in state.items:
            # The front matter's digest is computed where the file was parsed and kept with
            # it in the build cache (yamlsrc.LazyLocated).
            data = item.lines.structure_digest() + (b"\1" if item.visible else b"\0")
            out[site.abs_path(item.source)] = hashlib.blake2b(data, digest_size=20).digest()
        return out

    def pages(self, site: Site) -> Iterable[OutputPage]:
        for page in self._pages(site):
            page.declared = True  # what they show: their context's items and `structure` (above)
            yield page

    def _pages(self, site: Site) -> Iterable[OutputPage]:
        state: NewsState = site.data["news"]
        per_page = site.settings.per_page
        langs = state.languages
        listings = {lang: state.listing(lang) for lang in langs}
        # Each list's items, by language, in one pass (a pass per category and per year was
        # ≈ 0.1 s on the benchmark's 5,000 items, on every build); their keys say which lists
        # exist in each language (for the language switcher).
        cats = {lang: by_category(listings[lang]) for lang in langs}
        years: dict[str, dict[int, list]] = {lang: {} for lang in langs}
        for lang in langs:
            for i in listings[lang]:
                years[lang].setdefault(i.year, []).append(i)

        def alternates(make, exists) -> dict:
            return {lang: (make(lang) if exists(lang) else state.list_url(lang)) for lang in langs}

        for lang in langs:
            items = listings[lang]
            base_url = state.list_url(lang)
            by_cat, by_year = cats[lang], years[lang]
            facets = [
                {"slug": slug, "label": cat.label(lang), "url": state.category_url(slug, lang),
                 "count": len(by_cat.get(slug, ()))}
                for slug, cat in state.categories.items()
            ]
            yield from _paginate(
                items, base_url, t("news", lang), per_page, lang, kind="index", state=state,
                nav_stub=(lang == "vi"), alternates={x: state.list_url(x) for x in langs},
                facets=[f for f in facets if f["count"]], years=sorted(years[lang], reverse=True),
            )
            for slug, cat in state.categories.items():
                cat_items = by_cat.get(slug)
                if not cat_items:
                    continue
                yield from _paginate(
                    cat_items, state.category_url(slug, lang), cat.label(lang), per_page, lang, kind="category",
                    state=state, category=cat,
                    alternates=alternates(lambda x: state.category_url(slug, x), lambda x: slug in cats[x]),
                )
            for year in sorted(years[lang], reverse=True):
                year_items = by_year[year]
                yield from _paginate(
                    year_items, state.year_url(year, lang), t("news.archive_year", lang, year=year), per_page, lang,
                    kind="archive", state=state, year=year,
                    alternates=alternates(lambda x: state.year_url(year, x), lambda x: year in years[x]),
                )
            for item in items:
                yield self._item_page(site, state, item, lang)

    def _item_page(self, site: Site, state: NewsState, item: NewsItem, lang: str) -> OutputPage:
        original = item.untranslated_of or item
        alts = {}
        for x in state.languages:
            if x == original.lang:
                alts[x] = original.url
            elif x in original.translations:
                alts[x] = original.translations[x].url
            elif x != "vi" and state.untranslated == "notice":
                alts[x] = state.notice_item(original, x).url
            else:
                alts[x] = state.list_url(x)
        if item.untranslated_of is not None:
            return OutputPage(
                url=item.url, template="cchc/news/untranslated.html", title=item.title,
                context={"item": item.untranslated_of, "news": state}, lang=lang, section=state.list_url(lang),
                description=item.summary, lastmod=item.last_modified, alternates=alts,
            )
        return OutputPage(
            url=item.url,
            template="cchc/news/item.html",
            title=item.title,
            # The HTML as converted (a str), marked safe by the template when it is shown:
            # Markup() here copied every news body (≈ 30 MB on a site of 5,000 items).
            context={"item": item, "news": state, "content_html": item.rendered or "",
                     "plan_links": _plan_links(site, item) if lang == "vi" else []},
            lang=lang,
            section=state.list_url(lang),
            description=item.summary,
            lastmod=item.last_modified,
            search_kind="news",
            alternates=alts,
        )

    def files(self, site: Site):
        return []

    def release(self, site: Site) -> None:
        state = site.data.get(self.name)
        for item in state.items if state is not None else []:
            for it in (item, *(getattr(item, "translations", None) or {}).values()):
                it.lines.release()
                it.body = ""  # the Markdown source: converted (item.html) and checked by now


def _parse_into(abs_path: str, source: str, twin, problems):
    """(front matter document, validated front matter) of a news file; (None, None) on errors."""
    text = read_text(abs_path, source, problems)
    if text is None:
        return None, None
    doc = split_front_matter(text, source, problems)
    if doc is None or doc.meta is None:
        return None, None
    if twin is not None and isinstance(doc.meta.data, dict):
        # A translation only needs its own words: the rest comes from the Vietnamese file.
        for key in INHERITED:
            if key not in doc.meta.data and key in twin.lines.data:
                doc.meta.data[key] = twin.lines.data[key]
    meta = validate(NewsFrontMatter, doc.meta, problems)
    return (doc, meta) if meta is not None else (doc, None)


def _parse(abs_path: str, source: str, twin):
    local = Problems()
    doc, meta = _parse_into(abs_path, source, twin, local)
    if doc is not None and doc.meta is not None:
        # Kept pickled until read: a rebuild reads the front matter's lines only to report a
        # problem, and its values only for an English twin (`_parse_into`).
        doc.meta = LazyLocated.of(doc.meta)
        # Kept as bytes with its digest: a rebuild finds its conversion by the digest, and
        # decodes it only to convert it again (cchc.mdrender.SourceText).
        doc.body = SourceText.of(doc.body)
    # The title's slug, which the item's URL takes without `slug:` (slugifying 5,000 titles was
    # ≈ 0.06 s of every rebuild of the benchmark's large site).
    title_slug = slugify(meta.title) if meta is not None and not meta.slug else None
    return list(local), doc, meta, title_slug


def _page_window(page: int, urls: list[str]) -> list[tuple[int, str | None]]:
    """The page links a list page shows: the first two, the last two, two on each side of
    the current one, and "…" (url None) for each gap. Computed here, not by looping over
    every page in the template: the main list of a large archive has hundreds of pages, and
    each of them looping over all the others made the lists quadratic (≈ 2 s of CPU, and
    as much again in the page cache keys, on 5,000 news items)."""
    pages = len(urls)
    shown = {1, 2, pages - 1, pages, *range(page - 2, page + 3)}
    gaps = {3, pages - 2}
    out: list[tuple[int, str | None]] = []
    for i in sorted(n for n in shown | gaps if 1 <= n <= pages):
        out.append((i, urls[i - 1]) if i in shown else (i, None))
    return out


def by_category(items: Iterable[NewsItem]) -> dict[str, list[NewsItem]]:
    """{category slug: the items in it, in their order}: an item listing a category twice is
    in it once."""
    out: dict[str, list[NewsItem]] = {}
    for i in items:
        for c in dict.fromkeys(i.chuyen_muc):
            out.setdefault(c, []).append(i)
    return out


def _plan_links(site: Site, item: NewsItem) -> list[dict]:
    """The plan tasks a Vietnamese item fulfils, as links ({"url", "plan", "task"}): in the
    page's context, not read from the plans' state by the template, so that the page's
    key has them (cchc.buildcache)."""
    plans = site.data.get("plans")
    if plans is None or not item.ke_hoach:
        return []
    links = (plans.task_link(ref.ke_hoach, ref.nhiem_vu) for ref in item.ke_hoach)
    return [link for link in links if link]


def _paginate(items, base_url, heading, per_page, lang, *, kind, state, nav_stub=False, alternates=None, **extra):
    pages = max(1, -(-len(items) // per_page))
    urls = [state.page_url(base_url, n, lang) for n in range(1, pages + 1)]
    for n in range(1, pages + 1):
        chunk = items[(n - 1) * per_page : n * per_page]
        title = heading if n == 1 else f"{heading} – {t('pagination.page', lang, page=n)}"
        yield OutputPage(
            url=urls[n - 1],
            template="cchc/news/list.html",
            title=title,
            context={
                "kind": kind,
                "heading": heading,
                "items": chunk,
                "news": state,
                "pagination": {
                    "page": n,
                    "pages": pages,
                    "window": _page_window(n, urls),
                    "prev": urls[n - 2] if n > 1 else None,
                    "next": urls[n] if n < pages else None,
                },
                **extra,
            },
            lang=lang,
            section=state.list_url(lang),
            description=heading,
            sitemap=True,
            nav_stub=nav_stub and n == 1,
            alternates=dict(alternates or {}),
        )


module = NewsModule()
