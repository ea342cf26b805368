"""RSS 2.0 and Atom feeds, the "Nguồn tin RSS" page, and submission packs for the portal.

What is published (per language; Vietnamese always, others once items exist):

* ``rss/tin-tuc.xml`` / ``atom/tin-tuc.xml``: all news;
* ``rss/chuyen-muc/<slug>.xml`` / ``atom/…``: one pair per category (the six reform
  areas and the unit's own categories), so a subscription URL exists before the
  first item of that category does;
* ``rss/gui-cong.xml`` / ``atom/gui-cong.xml``: only items marked for the provincial
  CCHC portal (front matter ``gui_cong``);
* ``rss/thu-tuc.xml`` / ``atom/thu-tuc.xml``: procedure lifecycle changes (new,
  amended, replaced, abolished), once the procedures module is loaded;
* other languages under ``<lang>/`` (``en/rss/tin-tuc.xml``…).

Why not mkdocs-rss-plugin (shared/anchors.md §3.1): no Atom, no per-category
feeds, `<image><url>None</url>` without a logo, UTC dates, and network requests
for remote images at build time. Feeds here are built from the validated news
state with feedgen (see build.py).

Identifiers: ``tag:`` URIs (RFC 4151) built from the item's `uid` (front matter
``id``, else its source path), never from its title, slug or URL, so renaming or
moving an item does not make portals re-import it. The prefix comes from
``feeds.tien_to_ma`` or the host of ``site_url``.

Items with ``rss: false`` are in no feed; drafts and future items are never in
``news.published()`` and so never reach this module.
"""

from __future__ import annotations

import html
import io
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Iterable, Optional
from urllib.parse import quote, unquote, urlsplit

import lxml.html
from markupsafe import Markup

from ..i18n import register_strings, t
from ..news import by_category
from ..problems import register_messages
from ..site import OutputFile, OutputPage, Site
from ..text import slugify
from ..timeutil import VN_TZ, format_date
from . import build
from .build import Category, Channel, Enclosure, Entry, FeedSpec, clean

PAGE_URL = "nguon-tin-rss/"
PACK_BASE = PAGE_URL + "gui-cong/"
# Year of the tag: URI authority when none is configured. A constant on purpose:
# deriving it from content or the clock would change every identifier.
TAG_YEAR = "2026"
# Date of an empty feed on an empty site (a feed needs one; the clock is not allowed).
EMPTY_DATE = datetime(2000, 1, 1, tzinfo=VN_TZ)

IMAGE_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml",
}
RSS_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif")

register_messages(
    {
        "feeds.text_cleaned": {
            "vi": "có ký tự điều khiển không hiển thị (thường do dán từ Word/PDF) trong {what}; nguồn tin RSS đã bỏ ký tự này. Gõ lại đoạn chữ đó, hoặc xoá mã dạng '&#12;' nếu có.",
            "en": "the {what} contains an invisible control character (often pasted from Word/PDF); the feeds dropped it. Retype that passage, or remove codes such as '&#12;'.",
        },
        "feeds.entry_dropped": {
            "vi": "tin này không đưa được vào nguồn tin '{feed}' ({detail}). Kiểm tra ký tự lạ trong tiêu đề, tóm tắt, nội dung; các tin khác vẫn có trong nguồn tin.",
            "en": "this item could not be written to the feed '{feed}' ({detail}). Look for unusual characters in the title, summary, body; the other items are in the feed.",
        },
        "feeds.no_site_url": {
            "vi": "chưa khai báo site_url: nguồn tin RSS cần địa chỉ đầy đủ để cổng thông tin tỉnh lấy tin và mở đúng bài. Thêm dòng 'site_url: https://tên-miền-của-đơn-vị/' vào mkdocs.yml.",
            "en": "site_url is not set: feeds need full addresses for the provincial portal to fetch items and open them. Add 'site_url: https://your-domain/' to mkdocs.yml.",
        },
        "feeds.portal_not_syndicated": {
            "vi": "tin được đánh dấu gửi cổng (gui_cong) nhưng có 'rss: false' nên không có trong nguồn tin gửi cổng; gói gửi bài vẫn được tạo. Bỏ dòng 'rss: false' nếu muốn cổng tự lấy tin.",
            "en": "the item is marked for the portal (gui_cong) but has 'rss: false', so it is not in the portal feed; its submission pack is still made. Remove 'rss: false' to let the portal fetch it.",
        },
        "feeds.logo_format": {
            "vi": "logo '{value}' không phải PNG, JPEG hay GIF: thẻ <image> của RSS chỉ nhận ba định dạng này nên nguồn tin RSS dùng biểu tượng của trang. Thêm một bản logo .png và ghi 'logo: assets/logo.png'.",
            "en": "logo '{value}' is not PNG, JPEG or GIF, the only formats RSS <image> accepts, so RSS feeds use the site icon. Add a .png copy and write 'logo: assets/logo.png'.",
        },
        "feeds.duplicate_id": {
            "vi": "mã định danh '{value}' trùng với tin {other}: cổng thông tin sẽ coi hai tin là một và bỏ qua tin sau. Xoá dòng 'id:' trong tệp này (hệ thống tự dùng tên tệp) hoặc tạo tin bằng lệnh 'cchc new'.",
            "en": "identifier '{value}' is also used by {other}: portals would take both for one item and skip the second. Delete the 'id:' line in this file (the file name is used instead) or create items with 'cchc new'.",
        },
        "feeds.logo_missing": {
            "vi": "không tìm thấy tệp logo '{value}' trong content/. Kiểm tra tên tệp và thư mục, ví dụ 'assets/logo.png' cho tệp content/assets/logo.png.",
            "en": "logo file '{value}' not found under content/. Check the name and folder, e.g. 'assets/logo.png' for content/assets/logo.png.",
        },
    }
)

register_strings(
    {
        "feeds.page_title": {"vi": "Nguồn tin RSS", "en": "RSS feeds"},
        "feeds.all": {"vi": "Tin tức CCHC", "en": "Reform news"},
        "feeds.portal": {"vi": "Tin gửi cổng thông tin CCHC tỉnh", "en": "News for the provincial reform portal"},
        "feeds.procedures": {"vi": "Thủ tục hành chính mới, sửa đổi, thay thế, bãi bỏ", "en": "New, amended, replaced and abolished procedures"},
        "feeds.all_desc": {"vi": "Tin, bài mới nhất của chuyên mục cải cách hành chính – {unit}.", "en": "Latest administrative reform news of {unit}."},
        "feeds.category_desc": {"vi": "Tin, bài chuyên mục “{label}” – {unit}.", "en": "News in “{label}” – {unit}."},
        "feeds.portal_desc": {"vi": "Tin, bài {unit} chọn gửi {portal}.", "en": "News {unit} selected for {portal}."},
        "feeds.procedures_desc": {"vi": "Thủ tục hành chính {unit} tiếp nhận: công bố mới, sửa đổi, bổ sung, thay thế, bãi bỏ.", "en": "Administrative procedures handled by {unit}: new, amended, replaced, abolished."},
        "feeds.all_expl": {"vi": "Mọi tin, bài đã đăng (trừ tin không đưa vào RSS). Dùng cho trang chủ của đơn vị hoặc phần mềm đọc tin.", "en": "Every published item (except those kept out of feeds). For the unit's home page or a feed reader."},
        "feeds.category_expl": {"vi": "Chỉ các tin thuộc chuyên mục này. Dùng khi cổng đăng tin theo lĩnh vực cải cách.", "en": "Only items of this category. For portals that post by reform area."},
        "feeds.portal_expl": {"vi": "Chỉ các tin đơn vị đánh dấu gửi cổng CCHC tỉnh. Cán bộ quản trị cổng nên đăng ký nguồn này.", "en": "Only items the unit marked for the provincial portal. Portal editors should subscribe to this one."},
        "feeds.procedures_expl": {"vi": "Mỗi lần một thủ tục được công bố mới, sửa đổi, thay thế hoặc bãi bỏ theo quyết định công bố.", "en": "Each time a procedure is published, amended, replaced or abolished by a decision."},
        "feeds.procedures_view": {"vi": "Xem thủ tục", "en": "View the procedure"},
        "feeds.procedures_replacement": {"vi": "Thủ tục thay thế", "en": "Replacement procedure"},
        "feeds.procedures_summary": {"vi": "{label} theo Quyết định số {decision} ngày {date} của {issuer}.", "en": "{label} by decision {decision} of {date} ({issuer})."},
        "feeds.source": {"vi": "Nguồn", "en": "Source"},
        "feeds.default_portal": {"vi": "cổng thông tin CCHC tỉnh", "en": "the provincial reform portal"},
        # "Nguồn tin RSS" page
        "feeds.intro": {"vi": "Trang này liệt kê các nguồn tin RSS 2.0 và Atom của chuyên mục cải cách hành chính – {unit}. Cổng thông tin CCHC của tỉnh, trang thông tin điện tử của đơn vị hoặc bất kỳ phần mềm đọc tin nào có thể tự động lấy tin mới từ các địa chỉ dưới đây.",
                        "en": "This page lists the RSS 2.0 and Atom feeds of the administrative reform section of {unit}. The provincial portal, the unit's website or any feed reader can fetch new items from these addresses automatically."},
        "feeds.howto": {"vi": "Hướng dẫn cho cán bộ quản trị cổng thông tin", "en": "For portal editors"},
        "feeds.howto_subscribe": {"vi": "Sao chép một địa chỉ RSS (hoặc Atom) dưới đây vào mục lấy tin tự động (RSS) của phần mềm cổng. Nên dùng nguồn “Tin gửi cổng thông tin CCHC tỉnh”: chỉ gồm các tin đơn vị chọn gửi cổng.",
                                  "en": "Copy an RSS (or Atom) address below into the portal's automatic import (RSS) setting. Prefer the “News for the provincial reform portal” feed: it holds only the items the unit selected for the portal."},
        "feeds.howto_id": {"vi": "Mỗi tin có một mã định danh cố định (thẻ guid trong RSS, id trong Atom), không đổi khi đơn vị sửa tiêu đề hay đường dẫn bài. Dùng mã này để nhận biết tin đã lấy và tránh đăng trùng; khi bài được sửa, ngày cập nhật (updated) thay đổi.",
                           "en": "Every item has a permanent identifier (guid in RSS, id in Atom) that does not change when the title or address is edited. Use it to recognise items already imported; when an item is edited its update date changes."},
        "feeds.howto_fields": {"vi": "Ngày giờ theo giờ Việt Nam (+07:00). Tóm tắt (sapo) ở thẻ description/summary; toàn văn kèm ảnh ở content:encoded (RSS) hoặc content (Atom); ảnh đại diện ở enclosure; tác giả, đơn vị ở dc:creator/author; chuyên mục ở category. Mọi liên kết và ảnh là địa chỉ đầy đủ.",
                               "en": "Dates are in Vietnam time (+07:00). The summary is in description/summary; the full text with images in content:encoded (RSS) or content (Atom); the lead image in enclosure; author and department in dc:creator/author; categories in category. Every link and image address is absolute."},
        "feeds.howto_limits": {"vi": "Mỗi nguồn tin có {count} tin mới nhất và thay đổi mỗi khi đơn vị đăng hoặc sửa tin; nên lấy tin không dày hơn {ttl} phút một lần.",
                               "en": "Each feed holds the {count} newest items and changes whenever the unit publishes or edits one; fetch at most every {ttl} minutes."},
        "feeds.howto_pack": {"vi": "Cổng không nhận RSS: dùng “gói gửi bài” ở cuối trang — mỗi tin có sẵn tiêu đề, sapo, nội dung, ảnh, tác giả để sao chép vào biểu mẫu của cổng.",
                             "en": "Portal takes no feed: use the “submission packs” at the end of this page — title, summary, body, images and author ready to copy into the portal's form."},
        "feeds.news_feeds": {"vi": "Nguồn tin tin tức", "en": "News feeds"},
        "feeds.by_category": {"vi": "Theo chuyên mục", "en": "By category"},
        "feeds.procedure_feeds": {"vi": "Thủ tục hành chính", "en": "Administrative procedures"},
        "feeds.procedures_later": {"vi": "Nguồn tin thay đổi thủ tục hành chính sẽ có khi chuyên mục thủ tục hành chính được bật.", "en": "The procedure-changes feed appears once the procedures section is enabled."},
        "feeds.language_section": {"vi": "Tiếng Anh", "en": "English"},
        "feeds.count": {"vi": "Số tin", "en": "Items"},
        "feeds.count_value": {"vi": "{count} tin", "en": "{count} items"},
        "feeds.count_of": {"vi": "{count} tin mới nhất (trong tổng số {total})", "en": "the {count} newest (of {total})"},
        "feeds.updated": {"vi": "Cập nhật", "en": "Updated"},
        "feeds.empty": {"vi": "chưa có tin", "en": "no items yet"},
        "feeds.packs": {"vi": "Gói gửi bài lên cổng", "en": "Submission packs"},
        "feeds.packs_intro": {"vi": "Các tin được đánh dấu gửi cổng (mục gui_cong trong tệp tin bài). Mỗi gói có trang để sao chép từng phần và tệp .zip để tải về.",
                              "en": "Items marked for the portal (gui_cong in the item's file). Each pack has a page to copy each part from and a .zip download."},
        "feeds.packs_empty": {"vi": "Chưa có tin nào được đánh dấu gửi cổng. Để gửi một tin, thêm vào phần đầu tệp tin bài:", "en": "No item is marked for the portal yet. To mark one, add to the item's front matter:"},
        "feeds.download_zip": {"vi": "Tải gói (.zip)", "en": "Download (.zip)"},
        "feeds.status.chua_gui": {"vi": "chưa gửi", "en": "not sent"},
        "feeds.status.da_gui": {"vi": "đã gửi", "en": "sent"},
        "feeds.status.da_dang": {"vi": "cổng đã đăng", "en": "published by the portal"},
        "feeds.status.tu_choi": {"vi": "bị từ chối", "en": "rejected"},
        # submission pack page
        "feeds.pack": {"vi": "Gói gửi bài", "en": "Submission pack"},
        "feeds.pack_intro": {"vi": "Trang dành cho cán bộ gửi tin lên cổng thông tin CCHC khi cổng không tự lấy tin qua RSS. Mỗi ô dưới đây chứa sẵn một phần của bài: bấm vào ô, chọn tất cả (Ctrl+A) rồi sao chép (Ctrl+C) và dán vào ô tương ứng của biểu mẫu trên cổng.",
                             "en": "For staff sending this item to a portal that does not import feeds. Each box holds one part of the item: click in it, select all (Ctrl+A), copy (Ctrl+C) and paste into the matching field of the portal's form."},
        "feeds.pack_zip_note": {"vi": "gồm thông tin bài (thong-tin.txt), nội dung có định dạng (noi-dung.html), văn bản thường (noi-dung.txt) và các tệp ảnh (thư mục anh).",
                                "en": "with the item's details (thong-tin.txt), formatted body (noi-dung.html), plain text (noi-dung.txt) and image files (folder anh)."},
        "feeds.pack_portals": {"vi": "Gửi đến", "en": "Send to"},
        "feeds.pack_sent_on": {"vi": "ngày gửi {date}", "en": "sent {date}"},
        "feeds.pack_published_at": {"vi": "bài trên cổng", "en": "item on the portal"},
        "feeds.pack_title": {"vi": "Tiêu đề", "en": "Title"},
        "feeds.pack_summary": {"vi": "Sapo (tóm tắt)", "en": "Summary"},
        "feeds.pack_body": {"vi": "Nội dung", "en": "Body"},
        "feeds.pack_body_preview": {"vi": "Nội dung có định dạng: chọn và sao chép đoạn dưới đây để dán vào ô soạn thảo của cổng (giữ đậm, nghiêng, danh sách, ảnh).",
                                    "en": "Formatted body: select and copy the passage below to paste into the portal's editor (keeps bold, italics, lists, images)."},
        "feeds.pack_body_html": {"vi": "Nội dung dạng HTML (cho ô soạn thảo ở chế độ mã nguồn)", "en": "Body as HTML (for an editor in source mode)"},
        "feeds.pack_body_text": {"vi": "Nội dung dạng văn bản thường", "en": "Body as plain text"},
        "feeds.pack_images": {"vi": "Ảnh", "en": "Images"},
        "feeds.pack_image_alt": {"vi": "Mô tả ảnh", "en": "Image description"},
        "feeds.pack_image_caption": {"vi": "Chú thích", "en": "Caption"},
        "feeds.pack_image_download": {"vi": "Tải ảnh", "en": "Download image"},
        "feeds.pack_no_images": {"vi": "Bài không có ảnh.", "en": "The item has no images."},
        "feeds.pack_author": {"vi": "Tác giả", "en": "Author"},
        "feeds.pack_unit": {"vi": "Đơn vị", "en": "Department and unit"},
        "feeds.pack_date": {"vi": "Ngày đăng", "en": "Published"},
        "feeds.pack_link": {"vi": "Liên kết cố định của bài", "en": "Permanent link"},
        "feeds.pack_id": {"vi": "Mã định danh tin (như trong RSS)", "en": "Item identifier (as in the feeds)"},
        "feeds.copy": {"vi": "Sao chép", "en": "Copy"},
        "feeds.copied": {"vi": "Đã sao chép", "en": "Copied"},
    }
)


# --- state ---------------------------------------------------------------------------------


@dataclass
class Pack:
    """The submission pack of one item marked for the portal."""

    item: object  # NewsItem
    url: str  # page, site-relative
    zip_path: str  # download, site-relative
    link: str  # permanent link (absolute URL of the item page)
    id: str  # the item's feed identifier
    title: str
    summary: str
    body_html: str  # absolute URLs (what goes to the portal)
    preview_html: str  # the same, with this site's addresses relative to the pack page
    body_text: str
    images: list = field(default_factory=list)  # [{"url", "alt", "caption", "file", "path", "name"}]
    authors: list = field(default_factory=list)
    portals: list = field(default_factory=list)  # PortalSubmission models
    zip_bytes: bytes = b""


@dataclass
class FeedsState:
    """`site.data["feeds"]`: every feed (with bytes), the packs, and head links."""

    feeds: list[FeedSpec] = field(default_factory=list)
    packs: list[Pack] = field(default_factory=list)
    id_prefix: str = ""
    page_url: str = PAGE_URL
    abs_url: object = None
    procedures_available: bool = False

    def by_key(self, key: str, lang: str = "vi") -> Optional[FeedSpec]:
        for f in self.feeds:
            if f.key == key and f.lang == lang:
                return f
        return None

    def for_lang(self, lang: str) -> list[FeedSpec]:
        return [f for f in self.feeds if f.lang == lang]

    @property
    def languages(self) -> list[str]:
        langs = sorted({f.lang for f in self.feeds})
        return ["vi"] + [lang for lang in langs if lang != "vi"] if "vi" in langs else langs

    def page_key(self) -> tuple:
        """What every page reads through this state (cchc.buildcache): the feeds its <head>
        announces (`head_links`). The feeds page has its feeds and packs in its context."""
        return (self.id_prefix, self.page_url, self.procedures_available,
                [(f.key, f.kind, f.lang, f.title, f.rss_path, f.atom_path, f.announce_on,
                  self.abs_url(f.rss_path), self.abs_url(f.atom_path)) for f in self.feeds])

    def head_links(self, lang: str = "vi", page_url: str = "") -> list[dict]:
        """`<link rel="alternate">` entries for a page: the all-news feeds of its language,
        plus the category or procedure feed when the page is that category or procedure list."""
        out = []
        feeds = self.for_lang(lang) or self.for_lang("vi")
        page_url = page_url or ""
        chosen = [f for f in feeds if f.kind == "all"]
        for f in feeds:
            if f.announce_on and page_url.startswith(f.announce_on):
                chosen.append(f)
        for f in chosen:
            out.append({"title": f"{f.title} (RSS)", "type": "application/rss+xml",
                        "href": self.abs_url(f.rss_path), "path": f.rss_path})
            out.append({"title": f"{f.title} (Atom)", "type": "application/atom+xml",
                        "href": self.abs_url(f.atom_path), "path": f.atom_path})
        return out


# --- the module ------------------------------------------------------------------------------


class FeedsModule:
    name = "feeds"

    def load(self, site: Site) -> None:
        site.urls[PAGE_URL + "index.md"] = PAGE_URL
        site.data["feeds"] = FeedsState(abs_url=site.abs_url)

    def link(self, site: Site) -> None:
        news = site.data.get("news")
        state: FeedsState = site.data["feeds"]
        state.id_prefix = _id_prefix(site)
        if not site.site_url:
            site.problems.warn(site.source.config_file, None, "site_url", "feeds.no_site_url")
        ch = _channel(site)
        entries: dict[int, Entry] = {}

        def entry_of(item) -> Entry:
            key = id(item)
            if key not in entries:
                entries[key] = _news_entry(site, state, news, item)
            return entries[key]

        limit = site.settings.feeds.so_tin
        unit = site.settings.don_vi
        if news is not None:
            _check_unique_ids(site, state, news)
            langs = sorted({i.lang for i in news.visible} | set(getattr(news, "languages", ("vi",))) | {"vi"},
                           key=lambda x: (x != "vi", x))
            portal_name = unit.cong_cchc_tinh.ten if unit.cong_cchc_tinh else None
            for lang in langs:
                u = unit.localized(lang).ten
                prefix = "" if lang == "vi" else f"{lang}/"
                items = [i for i in news.published(lang) if i.meta.rss]
                fallback = max((i.last_modified for i in items), default=EMPTY_DATE)
                # Each category's items in one pass (not a pass over every item per category).
                by_cat = by_category(items)
                with_page = by_category(news.published(lang)).keys()
                specs = [
                    (FeedSpec(key="all", kind="all", lang=lang, title=f"{t('feeds.all', lang)} – {u}",
                              description=t("feeds.all_desc", lang, unit=u), explanation=t("feeds.all_expl", lang),
                              page_url=news.list_url(lang), rss_path=f"{prefix}rss/tin-tuc.xml",
                              atom_path=f"{prefix}atom/tin-tuc.xml", id=_tag(state, lang, "feed/tin-tuc")), items),
                ]
                for slug, cat in news.categories.items():
                    label = cat.label(lang)
                    chosen = by_cat.get(slug, [])
                    # The news module builds a category page only when it has items (of any
                    # kind, syndicated or not); until then the feed points at the news list.
                    has_page = slug in with_page
                    specs.append((FeedSpec(
                        key=f"category:{slug}", kind="category", lang=lang, category=slug, title=f"{label} – {u}",
                        description=t("feeds.category_desc", lang, label=label, unit=u),
                        explanation=cat.description if (cat.description and lang == "vi") else t("feeds.category_expl", lang),
                        page_url=news.category_url(slug, lang) if has_page else news.list_url(lang),
                        announce_on=news.category_url(slug, lang) if has_page else None,
                        rss_path=f"{prefix}rss/chuyen-muc/{slug}.xml",
                        atom_path=f"{prefix}atom/chuyen-muc/{slug}.xml", id=_tag(state, lang, f"feed/chuyen-muc/{slug}"),
                    ), chosen))
                portal = portal_name if lang == "vi" and portal_name else t("feeds.default_portal", lang)
                specs.append((FeedSpec(
                    key="portal", kind="portal", lang=lang, title=f"{t('feeds.portal', lang)} – {u}",
                    description=t("feeds.portal_desc", lang, unit=u, portal=portal), explanation=t("feeds.portal_expl", lang),
                    page_url=PAGE_URL, rss_path=f"{prefix}rss/gui-cong.xml",
                    atom_path=f"{prefix}atom/gui-cong.xml", id=_tag(state, lang, "feed/gui-cong"),
                ), [i for i in items if i.gui_cong]))
                for spec, chosen in specs:
                    spec.total = len(chosen)
                    spec.entries = [entry_of(i) for i in chosen[:limit]]
                    spec.updated = max((e.updated for e in spec.entries), default=fallback)
                    state.feeds.append(spec)
            for item in news.visible:
                if item.gui_cong and not item.meta.rss:
                    site.problems.warn(item.source, item.lines.line(("rss",)), "rss", "feeds.portal_not_syndicated")

        procedures = site.data.get("procedures")
        if procedures is not None and hasattr(procedures, "changes"):
            state.procedures_available = True
            u = unit.ten
            changes = list(procedures.changes)
            spec = FeedSpec(
                key="procedures", kind="procedures", lang="vi", title=f"{t('feeds.procedures')} – {u}",
                description=t("feeds.procedures_desc", unit=u), explanation=t("feeds.procedures_expl"),
                page_url=_procedures_index(procedures), announce_on=_procedures_index(procedures),
                rss_path="rss/thu-tuc.xml", atom_path="atom/thu-tuc.xml",
                id=_tag(state, "vi", "feed/thu-tuc"),
            )
            spec.total = len(changes)
            spec.entries = [_change_entry(site, state, procedures, c) for c in changes[:limit]]
            spec.updated = max((e.updated for e in spec.entries), default=EMPTY_DATE)
            state.feeds.append(spec)

        cache = getattr(site.markdown, "cache", None)
        for spec in state.feeds:
            build.render(spec, ch, lambda e, detail, spec=spec: site.problems.warn(
                e.source, None, "-", "feeds.entry_dropped", feed=spec.rss_path, detail=detail[:120]), cache)

        if news is not None:
            for item in news.visible:
                if item.gui_cong:
                    state.packs.append(_pack(site, state, item, entry_of(item)))

    # --- outputs ------------------------------------------------------------------------------
    def pages(self, site: Site) -> Iterable[OutputPage]:
        state: FeedsState = site.data["feeds"]
        groups = []
        for lang in state.languages:
            feeds = state.for_lang(lang)
            groups.append({
                "lang": lang,
                "main": [_feed_view(site, f) for f in feeds if f.kind in ("all", "portal")],
                "categories": [_feed_view(site, f) for f in feeds if f.kind == "category"],
                "procedures": [_feed_view(site, f) for f in feeds if f.kind == "procedures"],
            })
        yield OutputPage(
            url=PAGE_URL,
            template="cchc/feeds/index.html",
            title=t("feeds.page_title"),
            context={"feed_groups": groups, "packs": state.packs, "feeds_state": state,
                     "feed_settings": site.settings.feeds, "procedures_available": state.procedures_available},
            section=PAGE_URL,
            description="Danh sách nguồn tin RSS và Atom của chuyên mục cải cách hành chính, "
                        "hướng dẫn cho cán bộ quản trị cổng thông tin.",
            nav_stub=True,
        )
        for pack in state.packs:
            yield OutputPage(
                url=pack.url,
                template="cchc/feeds/pack.html",
                title=f"Gói gửi bài: {pack.title}",
                context={"pack": pack, "preview_html": Markup(pack.preview_html), "hide": ["navigation"]},
                section=PAGE_URL,
                description=pack.summary,
                lastmod=pack.item.last_modified,
                sitemap=False,
            )

    def files(self, site: Site) -> Iterable[OutputFile]:
        state: FeedsState = site.data["feeds"]
        out = []
        for spec in state.feeds:
            out.append(OutputFile(spec.rss_path, spec.rss))
            out.append(OutputFile(spec.atom_path, spec.atom))
        for pack in state.packs:
            out.append(OutputFile(pack.zip_path, pack.zip_bytes))
        return out


# --- identity, channel -------------------------------------------------------------------------


def _id_prefix(site: Site) -> str:
    configured = site.settings.feeds.tien_to_ma
    if configured:
        return configured
    host = urlsplit(site.site_url).hostname if site.site_url else None
    if not host:
        host = (slugify(site.settings.don_vi.ten) or "cchc") + ".invalid"
    return f"tag:{host.lower()},{TAG_YEAR}:"


_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def _tag(state: FeedsState, lang: str, specific: str) -> str:
    """A permanent identifier: prefix + (language/) + a percent-encoded specific part.

    An identifier that is already a URI (``cchc new`` writes ``id: urn:uuid:…``) is
    used as it is for Vietnamese; a translation gets a tag: URI of its own, since it
    is another entry of another feed.
    """
    if lang == "vi" and _URI_RE.match(specific):
        return specific
    specific = quote(specific, safe="/-._~!$&'()*+,;=:@")
    return state.id_prefix + (specific if lang == "vi" else f"{lang}/{specific}")


def _check_unique_ids(site: Site, state: FeedsState, news) -> None:
    """Two items with one identifier look like one item to a portal: the second never appears.

    Usually a file copied with its `id:` line. Drafts count too (they will be published).
    """
    seen: dict[str, object] = {}
    for item in sorted(news.items, key=lambda i: i.source):
        key = _tag(state, item.lang, item.uid)
        other = seen.get(key)
        if other is None:
            seen[key] = item
            continue
        line = item.lines.line(("id",)) if item.meta.id else None
        site.problems.add(item.source, line, "id", "feeds.duplicate_id", value=item.uid, other=other.source)


def _channel(site: Site) -> Channel:
    unit = site.settings.don_vi
    theme = site.source.raw_config.get("theme") or {}
    logo = None
    if unit.logo:
        rel = unit.logo.lstrip("/")
        if not os.path.isfile(os.path.join(site.docs_dir, *rel.split("/"))):
            site.problems.warn(site.source.config_file, None, "don_vi.logo", "feeds.logo_missing", value=unit.logo)
        elif not rel.lower().endswith(RSS_IMAGE_EXT):
            site.problems.warn(site.source.config_file, None, "don_vi.logo", "feeds.logo_format", value=unit.logo)
        else:
            logo = rel
    favicon = (theme.get("favicon") if isinstance(theme, dict) else None) or "assets/images/favicon.png"
    if logo is None and isinstance(theme, dict) and isinstance(theme.get("logo"), str) \
            and theme["logo"].lower().endswith(RSS_IMAGE_EXT):
        logo = theme["logo"]
    if logo is None and favicon.lower().endswith(RSS_IMAGE_EXT):
        logo = favicon
    rights = site.source.raw_config.get("copyright")
    return Channel(
        site_url=site.site_url,
        abs_url=site.abs_url,
        unit_name=clean(unit.ten),
        unit_email=unit.email,
        logo_url=site.abs_url(logo) if logo else None,
        icon_url=site.abs_url(favicon),
        rights=clean(str(rights)) if rights else None,
        ttl=site.settings.feeds.ttl,
    )


# --- entries ---------------------------------------------------------------------------------


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


# How the cleaning warning names a field to staff (the field column already gives the key).
_FIELD_NAMES = {"title": "tiêu đề", "summary": "sapo", "body": "nội dung bài", "author": "tác giả",
                "don_vi": "đơn vị", "tags": "từ khoá", "image.alt": "mô tả ảnh", "image.caption": "chú thích ảnh",
                "nguon.ten": "tên nguồn"}


def _reporter(site: Site, source: str):
    def report(field_name: str, _text: str) -> None:
        site.problems.warn(source, None, field_name, "feeds.text_cleaned", what=_FIELD_NAMES.get(field_name, field_name))

    return report


def _absolute_html(site: Site, fragment: str, link: str) -> str:
    """`build.absolutize_html(fragment, link)`, kept in the build cache: a pure function of
    both, whose lxml parsing and serialising of the 144 newest items (the feeds' entries) was
    ≈ 35 ms of every build of the benchmark's large site, though they hardly ever change."""
    cache = getattr(site.markdown, "cache", None)
    if cache is None:
        return build.absolutize_html(fragment, link)
    key = link.encode("utf-8", "surrogatepass") + b"\0" + fragment.encode("utf-8", "surrogatepass")
    return cache.load("absolute-html", key, lambda: build.absolutize_html(fragment, link))


def _news_entry(site: Site, state: FeedsState, news, item) -> Entry:
    report = _reporter(site, item.source)
    lang = item.lang
    link = site.abs_url(item.url)
    title = clean(item.title, report, "title")
    summary = clean(item.summary, report, "summary")
    body = _absolute_html(site, clean(item.html, report, "body"), link)
    enclosure = None
    figure = lead = ""
    if item.image_url and item.image_path:
        img = site.abs_url(item.image_url)
        alt = clean(item.meta.image.alt, report, "image.alt")
        caption = clean(item.meta.image.caption or "", report, "image.caption")
        ext = os.path.splitext(item.image_path)[1].lower()
        enclosure = Enclosure(url=img, length=os.path.getsize(item.image_path),
                              type=IMAGE_TYPES.get(ext, "application/octet-stream"))
        figure = f'<figure><img src="{_esc(img)}" alt="{_esc(alt)}">' + (
            f"<figcaption>{_esc(caption)}</figcaption>" if caption else "") + "</figure>\n"
        lead = f'<p><a href="{_esc(link)}"><img src="{_esc(img)}" alt="{_esc(alt)}"></a></p>'
    extra = ""
    if item.meta.nguon is not None:
        src_name = _esc(clean(item.meta.nguon.ten, report, "nguon.ten"))
        src = f'<a href="{_esc(item.meta.nguon.url)}">{src_name}</a>' if item.meta.nguon.url else src_name
        extra = f"\n<p>{t('feeds.source', lang)}: {src}</p>"
    categories = [Category(term=slug, label=clean(news.category_label(slug, lang)),
                           scheme=site.abs_url(posixpath.dirname(news.category_url(slug, lang).rstrip("/")) + "/"))
                  for slug in item.chuyen_muc]
    categories += [Category(term=clean(tag, report, "tags"), label=clean(tag)) for tag in item.tags]
    authors = []
    for name, fld in ((item.author, "author"), (item.don_vi, "don_vi")):
        if name:
            value = clean(name, report, fld)
            if value and value not in authors:
                authors.append(value)
    return Entry(
        id=_tag(state, lang, item.uid),
        title=title,
        link=link,
        published=item.date,
        updated=item.last_modified,
        summary=summary,
        content_html=build.cdata_safe(figure + body + extra),
        description_html=build.cdata_safe(lead + f"<p>{_esc(summary)}</p>"),
        categories=categories,
        authors=authors,
        enclosure=enclosure,
        source=item.source,
        lang=lang,
    )


def _procedures_index(procedures) -> str:
    url = getattr(procedures, "index_url", None)
    if isinstance(url, str):
        return url
    return f"{getattr(procedures, 'base', 'thu-tuc')}/"


def _change_entry(site: Site, state: FeedsState, procedures, c) -> Entry:
    """One lifecycle change of a procedure (see procedures/loader.py `LifecycleChange`)."""
    source = getattr(procedures.get(c.code), "source", "-") if hasattr(procedures, "get") else "-"
    report = _reporter(site, source)
    label = clean(getattr(c, "kind_label", None) or c.kind)
    name = clean(c.name, report, "ten")
    link = site.abs_url(c.url)
    when = datetime.combine(c.date, time(0, 0), VN_TZ) if not isinstance(c.date, datetime) else c.date
    summary = t("feeds.procedures_summary", label=label, decision=clean(c.decision, report, "so"),
                date=format_date(c.date), issuer=clean(c.issuer, report, "co_quan"))
    note = clean(getattr(c, "note", None) or "", report, "ghi_chu")
    parts = [f"<p>{_esc(summary)}</p>"]
    if note:
        parts.append(f"<p>{_esc(note)}</p>")
    replacement = getattr(c, "replacement_url", None)
    if replacement:
        parts.append(f'<p>{t("feeds.procedures_replacement")}: <a href="{_esc(site.abs_url(replacement))}">'
                     f"{_esc(site.abs_url(replacement))}</a></p>")
    parts.append(f'<p><a href="{_esc(link)}">{t("feeds.procedures_view")}: {_esc(name)} ({_esc(c.code)})</a></p>')
    specific = f"thu-tuc/{c.code}/{slugify(c.decision) or c.decision}/{getattr(c, 'change', c.kind)}"
    return Entry(
        id=_tag(state, "vi", specific),
        title=f"{label}: {name} ({c.code})",
        link=link,
        published=when,
        updated=when,
        summary=summary + (f" {note}" if note else ""),
        content_html=build.cdata_safe("\n".join(parts)),
        description_html=build.cdata_safe(f"<p>{_esc(summary)}</p>"),
        categories=[Category(term=c.kind, label=label, scheme=site.abs_url(_procedures_index(procedures)))],
        authors=[clean(c.issuer)] if c.issuer else [],
        source=source,
    )


# --- feeds page --------------------------------------------------------------------------------


def _feed_view(site: Site, f: FeedSpec) -> dict:
    return {
        "title": f.title,
        "kind": f.kind,
        "explanation": f.explanation,
        "rss": site.abs_url(f.rss_path),
        "atom": site.abs_url(f.atom_path),
        "rss_path": f.rss_path,
        "atom_path": f.atom_path,
        "page_url": f.page_url,
        "count": len(f.entries),
        "total": f.total,
        "updated": f.updated if f.entries else None,
    }


# --- submission packs ----------------------------------------------------------------------------


def _relative(target: str, page_url: str) -> str:
    """A site-relative URL as seen from a (directory-style) page URL."""
    path, sep, frag = target.partition("#")
    base_dir = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath("/" + path, "/" + base_dir) if path else "."
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel + sep + frag


def _preview_html(fragment: str, site: Site, page_url: str) -> str:
    """The body as shown inside the pack page.

    Addresses of this site are written relative to `page_url` (the page must work before
    the site is deployed at its site_url); headings move one level down and lose their
    ids, so they sit under the page's own "Nội dung" heading and cannot clash with its ids.
    """
    if not fragment.strip():
        return ""
    base = site.abs_url("")
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    root.rewrite_links(lambda link: _relative(link[len(base):], page_url) if link.startswith(base) else link,
                       resolve_base_href=False)
    for el in root.iter():
        if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag):
            el.tag = f"h{min(6, int(el.tag[1]) + 1)}"
        if "id" in el.attrib:
            del el.attrib["id"]
    return (html.escape(root.text, quote=False) if root.text else "") + "".join(
        lxml.html.tostring(c, encoding="unicode") for c in root)


def _local_image(site: Site, abs_url: str) -> Optional[str]:
    """The file under docs_dir that an absolute image URL of this site points to, if any."""
    base = site.abs_url("")
    if not abs_url.startswith(base):
        return None
    rel = posixpath.normpath(abs_url[len(base):].split("?")[0].split("#")[0])
    if rel.startswith(".."):
        return None
    path = os.path.join(site.docs_dir, *unquote(rel).split("/"))
    return path if os.path.isfile(path) else None


def _pack(site: Site, state: FeedsState, item, entry: Entry) -> Pack:
    prefix = "" if item.lang == "vi" else f"{item.lang}-"
    url = f"{PACK_BASE}{prefix}{item.slug}/"
    body = _absolute_html(site, build.clean(item.html), entry.link)
    images: list[dict] = []
    names: set[str] = set()

    def add(url_: str, alt: str, caption: str, path: Optional[str]) -> None:
        if any(i["url"] == url_ for i in images):
            return
        name = None
        if path:
            stem, ext = os.path.splitext(os.path.basename(path))
            name = f"{len(images) + 1:02d}-{slugify(stem) or 'anh'}{ext.lower()}"
            while name in names:
                name = "x" + name
            names.add(name)
        base = site.abs_url("")
        src = _relative(url_[len(base):], url) if url_.startswith(base) else url_
        images.append({"url": url_, "src": src, "alt": alt, "caption": caption, "path": path, "name": name})

    if item.image_url and item.image_path:
        add(site.abs_url(item.image_url), build.clean(item.meta.image.alt), build.clean(item.meta.image.caption or ""),
            item.image_path)
    if body:
        root = lxml.html.fragment_fromstring(body, create_parent="div")
        for img in root.iter("img"):
            src = img.get("src") or ""
            caption = ""
            fig = img.getparent()
            while fig is not None and fig.tag != "figure":
                fig = fig.getparent()
            if fig is not None:
                cap = fig.find(".//figcaption")
                caption = cap.text_content().strip() if cap is not None else ""
            add(src, img.get("alt") or "", caption, _local_image(site, src))
    pack = Pack(
        item=item,
        url=url,
        zip_path=f"{url}goi-gui-bai-{prefix}{item.slug}.zip",
        link=entry.link,
        id=entry.id,
        title=entry.title,
        summary=entry.summary,
        body_html=body,
        preview_html=_preview_html(body, site, url),
        body_text=build.html_to_text(body),
        images=images,
        authors=list(entry.authors),
        portals=list(item.gui_cong),
    )
    pack.zip_bytes = _pack_zip(site, pack)
    return pack


def _pack_zip(site: Site, pack: Pack) -> bytes:
    """A reproducible zip: fixed entry order, dates from the item, fixed permissions.

    Contents: thong-tin.txt (every field, labelled, to copy into a portal form),
    noi-dung.html (the article with its images from anh/, to open in a browser and
    copy with formatting), noi-dung.txt (plain text), anh/ (image files).
    """
    item = pack.item
    unit = site.settings.don_vi
    stamp = item.last_modified.timetuple()[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))
    lines = [
        f"TIÊU ĐỀ:\n{pack.title}",
        f"SAPO (TÓM TẮT):\n{pack.summary}",
        f"NGÀY ĐĂNG: {format_date(item.date)} {item.date:%H:%M}",
        f"TÁC GIẢ: {build.clean(item.author or '')}".rstrip(),
        f"ĐƠN VỊ: {build.clean(item.don_vi)} – {unit.ten}" if item.don_vi else f"ĐƠN VỊ: {unit.ten}",
        f"ĐƯỜNG DẪN GỐC (LIÊN KẾT CỐ ĐỊNH): {pack.link}",
        f"MÃ ĐỊNH DANH TIN: {pack.id}",
    ]
    if pack.images:
        lines.append("ẢNH:\n" + "\n".join(
            f"- {('anh/' + i['name']) if i['name'] else i['url']}: {i['alt']}" + (f" (chú thích: {i['caption']})" if i["caption"] else "")
            for i in pack.images))
    lines.append(f"NỘI DUNG:\n{pack.body_text}")
    info = "\ufeff" + "\n\n".join(lines).replace("\n", "\r\n") + "\r\n"
    local = {i["url"]: "anh/" + i["name"] for i in pack.images if i["name"]}
    body = pack.body_html
    if body:
        root = lxml.html.fragment_fromstring(body, create_parent="div")
        root.rewrite_links(lambda link: local.get(link, link), resolve_base_href=False)
        body = (html.escape(root.text, quote=False) if root.text else "") + "".join(
            lxml.html.tostring(c, encoding="unicode") for c in root)
    lead = ""
    if item.image_url and pack.images and pack.images[0]["name"]:
        i = pack.images[0]
        lead = f'<figure><img src="anh/{_esc(i["name"])}" alt="{_esc(i["alt"])}" style="max-width:100%">' + (
            f"<figcaption>{_esc(i['caption'])}</figcaption>" if i["caption"] else "") + "</figure>\n"
    byline = " – ".join(_esc(a) for a in pack.authors) or _esc(unit.ten)
    doc = (
        f'<!doctype html>\n<html lang="{item.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(pack.title)}</title>\n</head>\n<body>\n<h1>{_esc(pack.title)}</h1>\n"
        f"<p><strong>{_esc(pack.summary)}</strong></p>\n{lead}{body}\n"
        f"<p>{byline}</p>\n<p>{t('feeds.source', item.lang)}: <a href=\"{_esc(pack.link)}\">{_esc(pack.link)}</a></p>\n"
        "</body>\n</html>\n"
    )
    text = "\ufeff" + f"{pack.title}\n\n{pack.summary}\n\n{pack.body_text}\n\n{pack.link}\n".replace("\n", "\r\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        def put(name: str, data: bytes) -> None:
            info_ = zipfile.ZipInfo(name, date_time=stamp)
            info_.compress_type = zipfile.ZIP_DEFLATED
            info_.external_attr = 0o644 << 16
            info_.create_system = 3  # always "Unix": the same bytes whatever OS builds it
            zf.writestr(info_, data)

        put("thong-tin.txt", info.encode("utf-8"))
        put("noi-dung.html", doc.encode("utf-8"))
        put("noi-dung.txt", text.encode("utf-8"))
        for i in pack.images:
            if i["name"] and i["path"]:
                with open(i["path"], "rb") as fh:
                    put("anh/" + i["name"], fh.read())
    return buf.getvalue()


module = FeedsModule()
