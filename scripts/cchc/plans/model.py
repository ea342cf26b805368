"""The yearly CCHC communication plan as data (kế hoạch truyền thông CCHC năm …).

One YAML file per plan in `plans/`, shaped like the document itself so staff can
copy a signed plan section by section: header (issuing body, number, place and
date), legal bases (căn cứ), numbered sections with their narrative, tasks where
the plan writes them (inside a section, or in an appendix table), the signer and
the recipients (nơi nhận). Quotas (chỉ tiêu) are the machine-checkable part:
which channel, how many, per which period, which items count.

Evidence of work this site does not publish (Facebook posts, printed leaflets,
videos, training sessions) lives beside the plans, in `plans/minh-chung/*.yml`,
one record per product, so the progress page and the quarterly report are
complete without editing the signed plan.

Field names follow shared/domain.md §6b where the seed plans agree with it; where
a real plan needed more (a date with the day left blank, several lead
departments, sub-rows in the appendix, tasks written inside a section, several
appendices), the model follows the plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Optional

from pydantic import (AfterValidator, BeforeValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler, TypeAdapter,
                      model_validator)
from pydantic_core import PydanticCustomError, core_schema

from .. import timeutil
from ..modeling import LazyJsonSchema, Markdown, Model, Slug, Text, Url, VnDate, json_schema, pattern
from ..procedures.overlay import keep
from ..text import clean_line, fold

# --- vocabularies ------------------------------------------------------------

Kenh = Literal[
    "website_don_vi",  # this site: published news items count automatically
    "cong_cchc_tinh",  # the provincial CCHC portal: news items with a gui_cong entry
    "cong_so_y_te",  # the Sở Y tế portal: news items with a gui_cong entry
    "mang_xa_hoi",  # Facebook page, Zalo OA, TikTok…
    "phat_thanh_truyen_hinh",  # radio and television (DRT "Sức khỏe cho mọi nhà")
    "bao_chi",  # newspapers, magazines, the sector bulletin
    "an_pham",  # printed material: leaflets, posters, banners, printed items
    "tap_huan_hoi_nghi",  # training sessions, conferences, contests
    "truc_tiep",  # face to face: at the reception desk, patients' council meetings
    "khac",
]
KENH_VALUES: tuple[str, ...] = Kenh.__args__  # type: ignore[attr-defined]
PORTAL_CHANNELS = ("cong_cchc_tinh", "cong_so_y_te")

LoaiSanPham = Literal[
    "tin", "bai", "thong_bao", "van_ban", "anh", "video",  # the kinds of news items (loai)
    "audio", "infographic", "to_gap", "pano_ap_phich", "an_pham", "vat_dung",
    "tap_huan", "hoi_nghi", "hoi_thi", "khac",
]
LOAI_VALUES: tuple[str, ...] = LoaiSanPham.__args__  # type: ignore[attr-defined]

ChuKy = Literal["tuan", "thang", "quy", "nua_nam", "nam", "khoang"]


def _listify(v: Any) -> Any:
    """A single value where a list is expected: "Phòng TC-HC" -> ["Phòng TC-HC"]."""
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        return [v]
    return v


def one_or_many(item: Any) -> Any:
    """A list field that also accepts a single value, in the model and in the JSON Schema."""
    def schema() -> dict:
        item_schema = TypeAdapter(item).json_schema()
        return {"anyOf": [item_schema, {"type": "array", "items": item_schema}]}

    return Annotated[list[item], BeforeValidator(_listify), LazyJsonSchema(schema)]


def _stt_before(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = str(v)
    if isinstance(v, str):
        v = clean_line(v).rstrip(".")
    return v


_STT_RX = re.compile(r"[0-9A-Za-zđĐ]+(?:[.\-/][0-9A-Za-zđĐ]+)*")


def _stt_check(v: str) -> str:
    if not _STT_RX.fullmatch(v):
        raise PydanticCustomError("plans.stt_pattern", "stt", {"value": v})
    return v


Stt = Annotated[str, BeforeValidator(_stt_before), AfterValidator(_stt_check)]
"""A task number as the plan writes it: "1", "1.1", "II.3", "2.a"."""

MaChiTieu = pattern(r"[A-Za-z0-9][A-Za-z0-9._\-]*", "plans.quota_code_pattern")


# --- a date whose day may be left blank ----------------------------------------


@dataclass(frozen=True)
class NgayVanBan:
    """A document date, possibly with the day left blank ("ngày    tháng 3 năm 2026").

    Draft and unsigned copies leave the day (and the number) to be filled in by
    the records office; the published copy of seed plan 000 is one.
    """

    year: int
    month: int
    day: Optional[int] = None

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, self.day or 1)

    @property
    def complete(self) -> bool:
        return self.day is not None

    def as_date(self) -> Optional[date]:
        return date(self.year, self.month, self.day) if self.day else None

    def long(self, lang: str = "vi") -> str:
        """"ngày 09 tháng 9 năm 2025", or "ngày    tháng 3 năm 2026" with the day blank."""
        if self.day:
            return timeutil.format_date_long(date(self.year, self.month, self.day), lang)
        if lang == "en":
            import calendar

            return f"{calendar.month_name[self.month]} {self.year}"
        month = f"{self.month:02d}" if self.month <= 2 else str(self.month)
        return f"ngày\u2003\u2003tháng {month} năm {self.year}"

    def short(self, lang: str = "vi") -> str:
        if self.day:
            return timeutil.format_date(date(self.year, self.month, self.day), lang)
        return f"…/{self.month:02d}/{self.year}" if lang == "vi" else f"{self.month:02d}/{self.year}"

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    @classmethod
    def parse(cls, v: Any) -> "NgayVanBan":
        if isinstance(v, NgayVanBan):
            return v
        if isinstance(v, date):
            return cls(v.year, v.month, v.day)
        if not isinstance(v, str):
            raise PydanticCustomError("plans.doc_date", "date", {"value": repr(v)})
        text = clean_line(v)
        folded = fold(text)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", folded)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
        else:
            m = re.fullmatch(r"(?:ngay\s*)?(?:\.*\s*)?(?:thang\s*)?(\d{1,2})\s*(?:/|nam)\s*(\d{4})", folded)
            if m:
                mo, y = int(m.group(1)), int(m.group(2))
            else:
                m = re.fullmatch(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})", folded)
                if m:
                    try:
                        return cls.parse(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
                    except ValueError:
                        raise PydanticCustomError("plans.doc_date", "date", {"value": text}) from None
                try:
                    return cls.parse(timeutil.parse_date(text))
                except timeutil.DateFormatError:
                    raise PydanticCustomError("plans.doc_date", "date", {"value": text}) from None
        if not 1 <= mo <= 12:
            raise PydanticCustomError("plans.doc_date", "date", {"value": text})
        return cls(y, mo, None)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda d: d.iso())
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema, handler: GetJsonSchemaHandler):
        # No pattern: the build reads more forms ("ngày 09 tháng 9 năm 2025", unaccented
        # text from scans) than a regular expression should promise.
        return {"type": "string", "examples": ["2026-03-05", "05/03/2026", "03/2026"]}


# --- the plan -------------------------------------------------------------------


class NguoiKy(Model):
    """The signer, as in the signature block."""

    ho_ten: Text = Field(description="Họ và tên người ký, ví dụ 'Ngô Văn Đình Hoài'")
    chuc_vu: Optional[Text] = Field(None, description="Chức vụ in trên chữ ký, ví dụ 'GIÁM ĐỐC' hoặc 'PHÓ GIÁM ĐỐC'")
    ky_thay: Optional[Text] = Field(None, description="Dòng thẩm quyền ký thay, ví dụ 'KT. GIÁM ĐỐC'")


def _van_ban_before(v: Any) -> Any:
    # A legal basis written as one sentence stays one sentence.
    if isinstance(v, str):
        return {"van_ban": v}
    return v


class VanBan(Model):
    """A legal basis (căn cứ): a higher-level plan, decision or directive."""

    dong_tu: Text = Field("Căn cứ", description="Từ mở đầu như văn bản viết: 'Căn cứ' hoặc 'Thực hiện'")
    loai: Optional[Text] = Field(None, description="Loại văn bản: 'Kế hoạch', 'Quyết định', 'Chỉ thị'…")
    so_ky_hieu: Optional[Text] = Field(None, description="Số, ký hiệu như văn bản viết, ví dụ '1289/KH-SYT'")
    ngay: Optional[VnDate] = Field(None, description="Ngày ban hành, ví dụ 2026-02-06")
    co_quan: Optional[Text] = Field(None, description="Cơ quan ban hành, ví dụ 'Sở Y tế thành phố Đà Nẵng'")
    trich_yeu: Optional[Text] = Field(None, description="Trích yếu, bắt đầu bằng 'về…', như văn bản viết")
    url: Optional[Url] = Field(None, description="Địa chỉ văn bản trên mạng (nếu có)")
    van_ban: Optional[Text] = Field(
        None, description="Cả câu căn cứ như văn bản viết, khi không tách ra từng phần (số, ngày, cơ quan…)"
    )

    @model_validator(mode="after")
    def _something(self):
        if not self.van_ban and not self.so_ky_hieu:
            raise PydanticCustomError("plans.legal_basis_empty", "empty")
        return self


CanCu = Annotated[
    VanBan,
    BeforeValidator(_van_ban_before),
    LazyJsonSchema(lambda: {"anyOf": [{"type": "string", "description": "Cả câu căn cứ như văn bản viết"},
                                      TypeAdapter(VanBan).json_schema()]}),
]


class NhiemVu(Model):
    """A task: a row of the appendix table, or a task written inside a section."""

    stt: Stt = Field(description="Số thứ tự như kế hoạch ghi, ví dụ '1.1'; với gạch đầu dòng không đánh số, ghi số mục kèm thứ tự, ví dụ 'II.3.1'")
    noi_dung: Markdown = Field(description="Nội dung hoạt động, như kế hoạch viết")
    san_pham: Optional[Text] = Field(None, description="Thể loại / sản phẩm, ví dụ 'Tin, bài', 'Tờ gấp', 'Video clip'")
    so_luong: Optional[Text] = Field(None, description="Số lượng như kế hoạch viết, ví dụ '5' hoặc '01/5.000' (loại/bản)")
    tan_suat: Optional[Text] = Field(None, description="Tần suất như kế hoạch viết, ví dụ '02 bài/năm'")
    don_vi_chu_tri: one_or_many(Text) = Field(
        [], description="Đơn vị chủ trì (một hoặc nhiều), ví dụ ['Phòng TC-HC', 'Phòng KH-NV']"
    )
    don_vi_phoi_hop: one_or_many(Text) = Field(
        [], description="Đơn vị phối hợp, ví dụ ['Các khoa, phòng, trạm y tế']"
    )
    thoi_gian: Optional[Text] = Field(
        None,
        description=(
            "Thời gian thực hiện như kế hoạch viết, ví dụ 'Hàng tháng', 'Quý II-III/2026', 'Trước 15/03/2026', "
            "'Hoàn thành trước tháng 10/2026', 'Thường xuyên', 'Khi có yêu cầu', "
            "'Trong vòng 15 ngày kể từ ngày ban hành Kế hoạch số 1289/KH-SYT'"
        ),
    )
    ghi_chu: Optional[Text] = Field(None, description="Ghi chú")
    nhiem_vu: list["NhiemVu"] = Field([], description="Các dòng con (ví dụ 1.1, 1.2 dưới dòng 1)")


class Muc(Model):
    """A numbered section of the plan (I. MỤC ĐÍCH, YÊU CẦU …), possibly with sub-sections."""

    so: Optional[Text] = Field(None, description="Số mục như văn bản viết: 'I', '1', 'a)'")
    tieu_de: Text = Field(description="Tiêu đề mục, ví dụ 'MỤC ĐÍCH, YÊU CẦU'")
    noi_dung: Optional[Markdown] = Field(None, description="Nội dung (Markdown)")
    nhiem_vu: list[NhiemVu] = Field([], description="Nhiệm vụ được viết trong mục này (có thời gian, đơn vị chủ trì…)")
    muc: list["Muc"] = Field([], description="Các mục con")


class PhuLuc(Model):
    """An appendix (phụ lục): the table of tasks and quotas."""

    tieu_de: Text = Field(description="Tiêu đề phụ lục, ví dụ 'MỘT SỐ CHỈ TIÊU CHỦ YẾU VỀ TRUYỀN THÔNG CCHC NĂM 2026'")
    ghi_chu: Optional[Text] = Field(None, description="Dòng ghi chú dưới tiêu đề, ví dụ '(Ban hành kèm theo Kế hoạch số …)'")
    nhiem_vu: list[NhiemVu] = Field(min_length=1, description="Các dòng của bảng")


class BoLoc(Model):
    chuyen_muc: one_or_many(Slug) = Field(
        [], description="Chỉ tính tin thuộc một trong các chuyên mục này"
    )
    tags: one_or_many(Text) = Field([], description="Chỉ tính tin có một trong các từ khoá này")


class ChiTieu(Model):
    """A quota the build checks: at least N products on a channel per period."""

    ma: MaChiTieu = Field(description="Mã chỉ tiêu, duy nhất trong kế hoạch, ví dụ 'CT1.1'")
    mo_ta: Text = Field(description="Chỉ tiêu như kế hoạch viết, ví dụ 'Tối thiểu 05 tin, bài mỗi tháng trên Website của Trung tâm'")
    kenh: Kenh = Field(description="Kênh: " + " | ".join(KENH_VALUES))
    so_luong_toi_thieu: int = Field(ge=1, description="Số sản phẩm tối thiểu mỗi kỳ")
    chu_ky: ChuKy = Field(description="Kỳ tính: tuan | thang | quy | nua_nam | nam | khoang (cả khoảng tu_ngay – den_ngay là một kỳ)")
    nhiem_vu: one_or_many(Stt) = Field(
        [], description="Số thứ tự nhiệm vụ mà chỉ tiêu này đo, ví dụ ['1.1']. Có ghi: chỉ tính tin/minh chứng gắn với nhiệm vụ đó"
    )
    loai_noi_dung: one_or_many(LoaiSanPham) = Field(
        [], description="Chỉ tính các loại sản phẩm này: " + " | ".join(LOAI_VALUES)
    )
    bo_loc: Optional[BoLoc] = Field(None, description="Chỉ tính tin bài thuộc chuyên mục / có từ khoá (minh chứng không có chuyên mục nên không được tính)")
    cong: Optional[Text] = Field(None, description="Kênh cổng: tên hoặc tên miền của cổng nhận tin, ví dụ 'cchc.danang.gov.vn'")
    chi_tinh_da_dang: bool = Field(False, description="Kênh cổng: true = chỉ tính tin cổng đã đăng (da_dang), không tính tin mới gửi")
    so_ban_toi_thieu: Optional[int] = Field(None, ge=1, description="Ấn phẩm: số bản in tối thiểu (ví dụ 5000 của '01/5.000')")
    tu_ngay: Optional[VnDate] = Field(None, description="Bắt đầu tính từ ngày (mặc định: đầu kỳ kế hoạch)")
    den_ngay: Optional[VnDate] = Field(None, description="Tính đến ngày (mặc định: cuối kỳ kế hoạch); với 'Hoàn thành trước tháng 10/2026' ghi 2026-09-30")


class TepDinhKem(Model):
    ten: Text = Field(description="Tên hiển thị, ví dụ 'Bản ký số (PDF)'")
    tep: Optional[Text] = Field(None, description="Đường dẫn tệp trong content/, ví dụ 'tai-lieu/kh-45-2026.pdf'")
    url: Optional[Url] = Field(None, description="Hoặc địa chỉ web của tệp")

    @model_validator(mode="after")
    def _one(self):
        if not self.tep and not self.url:
            raise PydanticCustomError("plans.attachment_empty", "empty")
        return self


class KeHoach(Model):
    """A yearly CCHC communication plan (plans/<id>.yml)."""

    id: Slug = Field(description="Mã kế hoạch, chữ thường không dấu, ví dụ 'kh-tt-cchc-2026'; tin bài ghi mã này trong 'ke_hoach'")
    ten: Text = Field(description="Tên kế hoạch (trích yếu) như văn bản viết, ví dụ 'Truyền thông công tác cải cách hành chính năm 2026'")
    nam: int = Field(ge=2000, le=2100, description="Năm của kế hoạch")
    so_ky_hieu: Optional[Text] = Field(None, description="Số, ký hiệu như văn bản ghi, ví dụ '85/KH-YTTMR' (bản chưa vào số: '/KH-YTST')")
    loai_van_ban: Text = Field("KẾ HOẠCH", description="Tên loại văn bản ở đầu trang")
    co_quan_chu_quan: Optional[Text] = Field(None, description="Cơ quan cấp trên ở góc trái, ví dụ 'SỞ Y TẾ TỈNH QUẢNG NGÃI'")
    don_vi_ban_hanh: Text = Field(description="Đơn vị ban hành, ví dụ 'Trung tâm Y tế khu vực Sơn Trà'")
    dia_danh: Optional[Text] = Field(None, description="Địa danh trước ngày tháng, ví dụ 'An Hải'")
    ngay_ban_hanh: NgayVanBan = Field(description="Ngày ban hành, ví dụ 2025-09-09; bản chưa ghi ngày: '03/2026' (tháng/năm)")
    tu_ngay: Optional[VnDate] = Field(None, description="Kế hoạch áp dụng từ ngày (mặc định 01/01 của năm)")
    den_ngay: Optional[VnDate] = Field(None, description="Kế hoạch áp dụng đến ngày (mặc định 31/12 của năm)")
    can_cu: list[CanCu] = Field([], description="Các căn cứ: văn bản cấp trên (số ký hiệu, ngày, cơ quan, trích yếu) hoặc cả câu như văn bản viết")
    mo_dau: Optional[Markdown] = Field(None, description="Đoạn mở đầu sau các căn cứ")
    phan: list[Muc] = Field([], description="Các mục của kế hoạch: I. Mục đích, yêu cầu; II. Nội dung…")
    ket_thuc: Optional[Markdown] = Field(None, description="Đoạn kết, ví dụ 'Trên đây là Kế hoạch…'")
    nguoi_ky: Optional[NguoiKy] = Field(None, description="Người ký: ho_ten, chuc_vu, ky_thay")
    noi_nhan: list[Text] = Field([], description="Nơi nhận, mỗi nơi một dòng")
    phu_luc: list[PhuLuc] = Field([], description="Các phụ lục (bảng nhiệm vụ, chỉ tiêu)")
    chi_tieu: list[ChiTieu] = Field([], description="Chỉ tiêu kiểm tra được: kênh, số lượng tối thiểu, kỳ tính, sản phẩm nào được tính")
    tep_dinh_kem: list[TepDinhKem] = Field([], description="Tệp đính kèm: bản ký số (PDF)…")
    draft: bool = Field(False, description="true: bản nháp, chưa đăng lên trang")

    @property
    def start(self) -> date:
        return self.tu_ngay or date(self.nam, 1, 1)

    @property
    def end(self) -> date:
        return self.den_ngay or date(self.nam, 12, 31)

    def all_tasks(self) -> list[tuple[NhiemVu, tuple, Optional[NhiemVu]]]:
        """Every task with its location in the YAML and its parent row."""
        out: list = []

        def walk(tasks, loc, parent):
            for i, t in enumerate(tasks):
                out.append((t, loc + (i,), parent))
                walk(t.nhiem_vu, loc + (i, "nhiem_vu"), t)

        def walk_sections(sections, loc):
            for i, m in enumerate(sections):
                walk(m.nhiem_vu, loc + (i, "nhiem_vu"), None)
                walk_sections(m.muc, loc + (i, "muc"))

        walk_sections(self.phan, ("phan",))
        for i, p in enumerate(self.phu_luc):
            walk(p.nhiem_vu, ("phu_luc", i, "nhiem_vu"), None)
        return out


NhiemVu.model_rebuild()
Muc.model_rebuild()


# --- evidence ----------------------------------------------------------------------


class MinhChung(Model):
    """One product made for the plan outside this site (or before it existed)."""

    ngay: VnDate = Field(description="Ngày đăng / phát hành / tổ chức, ví dụ 2026-04-03")
    kenh: Kenh = Field(description="Kênh: " + " | ".join(KENH_VALUES))
    loai: LoaiSanPham = Field(description="Loại sản phẩm: " + " | ".join(LOAI_VALUES))
    mo_ta: Text = Field(description="Tên, mô tả ngắn sản phẩm, ví dụ 'Bài đăng Fanpage: Hướng dẫn đặt lịch khám trực tuyến'")
    nhiem_vu: Optional[Stt] = Field(None, description="Số thứ tự nhiệm vụ trong kế hoạch, ví dụ '1.2'")
    so_luong: int = Field(1, ge=1, description="Số sản phẩm mà dòng này ghi nhận (mặc định 1)")
    so_ban: Optional[int] = Field(None, ge=1, description="Ấn phẩm: số bản in / phát hành, ví dụ 5000")
    url: Optional[Url] = Field(None, description="Địa chỉ bài đăng / video (nếu có)")
    tep: Optional[Text] = Field(None, description="Tệp minh chứng trong content/, ví dụ 'tai-lieu/to-gap-dvc.pdf'")
    ghi_chu: Optional[Text] = None


class TepMinhChung(Model):
    """A file of evidence records: plans/minh-chung/<name>.yml."""

    ke_hoach: Slug = Field(description="Mã kế hoạch (trường id của tệp plans/*.yml)")
    minh_chung: list[MinhChung] = Field(min_length=1, description="Các minh chứng, mỗi sản phẩm (hoặc nhóm sản phẩm cùng ngày) một mục")


# --- the English (or other) version: plans/<id>.en.yml ---------------------------------------
#
# The title and a summary, and, if the unit wishes, the document's words in the same
# structure (sections, tasks, appendix rows, quotas' descriptions). Numbers, dates,
# quotas' figures and task numbers come from the Vietnamese file (procedures/overlay.py
# lays one over the other); a list has as many entries as the Vietnamese one, in the
# same order, and `- ~` keeps an entry in Vietnamese.


class NhiemVuTr(Model):
    stt: Optional[Any] = keep("số thứ tự nhiệm vụ")
    noi_dung: Optional[Markdown] = Field(None, description="Nội dung hoạt động đã dịch")
    san_pham: Optional[Text] = None
    so_luong: Optional[Text] = None
    tan_suat: Optional[Text] = None
    don_vi_chu_tri: one_or_many(Optional[Text]) = Field([], description="Đơn vị chủ trì đã dịch, cùng số mục")
    don_vi_phoi_hop: one_or_many(Optional[Text]) = Field([], description="Đơn vị phối hợp đã dịch, cùng số mục")
    thoi_gian: Optional[Text] = Field(None, description="Thời gian thực hiện, bằng lời (hệ thống vẫn tính hạn theo bản tiếng Việt)")
    ghi_chu: Optional[Text] = None
    nhiem_vu: list[Optional["NhiemVuTr"]] = []


class MucTr(Model):
    so: Optional[Any] = keep("số mục")
    tieu_de: Optional[Text] = Field(None, description="Tiêu đề mục đã dịch, ví dụ 'PURPOSE AND REQUIREMENTS'")
    noi_dung: Optional[Markdown] = None
    nhiem_vu: list[Optional[NhiemVuTr]] = []
    muc: list[Optional["MucTr"]] = []


class PhuLucTr(Model):
    tieu_de: Optional[Text] = None
    ghi_chu: Optional[Text] = None
    nhiem_vu: list[Optional[NhiemVuTr]] = []


class ChiTieuTr(Model):
    ma: Optional[Any] = keep("mã chỉ tiêu")
    mo_ta: Optional[Text] = Field(None, description="Chỉ tiêu đã dịch, ví dụ '5 news items or articles a month on the Centre's website'")


class NguoiKyTr(Model):
    chuc_vu: Optional[Text] = Field(None, description="Chức vụ đã dịch, ví dụ 'DIRECTOR'")
    ky_thay: Optional[Text] = None


class TepDinhKemTr(Model):
    ten: Optional[Text] = None


class VanBanTr(Model):
    so_ky_hieu: Optional[Any] = keep("số, ký hiệu")
    dong_tu: Optional[Text] = Field(None, description="Từ mở đầu đã dịch: 'Pursuant to', 'Implementing'")
    loai: Optional[Text] = Field(None, description="Loại văn bản đã dịch: 'Plan', 'Decision'")
    co_quan: Optional[Text] = None
    trich_yeu: Optional[Text] = None
    van_ban: Optional[Text] = Field(None, description="Cả câu căn cứ đã dịch")


CanCuTr = Annotated[
    VanBanTr,
    BeforeValidator(_van_ban_before),
    LazyJsonSchema(lambda: {"anyOf": [{"type": "string", "description": "Cả câu căn cứ đã dịch"},
                                      TypeAdapter(VanBanTr).json_schema()]}),
]


class KeHoachTranslation(Model):
    """The translation of a plan (plans/<id>.en.yml): title, summary and, optionally, the words of the document."""

    ten: Text = Field(description="Tên kế hoạch đã dịch, ví dụ 'Administrative reform communication plan 2026'")
    tom_tat: Markdown = Field(description="Tóm tắt kế hoạch bằng ngôn ngữ này: mục đích, đối tượng, việc chính, chỉ tiêu (Markdown)")
    ngay_dich: Optional[VnDate] = Field(None, description="Ngày dịch hoặc cập nhật bản dịch")
    loai_van_ban: Optional[Text] = Field(None, description="Tên loại văn bản đã dịch, ví dụ 'PLAN'")
    co_quan_chu_quan: Optional[Text] = None
    don_vi_ban_hanh: Optional[Text] = None
    dia_danh: Optional[Text] = None
    can_cu: list[Optional[CanCuTr]] = Field([], description="Các căn cứ đã dịch (cả câu, hoặc từng phần), cùng số mục")
    mo_dau: Optional[Markdown] = None
    phan: list[Optional[MucTr]] = Field([], description="Các mục đã dịch, cùng số mục và thứ tự")
    ket_thuc: Optional[Markdown] = None
    nguoi_ky: Optional[NguoiKyTr] = None
    noi_nhan: list[Optional[Text]] = []
    phu_luc: list[Optional[PhuLucTr]] = []
    chi_tieu: list[Optional[ChiTieuTr]] = Field([], description="Mô tả chỉ tiêu đã dịch, cùng số mục")
    tep_dinh_kem: list[Optional[TepDinhKemTr]] = []


NhiemVuTr.model_rebuild()
MucTr.model_rebuild()


def translation_schema() -> dict:
    """JSON Schema of plans/<id>.en.yml (committed as schemas/plan-translation.schema.json)."""
    return json_schema(
        KeHoachTranslation,
        "Bản dịch kế hoạch truyền thông CCHC",
        "Bản tiếng Anh của một kế hoạch (plans/<id>.en.yml, cạnh tệp tiếng Việt): tên, tóm tắt và, nếu muốn, lời văn của "
        "các mục, nhiệm vụ, chỉ tiêu theo cùng cấu trúc; số liệu, ngày tháng lấy từ tệp tiếng Việt.",
    )


# --- JSON Schema ----------------------------------------------------------------------


def plan_schema() -> dict:
    """JSON Schema of plans/*.yml (committed as schemas/plan.schema.json)."""
    return json_schema(
        KeHoach,
        "Kế hoạch truyền thông CCHC",
        "Một kế hoạch truyền thông cải cách hành chính năm (plans/<id>.yml): văn bản, nhiệm vụ và chỉ tiêu.",
    )


def evidence_schema() -> dict:
    """JSON Schema of plans/minh-chung/*.yml (committed as schemas/plan-evidence.schema.json)."""
    return json_schema(
        TepMinhChung,
        "Minh chứng thực hiện kế hoạch CCHC",
        "Sản phẩm truyền thông ngoài trang này (Fanpage, tờ gấp, video, tập huấn…) tính vào chỉ tiêu kế hoạch.",
    )
