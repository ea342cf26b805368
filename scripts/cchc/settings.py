"""Site settings and the unit's identity, read from the `cchc` plugin entry of mkdocs.yml.

The unit's identity (name, parent body, address, phones, feedback channels, the
provincial portal) is written once here and shown in every page footer and on the
contact page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import Field

from .modeling import Email, Markdown, Model, Slug, Text, Url, validate
from .problems import Problems, register_messages
from .yamlsrc import Located, load_yaml, read_text


class Link(Model):
    ten: Text = Field(description="Tên hiển thị")
    url: Url = Field(description="Địa chỉ web đầy đủ, bắt đầu bằng https://")


class FeedbackChannel(Model):
    """One channel for phản ánh, kiến nghị (feedback on administrative rules)."""

    ten: Text = Field(description="Tên kênh, ví dụ 'Đường dây nóng của Trung tâm'")
    mo_ta: Optional[Markdown] = Field(None, description="Mô tả ngắn: tiếp nhận nội dung gì, trong giờ nào")
    dien_thoai: Optional[Text] = None
    email: Optional[Email] = None
    url: Optional[Url] = None
    dia_chi: Optional[Text] = None


class UnitTranslation(Model):
    """English values for the identity (used by the English site)."""

    ten: Optional[Text] = None
    ten_viet_tat: Optional[Text] = None
    co_quan_chu_quan: Optional[Text] = None
    dia_chi: Optional[Text] = None
    gio_lam_viec: Optional[Text] = None
    gioi_thieu: Optional[Markdown] = None
    phan_anh_kien_nghi: list[FeedbackChannel] = []


class Unit(Model):
    """The health unit that publishes the site."""

    ten: Text = Field(description="Tên đầy đủ của đơn vị, ví dụ 'Trung tâm Y tế khu vực Hòa Bình'")
    ten_viet_tat: Optional[Text] = Field(None, description="Tên viết tắt, ví dụ 'TTYT KV Hòa Bình'")
    co_quan_chu_quan: Text = Field(description="Cơ quan chủ quản, ví dụ 'Sở Y tế thành phố Đà Nẵng'")
    dia_chi: Text = Field(description="Địa chỉ trụ sở")
    dien_thoai: Optional[Text] = Field(None, description="Số điện thoại cơ quan")
    duong_day_nong: Optional[Text] = Field(None, description="Số đường dây nóng")
    email: Optional[Email] = None
    website: Optional[Url] = Field(None, description="Trang thông tin điện tử chính của đơn vị")
    gio_lam_viec: Optional[Text] = Field(None, description="Giờ làm việc, ví dụ 'Thứ Hai – Thứ Sáu, 7h00 – 17h00'")
    ma_dinh_danh: Optional[Text] = Field(None, description="Mã định danh điện tử của đơn vị (QĐ 20/2020/QĐ-TTg)")
    nguoi_phat_ngon: Optional[Text] = Field(None, description="Người phát ngôn / đầu mối cung cấp thông tin: họ tên, chức vụ, điện thoại")
    gioi_thieu: Optional[Markdown] = Field(None, description="Vài dòng giới thiệu chuyên mục CCHC, hiện ở trang chủ")
    cong_cchc_tinh: Optional[Link] = Field(None, description="Cổng thông tin CCHC của tỉnh/thành phố nơi đơn vị gửi tin")
    cong_dich_vu_cong: Optional[Link] = Field(None, description="Cổng dịch vụ công nơi người dân nộp hồ sơ trực tuyến")
    phan_anh_kien_nghi: list[FeedbackChannel] = Field([], description="Các kênh tiếp nhận phản ánh, kiến nghị")
    logo: Optional[Text] = Field(None, description="Đường dẫn tệp logo trong content/, ví dụ 'assets/logo.png'")
    en: Optional[UnitTranslation] = None

    def localized(self, lang: str) -> "Unit":
        """The identity with English values laid over Vietnamese ones where given."""
        if lang == "vi" or self.en is None:
            return self
        over = {k: v for k, v in self.en.model_dump().items() if v not in (None, [], "")}
        return self.model_copy(update=over)


class Category(Model):
    """A news category the unit adds to the six reform areas."""

    slug: Slug = Field(description="Đường dẫn không dấu, ví dụ 'tin-hoat-dong'")
    ten: Text = Field(description="Tên chuyên mục")
    mo_ta: Optional[Text] = None
    en: Optional[Text] = Field(None, description="Tên tiếng Anh")


class LanguageSettings(Model):
    """A second language of the site (today: English, under /en/)."""

    site_name: Text = Field(description="Tên trang bằng ngôn ngữ này, ví dụ 'Administrative reform – … Health Centre'")
    site_description: Optional[Text] = Field(None, description="Mô tả trang bằng ngôn ngữ này")
    copyright: Optional[Text] = Field(None, description="Dòng bản quyền ở chân trang, bằng ngôn ngữ này")
    untranslated: Literal["omit", "notice"] = Field(
        "omit",
        description="Tin/trang chưa dịch: omit (không hiện ở bản tiếng Anh) | notice (hiện thông báo 'chỉ có tiếng Việt' kèm liên kết)",
    )


class FeedSettings(Model):
    """RSS/Atom feeds (`feeds:`); read by cchc.feeds."""

    so_tin: int = Field(20, ge=1, le=500, description="Số tin mới nhất trong mỗi nguồn tin RSS/Atom (20–50 phù hợp đường truyền yếu)")
    ttl: int = Field(60, ge=5, le=10080, description="Số phút phần mềm đọc tin nên chờ giữa hai lần lấy tin (thẻ <ttl>)")
    tien_to_ma: Optional[Text] = Field(
        None, pattern=r"^(tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:|urn:[A-Za-z0-9-]+:)\S*$",
        description="Tiền tố mã định danh tin trong nguồn tin, ví dụ 'tag:cchc.ttyt.vn,2026:'. Bỏ trống: tag:<tên miền của site_url>,2026:. "
                    "Khi chuyển tên miền, ghi giá trị cũ vào đây để mã các tin không đổi",
    )


class Settings(Model):
    """Everything under `plugins: - cchc:` in mkdocs.yml."""

    don_vi: Unit
    chuyen_muc: list[Category] = Field([], description="Chuyên mục tin thêm vào 6 lĩnh vực CCHC")
    news_dir: Text = Field("tin-tuc", description="Thư mục tin bài trong content/; cũng là đường dẫn trên web")
    procedures_dir: Text = Field("procedures", description="Thư mục thủ tục hành chính (YAML), tính từ mkdocs.yml")
    plans_dir: Text = Field("plans", description="Thư mục kế hoạch (YAML), tính từ mkdocs.yml")
    per_page: int = Field(10, ge=1, le=100, description="Số tin mỗi trang danh sách")
    now: Optional[Text] = Field(None, description="Ghim thời điểm build (ví dụ '2026-05-01 08:00') để hai lần build giống hệt nhau")
    error_lang: Literal["vi", "en"] = Field("vi", description="Ngôn ngữ thông báo lỗi")
    feeds: FeedSettings = Field(default_factory=FeedSettings, description="Nguồn tin RSS/Atom: số tin, ttl, tiền tố mã định danh")
    tu_viet_tat: dict[Text, Text] = Field({}, description="Chữ viết tắt thêm cho ô tìm kiếm, ví dụ 'CDHA: chẩn đoán hình ảnh'; nhiều nghĩa cách nhau bằng dấu ; (đã có sẵn BHYT, TTHC, KCB…)")
    languages: dict[Literal["en"], LanguageSettings] = Field(
        {}, description="Ngôn ngữ thứ hai (en): tên trang, cách xử lý nội dung chưa dịch. Bỏ trống nếu chỉ có tiếng Việt"
    )
    raw_html_tags: list[Text] = Field(
        ["a", "abbr", "b", "br", "caption", "details", "div", "em", "figcaption", "figure", "i", "img",
         "kbd", "mark", "p", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
         "tfoot", "th", "thead", "tr", "u"],
        description="Thẻ HTML được phép viết trực tiếp trong bài (script và thuộc tính on… luôn bị từ chối)",
    )


register_messages(
    {
        "settings.missing_unit": {
            "vi": "thiếu thông tin đơn vị. Thêm mục 'don_vi:' dưới '- cchc:' trong mkdocs.yml (tên, cơ quan chủ quản, địa chỉ…).",
            "en": "the unit's identity is missing. Add 'don_vi:' under '- cchc:' in mkdocs.yml (name, parent body, address…).",
        },
    }
)


@dataclass
class ConfigSource:
    """Where the settings came from: the config file and the plugin entry in it."""

    config_file: str  # path as shown to the user
    config_dir: str  # absolute
    docs_dir: str  # absolute
    site_url: str
    site_name: str
    settings_located: Located | None
    raw_config: dict


def find_plugin_entry(config: dict) -> tuple[dict | None, tuple]:
    """The `cchc` entry of `plugins` (list or mapping form) and its location."""
    plugins = config.get("plugins")
    if isinstance(plugins, list):
        for i, item in enumerate(plugins):
            if item == "cchc":
                return {}, ("plugins", i)
            if isinstance(item, dict) and "cchc" in item:
                return item["cchc"] or {}, ("plugins", i, "cchc")
    if isinstance(plugins, dict) and "cchc" in plugins:
        return plugins["cchc"] or {}, ("plugins", "cchc")
    return None, ()


def read_config(config_file: str, problems: Problems) -> ConfigSource | None:
    """Read mkdocs.yml with line numbers (no MkDocs import), for the CLI and the plugin."""
    shown = os.path.relpath(config_file)
    if not os.path.isfile(config_file):
        problems.add(shown, None, "-", "config.missing", path=shown)
        return None
    text = read_text(config_file, shown, problems)
    if text is None:
        return None
    located = load_yaml(text, shown, problems, tolerant=True)
    if located is None or not isinstance(located.data, dict):
        return None
    cfg = located.data
    entry, loc = find_plugin_entry(cfg)
    if entry is None:
        problems.add(shown, None, "plugins", "config.no_plugin")
        return None
    sub_lines = {k[len(loc):]: v for k, v in located.lines.items() if k[: len(loc)] == loc}
    sub = Located(data=entry, path=shown, lines=sub_lines, base_line=located.line(loc))
    config_dir = os.path.dirname(os.path.abspath(config_file))
    docs_dir = os.path.join(config_dir, str(cfg.get("docs_dir") or "docs"))
    return ConfigSource(
        config_file=shown,
        config_dir=config_dir,
        docs_dir=docs_dir,
        site_url=str(cfg.get("site_url") or ""),
        site_name=str(cfg.get("site_name") or ""),
        settings_located=sub,
        raw_config=cfg,
    )


def load_settings(source: ConfigSource, problems: Problems) -> Settings | None:
    located = source.settings_located
    if located is None:
        return None
    if isinstance(located.data, dict) and "don_vi" not in located.data:
        problems.add(located.path, located.base_line, "don_vi", "settings.missing_unit")
        return None
    return validate(Settings, located, problems)
