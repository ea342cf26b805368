"""Interface strings of the project's own templates, in one place, per language.

Material translates its own interface (`theme.language`); these are the strings
our templates add. Vietnamese is the primary language and always complete; a
missing English string falls back to Vietnamese, never to a key.
"""

from __future__ import annotations

LANGUAGES = ("vi", "en")
DEFAULT_LANG = "vi"

# The six areas of the 2021–2030 state administrative reform master programme
# (Nghị quyết 76/NQ-CP). They are the built-in news categories.
REFORM_AREAS: list[dict[str, str]] = [
    {"slug": "cai-cach-the-che", "vi": "Cải cách thể chế", "en": "Institutional reform"},
    {"slug": "cai-cach-thu-tuc-hanh-chinh", "vi": "Cải cách thủ tục hành chính", "en": "Administrative procedure reform"},
    {"slug": "cai-cach-to-chuc-bo-may", "vi": "Cải cách tổ chức bộ máy", "en": "Reform of the administrative apparatus"},
    {"slug": "cai-cach-che-do-cong-vu", "vi": "Cải cách chế độ công vụ", "en": "Civil service reform"},
    {"slug": "cai-cach-tai-chinh-cong", "vi": "Cải cách tài chính công", "en": "Public finance reform"},
    {"slug": "chinh-phu-dien-tu-chinh-phu-so", "vi": "Xây dựng Chính phủ điện tử, Chính phủ số", "en": "E-government and digital government"},
]

STRINGS: dict[str, dict[str, str]] = {
    "news": {"vi": "Tin tức CCHC", "en": "Reform news"},
    "news.all": {"vi": "Tất cả tin bài", "en": "All news"},
    "news.latest": {"vi": "Tin mới nhất", "en": "Latest news"},
    "news.category": {"vi": "Chuyên mục", "en": "Category"},
    "news.categories": {"vi": "Chuyên mục", "en": "Categories"},
    "news.archive": {"vi": "Lưu trữ", "en": "Archive"},
    "news.archive_year": {"vi": "Tin bài năm {year}", "en": "News of {year}"},
    "news.empty": {"vi": "Chưa có tin bài nào.", "en": "No news yet."},
    "news.read_more": {"vi": "Đọc tiếp", "en": "Read more"},
    "news.read_more_about": {"vi": "Đọc tiếp: {title}", "en": "Read more: {title}"},
    "news.published": {"vi": "Đăng ngày", "en": "Published"},
    "news.updated": {"vi": "Cập nhật", "en": "Updated"},
    "news.change_note": {"vi": "Nội dung cập nhật", "en": "What changed"},
    "news.author": {"vi": "Tác giả", "en": "Author"},
    "news.unit": {"vi": "Đơn vị", "en": "Department"},
    "news.source": {"vi": "Nguồn", "en": "Source"},
    "news.reading_time": {"vi": "{minutes} phút đọc", "en": "{minutes} min read"},
    "news.tags": {"vi": "Từ khoá", "en": "Tags"},
    "news.related_procedures": {"vi": "Thủ tục hành chính liên quan", "en": "Related procedures"},
    "news.fulfils": {"vi": "Thực hiện", "en": "Part of"},
    "news.task": {"vi": "nhiệm vụ", "en": "task"},
    "news.kind.tin": {"vi": "Tin", "en": "News"},
    "news.kind.bai": {"vi": "Bài viết", "en": "Article"},
    "news.kind.thong_bao": {"vi": "Thông báo", "en": "Notice"},
    "news.kind.van_ban": {"vi": "Văn bản", "en": "Document"},
    "news.kind.anh": {"vi": "Phóng sự ảnh", "en": "Photo story"},
    "news.kind.video": {"vi": "Video", "en": "Video"},
    "pagination": {"vi": "Phân trang", "en": "Pagination"},
    "pagination.prev": {"vi": "Trang trước", "en": "Previous page"},
    "pagination.next": {"vi": "Trang sau", "en": "Next page"},
    "pagination.page": {"vi": "Trang {page}", "en": "Page {page}"},
    "pagination.page_of": {"vi": "Trang {page}/{pages}", "en": "Page {page} of {pages}"},
    "breadcrumb": {"vi": "Bạn đang ở", "en": "You are here"},
    "home": {"vi": "Trang chủ", "en": "Home"},
    "unit.parent": {"vi": "Cơ quan chủ quản", "en": "Parent body"},
    "unit.address": {"vi": "Địa chỉ", "en": "Address"},
    "unit.phone": {"vi": "Điện thoại", "en": "Phone"},
    "unit.hotline": {"vi": "Đường dây nóng", "en": "Hotline"},
    "unit.email": {"vi": "Thư điện tử", "en": "E-mail"},
    "unit.website": {"vi": "Trang thông tin điện tử", "en": "Website"},
    "unit.hours": {"vi": "Giờ làm việc", "en": "Opening hours"},
    "unit.spokesperson": {"vi": "Đầu mối cung cấp thông tin", "en": "Contact point"},
    "unit.feedback": {"vi": "Phản ánh, kiến nghị về quy định hành chính", "en": "Feedback on administrative rules"},
    "unit.feedback_short": {"vi": "Phản ánh, kiến nghị", "en": "Feedback"},
    "unit.portal": {"vi": "Cổng thông tin CCHC tỉnh", "en": "Provincial reform portal"},
    "unit.public_service_portal": {"vi": "Cổng dịch vụ công", "en": "Public service portal"},
    "unit.contact": {"vi": "Liên hệ – góp ý", "en": "Contact and feedback"},
    "footer.section": {"vi": "Chuyên mục Cải cách hành chính", "en": "Administrative reform section"},
    "i18n.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "i18n.name.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "i18n.name.en": {"vi": "English", "en": "English"},
    "i18n.only_vi": {"vi": "Chỉ có bằng tiếng Việt", "en": "Available in Vietnamese only"},
    "i18n.only_vi_body": {"vi": "Nội dung này chưa được dịch.", "en": "This item has not been translated yet."},
    "i18n.read_in_vi": {"vi": "Đọc bản tiếng Việt", "en": "Read it in Vietnamese"},
}


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    texts = STRINGS.get(key)
    if texts is None:
        raise KeyError(f"interface string {key!r} is not defined in cchc/i18n.py")
    text = texts.get(lang) or texts[DEFAULT_LANG]
    return text.format(**params) if params else text


def register_strings(strings: dict[str, dict[str, str]]) -> None:
    """Modules add their interface strings here (each needs a Vietnamese text)."""
    for key, texts in strings.items():
        if DEFAULT_LANG not in texts:
            raise ValueError(f"interface string {key!r} needs a Vietnamese text")
        STRINGS[key] = texts
