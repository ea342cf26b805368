"""News items (tin, bài): Markdown files with YAML front matter.

The front matter schema follows shared/domain.md §6c. Field names are those of
the national conventions and of the team's data model; every field has a
Vietnamese description, which editors show on hover through the exported JSON
Schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Optional

from pydantic import Field, field_validator

from ..modeling import Markdown, Model, Slug, Text, TthcCode, Url, VnDate, VnDateTime
from ..yamlsrc import Located

NewsKind = Literal["tin", "bai", "thong_bao", "van_ban", "anh", "video"]


class Image(Model):
    src: Text = Field(description="Đường dẫn tệp ảnh tính từ tệp bài viết, ví dụ 'anh/hop-giao-ban.jpg'")
    alt: Text = Field(description="Mô tả thay thế: một câu ngắn nói ảnh có gì (cho người khiếm thị và khi ảnh không tải được)")
    caption: Optional[Text] = Field(None, description="Chú thích ảnh hiện dưới ảnh")


class Source(Model):
    ten: Text = Field(description="Tên nguồn, ví dụ 'Cổng thông tin Sở Y tế'")
    url: Optional[Url] = Field(None, description="Địa chỉ bài gốc")


class PlanRef(Model):
    ke_hoach: Text = Field(description="Mã kế hoạch (trường id trong tệp plans/*.yml), ví dụ 'kh-tt-cchc-2026'")
    nhiem_vu: Optional[Text] = Field(None, description="Số thứ tự nhiệm vụ như trong phụ lục kế hoạch, ví dụ '1.1'")


class PortalSubmission(Model):
    cong: Text = Field(description="Cổng nhận tin, ví dụ 'Cổng thông tin CCHC thành phố Đà Nẵng'")
    ngay_gui: Optional[VnDate] = Field(None, description="Ngày gửi, ví dụ 2026-03-10")
    trang_thai: Literal["chua_gui", "da_gui", "da_dang", "tu_choi"] = Field(
        "chua_gui", description="chua_gui (chưa gửi) | da_gui (đã gửi) | da_dang (cổng đã đăng) | tu_choi (bị từ chối)"
    )
    url_da_dang: Optional[Url] = Field(None, description="Địa chỉ bài trên cổng, khi đã đăng")


class NewsFrontMatter(Model):
    """Front matter of a news item (tin, bài) in content/tin-tuc/."""

    title: Text = Field(max_length=250, description="Tiêu đề tin bài")
    date: VnDateTime = Field(description="Ngày giờ đăng (giờ Việt Nam), ví dụ 2026-03-05 08:30. Ngày trong tương lai: tin tự hiện vào ngày đó")
    summary: Text = Field(max_length=600, description="Sapo: 1–3 câu tóm tắt, hiện ở danh sách tin và trong RSS")
    chuyen_muc: list[Slug] = Field(min_length=1, description="Chuyên mục (một hoặc nhiều), ví dụ [cai-cach-thu-tuc-hanh-chinh]")
    loai: NewsKind = Field("tin", description="tin | bai | thong_bao | van_ban | anh | video")
    slug: Optional[Slug] = Field(None, description="Đường dẫn không dấu; bỏ trống để tự tạo từ tiêu đề")
    id: Optional[Text] = Field(None, description="Mã định danh cố định của tin (do lệnh 'cchc new' tạo). Không sửa, không xoá")
    updated: Optional[VnDateTime] = Field(None, description="Ngày giờ cập nhật nội dung, nếu có sửa sau khi đăng")
    change_note: Optional[Text] = Field(None, description="Ghi chú nội dung đã sửa (bắt buộc khi có 'updated')")
    tags: list[Text] = Field([], description="Từ khoá, ví dụ [dịch vụ công trực tuyến, BHYT]")
    image: Optional[Image] = Field(None, description="Ảnh đại diện: src, alt (bắt buộc), caption")
    author: Optional[Text] = Field(None, description="Tác giả (người viết)")
    don_vi: Optional[Text] = Field(None, description="Khoa, phòng thực hiện, ví dụ 'Phòng Tổ chức – Hành chính'")
    nguon: Optional[Source] = Field(None, description="Nguồn, khi đăng lại tin của cơ quan khác")
    tthc_lien_quan: list[TthcCode] = Field([], description="Mã các thủ tục hành chính liên quan, ví dụ ['1.014331']")
    ke_hoach: list[PlanRef] = Field([], description="Nhiệm vụ kế hoạch mà tin này thực hiện")
    gui_cong: list[PortalSubmission] = Field([], description="Gửi tin lên cổng CCHC của tỉnh/thành phố")
    rss: bool = Field(True, description="false: không đưa tin này vào nguồn tin RSS")
    draft: bool = Field(False, description="true: bản nháp, chưa đăng")

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, v: list[str]) -> list[str]:
        seen, out = set(), []
        for tag in v:
            if tag.lower() not in seen:
                seen.add(tag.lower())
                out.append(tag)
        return out



@dataclass
class NewsItem:
    """A loaded news item: validated front matter plus what the build derives."""

    meta: NewsFrontMatter
    source: str  # path as shown in messages, e.g. "content/tin-tuc/2026-03-05-hop.md"
    docs_path: str  # docs-relative path, e.g. "tin-tuc/2026-03-05-hop.md"
    body: str
    body_line: int
    lines: Located
    lang: str
    slug: str
    url: str
    uid: str  # permanent identifier (feeds): front matter id, else derived from the source path
    visible: bool = False  # published: not a draft and not dated in the future
    # The converted body (cchc.mdrender.RenderResult, `html`): its HTML is decoded from the
    # build cache only for the pages and feeds that show it.
    rendered: Any = None
    words: int = 0  # words of the body's text (reading time), counted when it is converted
    image_url: Optional[str] = None  # site-relative path of the image file
    image_path: Optional[str] = None  # absolute path of the image file
    # The procedures it names, as their pages show them (filled by link()): copies, not the
    # entries, so that a page showing this item does not reach every procedure and, through
    # their own news, every item (page keys follow references: cchc.buildcache).
    related: list = field(default_factory=list)  # [cchc.site.ItemLink]
    translations: dict = field(default_factory=dict)  # lang -> the same item in that language
    untranslated_of: Optional["NewsItem"] = None  # set on the notice page of an untranslated item

    # Convenience accessors used by templates and other modules.
    @property
    def html(self) -> str:
        return self.rendered.html if self.rendered is not None else ""

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def date(self) -> datetime:
        return self.meta.date

    @property
    def updated(self) -> Optional[datetime]:
        return self.meta.updated

    @property
    def last_modified(self) -> datetime:
        return self.meta.updated or self.meta.date

    @property
    def summary(self) -> str:
        return self.meta.summary

    @property
    def chuyen_muc(self) -> list[str]:
        return self.meta.chuyen_muc

    @property
    def tags(self) -> list[str]:
        return self.meta.tags

    @property
    def loai(self) -> str:
        return self.meta.loai

    @property
    def ke_hoach(self) -> list[PlanRef]:
        return self.meta.ke_hoach

    @property
    def gui_cong(self) -> list[PortalSubmission]:
        return self.meta.gui_cong

    @property
    def tthc_lien_quan(self) -> list[str]:
        return self.meta.tthc_lien_quan

    @property
    def author(self) -> Optional[str]:
        return self.meta.author

    @property
    def don_vi(self) -> Optional[str]:
        return self.meta.don_vi

    @property
    def year(self) -> int:
        return self.meta.date.year

    @property
    def reading_minutes(self) -> int:
        # Vietnamese words are syllables; ~230 syllables a minute for news prose.
        return max(1, round(self.words / 230))

    @property
    def for_portal(self) -> bool:
        """Marked for the provincial CCHC portal (any submission entry)."""
        return bool(self.meta.gui_cong)
