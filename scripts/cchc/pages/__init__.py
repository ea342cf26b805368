"""Hand-written pages (home, contact, …) and their translations.

Vietnamese pages in content/ are ordinary MkDocs pages. A translation sits next
to its original with the language before the extension (`lien-he.md` →
`lien-he.en.md`, `index.md` → `index.en.md`) and is rendered by the project under
`/en/`, with the same template as the original unless it names another. Its URL
follows the original's path (`en/lien-he/`) unless the file sets `slug:`
(`slug: contact` → `en/contact/`).

This module also knows, for every page, the same page in the other languages
(`alternates`), which the language switcher and the hreflang links use.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from typing import Iterable, Optional

from markupsafe import Markup
from pydantic import Field

from ..modeling import Model, Slug, Text, validate
from ..problems import register_messages
from ..site import OutputPage, Site
from ..yamlsrc import read_text, split_front_matter

register_messages(
    {
        "pages.language_off": {
            "vi": "tệp bản dịch ('{lang}') nhưng trang chưa bật ngôn ngữ này. Thêm mục 'languages: {lang}: …' dưới '- cchc:' trong mkdocs.yml, hoặc đổi tên tệp.",
            "en": "a translation ('{lang}') but the site has no such language. Add 'languages: {lang}: …' under '- cchc:' in mkdocs.yml, or rename the file.",
        },
        "pages.no_original": {
            "vi": "bản dịch không có trang gốc tiếng Việt '{original}'. Tạo trang gốc trước, hoặc đổi tên tệp cho khớp.",
            "en": "this translation has no Vietnamese original '{original}'. Create the original first, or rename the file to match.",
        },
        "pages.no_title": {
            "vi": "trang chưa có tiêu đề. Thêm dòng 'title: …' vào phần đầu trang hoặc một dòng '# Tiêu đề' ở đầu nội dung.",
            "en": "the page has no title. Add 'title: …' to the front matter or a '# Title' line at the top of the text.",
        },
    }
)


class PageFrontMatter(Model):
    """Front matter of a translated page (`*.en.md`)."""

    title: Optional[Text] = Field(None, description="Tiêu đề trang")
    slug: Optional[Slug] = Field(None, description="Đường dẫn riêng của bản dịch, ví dụ 'contact'")
    template: Optional[Text] = Field(None, description="Mẫu trang (mặc định: như trang gốc)")
    description: Optional[Text] = Field(None, description="Mô tả ngắn của trang")
    hide: list[Text] = Field([], description="Ẩn thành phần của giao diện Material: navigation, toc")


@dataclass
class PageInfo:
    docs_path: str
    url: str
    lang: str
    title: str
    template: str
    description: str | None = None
    html: str = ""
    hide: list = field(default_factory=list)


@dataclass
class PagesState:
    originals: dict[str, PageInfo] = field(default_factory=dict)  # docs_path -> Vietnamese MkDocs page
    translations: list[PageInfo] = field(default_factory=list)
    alternates: dict[str, dict[str, str]] = field(default_factory=dict)  # url -> {lang: url}
    contact: dict[str, str] = field(default_factory=dict)  # lang -> url of the contact page
    intro: dict[str, Markup] = field(default_factory=dict)  # lang -> the unit's introduction (don_vi.gioi_thieu), as HTML

    def contact_url(self, lang: str = "vi") -> str:
        return self.contact.get(lang) or self.contact.get("vi") or "lien-he/"

    def page_key(self) -> tuple:
        """What every page reads through this state (cchc.buildcache): the contact page of the
        footer, the language switcher's alternates, the translated pages' titles and the
        unit's introduction."""
        return (sorted(self.contact.items()), sorted((u, sorted(a.items())) for u, a in self.alternates.items()),
                [(i.url, i.lang, i.title) for i in self.translations], sorted(self.intro.items()))


def _mkdocs_url(docs_path: str) -> str:
    stem = docs_path[:-3]
    base = posixpath.basename(stem)
    if base in ("index", "README"):
        d = posixpath.dirname(stem)
        return d + "/" if d else ""
    return stem + "/"


def _quick_meta(text: str) -> dict:
    """Template and title of a Vietnamese page, read without reporting (MkDocs owns those pages)."""
    import yaml

    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        data = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


class PagesModule:
    name = "pages"

    def load(self, site: Site) -> None:
        state = PagesState()
        site.data["pages"] = state
        news_prefix = site.settings.news_dir.strip("/") + "/"
        langs = set(site.settings.languages)
        found: list[tuple[str, str, str]] = []
        for dirpath, dirnames, filenames in os.walk(site.docs_dir):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if not fn.endswith(".md"):
                    continue
                abs_path = os.path.join(dirpath, fn)
                docs_path = site.docs_path(abs_path)
                if docs_path.startswith(news_prefix):
                    continue
                lang = "en" if fn.endswith(".en.md") else "vi"
                found.append((lang, abs_path, docs_path))
        for lang, abs_path, docs_path in found:
            if lang != "vi":
                continue
            with open(abs_path, encoding="utf-8-sig", errors="replace") as fh:
                meta = _quick_meta(fh.read())
            info = PageInfo(docs_path, _mkdocs_url(docs_path), "vi", str(meta.get("title") or ""),
                            str(meta.get("template") or "main.html"))
            state.originals[docs_path] = info
            if info.template == "cchc/contact.html":
                state.contact["vi"] = info.url
        for lang, abs_path, docs_path in found:
            if lang == "vi":
                continue
            source = site.rel_path(abs_path)
            if lang not in langs:
                site.problems.add(source, None, "-", "pages.language_off", lang=lang)
                continue
            original_path = docs_path[: -len(".en.md")] + ".md"
            original = state.originals.get(original_path)
            if original is None:
                site.problems.add(source, None, "-", "pages.no_original", original=original_path)
                continue
            info = self._load_translation(site, abs_path, source, docs_path, original, lang)
            if info is None:
                continue
            state.translations.append(info)
            site.urls[docs_path] = info.url
            pair = {"vi": original.url, lang: info.url}
            state.alternates[original.url] = {**state.alternates.get(original.url, {}), **pair}
            state.alternates[info.url] = state.alternates[original.url]
            if info.template == "cchc/contact.html":
                state.contact[lang] = info.url

    def _load_translation(self, site, abs_path, source, docs_path, original: PageInfo, lang: str) -> PageInfo | None:
        text = read_text(abs_path, source, site.problems)
        if text is None:
            return None
        body_line = 1
        meta = PageFrontMatter()
        body = text
        if text.startswith("---"):
            doc = split_front_matter(text, source, site.problems)
            if doc is None or doc.meta is None:
                return None
            meta = validate(PageFrontMatter, doc.meta, site.problems) if doc.meta.data is not None else PageFrontMatter()
            if meta is None:
                return None
            body, body_line = doc.body, doc.body_line
        title = meta.title
        if not title:
            for line in body.splitlines():
                if line.startswith("# "):
                    title = line[2:].strip()
                    break
        if not title:
            site.problems.add(source, 1, "title", "pages.no_title")
            return None
        if meta.slug:
            parent = posixpath.dirname(original.url.rstrip("/"))
            url = f"{lang}/" + (f"{parent}/" if parent else "") + f"{meta.slug}/"
        else:
            url = f"{lang}/{original.url}"
        info = PageInfo(docs_path, url, lang, title, meta.template or original.template, meta.description,
                        hide=list(meta.hide))
        info.body, info.body_line, info.source = body, body_line, source  # type: ignore[attr-defined]
        return info

    def link(self, site: Site) -> None:
        state: PagesState = site.data["pages"]
        for lang in ["vi", *sorted(site.settings.languages)]:
            unit = site.settings.don_vi.localized(lang)
            if unit.gioi_thieu:
                home = "" if lang == "vi" else f"{lang}/"
                loc = ("don_vi", "gioi_thieu") if lang == "vi" else ("don_vi", "en", "gioi_thieu")
                located = site.source.settings_located
                line = (located.line(loc) + 1) if located is not None else 1  # a "|-" block starts below its key
                res = site.markdown.render(unit.gioi_thieu, source=site.source.config_file, first_line=line,
                                           page_url=home, problems=site.problems, base="index.md")
                state.intro[lang] = Markup(res.html)
        for info in state.translations:
            res = site.markdown.render(
                info.body, source=info.source, first_line=info.body_line, page_url=info.url,  # type: ignore[attr-defined]
                problems=site.problems, base=info.docs_path,
            )
            info.html = res.html

    def pages(self, site: Site) -> Iterable[OutputPage]:
        state: PagesState = site.data["pages"]
        for info in state.translations:
            yield OutputPage(
                url=info.url,
                template=info.template,
                title=info.title,
                context={"content_html": Markup(info.html), "hide": info.hide},
                lang=info.lang,
                section=info.url,
                description=info.description,
                alternates=dict(state.alternates.get(info.url, {})),
            )

    def files(self, site: Site):
        return []


module = PagesModule()
