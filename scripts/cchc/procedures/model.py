"""The administrative procedure (thủ tục hành chính, TTHC) as staff write it: one YAML file per code.

The structure follows the national database (CSDL quốc gia về TTHC, dichvucong.gov.vn;
shared/domain.md §1.2–§1.6 and §6a) with Vietnamese snake_case keys, adjusted where
real records need it:

* cases (``cac_truong_hop``) are declared once and referred to by key from steps,
  methods, dossier groups and results, so the page can say, per case, what to bring,
  how long it takes and what it costs (1.014331 has two cases with 5 and 3 days);
* time and fees belong to a method (in person / online / post), fees carry validity
  dates (time-boxed reductions exist) and may be "not entered" (``so_tien`` empty);
* the publishing decisions are a history with the kind of change, from which the
  lifecycle state follows unless written explicitly;
* fields the unit adds (``tai_don_vi``: desk, room, hours, phone; ``tu_khoa``) are
  kept apart so that re-importing the national record never overwrites them.

Validation rules that need more than one field or the whole site (unique codes,
replacement exists, form files exist, fee dates in order…) are in ``checks.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional

from pydantic import Field

from ..modeling import Markdown, Model, Text, TthcCode, Url, VnDate, json_schema, pattern
from .overlay import keep

MaDvc = pattern(r"[1-9]\.\d{6}\.\d{2}", "procedures.dvc_code_pattern")
CaseKey = pattern(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,19}", "procedures.case_key_pattern")

CapThucHien = Literal["cap_bo", "cap_tinh", "cap_xa", "co_quan_khac", "chua_xac_dinh"]
LoaiTthc = Literal["tieu_chuan", "dac_thu", "noi_bo", "khac"]
HinhThuc = Literal["truc_tiep", "truc_tuyen", "buu_chinh"]
DonViThoiHan = Literal["ngay_lam_viec", "ngay", "thang", "gio", "khac"]
LoaiPhi = Literal["phi", "le_phi", "khac"]
DonViTien = Literal["VND", "USD"]
NhomGiayTo = Literal["phai_nop", "phai_xuat_trinh", "khac"]
LoaiThayDoi = Literal["moi_ban_hanh", "sua_doi_bo_sung", "thay_the", "bai_bo"]
TrangThai = Literal["hieu_luc", "da_sua_doi", "bi_thay_the", "bi_bai_bo"]
MucDo = Literal["toan_trinh", "mot_phan", "chua_cap_nhat"]
CachNhan = Literal["tai_noi_nop", "tai_nha", "truc_tuyen"]


class Named(Model):
    """A name with an optional code from the national database."""

    ten: Text = Field(description="Tên, ví dụ 'Khám bệnh, chữa bệnh'")
    ma: Optional[Text] = Field(None, description="Mã trong CSDL quốc gia nếu có, ví dụ 'G18-YT07'")


class CoQuan(Model):
    thuc_hien: list[Named] = Field([], description="Cơ quan thực hiện")
    co_tham_quyen: list[Named] = Field([], description="Cơ quan có thẩm quyền")
    duoc_uy_quyen: list[Named] = Field([], description="Cơ quan được ủy quyền")
    phoi_hop: list[Named] = Field([], description="Cơ quan phối hợp")


class TaiDonVi(Model):
    """Where and when the unit receives the dossier: written by the unit, kept on re-import."""

    noi_tiep_nhan: Optional[Text] = Field(None, description="Nơi nộp hồ sơ, ví dụ 'Bộ phận tiếp nhận hồ sơ, phòng 102, tầng 1, nhà A'")
    dia_chi: Optional[Text] = Field(None, description="Địa chỉ nếu khác địa chỉ đơn vị")
    gio_tiep_nhan: Optional[Text] = Field(None, description="Giờ tiếp nhận, ví dụ 'Thứ Hai – Thứ Sáu, 7h00 – 11h30 và 13h30 – 17h00'")
    dien_thoai: Optional[Text] = Field(None, description="Số điện thoại hỏi đáp về thủ tục")
    nguoi_phu_trach: Optional[Text] = Field(None, description="Bộ phận hoặc người hướng dẫn")
    ghi_chu: Optional[Markdown] = Field(None, description="Lưu ý riêng của đơn vị (Markdown)")


class TruongHop(Model):
    ma: CaseKey = Field(description="Khóa ngắn của trường hợp, ví dụ '1' hoặc 'mang-thai-ho'")
    ten: Text = Field(description="Tên trường hợp đúng như trong quyết định công bố")


class TrinhTu(Model):
    truong_hop: Optional[CaseKey] = Field(None, description="Khóa trường hợp (trong cac_truong_hop); bỏ trống nếu áp dụng cho mọi trường hợp")
    tinh_huong: Optional[Text] = Field(None, description="Tình huống cụ thể trong trường hợp, ví dụ 'Nếu trẻ sinh ra tại cơ sở đã thực hiện kỹ thuật mang thai hộ'")
    mo_ta: Optional[Markdown] = Field(None, description="Đoạn mở đầu trước các bước")
    cac_buoc: list[Markdown] = Field(description="Các bước, mỗi bước một mục; không cần ghi 'Bước 1'")


class ThoiHan(Model):
    so: Optional[float] = Field(None, ge=0, description="Số ngày/giờ; bỏ trống khi chỉ mô tả (ví dụ 'theo giấy hẹn')")
    don_vi: DonViThoiHan = Field("ngay_lam_viec", description="ngay_lam_viec | ngay | thang | gio | khac")
    mo_ta: Optional[Markdown] = Field(None, description="Mô tả thời hạn như trong quyết định")


class Phi(Model):
    loai: LoaiPhi = Field("phi", description="phi | le_phi | khac")
    so_tien: Optional[int] = Field(None, ge=0, description="Số tiền (đồng), chỉ chữ số; bỏ trống khi chưa có số tiền")
    don_vi_tien: DonViTien = "VND"
    mo_ta: Optional[Markdown] = Field(None, description="'/lần', '/hồ sơ', điều kiện áp dụng")
    hieu_luc_tu: Optional[VnDate] = Field(None, description="Áp dụng từ ngày")
    hieu_luc_den: Optional[VnDate] = Field(None, description="Áp dụng đến hết ngày")
    can_cu: Optional[Text] = Field(None, description="Văn bản quy định mức phí, ví dụ 'Thông tư 64/2025/TT-BTC'")


class CachThuc(Model):
    hinh_thuc: HinhThuc = Field(description="truc_tiep | truc_tuyen | buu_chinh")
    truong_hop: Optional[CaseKey] = Field(None, description="Khóa trường hợp; bỏ trống nếu áp dụng chung")
    thoi_han: ThoiHan = Field(description="Thời hạn giải quyết")
    phi_le_phi: list[Phi] = Field([], description="Phí, lệ phí; để trống nghĩa là không thu")
    mo_ta: Optional[Markdown] = Field(None, description="Mô tả thêm về cách nộp")


class MauDon(Model):
    ten: Text = Field(description="Tên mẫu đơn, tờ khai")
    tep: Optional[Text] = Field(None, description="Tệp trong content/, ví dụ 'bieu-mau/to-khai-giay-chung-sinh.docx'")
    url: Optional[Url] = Field(None, description="Địa chỉ tải mẫu ở nơi khác")
    dinh_dang: Optional[Text] = Field(None, description="docx, pdf…; tự nhận theo tên tệp")
    duong_dan_dvcqg: Optional[Text] = Field(None, description="Đường dẫn tệp trên kho của Cổng DVCQG (do lệnh import ghi)")


class GiayTo(Model):
    ten: Markdown = Field(description="Tên giấy tờ")
    ma: Optional[Text] = Field(None, description="Mã thành phần hồ sơ, ví dụ '000.00.00.G18-KQ005500'")
    ban_chinh: int = Field(0, ge=0, description="Số bản chính")
    ban_sao: int = Field(0, ge=0, description="Số bản sao")
    bat_buoc: Optional[bool] = None
    mau_don: list[MauDon] = []
    ghi_chu: Optional[Markdown] = None


class NhomHoSo(Model):
    truong_hop: Optional[CaseKey] = Field(None, description="Khóa trường hợp; bỏ trống nếu áp dụng chung")
    nhom: Optional[NhomGiayTo] = Field(None, description="phai_nop | phai_xuat_trinh | khac")
    tieu_de: Optional[Text] = Field(None, description="Tiêu đề nhóm như trong quyết định, nếu có")
    giay_to: list[GiayTo] = Field(min_length=1, description="Danh sách giấy tờ")


class KetQua(Model):
    ten: Markdown
    ma: Optional[Text] = Field(None, description="Mã kết quả, ví dụ 'KQ.G18.000307'")
    truong_hop: Optional[CaseKey] = None


class VanBan(Model):
    so_ky_hieu: Text = Field(description="Số, ký hiệu, ví dụ '22/2025/TT-BYT'")
    trich_yeu: Optional[Text] = None
    co_quan_ban_hanh: Optional[Text] = None
    ngay_ban_hanh: Optional[VnDate] = None
    ngay_hieu_luc: Optional[VnDate] = None
    url: Optional[Url] = None


class QuyetDinh(Model):
    so: Text = Field(description="Số quyết định công bố, ví dụ '2922/QĐ-BYT'")
    ngay: VnDate = Field(description="Ngày ký quyết định")
    co_quan: Text = Field(description="Cơ quan ban hành, ví dụ 'Bộ Y tế'")
    loai_thay_doi: LoaiThayDoi = Field(description="moi_ban_hanh | sua_doi_bo_sung | thay_the | bai_bo")
    ghi_chu: Optional[Markdown] = None
    url: Optional[Url] = None


class DichVuCong(Model):
    ma_dvc: MaDvc = Field(description="Mã dịch vụ công = mã TTHC + '.NN', ví dụ '1.014331.01'")
    ten: Optional[Text] = None
    muc_do: Optional[MucDo] = None
    url_nop_truc_tuyen: Optional[Url] = None


class LienQuan(Model):
    ma: TthcCode = Field(description="Mã thủ tục liên quan")
    ten: Optional[Text] = Field(None, description="Tên thủ tục (bắt buộc nếu đơn vị không đăng thủ tục này)")
    url: Optional[Url] = None


class Nguon(Model):
    url_dvcqg: Optional[Url] = Field(None, description="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/<id>")
    id_dvcqg: Optional[Text] = None
    ngay_dong_bo: Optional[VnDate] = Field(None, description="Ngày sao chép từ Cổng DVCQG")
    ngay_cap_nhat_dvcqg: Optional[VnDate] = Field(None, description="Ngày cập nhật trên Cổng DVCQG")


class Procedure(Model):
    """One administrative procedure (TTHC)."""

    ma_tthc: TthcCode = Field(description="Mã thủ tục trên CSDL quốc gia, dạng 1.014331 (viết trong ngoặc kép)")
    ten: Text = Field(description="Tên thủ tục đúng như quyết định công bố")
    mo_ta: Optional[Markdown] = Field(None, description="Mô tả thủ tục theo CSDL quốc gia")
    linh_vuc: Named = Field(description="Lĩnh vực, ví dụ {ten: 'Khám bệnh, chữa bệnh', ma: 'G18-YT07'}")
    co_quan_cong_bo: Optional[Named] = Field(None, description="Cơ quan công bố, ví dụ {ten: 'Bộ Y tế', ma: 'G18'}")
    cap_thuc_hien: list[CapThucHien] = Field(min_length=1, description="cap_bo, cap_tinh, cap_xa, co_quan_khac, chua_xac_dinh")
    loai_tthc: LoaiTthc = Field("tieu_chuan", description="tieu_chuan | dac_thu | noi_bo | khac")
    nganh_doc: Optional[bool] = None
    doi_tuong_thuc_hien: list[Named] = []
    mo_ta_doi_tuong: Optional[Markdown] = Field(None, description="Ai được làm thủ tục này, bằng lời")
    co_quan: CoQuan = Field(description="Các cơ quan: thuc_hien, co_tham_quyen, duoc_uy_quyen, phoi_hop")
    mo_ta_co_quan: Optional[Markdown] = None
    dia_chi_tiep_nhan: Optional[Markdown] = Field(None, description="Địa chỉ tiếp nhận theo CSDL quốc gia")
    tai_don_vi: Optional[TaiDonVi] = Field(None, description="Nơi nộp, giờ tiếp nhận tại đơn vị (đơn vị tự ghi)")
    cac_truong_hop: list[TruongHop] = Field([], description="Các trường hợp, nếu thủ tục có nhiều trường hợp")
    trinh_tu_thuc_hien: list[TrinhTu] = Field([], description="Trình tự thực hiện (ít nhất một mục)")
    cach_thuc_thuc_hien: list[CachThuc] = Field([], description="Cách thức: mỗi hình thức nộp một mục, có thời hạn và phí riêng")
    cach_nhan_ket_qua: list[CachNhan] = []
    thanh_phan_ho_so: list[NhomHoSo] = []
    so_bo_ho_so: Optional[Text] = Field(None, description="Số lượng hồ sơ, ví dụ '01 bộ'")
    ket_qua: list[KetQua] = []
    yeu_cau_dieu_kien: Optional[Markdown] = None
    can_cu_phap_ly: list[VanBan] = []
    quyet_dinh_cong_bo: list[QuyetDinh] = Field([], description="Các quyết định công bố (ít nhất một), cũ trước mới sau")
    trang_thai: Optional[TrangThai] = Field(None, description="hieu_luc | da_sua_doi | bi_thay_the | bi_bai_bo; bỏ trống để suy ra từ quyết định mới nhất")
    hieu_luc_tu: Optional[VnDate] = None
    hieu_luc_den: Optional[VnDate] = Field(None, description="Ngày hết hiệu lực (bắt buộc khi bị bãi bỏ)")
    thay_the_boi: Optional[TthcCode] = Field(None, description="Mã thủ tục thay thế (bắt buộc khi bị thay thế)")
    thay_the_cho: list[TthcCode] = []
    dich_vu_cong: list[DichVuCong] = []
    thu_tuc_lien_quan: list[LienQuan] = []
    nguon: Optional[Nguon] = None
    don_vi_ap_dung: list[Text] = []
    ngay_cap_nhat: VnDate = Field(description="Ngày đơn vị cập nhật nội dung niêm yết, ví dụ 2026-05-06")
    tu_khoa: list[Text] = Field([], description="Từ khóa thêm để tìm kiếm, ví dụ 'GCS', 'giấy khai sinh'")
    ghi_chu: Optional[Markdown] = Field(None, description="Ghi chú (ví dụ nội dung chưa xác minh)")

    # --- derived -------------------------------------------------------------
    @property
    def newest_decision(self) -> Optional[QuyetDinh]:
        if not self.quyet_dinh_cong_bo:
            return None
        # Stable: of two decisions on one day, the one written last wins.
        return max(reversed(self.quyet_dinh_cong_bo), key=lambda q: q.ngay)

    @property
    def status(self) -> str:
        if self.trang_thai:
            return self.trang_thai
        newest = self.newest_decision
        return STATUS_FROM_CHANGE[newest.loai_thay_doi] if newest else "hieu_luc"

    @property
    def in_force(self) -> bool:
        return self.status in ("hieu_luc", "da_sua_doi")

    def status_at(self, today: date) -> str:
        """The state on `today`: decisions dated later have not taken effect yet."""
        if self.trang_thai:
            return self.trang_thai
        effective = [q for q in self.quyet_dinh_cong_bo if q.ngay <= today]
        if not effective:
            return "hieu_luc"
        newest = max(reversed(effective), key=lambda q: q.ngay)
        return STATUS_FROM_CHANGE[newest.loai_thay_doi]

    def case_name(self, key: Optional[str]) -> Optional[str]:
        for c in self.cac_truong_hop:
            if c.ma == key:
                return c.ten
        return None


STATUS_FROM_CHANGE = {
    "moi_ban_hanh": "hieu_luc",
    "sua_doi_bo_sung": "da_sua_doi",
    "thay_the": "bi_thay_the",
    "bai_bo": "bi_bai_bo",
}

# Kind of change as the feeds module names it.
CHANGE_KIND = {
    "moi_ban_hanh": "new",
    "sua_doi_bo_sung": "amended",
    "thay_the": "replaced",
    "bai_bo": "abolished",
}

SCHEMA_TITLE = "Thủ tục hành chính (TTHC)"
SCHEMA_DESCRIPTION = (
    "Một tệp YAML cho mỗi thủ tục hành chính trong thư mục procedures/, đặt tên theo mã "
    "(ví dụ procedures/1.014331.yml). Cấu trúc theo CSDL quốc gia về TTHC (dichvucong.gov.vn)."
)


def procedure_schema() -> dict:
    """JSON Schema of a procedure file (committed as schemas/procedure.schema.json)."""
    return json_schema(Procedure, SCHEMA_TITLE, SCHEMA_DESCRIPTION)


# --- the English (or other) version: procedures/<code>.en.yml ---------------------------------
#
# Only the words, in the same structure as the Vietnamese file; everything else
# (codes, dates, fees, decisions, lifecycle) comes from the Vietnamese file (see
# overlay.py). Every field is optional but the name, so a staff member can translate
# field by field; a list holds as many entries as the Vietnamese list, in the same
# order, and `- ~` keeps an entry in Vietnamese for now.

_TR = "Bản dịch của trường cùng tên trong tệp tiếng Việt"


class NamedTr(Model):
    ten: Optional[Text] = Field(None, description="Tên đã dịch")


class CoQuanTr(Model):
    thuc_hien: list[Optional[NamedTr]] = Field([], description=_TR + " (cùng số mục)")
    co_tham_quyen: list[Optional[NamedTr]] = Field([], description=_TR + " (cùng số mục)")
    duoc_uy_quyen: list[Optional[NamedTr]] = Field([], description=_TR + " (cùng số mục)")
    phoi_hop: list[Optional[NamedTr]] = Field([], description=_TR + " (cùng số mục)")


class TaiDonViTr(Model):
    noi_tiep_nhan: Optional[Text] = Field(None, description="Nơi nộp hồ sơ, ví dụ 'Birth certificate desk, Obstetrics Department, 2nd floor, building B'")
    dia_chi: Optional[Text] = None
    gio_tiep_nhan: Optional[Text] = Field(None, description="Giờ tiếp nhận, ví dụ 'Monday – Friday, 7:00 – 11:30 and 13:30 – 17:00'")
    nguoi_phu_trach: Optional[Text] = None
    ghi_chu: Optional[Markdown] = None


class TruongHopTr(Model):
    ma: Optional[Any] = keep("khóa trường hợp")
    ten: Optional[Text] = Field(None, description="Tên trường hợp đã dịch")


class TrinhTuTr(Model):
    truong_hop: Optional[Any] = keep("khóa trường hợp")
    tinh_huong: Optional[Text] = None
    mo_ta: Optional[Markdown] = None
    cac_buoc: list[Optional[Markdown]] = Field([], description="Các bước đã dịch, đúng số bước và thứ tự của tệp tiếng Việt")


class ThoiHanTr(Model):
    mo_ta: Optional[Markdown] = None


class PhiTr(Model):
    mo_ta: Optional[Markdown] = None
    can_cu: Optional[Text] = None


class CachThucTr(Model):
    hinh_thuc: Optional[Any] = keep("hình thức nộp")
    truong_hop: Optional[Any] = keep("khóa trường hợp")
    thoi_han: Optional[ThoiHanTr] = None
    phi_le_phi: list[Optional[PhiTr]] = []
    mo_ta: Optional[Markdown] = None


class MauDonTr(Model):
    ten: Optional[Text] = None


class GiayToTr(Model):
    ma: Optional[Any] = keep("mã thành phần hồ sơ")
    ten: Optional[Markdown] = Field(None, description="Tên giấy tờ đã dịch")
    mau_don: list[Optional[MauDonTr]] = []
    ghi_chu: Optional[Markdown] = None


class NhomHoSoTr(Model):
    truong_hop: Optional[Any] = keep("khóa trường hợp")
    tieu_de: Optional[Text] = None
    giay_to: list[Optional[GiayToTr]] = Field([], description="Giấy tờ đã dịch, đúng số mục và thứ tự của tệp tiếng Việt")


class KetQuaTr(Model):
    ma: Optional[Any] = keep("mã kết quả")
    truong_hop: Optional[Any] = keep("khóa trường hợp")
    ten: Optional[Markdown] = None


class VanBanTr(Model):
    so_ky_hieu: Optional[Any] = keep("số, ký hiệu")
    trich_yeu: Optional[Text] = None
    co_quan_ban_hanh: Optional[Text] = None


class QuyetDinhTr(Model):
    so: Optional[Any] = keep("số quyết định")
    co_quan: Optional[Text] = None
    ghi_chu: Optional[Markdown] = None


class DichVuCongTr(Model):
    ma_dvc: Optional[Any] = keep("mã dịch vụ công")
    ten: Optional[Text] = None


class LienQuanTr(Model):
    ma: Optional[Any] = keep("mã thủ tục")
    ten: Optional[Text] = None


class ProcedureTranslation(Model):
    """The translation of one procedure (procedures/<code>.en.yml): words only, same structure."""

    ma_tthc: Optional[Any] = keep("mã thủ tục")
    ten: Text = Field(description="Tên thủ tục đã dịch, ví dụ 'Issuing a birth certificate'")
    ngay_dich: Optional[VnDate] = Field(
        None, description="Ngày dịch hoặc cập nhật bản dịch; nếu cũ hơn 'ngay_cap_nhat' của tệp tiếng Việt, trang báo bản tiếng Việt mới hơn")
    mo_ta: Optional[Markdown] = None
    linh_vuc: Optional[NamedTr] = Field(None, description="Tên lĩnh vực đã dịch, ví dụ {ten: 'Medical examination and treatment'}")
    co_quan_cong_bo: Optional[NamedTr] = None
    doi_tuong_thuc_hien: list[Optional[NamedTr]] = []
    mo_ta_doi_tuong: Optional[Markdown] = None
    co_quan: Optional[CoQuanTr] = None
    mo_ta_co_quan: Optional[Markdown] = None
    dia_chi_tiep_nhan: Optional[Markdown] = None
    tai_don_vi: Optional[TaiDonViTr] = None
    cac_truong_hop: list[Optional[TruongHopTr]] = []
    trinh_tu_thuc_hien: list[Optional[TrinhTuTr]] = []
    cach_thuc_thuc_hien: list[Optional[CachThucTr]] = []
    thanh_phan_ho_so: list[Optional[NhomHoSoTr]] = []
    so_bo_ho_so: Optional[Text] = None
    ket_qua: list[Optional[KetQuaTr]] = []
    yeu_cau_dieu_kien: Optional[Markdown] = None
    can_cu_phap_ly: list[Optional[VanBanTr]] = []
    quyet_dinh_cong_bo: list[Optional[QuyetDinhTr]] = []
    dich_vu_cong: list[Optional[DichVuCongTr]] = []
    thu_tuc_lien_quan: list[Optional[LienQuanTr]] = []
    don_vi_ap_dung: list[Optional[Text]] = []
    tu_khoa: list[Text] = Field([], description="Từ khóa tìm kiếm bằng tiếng Anh (danh sách riêng, không cần khớp tệp tiếng Việt)")
    ghi_chu: Optional[Markdown] = None


TRANSLATION_SCHEMA_TITLE = "Bản dịch thủ tục hành chính"
TRANSLATION_SCHEMA_DESCRIPTION = (
    "Bản tiếng Anh của một thủ tục (procedures/<mã>.en.yml, cạnh tệp tiếng Việt): chỉ các trường chữ đã dịch, cùng cấu trúc "
    "với tệp tiếng Việt; mã, ngày, phí, quyết định… lấy từ tệp tiếng Việt. Danh sách phải có cùng số mục; '- ~' giữ mục đó bằng tiếng Việt."
)


def translation_schema() -> dict:
    """JSON Schema of a procedure translation (schemas/procedure-translation.schema.json)."""
    return json_schema(ProcedureTranslation, TRANSLATION_SCHEMA_TITLE, TRANSLATION_SCHEMA_DESCRIPTION)


__all__ = [
    "ProcedureTranslation", "translation_schema",
    "Procedure", "Named", "CoQuan", "TaiDonVi", "TruongHop", "TrinhTu", "ThoiHan", "Phi", "CachThuc", "MauDon",
    "GiayTo", "NhomHoSo", "KetQua", "VanBan", "QuyetDinh", "DichVuCong", "LienQuan", "Nguon",
    "STATUS_FROM_CHANGE", "CHANGE_KIND", "procedure_schema", "date",
]
