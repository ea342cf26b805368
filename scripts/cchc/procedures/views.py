"""Pages of the procedures section: index, filter pages, one page per procedure, print pages.

Everything a template shows is prepared here (text, rendered Markdown, numbers and
dates formatted the way the page's language writes them), so the templates stay
small and the pages light. A procedure's view is built once and reused by its page
and the print pages.

Other languages (`procedures/<code>.en.yml`, see overlay.py) get the same pages under
`en/procedures/`: the index, one page per translated procedure and the print pages.
The filter pages stay Vietnamese-only: units translate the few procedures foreign
patients use, the English index already groups them by field, and filter pages of one
or two entries each would only double the English page count. On an English page, a
text the translation does not give is shown in Vietnamese inside `lang="vi"`.
"""

from __future__ import annotations

from ..yamlsrc import dotted

import os
import re
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any, Iterable, Optional

from markupsafe import Markup

from .. import fastbuild, timeutil
from ..i18n import register_strings, t
from ..problems import Problems
from ..site import OutputPage, TocEntry
from ..text import fold, slugify
from . import qr
from .loader import (
    CHANGE_LABELS,
    LEVEL_LABELS,
    LEVEL_SLUGS,
    STATUS_LABELS,
    STATUS_SLUGS,
    ProcedureEntry,
    ProcedureState,
    TranslatedEntry,
)

register_strings(
    {
        "tthc": {"vi": "Thủ tục hành chính", "en": "Administrative procedures"},
        "tthc.code": {"vi": "Mã thủ tục", "en": "Procedure code"},
        "tthc.field": {"vi": "Lĩnh vực", "en": "Field"},
        "tthc.level": {"vi": "Cấp thực hiện", "en": "Level"},
        "tthc.status": {"vi": "Trạng thái", "en": "Status"},
        "tthc.type": {"vi": "Loại thủ tục", "en": "Type"},
        "tthc.updated": {"vi": "Ngày cập nhật", "en": "Last updated"},
        "tthc.decision": {"vi": "Quyết định công bố", "en": "Publishing decision"},
        "tthc.decisions": {"vi": "Quyết định công bố", "en": "Publishing decisions"},
        "tthc.portal": {"vi": "Xem thủ tục trên Cổng Dịch vụ công quốc gia", "en": "See this procedure on the National Public Service Portal"},
        "tthc.portal_short": {"vi": "Cổng Dịch vụ công quốc gia", "en": "National Public Service Portal"},
        "tthc.summary_time": {"vi": "Thời hạn giải quyết", "en": "Processing time"},
        "tthc.summary_fee": {"vi": "Phí, lệ phí", "en": "Fees"},
        "tthc.summary_where": {"vi": "Nơi nộp hồ sơ", "en": "Where to apply"},
        "tthc.summary_online": {"vi": "Nộp trực tuyến", "en": "Apply online"},
        "tthc.cases_intro": {"vi": "Thủ tục này có {n} trường hợp. Xác định trường hợp của bạn trước khi chuẩn bị hồ sơ:", "en": "This procedure has {n} cases. Find yours before preparing the documents:"},
        "tthc.step_prepare": {"vi": "Chuẩn bị hồ sơ", "en": "Prepare your documents"},
        "tthc.step_submit": {"vi": "Nộp hồ sơ", "en": "Submit the application"},
        "tthc.step_time_fee": {"vi": "Thời hạn giải quyết và phí, lệ phí", "en": "Processing time and fees"},
        "tthc.step_process": {"vi": "Trình tự giải quyết", "en": "What happens next"},
        "tthc.step_result": {"vi": "Nhận kết quả", "en": "Get the result"},
        "tthc.step_n": {"vi": "Bước {n}", "en": "Step {n}"},
        "tthc.steps_nav": {"vi": "Các bước", "en": "Steps"},
        "tthc.doc_name": {"vi": "Tên giấy tờ", "en": "Document"},
        "tthc.originals": {"vi": "Bản chính", "en": "Originals"},
        "tthc.copies": {"vi": "Bản sao", "en": "Copies"},
        "tthc.form": {"vi": "Mẫu đơn, tờ khai", "en": "Form"},
        "tthc.form_on_portal": {"vi": "Tải mẫu tại Cổng DVC quốc gia", "en": "Download from the national portal"},
        "tthc.form_download": {"vi": "Tải mẫu", "en": "Download form"},
        "tthc.dossier_count": {"vi": "Số lượng hồ sơ", "en": "Number of sets"},
        "tthc.requirements": {"vi": "Yêu cầu, điều kiện", "en": "Requirements and conditions"},
        "tthc.method": {"vi": "Hình thức nộp", "en": "How"},
        "tthc.case": {"vi": "Trường hợp", "en": "Case"},
        "tthc.all_cases": {"vi": "Mọi trường hợp", "en": "All cases"},
        "tthc.time": {"vi": "Thời hạn", "en": "Time"},
        "tthc.fee": {"vi": "Phí, lệ phí", "en": "Fee"},
        "tthc.no_fee": {"vi": "Không thu phí, lệ phí", "en": "No fee"},
        "tthc.fee_see": {"vi": "Theo quy định (xem Bước 3)", "en": "As regulated (see step 3)"},
        "tthc.fee_not_set": {"vi": "Chưa có mức thu cụ thể", "en": "Amount not set"},
        "tthc.time_see": {"vi": "Xem Bước 3", "en": "See step 3"},
        "tthc.results": {"vi": "Kết quả", "en": "Result"},
        "tthc.result_delivery": {"vi": "Cách nhận kết quả", "en": "How to receive it"},
        "tthc.info": {"vi": "Thông tin thủ tục", "en": "About this procedure"},
        "tthc.subjects": {"vi": "Đối tượng thực hiện", "en": "Who can apply"},
        "tthc.publisher": {"vi": "Cơ quan công bố", "en": "Published by"},
        "tthc.legal": {"vi": "Căn cứ pháp lý", "en": "Legal basis"},
        "tthc.legal_no": {"vi": "Số, ký hiệu", "en": "Number"},
        "tthc.legal_title": {"vi": "Trích yếu", "en": "Title"},
        "tthc.legal_date": {"vi": "Ngày ban hành", "en": "Date"},
        "tthc.decision_no": {"vi": "Số quyết định", "en": "Decision"},
        "tthc.decision_date": {"vi": "Ngày", "en": "Date"},
        "tthc.decision_issuer": {"vi": "Cơ quan ban hành", "en": "Issued by"},
        "tthc.decision_change": {"vi": "Nội dung", "en": "Change"},
        "tthc.services": {"vi": "Dịch vụ công trực tuyến", "en": "Online services"},
        "tthc.related": {"vi": "Thủ tục liên quan", "en": "Related procedures"},
        "tthc.news": {"vi": "Tin bài liên quan", "en": "Related news"},
        "tthc.note": {"vi": "Ghi chú", "en": "Note"},
        "tthc.local": {"vi": "Tại {unit}", "en": "At {unit}"},
        "tthc.hours": {"vi": "Giờ tiếp nhận", "en": "Opening hours"},
        "tthc.phone": {"vi": "Điện thoại hướng dẫn", "en": "Help line"},
        "tthc.contact_person": {"vi": "Bộ phận hướng dẫn", "en": "Help desk"},
        "tthc.address": {"vi": "Địa chỉ", "en": "Address"},
        "tthc.banner_replaced": {"vi": "Thủ tục này đã bị thay thế{since}. Hãy thực hiện thủ tục mới:", "en": "This procedure has been replaced{since}. Use the new procedure:"},
        "tthc.banner_replaced_nolink": {"vi": "Thủ tục này đã bị thay thế{since}. Thông tin dưới đây chỉ để tra cứu.", "en": "This procedure has been replaced{since}. The content below is for reference only."},
        "tthc.banner_abolished": {"vi": "Thủ tục này đã bị bãi bỏ{since}. Thông tin dưới đây chỉ để tra cứu; đơn vị không còn tiếp nhận hồ sơ theo thủ tục này.", "en": "This procedure was abolished{since}. The content below is for reference only; applications are no longer accepted."},
        "tthc.banner_since": {"vi": " từ ngày {date} ({decision})", "en": " on {date} ({decision})"},
        "tthc.banner_future": {"vi": "Thủ tục áp dụng từ ngày {date}.", "en": "This procedure applies from {date}."},
        "tthc.banner_pending": {"vi": "Sắp thay đổi: theo Quyết định {decision}, từ ngày {date} thủ tục này {change}. Nội dung dưới đây đang áp dụng đến trước ngày đó.", "en": "Upcoming change: under decision {decision}, from {date} this procedure is {change}. The content below applies until then."},
        "tthc.replaces": {"vi": "Thủ tục này thay thế", "en": "This procedure replaces"},
        "tthc.index_intro": {"vi": "{n} thủ tục hành chính đang áp dụng tại {unit}. Chọn một thủ tục để xem hồ sơ cần chuẩn bị, nơi nộp, thời hạn và phí, lệ phí.", "en": "{n} administrative procedures in force at {unit}."},
        "tthc.filter": {"vi": "Lọc danh sách", "en": "Filter the list"},
        "tthc.filter_all": {"vi": "Tất cả thủ tục", "en": "All procedures"},
        "tthc.retired": {"vi": "Thủ tục đã bị thay thế, bãi bỏ", "en": "Replaced and abolished procedures"},
        "tthc.retired_intro": {"vi": "Các trang này được giữ lại để liên kết cũ vẫn dùng được; không nộp hồ sơ theo các thủ tục này.", "en": "Kept so that old links keep working; do not apply under these procedures."},
        "tthc.changes": {"vi": "Thay đổi gần đây", "en": "Recent changes"},
        "tthc.print_all": {"vi": "In toàn bộ danh mục và nội dung thủ tục", "en": "Print the whole list and every procedure"},
        "tthc.print_field": {"vi": "In các thủ tục lĩnh vực này", "en": "Print this field's procedures"},
        "tthc.print_title": {"vi": "Danh mục thủ tục hành chính", "en": "List of administrative procedures"},
        "tthc.print_hint": {"vi": "Trang dành để in và niêm yết: dùng lệnh In của trình duyệt (Ctrl+P), khổ A4.", "en": "Made for printing on A4: use your browser's Print command (Ctrl+P)."},
        "tthc.print_by_field": {"vi": "Danh mục dài: in nội dung đầy đủ theo từng lĩnh vực:", "en": "Long list: print the full content field by field:"},
        "tthc.print_scan": {"vi": "Quét mã để xem bản mới nhất", "en": "Scan for the latest version"},
        "tthc.print_posted": {"vi": "Niêm yết ngày {date}", "en": "Posted on {date}"},
        "tthc.count": {"vi": "{n} thủ tục", "en": "{n} procedures"},
        "tthc.count1": {"vi": "{n} thủ tục", "en": "{n} procedure"},
        "tthc.none": {"vi": "Không có thủ tục nào.", "en": "No procedures."},
        "tthc.no_info": {"vi": "Không có thông tin.", "en": "No information."},
        "tthc.no": {"vi": "STT", "en": "No."},
        "tthc.name": {"vi": "Tên thủ tục", "en": "Procedure"},
        "tthc.applies_from": {"vi": "từ {date}", "en": "from {date}"},
        "tthc.applies_until": {"vi": "đến hết {date}", "en": "until {date}"},
        "tthc.agency.thuc_hien": {"vi": "Cơ quan thực hiện", "en": "Handled by"},
        "tthc.agency.co_tham_quyen": {"vi": "Cơ quan có thẩm quyền", "en": "Competent authority"},
        "tthc.agency.duoc_uy_quyen": {"vi": "Cơ quan được ủy quyền", "en": "Authorised agency"},
        "tthc.agency.phoi_hop": {"vi": "Cơ quan phối hợp", "en": "Coordinating agency"},
        "tthc.group.phai_nop": {"vi": "Giấy tờ phải nộp", "en": "Documents to submit"},
        "tthc.group.phai_xuat_trinh": {"vi": "Giấy tờ phải xuất trình", "en": "Documents to show"},
        "tthc.group.khac": {"vi": "Giấy tờ khác", "en": "Other documents"},
        "tthc.dossier_common": {"vi": "Hồ sơ", "en": "Documents"},
        # labels of the model's values
        "tthc.method.truc_tiep": {"vi": "Nộp trực tiếp", "en": "In person"},
        "tthc.method.truc_tuyen": {"vi": "Nộp trực tuyến", "en": "Online"},
        "tthc.method.buu_chinh": {"vi": "Qua dịch vụ bưu chính", "en": "By post"},
        "tthc.unit.ngay_lam_viec": {"vi": "ngày làm việc", "en": "working days"},
        "tthc.unit.ngay": {"vi": "ngày", "en": "days"},
        "tthc.unit.thang": {"vi": "tháng", "en": "months"},
        "tthc.unit.gio": {"vi": "giờ", "en": "hours"},
        "tthc.unit.khac": {"vi": "", "en": ""},
        "tthc.unit1.ngay_lam_viec": {"vi": "ngày làm việc", "en": "working day"},
        "tthc.unit1.ngay": {"vi": "ngày", "en": "day"},
        "tthc.unit1.thang": {"vi": "tháng", "en": "month"},
        "tthc.unit1.gio": {"vi": "giờ", "en": "hour"},
        "tthc.unit1.khac": {"vi": "", "en": ""},
        "tthc.type.tieu_chuan": {"vi": "TTHC tiêu chuẩn", "en": "Standard procedure"},
        "tthc.type.dac_thu": {"vi": "TTHC đặc thù", "en": "Special procedure"},
        "tthc.type.noi_bo": {"vi": "TTHC nội bộ", "en": "Internal procedure"},
        "tthc.type.khac": {"vi": "Khác", "en": "Other"},
        "tthc.delivery.tai_noi_nop": {"vi": "Tại nơi nộp hồ sơ", "en": "Where you applied"},
        "tthc.delivery.tai_nha": {"vi": "Trả tại nhà (dịch vụ bưu chính)", "en": "Delivered to your address (postal service)"},
        "tthc.delivery.truc_tuyen": {"vi": "Trực tuyến", "en": "Online"},
        "tthc.depth.cap_bo": {"vi": "Mức độ", "en": "Level"},
        "tthc.depth.toan_trinh": {"vi": "Toàn trình", "en": "Fully online"},
        "tthc.depth.mot_phan": {"vi": "Một phần", "en": "Partly online"},
        "tthc.depth.chua_cap_nhat": {"vi": "Chưa cập nhật", "en": "Not yet known"},
        "tthc.fee_kind.phi": {"vi": "Phí", "en": "Fee"},
        "tthc.fee_kind.le_phi": {"vi": "Lệ phí", "en": "Charge"},
        "tthc.fee_kind.khac": {"vi": "", "en": ""},
        "tthc.currency.VND": {"vi": "{amount} đồng", "en": "VND {amount}"},
        "tthc.case_key": {"vi": "Trường hợp {n}", "en": "Case {n}"},
        "tthc.case_named": {"vi": "Trường hợp {n}: {name}", "en": "Case {n}: {name}"},
        # pages in another language
        "tthc.official_name": {"vi": "Tên chính thức", "en": "Official name (Vietnamese)"},
        "tthc.translation_note": {"vi": "Bản dịch để tham khảo; bản tiếng Việt là bản chính thức.",
                                  "en": "This translation is for information; the Vietnamese version is the official one."},
        "tthc.translation_partial": {"vi": "Một số phần chưa được dịch và hiện bằng tiếng Việt.",
                                     "en": "Some parts have not been translated yet and are shown in Vietnamese."},
        "tthc.translation_stale": {"vi": "Bản tiếng Việt được cập nhật ngày {updated}, sau bản dịch này ({translated}); hãy xem bản tiếng Việt để có thông tin mới nhất.",
                                   "en": "The Vietnamese version was updated on {updated}, after this translation ({translated}): check it for the latest details."},
        "tthc.read_vi": {"vi": "Xem bản tiếng Việt", "en": "Read the Vietnamese version"},
        "tthc.index_intro_lang": {"vi": "{n} trên {total} thủ tục hành chính tại {unit} có bản dịch.",
                                  "en": "{n} of the {total} administrative procedures handled at {unit} are available in English."},
        "tthc.index_intro_notice": {"vi": "{total} thủ tục hành chính tại {unit}; {n} thủ tục có bản dịch, các thủ tục khác chỉ có bằng tiếng Việt.",
                                    "en": "{total} administrative procedures are handled at {unit}; {n} are available in English, the others in Vietnamese only."},
        "tthc.index_full_vi": {"vi": "Danh mục đầy đủ bằng tiếng Việt", "en": "The full list, in Vietnamese"},
        "tthc.only_vi": {"vi": "chỉ có tiếng Việt", "en": "in Vietnamese only"},
        "tthc.only_vi_title": {"vi": "Thủ tục này chỉ có bằng tiếng Việt", "en": "This procedure is available in Vietnamese only"},
        "tthc.only_vi_body": {"vi": "Nội dung thủ tục chưa được dịch. Bản tiếng Việt có đầy đủ hồ sơ cần chuẩn bị, nơi nộp, thời hạn và phí, lệ phí.",
                              "en": "It has not been translated yet. The Vietnamese page lists the documents to prepare, where to apply, the processing time and the fees."},
    }
)

PRINT_ALL_LIMIT = 60

# Markdown is only needed when the text uses Markdown: the national database's text
# is plain prose in nearly every field, and escaping it gives the same HTML as
# Python-Markdown at a fraction of the cost (a procedure has 30–100 text fields).
_NEEDS_MARKDOWN = re.compile(r"[*_`\[\]<>#|\\~^=]|\n|^\s*(?:[-+]\s|\d+[.)]\s)|https?://", re.M)
_ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)


def money(n: int, currency: str = "VND", lang: str = "vi") -> str:
    grouped = f"{n:,}"
    if lang == "vi":
        grouped = grouped.replace(",", ".")
    return t("tthc.currency.VND", lang, amount=grouped) if currency == "VND" else f"{grouped} {currency}"


def fmt_number(x: float, lang: str = "vi") -> str:
    if float(x).is_integer():
        return str(int(x))
    return str(x).replace(".", ",") if lang == "vi" else str(x)


def unit_label(unit: str, amount: float, lang: str = "vi") -> str:
    return t(("tthc.unit1." if amount == 1 else "tthc.unit.") + unit, lang)


def case_label(key: Optional[str], name: Optional[str], lang: str = "vi") -> Optional[str]:
    """"Trường hợp 1: …" / "Case 1: …"; `name` may be Markup (a Vietnamese name on an English page)."""
    if key is None:
        return None
    if name is None:
        return t("tthc.case_key", lang, n=key)
    word = fold(t("tthc.case_key", lang, n="")).strip()
    if fold(str(Markup(name).striptags())).startswith(word) or not key.isdigit():
        return name
    return Markup(escape(t("tthc.case_named", lang, n=key, name="\x00"), quote=False)).replace("\x00", Markup.escape(name))


def file_size(path: str, lang: str = "vi") -> str:
    try:
        n = os.path.getsize(path)
    except OSError:
        return ""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    size = f"{n / (1024 * 1024):.1f} MB"
    return size.replace(".", ",") if lang == "vi" else size


class _Renderer:
    """Texts of one procedure file, with the file and line in any message.

    For a translated entry, a text the translation gives comes from the translation
    file (its problems reported at its lines); any other text is the Vietnamese file's,
    marked `lang="vi"` (its problems are reported by the Vietnamese page already).
    """

    def __init__(self, site, entry: ProcedureEntry, collect: Optional[list] = None,
                 problems: Optional[Problems] = None, deps: Optional[list] = None, keys: Optional[list] = None):
        self.site = site
        self.entry = entry
        self.lang = entry.lang
        self.fallback = False  # set when a Vietnamese text was shown on a page of another language
        self._quiet = Problems()
        self.collect = collect  # when a list: texts are noted there (MarkdownRenderer.prefetch), not converted
        self.problems = problems if problems is not None else site.problems  # of the file's own texts
        self.deps = deps  # when a list: the link targets its own texts looked up (`MarkdownRenderer.deps_hold`)
        self.keys = keys  # when a list: the build cache's keys of every text converted (`BuildCache.keep_md`)

    def _own(self, path: tuple) -> bool:
        return self.entry.own(path)

    def _mark(self, html: Markup, block: bool) -> Markup:
        self.fallback = True
        tag = "div" if block else "span"
        return Markup(f'<{tag} lang="vi">') + html + Markup(f"</{tag}>")

    def text(self, value: Optional[str], path: tuple):
        """A one-line text: the value as it is (escaped by the template), or marked Vietnamese."""
        if not value:
            return value
        if self._own(path) or not any(ch.isalpha() for ch in value):
            return value  # translated, or no words ("01", "0236 3 000 102")
        return self._mark(Markup.escape(value), False)

    def _render(self, text: str, path: tuple) -> Markup:
        if not _NEEDS_MARKDOWN.search(text):
            return Markup("<p>" + escape(text, quote=False) + "</p>")
        if self._own(path):
            e = self.entry
            req = dict(body=text, source=e.source, first_line=e.lines.line(path), page_url=e.url,
                       base=e.key, field=dotted(path) or "body")
            problems, deps = self.problems, self.deps
        else:
            v = self.entry.original
            req = dict(body=text, source=v.source, first_line=v.lines.line(path), page_url=self.entry.url, base=v.key)
            problems, deps = self._quiet, None
        if self.collect is not None:
            self.collect.append(req)
            return Markup("")
        # The view keeps a Markup copy of the HTML: the renderer's own is dropped (≈ 20 texts a
        # procedure, which stayed in memory twice for the whole build).
        return Markup(self.site.markdown.render(problems=problems, keep=False, deps=deps, keys=self.keys, **req).html)

    def block(self, text: Optional[str], path: tuple) -> Optional[Markup]:
        if not text:
            return None
        html = self._render(text, path)
        return html if self._own(path) else self._mark(html, True)

    def inline(self, text: Optional[str], path: tuple) -> Optional[Markup]:
        if not text:
            return None
        if not _NEEDS_MARKDOWN.search(text):
            html = Markup(escape(text, quote=False))
        else:
            html = self._render(text, path)
            m = _ONE_PARAGRAPH.match(html.strip())
            html = Markup(m.group(1) if m and "<p>" not in m.group(1) else html)
        if self._own(path):
            return html
        return self._mark(html, "<p>" in html or "<ul>" in html or "<ol>" in html or "<table>" in html)


@dataclass
class ProcedureView:
    __cchc_key_memo__ = True  # page keys summarise a view once per build (cchc.buildcache)

    e: ProcedureEntry
    lang: str = "vi"
    cases: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    dossier: list = field(default_factory=list)
    methods: list = field(default_factory=list)
    results: list = field(default_factory=list)
    where: dict = field(default_factory=dict)
    online: list = field(default_factory=list)
    services: list = field(default_factory=list)
    time_summary: str = ""
    fee_summary: str = ""
    requirements_html: Optional[Markup] = None
    subjects: list = field(default_factory=list)
    subjects_html: Optional[Markup] = None
    agencies: list = field(default_factory=list)
    agencies_html: Optional[Markup] = None
    legal: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    related: list = field(default_factory=list)
    replaces: list = field(default_factory=list)
    delivery: list = field(default_factory=list)
    note_html: Optional[Markup] = None
    description_html: Optional[Markup] = None
    banner: Optional[dict] = None
    qr_svg: Optional[Markup] = None
    portal_url: Optional[str] = None
    abs_url: str = ""
    levels: str = ""
    type_label: str = ""
    status_label: str = ""
    status: str = ""
    dossier_count: Any = None
    field_label: Any = ""
    field_url: str = ""
    index_url: str = ""
    publisher: Any = None
    # pages in another language
    official_name: Optional[str] = None  # the Vietnamese name
    vietnamese_url: Optional[str] = None
    partial: bool = False  # some texts are shown in Vietnamese
    stale: Optional[dict] = None  # {"updated", "translated"} when the Vietnamese file is newer

    @property
    def code(self) -> str:
        return self.e.code

    @property
    def name(self) -> str:
        return self.e.name

    @property
    def model(self):
        return self.e.model


def _fee_active(fee, today: date) -> bool:
    return fee.hieu_luc_den is None or fee.hieu_luc_den >= today


def _fee_text(fee, lang: str) -> str:
    return money(fee.so_tien, fee.don_vi_tien, lang) if fee.so_tien is not None else t("tthc.fee_not_set", lang)


def _validity(fee, lang: str) -> Optional[str]:
    parts = []
    if fee.hieu_luc_tu:
        parts.append(t("tthc.applies_from", lang, date=timeutil.format_date(fee.hieu_luc_tu, lang)))
    if fee.hieu_luc_den:
        parts.append(t("tthc.applies_until", lang, date=timeutil.format_date(fee.hieu_luc_den, lang)))
    return " ".join(parts) if parts else None


def _link(state: ProcedureState, target: ProcedureEntry, lang: str) -> dict:
    """A link from a page in `lang` to another procedure: its page in `lang`, else the Vietnamese one."""
    other = state.in_language(target, lang)
    if other is not None:
        return {"url": other.url, "code": other.code, "name": other.name, "lang": None}
    original = target.original
    return {"url": original.url, "code": original.code, "name": original.name, "lang": "vi"}


def build_view(site, state: ProcedureState, e: ProcedureEntry, masks: Optional[qr.MaskCache] = None,
               collect: Optional[list] = None, problems: Optional[Problems] = None,
               deps: Optional[list] = None, keys: Optional[list] = None) -> ProcedureView:
    """The page data of one procedure. With `collect` (a list), a dry run: the Markdown texts
    the view needs are appended there instead of converted, and the view is not kept.
    `problems`: where the problems of the file's own texts go (default: the site's); `deps`: a
    list the link targets of those texts are appended to; `keys`: a list the build cache's keys
    of all its texts are appended to."""
    if e.view is not None:
        return e.view
    m = e.model
    lang = e.lang
    r = _Renderer(site, e, collect, problems, deps, keys)
    today = site.now.date()
    v = ProcedureView(e=e, lang=lang)
    v.status = e.status
    v.status_label = STATUS_LABELS[e.status][lang]
    v.levels = _levels_label(e, lang)
    v.type_label = t(f"tthc.type.{m.loai_tthc}", lang)
    v.field_label = r.text(m.linh_vuc.ten, ("linh_vuc", "ten"))  # as `_field_label`, and counts in `r.fallback`
    v.index_url = state.index_url_for(lang)
    v.field_url = state.field_url(e.field_slug) if lang == "vi" else None
    if m.co_quan_cong_bo:
        v.publisher = r.text(m.co_quan_cong_bo.ten, ("co_quan_cong_bo", "ten"))
    labels = {c.ma: case_label(c.ma, r.text(c.ten, ("cac_truong_hop", i, "ten")), lang)
              for i, c in enumerate(m.cac_truong_hop)}
    v.cases = [{"key": c.ma, "label": labels[c.ma], "anchor": f"truong-hop-{slugify(c.ma) or i}"} for i, c in enumerate(m.cac_truong_hop)]

    for i, s in enumerate(m.trinh_tu_thuc_hien):
        base = ("trinh_tu_thuc_hien", i)
        v.steps.append({
            "case": labels.get(s.truong_hop) if s.truong_hop else None,
            "situation": r.text(s.tinh_huong, base + ("tinh_huong",)),
            "intro": r.block(s.mo_ta, base + ("mo_ta",)),
            "steps": [r.block(b, base + ("cac_buoc", j)) for j, b in enumerate(s.cac_buoc)],
        })

    for i, g in enumerate(m.thanh_phan_ho_so):
        base = ("thanh_phan_ho_so", i)
        docs = []
        for j, d in enumerate(g.giay_to):
            forms = []
            for k, f in enumerate(d.mau_don):
                fmt = (f.dinh_dang or os.path.splitext(f.tep or f.url or f.duong_dan_dvcqg or f.ten)[1].lstrip(".")).upper()
                # The name is shown only when there is nothing to download (else it is the link's title).
                shown = not (f.tep or f.url or (m.nguon and m.nguon.url_dvcqg))
                name = r.text(f.ten, base + ("giay_to", j, "mau_don", k, "ten")) if shown else f.ten
                if f.tep:
                    rel = f.tep.lstrip("/")
                    forms.append({"name": name, "title": f.ten, "url": rel, "local": True, "format": fmt,
                                  "size": file_size(os.path.join(site.docs_dir, *rel.split("/")), lang)})
                elif f.url:
                    forms.append({"name": name, "title": f.ten, "url": f.url, "local": False, "format": fmt, "size": ""})
                else:
                    forms.append({"name": name, "title": f.ten, "url": None, "local": False, "format": fmt, "size": ""})
            docs.append({
                "name": r.inline(d.ten, base + ("giay_to", j, "ten")),
                "code": d.ma,
                "originals": d.ban_chinh,
                "copies": d.ban_sao,
                "forms": forms,
                "note": r.inline(d.ghi_chu, base + ("giay_to", j, "ghi_chu")),
            })
        title = r.text(g.tieu_de, base + ("tieu_de",)) or (t(f"tthc.group.{g.nhom}", lang) if g.nhom else None)
        v.dossier.append({"case": labels.get(g.truong_hop) if g.truong_hop else None, "title": title, "docs": docs})
    v.dossier_count = r.text(m.so_bo_ho_so, ("so_bo_ho_so",))

    for i, c in enumerate(m.cach_thuc_thuc_hien):
        base = ("cach_thuc_thuc_hien", i)
        th = c.thoi_han
        if th.so is not None and th.so > 0 and th.don_vi != "khac":
            time_text = f"{fmt_number(th.so, lang)} {unit_label(th.don_vi, th.so, lang)}"
        else:
            time_text = ""
        fees = []
        for j, fee in enumerate(c.phi_le_phi):
            if not _fee_active(fee, today):
                continue  # an expired fee stays in the file as history, not on the notice
            text = _fee_text(fee, lang)
            fees.append({
                "kind": t(f"tthc.fee_kind.{fee.loai}", lang),
                "amount": text,
                "note": r.inline(fee.mo_ta, base + ("phi_le_phi", j, "mo_ta")),
                "validity": _validity(fee, lang),
                "basis": r.text(fee.can_cu, base + ("phi_le_phi", j, "can_cu")),
            })
        v.methods.append({
            "method": c.hinh_thuc,
            "label": t(f"tthc.method.{c.hinh_thuc}", lang),
            "case": labels.get(c.truong_hop) if c.truong_hop else None,
            "time": time_text,
            "time_note": r.inline(th.mo_ta, base + ("thoi_han", "mo_ta")),
            "fees": fees,
            "note": r.inline(c.mo_ta, base + ("mo_ta",)),
        })
    v.time_summary, v.fee_summary = _summaries(m, lang, today)

    for i, k in enumerate(m.ket_qua):
        v.results.append({"name": r.inline(k.ten, ("ket_qua", i, "ten")), "code": k.ma,
                          "case": labels.get(k.truong_hop) if k.truong_hop else None})
    v.delivery = [t(f"tthc.delivery.{x}", lang) for x in m.cach_nhan_ket_qua]

    local = m.tai_don_vi
    v.where = {
        "desk": r.text(local.noi_tiep_nhan, ("tai_don_vi", "noi_tiep_nhan")) if local else None,
        "address": r.text(local.dia_chi, ("tai_don_vi", "dia_chi")) if local and local.dia_chi else None,
        "hours": r.text(local.gio_tiep_nhan, ("tai_don_vi", "gio_tiep_nhan")) if local else None,
        "phone": local.dien_thoai if local else None,
        "person": r.text(local.nguoi_phu_trach, ("tai_don_vi", "nguoi_phu_trach")) if local else None,
        "note": r.block(local.ghi_chu, ("tai_don_vi", "ghi_chu")) if local else None,
        "national": r.block(m.dia_chi_tiep_nhan, ("dia_chi_tiep_nhan",)),
        "agencies": [r.text(a.ten, ("co_quan", "thuc_hien", i, "ten")) for i, a in enumerate(m.co_quan.thuc_hien)],
    }
    for i, s in enumerate(m.dich_vu_cong):
        v.services.append({"code": s.ma_dvc, "name": r.text(s.ten, ("dich_vu_cong", i, "ten")) if s.ten else m.ten,
                           "url": s.url_nop_truc_tuyen,
                           "depth": t(f"tthc.depth.{s.muc_do}", lang) if s.muc_do else ""})
        if s.url_nop_truc_tuyen:
            v.online.append(s.url_nop_truc_tuyen)

    v.requirements_html = r.block(m.yeu_cau_dieu_kien, ("yeu_cau_dieu_kien",))
    v.subjects = [r.text(s.ten, ("doi_tuong_thuc_hien", i, "ten")) for i, s in enumerate(m.doi_tuong_thuc_hien)]
    v.subjects_html = r.block(m.mo_ta_doi_tuong, ("mo_ta_doi_tuong",))
    for key in ("thuc_hien", "co_tham_quyen", "duoc_uy_quyen", "phoi_hop"):
        names = [r.text(a.ten, ("co_quan", key, i, "ten")) for i, a in enumerate(getattr(m.co_quan, key))]
        if names:
            v.agencies.append({"label": t(f"tthc.agency.{key}", lang), "names": names})
    v.agencies_html = r.block(m.mo_ta_co_quan, ("mo_ta_co_quan",))
    v.legal = [{"no": d.so_ky_hieu, "title": r.text(d.trich_yeu, ("can_cu_phap_ly", i, "trich_yeu")),
                "date": timeutil.format_date(d.ngay_ban_hanh, lang) if d.ngay_ban_hanh else "", "url": d.url}
               for i, d in enumerate(m.can_cu_phap_ly)]
    v.decisions = [{"no": q.so, "date": timeutil.format_date(q.ngay, lang),
                    "issuer": r.text(q.co_quan, ("quyet_dinh_cong_bo", i, "co_quan")),
                    "change": CHANGE_LABELS[q.loai_thay_doi][lang], "note": r.inline(q.ghi_chu, ("quyet_dinh_cong_bo", i, "ghi_chu")),
                    "url": q.url}
                   for i, q in sorted(enumerate(m.quyet_dinh_cong_bo), key=lambda iq: iq[1].ngay)]
    for i, (rel, target) in enumerate(e.related):
        if target is not None:
            v.related.append({**_link(state, target, lang), "external": None})
        else:
            v.related.append({"code": rel.ma, "name": r.text(rel.ten, ("thu_tuc_lien_quan", i, "ten")) or "",
                              "url": None, "external": rel.url, "lang": None})
    v.replaces = [_link(state, o, lang) for o in e.replaces]
    v.note_html = r.block(m.ghi_chu, ("ghi_chu",))
    v.description_html = r.block(m.mo_ta, ("mo_ta",))
    v.portal_url = m.nguon.url_dvcqg if m.nguon else None

    effective = [q for q in m.quyet_dinh_cong_bo if q.ngay <= today]
    newest = max(reversed(effective), key=lambda q: q.ngay) if effective else m.newest_decision
    pending = sorted((q for q in m.quyet_dinh_cong_bo if q.ngay > today), key=lambda q: q.ngay)
    since = ""
    if e.status in ("bi_thay_the", "bi_bai_bo"):
        end = m.hieu_luc_den or (newest.ngay if newest else None)
        if end is not None and newest is not None:
            since = t("tthc.banner_since", lang, date=timeutil.format_date(end, lang), decision=newest.so)
        if e.status == "bi_bai_bo":
            v.banner = {"kind": "abolished", "text": t("tthc.banner_abolished", lang, since=since)}
        elif e.replacement is not None:
            v.banner = {"kind": "replaced", "text": t("tthc.banner_replaced", lang, since=since),
                        "link": _link(state, e.replacement, lang)}
        else:
            v.banner = {"kind": "replaced", "text": t("tthc.banner_replaced_nolink", lang, since=since)}
    elif m.hieu_luc_tu and m.hieu_luc_tu > today:
        v.banner = {"kind": "future", "text": t("tthc.banner_future", lang, date=timeutil.format_date(m.hieu_luc_tu, lang))}
    elif pending:
        q = pending[0]
        v.banner = {"kind": "future", "text": t("tthc.banner_pending", lang, decision=q.so, date=timeutil.format_date(q.ngay, lang),
                                                 change=CHANGE_LABELS[q.loai_thay_doi][lang].lower())}

    if site.site_url:
        v.abs_url = site.abs_url(e.url)
        if collect is None:  # a dry run runs beside the codes' drawing (`pages`): no code here
            v.qr_svg = Markup(qr.svg(v.abs_url, f"{t('tthc.print_scan', lang)}: {v.abs_url}", masks))
    if isinstance(e, TranslatedEntry):
        original = e.vietnamese
        v.official_name = original.name
        v.vietnamese_url = original.url
        if e.stale:
            v.stale = {"updated": timeutil.format_date(original.updated, lang),
                       "translated": timeutil.format_date(e.translated_on, lang)}
    v.partial = r.fallback
    # Sections follow the declared order of the cases (common entries first).
    order = {c.ma: i for i, c in enumerate(m.cac_truong_hop)}
    rank = {lbl: order[k] for k, lbl in labels.items()}
    for items in (v.steps, v.dossier, v.methods, v.results):
        items.sort(key=lambda x: -1 if not x.get("case") else rank.get(x["case"], len(rank)))
    if collect is None:
        e.view = v
    return v


def _summaries(m, lang: str, today: date) -> tuple[str, str]:
    """(time, fees) in short, as a procedure's description and its view say them."""
    times: list[tuple] = []
    fee_texts: list[str] = []
    any_fee = False
    for c in m.cach_thuc_thuc_hien:
        th = c.thoi_han
        if th.so is not None and th.so > 0 and th.don_vi != "khac":
            times.append((th.don_vi, th.so))
        for fee in c.phi_le_phi:
            if _fee_active(fee, today):
                any_fee = True
                fee_texts.append(_fee_text(fee, lang))
    time_summary = _time_summary(times, lang) or t("tthc.time_see", lang)
    if not any_fee:
        return time_summary, t("tthc.no_fee", lang)
    amounts = [x for x in dict.fromkeys(fee_texts) if x != t("tthc.fee_not_set", lang)]
    return time_summary, "; ".join(amounts) if amounts and len(amounts) <= 3 else t("tthc.fee_see", lang)


def _field_label(site, e: ProcedureEntry):
    return _Renderer(site, e).text(e.light.linh_vuc.ten, ("linh_vuc", "ten"))


def _levels_label(e: ProcedureEntry, lang: str) -> str:
    return ", ".join(LEVEL_LABELS[x][lang] for x in e.levels)


class LazyView:
    """A procedure's view (`build_view`) built when something first reads more of it than its
    list summaries: the page being rendered, or an exact page key (cchc.buildcache resolves it
    with `cchc_resolve`). A rebuild keeps most procedure pages as they are and builds the
    views of the others only: building all 1,000 of the benchmark's was 0.7 s of every rebuild.

    Made only for a procedure whose problems are already known (`_views`): building a view is
    also how the problems of its texts are found, and those must all be reported before anything
    is written, whatever page is rendered."""

    __cchc_key_memo__ = True
    __slots__ = ("_make", "_view", "_known")

    def __init__(self, make, known: dict):
        self._make = make
        self._view: Optional[ProcedureView] = None
        self._known = known  # what lists and descriptions read, computed without the view

    def cchc_resolve(self) -> ProcedureView:
        if self._view is None:
            if fastbuild.in_worker():
                # Its texts come from the build cache, which only the build's process may use.
                raise RuntimeError(f"the view of {self._known['code']} was not built before rendering "
                                   "(cchc.site.Site.prepare): a page reads it outside the parts kept for it")
            self._view, self._make = self._make(), None
        return self._view

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        known = self._known
        if name in known:
            return known[name]
        return getattr(self.cchc_resolve(), name)


def resolve_views(context: dict, skip: frozenset = frozenset()) -> None:
    """Build the lazy views a page's context holds (before forking the rendering workers: a
    view is built from the build cache's database, which only this process may use), but
    those of the procedures at the URLs `skip`, whose part of the page is kept (`kept_bases`)."""
    for value in context.values():
        for v in (value if isinstance(value, list) else (value,)):
            if isinstance(v, LazyView) and v.e.url not in skip:
                v.cchc_resolve()


def kept_bases(page: OutputPage) -> frozenset:
    """The procedure pages whose views `page` need not build: a print page's sheet of the n-th
    procedure of its `views` is the part (its procedure's URL, (n,)) (`{% call
    cchc_kept_part(v.e.url, loop.index) %}` in print.html), kept from the last build while that
    procedure's own page is the same (`OutputPage.kept_parts`). Only a sheet found under that
    exact id spares its view: one not found is rendered, from the view."""
    kept = page.kept_parts
    if not kept:
        return frozenset()
    return frozenset(v.e.url for n, v in enumerate(page.context.get("views") or (), 1) if (v.e.url, (n,)) in kept)


def _time_summary(times: list[tuple], lang: str = "vi") -> str:
    if not times:
        return ""
    units = {u for u, _ in times}
    if len(units) == 1:
        unit = units.pop()
        lo, hi = min(x for _, x in times), max(x for _, x in times)
        span = fmt_number(lo, lang) if lo == hi else f"{fmt_number(lo, lang)}–{fmt_number(hi, lang)}"
        return f"{span} {unit_label(unit, hi, lang)}"
    return "; ".join(dict.fromkeys(f"{fmt_number(x, lang)} {unit_label(u, x, lang)}" for u, x in sorted(times)))


# --- lists -----------------------------------------------------------------------


def _row(e: ProcedureEntry, lang: str = "vi", notice_url: Optional[str] = None) -> dict:
    """A row of a list. `notice_url`: the entry is Vietnamese, listed on a page of `lang` (notice mode).

    Made once per entry and build (`_memo`): a procedure is listed on its field's, level's
    and status's pages and on the index."""
    return _memo(e, ("row", lang, notice_url), lambda: _make_row(e, lang, notice_url))


def _memo(e: ProcedureEntry, key: tuple, make):
    memo = e.__dict__.setdefault("_rows", {})  # not in page keys (`__cchc_key_skip__`)
    got = memo.get(key)
    if got is None:
        got = memo[key] = make()
    return got


def _make_row(e: ProcedureEntry, lang: str, notice_url: Optional[str]) -> dict:
    name: Any = e.name
    field_name: Any = e.field_name
    if notice_url is not None:
        name = Markup('<span lang="vi">%s</span>') % e.name
    if lang != "vi" and not (isinstance(e, TranslatedEntry) and e.own(("linh_vuc", "ten"))):
        field_name = Markup('<span lang="vi">%s</span>') % e.field_name
    return {
        "code": e.code, "name": name, "url": notice_url or e.url, "status": e.status,
        "status_label": STATUS_LABELS[e.status][lang], "in_force": e.in_force,
        "levels": _levels_label(e, lang),
        "field": field_name, "field_slug": e.field_slug, "only_vi": notice_url is not None,
    }


def _catalogue_row(site, e: ProcedureEntry, lang: str) -> dict:
    """A line of the print pages' list: what the view shows there, without building it (once per
    entry and build: the list of all procedures and its field's list show it)."""
    return _memo(e, ("catalogue", lang), lambda: _make_catalogue_row(site, e, lang))


def _make_catalogue_row(site, e: ProcedureEntry, lang: str) -> dict:
    m = e.light
    newest = sorted(m.quyet_dinh_cong_bo, key=lambda q: q.ngay)[-1] if m.quyet_dinh_cong_bo else None
    return {"code": e.code, "name": e.name, "url": e.url, "field_label": _field_label(site, e),
            "levels": _levels_label(e, lang),
            "decision": {"no": newest.so, "date": timeutil.format_date(newest.ngay, lang)} if newest else None}


def group_by_field(entries: Iterable[ProcedureEntry], lang: str = "vi", rows=None) -> list[dict]:
    groups: dict[str, dict] = {}
    for e in entries:
        g = groups.setdefault(e.field_slug, {"slug": e.field_slug, "name": e.field_name, "rows": [], "anchor": f"lv-{e.field_slug}"})
        if lang != "vi" and isinstance(e, TranslatedEntry):
            g["name"] = e.field_name if e.own(("linh_vuc", "ten")) else g["name"]
        g["rows"].append(rows(e) if rows is not None else _row(e, lang))
    for g in groups.values():
        if lang != "vi" and not any(isinstance(e, TranslatedEntry) and e.field_slug == g["slug"] and e.own(("linh_vuc", "ten"))
                                    for e in entries):
            g["name"] = Markup('<span lang="vi">%s</span>') % g["name"]
    if lang == "vi":
        return sorted(groups.values(), key=lambda g: g["name"])
    return sorted(groups.values(), key=lambda g: fold(str(Markup(g["name"]).striptags())))


def facets(state: ProcedureState, current: Optional[str] = None) -> list[dict]:
    """Filter links (plain links to generated pages: no JavaScript needed)."""
    base = state.__dict__.get("_facets")
    if base is None:  # the same counts on every list page: counted once
        base = state.__dict__["_facets"] = _facet_counts(state)
    return [{"title": g["title"], "links": [{**link, "current": link["url"] == current} for link in g["links"]]}
            for g in base]


def _facet_counts(state: ProcedureState) -> list[dict]:
    entries = state.entries
    fields: dict[str, dict] = {}
    for e in entries:
        f = fields.setdefault(e.field_slug, {"label": e.field_name, "url": state.field_url(e.field_slug), "count": 0})
        f["count"] += 1
    levels = []
    for lv in LEVEL_SLUGS:
        n = sum(1 for e in entries if lv in e.levels)
        if n:
            levels.append({"label": LEVEL_LABELS[lv]["vi"], "url": state.level_url(lv), "count": n})
    statuses = []
    for st in STATUS_SLUGS:
        n = sum(1 for e in entries if e.status == st)
        if n:
            statuses.append({"label": STATUS_LABELS[st]["vi"], "url": state.status_url(st), "count": n})
    out = [
        {"title": t("tthc.field"), "links": sorted(fields.values(), key=lambda x: x["label"])},
        {"title": t("tthc.level"), "links": levels},
        {"title": t("tthc.status"), "links": statuses},
    ]
    return out


def _alternates(state: ProcedureState, vi_url: str, other: dict) -> dict:
    """{lang: url} of a Vietnamese page; `other`: lang -> url or None (no page in that language)."""
    out = {"vi": vi_url}
    for lang in state.other_languages:
        if other.get(lang):
            out[lang] = other[lang]
    return out


def pages(site, state: ProcedureState) -> Iterable[OutputPage]:
    from .. import buildcache

    masks = qr.MaskCache(os.path.join(buildcache.cache_dir(site.config_dir), "qr-masks.json")
                         if buildcache.enabled() else None)
    every = [e for lang in ["vi", *state.other_languages]
             for e in (state.entries if lang == "vi" else state.entries_for(lang))]
    # Texts of many procedures read afresh (a cold build, or their files changed) are converted
    # on every core first: found by a dry run of the views (≈ 0.3 s for 1,000 procedures, run
    # while the other cores draw the QR codes), which a rebuild after a few edits skips (its
    # texts come from the cache). Serial, the conversions were ≈ 2 s of a cold build of the
    # large benchmark.
    cache = getattr(site.markdown, "cache", None)
    fresh = cache.computed.get("procedure", 0) if cache is not None else len(state.entries)
    requests: list = []

    def dry_run() -> None:
        if fresh >= fastbuild.MIN_ITEMS_PER_MAP_JOB:
            for e in every:
                build_view(site, state, e, masks, collect=requests)

    qr.prefetch([site.abs_url(e.url) for e in every if e.view is None] if site.site_url else [], masks, beside=dry_run)
    if requests:
        site.markdown.prefetch(requests)
    built = _views(site, state, every, masks, cache)
    views = {e.code: built[i] for i, e in enumerate(state.entries)}
    at = len(state.entries)
    translated = {}
    for lang in state.other_languages:
        entries = state.entries_for(lang)
        translated[lang] = {e.code: built[at + i] for i, e in enumerate(entries)}
        at += len(entries)
    masks.save()
    yield from _vietnamese_pages(site, state, views)
    for lang in state.other_languages:
        if state.has_index(lang):
            yield from _language_pages(site, state, lang, translated[lang])


def _views(site, state: ProcedureState, every: list, masks, cache) -> list:
    """The view of each entry of `every`, in order, and the problems of their texts reported
    in that order.

    With the build cache, an entry whose file (and, for a translation, its Vietnamese file) is
    unchanged since the last build, and whose texts' link targets resolve the same
    (`MarkdownRenderer.deps_hold`), gets its stored problems reported again and a `LazyView`.
    The others are built now, and their problems and link targets stored for the next build."""
    if cache is None:
        return [build_view(site, state, e, masks) for e in every]
    contents = []
    for e in every:
        files = [e.source] + ([e.vietnamese.source] if isinstance(e, TranslatedEntry) else [])
        digests = [cache.file_digests.get(site.abs_path(f)) for f in files]
        # Only the digest of the bytes the build read and checked (`yamlsrc.parse_all`): a file
        # read again here may have been saved since (`mkdocs serve`), and its stored problems
        # would be another text's. Without one, the view is built now and nothing is stored.
        contents.append(None if None in digests else "\0".join(
            f"{f}\0{d}" for f, d in zip(files, digests)).encode("utf-8", "surrogateescape"))
    fresh: set[int] = set()  # built now (`build_view` keeps each view in its entry's `view`)

    def build(indexes: list[int]) -> list:
        out = []
        for i in indexes:
            found, deps, keys = Problems(), [], []
            build_view(site, state, every[i], masks, problems=found, deps=deps, keys=keys)
            fresh.add(i)
            out.append((list(found), deps, keys))
        return out

    known_at = [i for i, c in enumerate(contents) if c is not None]
    stored: list = [None] * len(every)
    for i, record in zip(known_at, cache.load_many("procedure-view", [contents[i] for i in known_at],
                                                   lambda missing: build([known_at[j] for j in missing]))):
        stored[i] = record
    views: list = []
    today = site.now.date()
    for i, e in enumerate(every):
        if stored[i] is None:
            stored[i] = build([i])[0]
        found, deps, keys = stored[i]
        if i not in fresh and not site.markdown.deps_hold(deps):
            found, deps, keys = build([i])[0]
            cache.store("procedure-view", contents[i], (found, deps, keys))
        site.problems.extend(found)
        if i not in fresh:
            cache.keep_md(keys)  # the texts a later build converts from them, when it renders the page
        if e.view is not None:
            views.append(e.view)
            continue
        time_summary, fee_summary = _summaries(e.light, e.lang, today)
        known = {"e": e, "lang": e.lang, "code": e.code, "name": e.name, "field_label": _field_label(site, e),
                 "time_summary": time_summary, "fee_summary": fee_summary}
        views.append(LazyView(lambda e=e: build_view(site, state, e, masks, problems=Problems()), known))
    site.stats["procedure views"] = f"{len(fresh)} built, {len(every) - len(fresh)} deferred"
    return views


def _item_toc(lang: str) -> list[TocEntry]:
    return [TocEntry(2, "buoc-chuan-bi", t("tthc.step_prepare", lang)), TocEntry(2, "buoc-nop", t("tthc.step_submit", lang)),
            TocEntry(2, "buoc-thoi-han-phi", t("tthc.step_time_fee", lang)), TocEntry(2, "buoc-trinh-tu", t("tthc.step_process", lang)),
            TocEntry(2, "buoc-ket-qua", t("tthc.step_result", lang)), TocEntry(2, "thong-tin", t("tthc.info", lang))]


def _item_description(e: ProcedureEntry, v: ProcedureView, lang: str) -> str:
    desc = (f"{t('tthc.code', lang)} {e.code}. {e.field_name}. {t('tthc.summary_time', lang)}: {v.time_summary}. "
            f"{t('tthc.summary_fee', lang)}: {v.fee_summary}.")
    return desc[:300]


def _vietnamese_pages(site, state: ProcedureState, views: dict) -> Iterable[OutputPage]:
    base = state.index_url
    unit = site.settings.don_vi
    others = state.other_languages
    index_alts = {x: state.index_url_for(x) if state.has_index(x) else None for x in others}
    in_force = [e for e in state.entries if e.in_force]
    retired = [e for e in state.entries if not e.in_force]
    yield OutputPage(
        url=base,
        template="cchc/procedures/index.html",
        title=t("tthc"),
        context={
            "procedures": state,
            "intro": t("tthc.index_intro", n=len(in_force), unit=unit.ten),
            "groups": group_by_field(in_force),
            "retired": [_row(e) for e in retired],
            "facets": facets(state),
            "changes": state.changes[:5],
            "print_url": state.print_url,
        },
        section=base,
        description=t("tthc.index_intro", n=len(in_force), unit=unit.ten),
        nav_stub=True,
        alternates=_alternates(state, base, index_alts),
    )

    def listing(url: str, heading: str, entries: list[ProcedureEntry], **extra) -> OutputPage:
        return OutputPage(
            url=url,
            template="cchc/procedures/list.html",
            title=f"{heading} – {t('tthc')}",
            context={"procedures": state, "heading": heading, "groups": group_by_field(entries),
                     "count": len(entries), "facets": facets(state, url), **extra},
            section=base,
            description=f"{t('tthc')}: {heading} ({t('tthc.count', n=len(entries))}).",
            alternates=_alternates(state, url, index_alts),
        )

    printable = {e.field_slug for e in in_force}
    fields: dict[str, list] = {}
    for e in state.entries:
        fields.setdefault(e.field_slug, []).append(e)
    for slug, entries in sorted(fields.items()):
        yield listing(state.field_url(slug), entries[0].field_name, entries,
                      print_url=state.print_field_url(slug) if slug in printable else None)
    for lv in LEVEL_SLUGS:
        entries = [e for e in state.entries if lv in e.levels]
        if entries:
            yield listing(state.level_url(lv), LEVEL_LABELS[lv]["vi"], entries)
    for st in STATUS_SLUGS:
        entries = [e for e in state.entries if e.status == st]
        if entries:
            yield listing(state.status_url(st), STATUS_LABELS[st]["vi"], entries)

    toc = _item_toc("vi")
    for e in state.entries:
        v = views[e.code]
        yield OutputPage(
            url=e.url,
            template="cchc/procedures/item.html",
            title=e.name,
            context={"proc": v, "procedures": state},
            section=base,
            description=_item_description(e, v, "vi"),
            toc=toc,
            lastmod=timeutil.parse_datetime(e.updated),
            search_kind="procedure",
            alternates=_alternates(state, e.url, {x: state.alternate(e, x) for x in others}),
        )

    print_alts = {x: state.print_url_for(x) if state.has_index(x) else None for x in others}
    yield from _print_pages(site, state, "vi", in_force, views, print_alts)


def _print_pages(site, state: ProcedureState, lang: str, in_force: list, views: dict, alts: dict) -> Iterable[OutputPage]:
    """The list and the full content of every procedure, for the notice board (not in the sitemap)."""
    in_force_fields: dict[str, list] = {}
    for e in in_force:
        in_force_fields.setdefault(e.field_slug, []).append(e)
    field_links = [{"url": state.print_field_url_for(slug, lang), "label": views[entries[0].code].field_label,
                    "count": len(entries)} for slug, entries in sorted(in_force_fields.items())]

    def alternates(own: str) -> dict:
        if lang == "vi":
            return _alternates(state, own, alts)
        return {"vi": alts["vi"], lang: own}

    def printing(url: str, heading, entries: list[ProcedureEntry], full: bool) -> OutputPage:
        plain = str(heading.striptags()) if isinstance(heading, Markup) else heading
        return OutputPage(
            url=url,
            template="cchc/procedures/print.html",
            title=f"{t('tthc.print_title', lang)} – {plain}" if heading else t("tthc.print_title", lang),
            # The list at the top is made of copies (`_catalogue_row`), and the views are there
            # only for a page that prints them in full: the list of all procedures of a large
            # unit then reaches none of them, and a rebuild after one procedure's text changed
            # neither builds nor keys the views of the 1,000 others for it.
            context={"procedures": state, "heading": heading,
                     "catalogue": [_catalogue_row(site, e, lang) for e in entries],
                     "views": [views[e.code] for e in entries] if full else [], "full": full,
                     "posted": site.now.date(), "field_links": [] if full else field_links},
            lang=lang,
            section=state.index_url_for(lang),
            description=t("tthc.print_title", lang),
            sitemap=False,
            alternates=alternates(url),
        )

    # One page with every procedure in full is what a health centre (a dozen procedures)
    # pins up; a Sở Y tế with a thousand would get a page of tens of megabytes, so past
    # PRINT_ALL_LIMIT the whole-list page carries the list and links to one page per field.
    full = len(in_force) <= PRINT_ALL_LIMIT
    yield printing(state.print_url_for(lang), "", in_force, full=full)
    if lang != "vi" and full:
        return  # another language's list is short: its whole-list page is enough
    for slug, entries in sorted(in_force_fields.items()):
        own = state.print_field_url_for(slug, lang)
        if lang != "vi":
            alts = {**alts, "vi": state.print_field_url(slug)}
        yield printing(own, views[entries[0].code].field_label, entries, full=True)


def _language_pages(site, state: ProcedureState, lang: str, views: dict) -> Iterable[OutputPage]:
    """The section in another language: index, translated procedures, notices, print pages."""
    base = state.index_url_for(lang)
    unit = site.settings.don_vi.localized(lang)
    entries = state.entries_for(lang)
    notice = state.untranslated == "notice"
    untranslated = [e for e in state.entries if lang not in e.translations] if notice else []
    listed = sorted(entries + untranslated, key=lambda e: e.code)
    in_force = [e for e in listed if e.in_force]
    retired = [e for e in listed if not e.in_force]

    def row(e: ProcedureEntry) -> dict:
        return _row(e, lang, None if isinstance(e, TranslatedEntry) else state.page_url(e.code, lang))

    total = sum(1 for e in state.entries if e.in_force)
    n = sum(1 for e in entries if e.in_force)
    intro = t("tthc.index_intro_notice" if notice else "tthc.index_intro_lang", lang, n=n, total=total, unit=unit.ten)
    yield OutputPage(
        url=base,
        template="cchc/procedures/index.html",
        title=t("tthc", lang),
        context={
            "procedures": state,
            "intro": intro,
            "groups": group_by_field(in_force, lang, row),
            "retired": [row(e) for e in retired],
            "facets": [],
            "changes": state.changes_for(lang)[:5],
            "print_url": state.print_url_for(lang) if any(e.in_force for e in entries) else None,
            "vietnamese_url": state.index_url,
        },
        lang=lang,
        section=base,
        description=intro,
        alternates={"vi": state.index_url, lang: base},
    )
    toc = _item_toc(lang)
    for e in entries:
        v = views[e.code]
        yield OutputPage(
            url=e.url,
            template="cchc/procedures/item.html",
            title=e.name,
            context={"proc": v, "procedures": state},
            lang=lang,
            section=base,
            description=_item_description(e, v, lang),
            toc=toc,
            lastmod=timeutil.parse_datetime(max(e.updated, e.translated_on or e.updated)),
            search_kind="procedure",
            alternates={"vi": e.vietnamese.url, lang: e.url},
        )
    for e in untranslated:
        url = state.page_url(e.code, lang)
        yield OutputPage(
            url=url,
            template="cchc/procedures/untranslated.html",
            title=e.name,
            context={"entry": e, "procedures": state, "status_label": STATUS_LABELS[e.status][lang]},
            lang=lang,
            section=base,
            description=f"{t('tthc.only_vi_title', lang)}: {e.name} ({e.code}).",
            lastmod=timeutil.parse_datetime(e.updated),
            alternates={"vi": e.url, lang: url},
        )
    printable = [e for e in entries if e.in_force]
    if printable:
        alts = {"vi": state.print_url}
        yield from _print_pages(site, state, lang, printable, views, alts)
