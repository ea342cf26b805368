"""Read every procedure file, check it, and keep what other modules need in `ProcedureState`.

Checks that pydantic cannot express (they involve several fields, other files or
the file system) live here, each reported as a `Problem` with file, line and field,
in Vietnamese, saying what to write instead.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from ..modeling import LazyModel, validate
from ..problems import Problems, register_messages
from ..text import slugify
from ..site import ItemLink
from ..yamlsrc import LazyLocated, Located, load_yaml, parse_all, read_text
from . import overlay
from .model import CHANGE_KIND, STATUS_FROM_CHANGE, Procedure, ProcedureTranslation

register_messages(
    {
        "procedures.dvc_code_pattern": {
            "vi": "mã dịch vụ công '{value}' không đúng dạng. Viết mã thủ tục, dấu chấm và 2 chữ số, ví dụ \"1.014331.01\" (trong ngoặc kép).",
            "en": "public-service code '{value}' has the wrong form. Write the procedure code, a dot and two digits, e.g. \"1.014331.01\" (in quotes).",
        },
        "procedures.case_key_pattern": {
            "vi": "khóa trường hợp '{value}' không hợp lệ. Dùng khóa ngắn không dấu, không khoảng trắng, ví dụ 1, 2 hoặc mang-thai-ho.",
            "en": "case key '{value}' is not valid. Use a short key without accents or spaces, e.g. 1, 2 or surrogacy.",
        },
        "procedures.filename": {
            "vi": "tên tệp '{name}' không khớp mã thủ tục {ma}. Đổi tên tệp thành '{ma}.yml' (mỗi thủ tục một tệp, đặt tên theo mã).",
            "en": "file name '{name}' does not match procedure code {ma}. Rename the file to '{ma}.yml' (one file per procedure, named by its code).",
        },
        "procedures.duplicate_code": {
            "vi": "mã thủ tục {ma} đã có ở tệp {other}. Mỗi mã chỉ có một tệp: gộp nội dung vào một tệp và xoá tệp còn lại.",
            "en": "procedure code {ma} already exists in {other}. One file per code: merge the content and delete the other file.",
        },
        "procedures.no_steps": {
            "vi": "chưa có trình tự thực hiện. Thêm 'trinh_tu_thuc_hien:' với ít nhất một mục gồm 'cac_buoc:' (mỗi bước một dòng bắt đầu bằng '- ').",
            "en": "no steps. Add 'trinh_tu_thuc_hien:' with at least one entry holding 'cac_buoc:' (one line per step starting with '- ').",
        },
        "procedures.no_method": {
            "vi": "chưa có cách thức thực hiện. Thêm 'cach_thuc_thuc_hien:' với ít nhất một hình thức nộp (truc_tiep, truc_tuyen hoặc buu_chinh) kèm 'thoi_han:'.",
            "en": "no submission method. Add 'cach_thuc_thuc_hien:' with at least one method (truc_tiep, truc_tuyen or buu_chinh) and its 'thoi_han:'.",
        },
        "procedures.no_decision": {
            "vi": "chưa có quyết định công bố. Thêm 'quyet_dinh_cong_bo:' với số, ngày, cơ quan ban hành và loai_thay_doi (moi_ban_hanh, sua_doi_bo_sung, thay_the, bai_bo).",
            "en": "no publishing decision. Add 'quyet_dinh_cong_bo:' with number, date, issuer and loai_thay_doi (moi_ban_hanh, sua_doi_bo_sung, thay_the, bai_bo).",
        },
        "procedures.fee_dates": {
            "vi": "phí áp dụng đến {end} nhưng lại bắt đầu từ {start}. Ngày 'hieu_luc_den' phải bằng hoặc sau 'hieu_luc_tu'; kiểm tra lại hai ngày (có thể bị đảo).",
            "en": "fee applies until {end} but starts on {start}. 'hieu_luc_den' must be on or after 'hieu_luc_tu'; check both dates (they may be swapped).",
        },
        "procedures.validity_dates": {
            "vi": "thủ tục hết hiệu lực ngày {end} trước ngày có hiệu lực {start}. Sửa 'hieu_luc_den' thành một ngày bằng hoặc sau 'hieu_luc_tu'.",
            "en": "the procedure ends on {end}, before it starts on {start}. Set 'hieu_luc_den' on or after 'hieu_luc_tu'.",
        },
        "procedures.abolished_without_end": {
            "vi": "thủ tục bị bãi bỏ nhưng chưa ghi ngày hết hiệu lực. Thêm dòng 'hieu_luc_den: …' (ngày quyết định bãi bỏ có hiệu lực, ví dụ {example}).",
            "en": "the procedure is abolished but has no end date. Add 'hieu_luc_den: …' (the date the abolishing decision takes effect, e.g. {example}).",
        },
        "procedures.replaced_without_successor": {
            "vi": "thủ tục bị thay thế nhưng chưa ghi thủ tục thay thế. Thêm dòng 'thay_the_boi: \"1.xxxxxx\"' (mã thủ tục mới, trong ngoặc kép).",
            "en": "the procedure is replaced but names no replacement. Add 'thay_the_boi: \"1.xxxxxx\"' (the new procedure's code, in quotes).",
        },
        "procedures.successor_without_status": {
            "vi": "có 'thay_the_boi: {ma}' nhưng thủ tục vẫn ở trạng thái đang áp dụng. Thêm quyết định có 'loai_thay_doi: thay_the' hoặc dòng 'trang_thai: bi_thay_the'; nếu không bị thay thế thì xoá dòng 'thay_the_boi'.",
            "en": "'thay_the_boi: {ma}' is set but the procedure is still in force. Add a decision with 'loai_thay_doi: thay_the' or 'trang_thai: bi_thay_the'; otherwise delete 'thay_the_boi'.",
        },
        "procedures.successor_missing": {
            "vi": "thủ tục thay thế {ma} không có trong thư mục {folder}/. Thêm tệp {folder}/{ma}.yml cho thủ tục mới, hoặc sửa lại mã.",
            "en": "replacement procedure {ma} is not in {folder}/. Add {folder}/{ma}.yml for the new procedure, or correct the code.",
        },
        "procedures.successor_self": {
            "vi": "thủ tục không thể thay thế chính nó. Ghi mã của thủ tục mới vào 'thay_the_boi'.",
            "en": "a procedure cannot replace itself. Write the new procedure's code in 'thay_the_boi'.",
        },
        "procedures.status_conflict": {
            "vi": "trạng thái '{status}' mâu thuẫn với quyết định mới nhất {decision} ({change}). Sửa 'trang_thai' hoặc xoá dòng này để hệ thống tự suy ra từ quyết định.",
            "en": "status '{status}' contradicts the newest decision {decision} ({change}). Fix 'trang_thai' or delete it to derive it from the decision.",
        },
        "procedures.form_missing": {
            "vi": "không tìm thấy tệp mẫu đơn '{value}' (tìm tại {looked}). Đặt tệp vào thư mục content/ (ví dụ content/bieu-mau/) và ghi đường dẫn tính từ content/, hoặc dùng 'url:' thay cho 'tep:'.",
            "en": "form file '{value}' not found (looked at {looked}). Put the file under content/ (e.g. content/bieu-mau/) and write its path from content/, or use 'url:' instead of 'tep:'.",
        },
        "procedures.form_empty": {
            "vi": "mẫu đơn '{name}' chưa có tệp hay địa chỉ tải. Thêm 'tep: bieu-mau/…' (tệp trong content/) hoặc 'url: https://…'.",
            "en": "form '{name}' has neither a file nor a download address. Add 'tep: bieu-mau/…' (a file under content/) or 'url: https://…'.",
        },
        "procedures.case_unknown": {
            "vi": "trường hợp '{value}' chưa được khai báo. Dùng một trong: {allowed}; hoặc thêm vào 'cac_truong_hop:' một mục 'ma: {value}' kèm 'ten: …'.",
            "en": "case '{value}' is not declared. Use one of: {allowed}; or add an entry 'ma: {value}' with 'ten: …' to 'cac_truong_hop:'.",
        },
        "procedures.case_duplicate": {
            "vi": "khóa trường hợp '{value}' bị lặp. Mỗi trường hợp một khóa riêng, ví dụ 1, 2, 3.",
            "en": "case key '{value}' is repeated. Give each case its own key, e.g. 1, 2, 3.",
        },
        "procedures.dvc_prefix": {
            "vi": "mã dịch vụ công {value} không bắt đầu bằng mã thủ tục {ma}. Mã dịch vụ công có dạng {ma}.01, {ma}.02…",
            "en": "public-service code {value} does not start with procedure code {ma}. Service codes look like {ma}.01, {ma}.02…",
        },
        "procedures.related_unnamed": {
            "vi": "thủ tục liên quan {value} không có trong {folder}/ nên cần tên để hiển thị. Thêm dòng 'ten: …' (tên thủ tục) và nếu có 'url: …'.",
            "en": "related procedure {value} is not in {folder}/, so it needs a name to be shown. Add 'ten: …' (and 'url: …' if known).",
        },
        "procedures.stale": {
            "vi": "ngày cập nhật {updated} cũ hơn quyết định mới nhất {decision} ngày {decision_date}. Đối chiếu nội dung niêm yết với quyết định này rồi sửa 'ngay_cap_nhat' thành ngày cập nhật (từ {decision_date} trở đi).",
            "en": "last-updated date {updated} is older than the newest decision {decision} of {decision_date}. Check the posted content against it, then set 'ngay_cap_nhat' to the update date ({decision_date} or later).",
        },
        "procedures.code_as_number": {
            "vi": "mã '{value}' được viết không có ngoặc kép nên YAML đọc thành số. Viết trong ngoặc kép: \"{value}\".",
            "en": "code '{value}' is written without quotes, so YAML reads it as a number. Put it in quotes: \"{value}\".",
        },
    }
)

# Fields holding codes that YAML would read as numbers when unquoted (1.014331 is a float).
_CODE_PATHS = (
    ("ma_tthc",),
    ("thay_the_boi",),
    ("thay_the_cho", "*"),
    ("thu_tuc_lien_quan", "*", "ma"),
    ("dich_vu_cong", "*", "ma_dvc"),
)
_NUMBER_TOKEN = re.compile(r"(?<![\w.])\d+(?:\.\d+)+(?![\w.])")

STATUS_LABELS = {
    "hieu_luc": {"vi": "Đang áp dụng", "en": "In force"},
    "da_sua_doi": {"vi": "Đang áp dụng (đã sửa đổi, bổ sung)", "en": "In force (amended)"},
    "bi_thay_the": {"vi": "Đã bị thay thế", "en": "Replaced"},
    "bi_bai_bo": {"vi": "Đã bị bãi bỏ", "en": "Abolished"},
}
STATUS_SLUGS = {"hieu_luc": "dang-ap-dung", "da_sua_doi": "da-sua-doi", "bi_thay_the": "bi-thay-the", "bi_bai_bo": "bi-bai-bo"}
LEVEL_LABELS = {
    "cap_bo": {"vi": "Cấp Bộ", "en": "Ministry"},
    "cap_tinh": {"vi": "Cấp tỉnh", "en": "Province"},
    "cap_xa": {"vi": "Cấp xã", "en": "Commune"},
    "co_quan_khac": {"vi": "Cơ quan khác", "en": "Other agency"},
    "chua_xac_dinh": {"vi": "Chưa xác định", "en": "Undetermined"},
}
LEVEL_SLUGS = {"cap_bo": "cap-bo", "cap_tinh": "cap-tinh", "cap_xa": "cap-xa", "co_quan_khac": "co-quan-khac",
               "chua_xac_dinh": "chua-xac-dinh"}
CHANGE_LABELS = {
    "moi_ban_hanh": {"vi": "Thủ tục mới ban hành", "en": "New procedure"},
    "sua_doi_bo_sung": {"vi": "Được sửa đổi, bổ sung", "en": "Amended"},
    "thay_the": {"vi": "Bị thay thế", "en": "Replaced"},
    "bai_bo": {"vi": "Bị bãi bỏ", "en": "Abolished"},
}


def code_slug(code: str) -> str:
    """URL segment of a code: dots are not path-safe in all tooling ("1.014331" -> "1-014331")."""
    return code.replace(".", "-")


@dataclass
class LifecycleChange:
    """One line of a publishing decision: this procedure was new / amended / replaced / abolished."""

    code: str
    name: str
    url: str
    kind: str  # new | amended | replaced | abolished
    decision: str
    date: date
    issuer: str
    change: str  # the model's loai_thay_doi
    note: Optional[str] = None
    replacement_url: Optional[str] = None
    lang: str = "vi"

    @property
    def kind_label(self) -> str:
        return CHANGE_LABELS[self.change][self.lang]


@dataclass
class ProcedureEntry:
    # Page keys (cchc.buildcache) do not digest these with the entry. `view`: built or not
    # (views.LazyView), its content counts in the keys of the pages that show it, which hold it
    # in their context. `lines`: positions in the entry's file (whose digest the entry's key
    # has), released or kept for a view still to build (ProceduresModule.release). `_status`:
    # `status` remembered, whether asked yet or not; `_rows`: its rows in lists, made from it
    # (views._memo).
    # `parsed`: the validated model, which page keys never digest with an item (its file's
    # digest covers it), whether read yet or not.
    __cchc_key_skip__ = ("view", "lines", "_status", "parsed", "_rows")

    parsed: LazyModel  # the validated model (`model`), and the fields every build reads (`light`)
    source: str  # path as shown in messages, e.g. "procedures/1.014331.yml"
    key: str  # site.urls key, e.g. "../procedures/1.014331.yml"
    lines: Located
    url: str
    # Visible news items naming this procedure, newest first: copies (cchc.site.ItemLink), not
    # the items (see ItemLink).
    news: list = field(default_factory=list)
    replacement: Optional["ProcedureEntry"] = None
    replaces: list = field(default_factory=list)  # entries this one replaces
    related: list = field(default_factory=list)  # [(LienQuan, ProcedureEntry | None)]
    view: Any = None  # filled by views.build_view (rendered HTML pieces), memoised
    today: Optional[date] = None  # the build's date: decisions dated later are not in effect yet
    translations: dict = field(default_factory=dict)  # lang -> TranslatedEntry (procedures/<code>.<lang>.yml)
    lang: str = "vi"

    @property
    def model(self) -> Procedure:
        """The whole model (read from the build cache when first asked)."""
        return self.parsed.full()

    @property
    def light(self) -> Procedure:
        """The model for the fields in `LIGHT_FIELDS` only: what every build reads of every
        procedure (lists, checks, links, feeds), without reading the whole model of each."""
        return self.parsed.light

    @property
    def code(self) -> str:
        return self.light.ma_tthc

    @property
    def name(self) -> str:
        return self.light.ten

    @property
    def title(self) -> str:
        return self.light.ten

    @property
    def status(self) -> str:
        # Asked ≈ 30 times per procedure a build (lists, filters, facets, counts): 0.1 s of the
        # benchmark's 1,000, so remembered for the build's date (its model does not change).
        memo = self.__dict__.get("_status")
        if memo is None or memo[0] != self.today:
            memo = self.__dict__["_status"] = (
                self.today, self.light.status_at(self.today) if self.today else self.light.status)
        return memo[1]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]["vi"]

    @property
    def in_force(self) -> bool:
        return self.status in ("hieu_luc", "da_sua_doi")

    @property
    def field_name(self) -> str:
        return self.light.linh_vuc.ten

    @property
    def field_slug(self) -> str:
        slug = self.__dict__.get("_field_slug")
        if slug is None:  # asked by every list, facet and print page: slugified once
            slug = self.__dict__["_field_slug"] = slugify(self.light.linh_vuc.ten) or "khac"
        return slug

    @property
    def levels(self) -> list[str]:
        return list(self.light.cap_thuc_hien)

    @property
    def updated(self) -> date:
        return self.light.ngay_cap_nhat

    @property
    def decision(self):
        return self.light.newest_decision

    @property
    def original(self) -> "ProcedureEntry":
        return self

    def own(self, loc: tuple) -> bool:
        """True when the text at `loc` is in the page's language (always, for the Vietnamese file)."""
        return True


@dataclass
class TranslatedEntry(ProcedureEntry):
    """A procedure in another language: the Vietnamese model with the translation laid over it.

    `source`, `key` and `lines` are the translation file's; texts it does not give
    are the Vietnamese file's (`own(loc)` is False for them).
    """

    vietnamese: Optional[ProcedureEntry] = None
    translated: set = field(default_factory=set)
    translated_on: Optional[date] = None  # ngay_dich

    @property
    def original(self) -> ProcedureEntry:
        return self.vietnamese

    def own(self, loc: tuple) -> bool:
        return tuple(loc) in self.translated

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status][self.lang]

    @property
    def field_slug(self) -> str:
        # Grouped and anchored like the Vietnamese list, whatever the translated field name.
        return self.vietnamese.field_slug

    @property
    def stale(self) -> bool:
        """The Vietnamese content was updated after the translation was made."""
        return self.translated_on is not None and self.translated_on < self.vietnamese.updated


# Path segments of the section per language; Vietnamese URLs never change when a
# language is added.
SEGMENTS = {
    "vi": {"base": None, "print": "in"},
    "en": {"base": "en/procedures", "print": "print"},
}


class ProcedureState:
    """`site.data["procedures"]`: every valid procedure, by code, and their lifecycle changes."""

    def __init__(self, base: str = "thu-tuc", folder: str = "procedures"):
        self.base = base
        self.folder = folder
        self.entries: list[ProcedureEntry] = []
        self.by_code: dict[str, ProcedureEntry] = {}
        self.changes: list[LifecycleChange] = []  # newest first
        self.languages: tuple = ("vi",)  # the site's languages, Vietnamese first
        self.untranslated: str = "omit"  # the other languages' site: "omit" or "notice"
        self.translations: dict[str, dict[str, "TranslatedEntry"]] = {}  # lang -> code -> entry
        self.failed: set[str] = set()  # file stems whose Vietnamese file has errors

    def page_key(self) -> tuple:
        """What a generated page reads through this state (cchc.buildcache): its URL rules
        and which languages have which procedures. Entries, views and changes a page shows
        are in its context."""
        return (self.base, self.folder, tuple(self.languages), self.untranslated,
                sorted((lang, sorted(by_code)) for lang, by_code in self.translations.items()))

    # --- other languages ---------------------------------------------------------
    @property
    def other_languages(self) -> tuple:
        return tuple(x for x in self.languages if x != "vi")

    def entries_for(self, lang: str) -> list[ProcedureEntry]:
        """The procedures with a page in `lang`, by code."""
        if lang == "vi":
            return self.entries
        return sorted(self.translations.get(lang, {}).values(), key=lambda e: e.code)

    def in_language(self, entry: ProcedureEntry, lang: str) -> Optional[ProcedureEntry]:
        """The entry of `entry`'s procedure in `lang`, if there is one."""
        original = entry.original
        return original if lang == "vi" else original.translations.get(lang)

    def has_index(self, lang: str) -> bool:
        """Whether `lang` has a procedures section (a list page, in the navigation)."""
        if lang == "vi":
            return True
        if lang not in self.languages:
            return False
        return bool(self.translations.get(lang)) or (self.untranslated == "notice" and bool(self.entries))

    def index_url_for(self, lang: str = "vi") -> str:
        return self.index_url if lang == "vi" else f"{SEGMENTS[lang]['base']}/"

    def page_url(self, code: str, lang: str = "vi") -> str:
        """The page of a procedure in `lang`: its translation, or the "Vietnamese only" notice."""
        return self.url_for(code) if lang == "vi" else f"{SEGMENTS[lang]['base']}/{code_slug(code)}/"

    def print_url_for(self, lang: str = "vi") -> str:
        return self.print_url if lang == "vi" else f"{SEGMENTS[lang]['base']}/{SEGMENTS[lang]['print']}/"

    def print_field_url_for(self, slug: str, lang: str = "vi") -> str:
        return self.print_field_url(slug) if lang == "vi" else f"{self.print_url_for(lang)}{slug}/"

    def alternate(self, entry: ProcedureEntry, lang: str) -> Optional[str]:
        """Where the language switcher of `entry`'s page goes in `lang` (None: nowhere in that language)."""
        other = self.in_language(entry, lang)
        if other is not None:
            return other.url
        if lang != "vi" and self.untranslated == "notice":
            return self.page_url(entry.code, lang)
        return self.index_url_for(lang) if self.has_index(lang) else None

    def changes_for(self, lang: str = "vi") -> list[LifecycleChange]:
        """Lifecycle changes of the procedures that have a page in `lang`, newest first, in that language."""
        if lang == "vi":
            return self.changes
        out = []
        for c in self.changes:
            entry = self.translations.get(lang, {}).get(c.code)
            if entry is None:
                continue
            decision = next((q for q in entry.light.quyet_dinh_cong_bo if q.so == c.decision and q.ngay == c.date), None)
            replacement = None
            if c.replacement_url and entry.vietnamese.replacement is not None:
                succ = entry.vietnamese.replacement
                replacement = (succ.translations.get(lang) or succ).url
            out.append(LifecycleChange(
                code=c.code, name=entry.name, url=entry.url, kind=c.kind, decision=c.decision, date=c.date,
                issuer=decision.co_quan if decision else c.issuer, change=c.change,
                note=decision.ghi_chu if decision else None, replacement_url=replacement, lang=lang,
            ))
        return out

    def get(self, code: str) -> Optional[ProcedureEntry]:
        return self.by_code.get(str(code))

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def in_force(self) -> list[ProcedureEntry]:
        return [e for e in self.entries if e.in_force]

    @property
    def index_url(self) -> str:
        return f"{self.base}/"

    def url_for(self, code: str) -> str:
        return f"{self.base}/{code_slug(code)}/"

    def field_url(self, slug: str) -> str:
        return f"{self.base}/linh-vuc/{slug}/"

    def level_url(self, level: str) -> str:
        return f"{self.base}/cap/{LEVEL_SLUGS[level]}/"

    def status_url(self, status: str) -> str:
        return f"{self.base}/trang-thai/{STATUS_SLUGS[status]}/"

    @property
    def print_url(self) -> str:
        return f"{self.base}/in/"

    def print_field_url(self, slug: str) -> str:
        return f"{self.base}/in/{slug}/"


# --- loading ------------------------------------------------------------------


def _paths(data: Any, pattern: tuple, prefix: tuple = ()):
    """Concrete locations matching `pattern` ("*" = every list index) in `data`."""
    if not pattern:
        yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _paths(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _paths(data[head], rest, prefix + (head,))


def _set(data: Any, loc: tuple, value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def recover_codes(located: Located, text: str, problems, source: str) -> None:
    """Give back the written form of codes that YAML parsed as numbers, with a warning.

    `ma_tthc: 1.014330` is a float 1.01433 to YAML; its text is on the source line,
    so the code is recovered from there instead of failing the pattern check.
    """
    lines = text.split("\n")
    for pattern in _CODE_PATHS:
        for loc, value in list(_paths(located.data, pattern)):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            n = located.line(loc)
            raw = lines[n - 1] if 0 < n <= len(lines) else ""
            found = next((tok for tok in _NUMBER_TOKEN.findall(raw) if float(tok) == float(value)), None)
            if found is None:
                continue
            _set(located.data, loc, found)
            field_name = "".join(f"[{p}]" if isinstance(p, int) else (("." if i else "") + p) for i, p in enumerate(loc))
            problems.warn(source, n, field_name, "procedures.code_as_number", value=found)


# Texts of a procedure file printed only by views.build_view, which only the procedure's own
# pages (its page, its field's print page, the print page of all procedures) show: lists,
# news pages and other procedures show its code, name, field, status, dates, times and fees
# (copies, from the other fields). Editing these texts re-renders the pages that reach the
# entry and keeps the rest (tests/test_bench_warm.py checks it against the exact page keys).
OWN_PAGE_FIELDS = frozenset((
    "yeu_cau_dieu_kien", "mo_ta", "ghi_chu", "mo_ta_doi_tuong", "mo_ta_co_quan", "dia_chi_tiep_nhan",
    "can_cu_phap_ly", "doi_tuong_thuc_hien", "tai_don_vi", "trinh_tu_thuc_hien", "thanh_phan_ho_so", "ket_qua",
))


# What every build reads of every procedure (`ProcedureEntry.light`): its code, name, field and
# levels (lists, facets, links), its decisions, status and dates (status, lifecycle feed,
# checks), its relations (links between procedures), its methods (the time and fees that
# lists and descriptions summarise) and its keywords (search). The model's `status`, `status_at`, `newest_decision` and
# `in_force` read only these.
LIGHT_FIELDS = frozenset((
    "ma_tthc", "ten", "linh_vuc", "cap_thuc_hien", "quyet_dinh_cong_bo", "trang_thai", "hieu_luc_tu", "hieu_luc_den",
    "thay_the_boi", "thay_the_cho", "thu_tuc_lien_quan", "ngay_cap_nhat", "cach_thuc_thuc_hien", "tu_khoa",
))


def parse_file(abs_path: str, source: str) -> tuple:
    """(problems, YAML, model, local forms, file's own rules hold) of one procedure file: what
    depends only on its bytes (its place included: the file's name must be its code).

    The model comes as a `LazyModel` whose light part has `LIGHT_FIELDS`; the YAML as a
    `LazyLocated`: a rebuild reads the whole of each only for the few pages it renders or
    reports on."""
    problems = Problems()
    text = read_text(abs_path, source, problems)
    if text is None:
        return list(problems), None, None, [], False
    located = load_yaml(text, source, problems)
    if located is None:
        return list(problems), None, None, [], False
    if isinstance(located.data, dict):
        recover_codes(located, text, problems, source)
    model = validate(Procedure, located, problems)
    if model is None:
        return list(problems), LazyLocated.of(located, OWN_PAGE_FIELDS), None, [], False
    errors_before = len(problems.errors)
    local_forms = _check_file(model, located, source, os.path.basename(abs_path), problems)
    ok = len(problems.errors) == errors_before  # the file's own rules hold (the entry is kept)
    # Kept pickled until read (a rebuild reads the lines of the few files it renders or
    # reports on), with the digest of what other pages show (`ProceduresModule.structure`).
    return list(problems), LazyLocated.of(located, OWN_PAGE_FIELDS), LazyModel.of(model, LIGHT_FIELDS), local_forms, ok


def load_file(site, state: ProcedureState, abs_path: str, filename: str, parsed: tuple | None = None) -> Optional[ProcedureEntry]:
    problems = site.problems
    source = site.rel_path(abs_path)
    found, located, lazy, local_forms, ok = parsed if parsed is not None else parse_file(abs_path, source)
    problems.extend(found)
    if lazy is None:
        return None
    errors_before = len(problems.errors)
    _check_site(site, lazy.light, local_forms, located, source)
    if not ok or len(problems.errors) != errors_before:
        return None
    key = f"../{state.folder}/{filename}"
    light = lazy.light
    return ProcedureEntry(parsed=lazy, source=source, key=key, lines=located, url=state.url_for(light.ma_tthc),
                          today=site.now.date())


def _check_file(m: Procedure, loc: Located, source: str, filename: str, problems: Problems) -> list[tuple]:
    """Rules across the fields of one file that depend on nothing else (run where the file is
    parsed, and their problems stored with it). Returns the forms that name a local file,
    ((field path, file, line), …), which `_check_site` looks for."""
    line = loc.line

    if filename not in (f"{m.ma_tthc}.yml", f"{m.ma_tthc}.yaml"):
        problems.add(source, line(("ma_tthc",)), "ma_tthc", "procedures.filename", name=filename, ma=m.ma_tthc)
    # A replaced or abolished procedure stays online for old links; its content may be
    # trimmed to what is known, so steps and methods are required only while in force.
    if not m.trinh_tu_thuc_hien and m.in_force:
        problems.add(source, line(("trinh_tu_thuc_hien",)), "trinh_tu_thuc_hien", "procedures.no_steps")
    if not m.cach_thuc_thuc_hien and m.in_force:
        problems.add(source, line(("cach_thuc_thuc_hien",)), "cach_thuc_thuc_hien", "procedures.no_method")
    if not m.quyet_dinh_cong_bo:
        problems.add(source, line(("quyet_dinh_cong_bo",)), "quyet_dinh_cong_bo", "procedures.no_decision")

    # Cases: declared once, referred to by key.
    keys: list[str] = []
    for i, c in enumerate(m.cac_truong_hop):
        if c.ma in keys:
            problems.add(source, line(("cac_truong_hop", i, "ma")), f"cac_truong_hop[{i}].ma", "procedures.case_duplicate", value=c.ma)
        keys.append(c.ma)
    allowed = ", ".join(keys) if keys else "(chưa khai báo trường hợp nào)"
    refs_loc = [(("trinh_tu_thuc_hien", i, "truong_hop"), s.truong_hop) for i, s in enumerate(m.trinh_tu_thuc_hien)]
    refs_loc += [(("cach_thuc_thuc_hien", i, "truong_hop"), c.truong_hop) for i, c in enumerate(m.cach_thuc_thuc_hien)]
    refs_loc += [(("thanh_phan_ho_so", i, "truong_hop"), g.truong_hop) for i, g in enumerate(m.thanh_phan_ho_so)]
    refs_loc += [(("ket_qua", i, "truong_hop"), k.truong_hop) for i, k in enumerate(m.ket_qua)]
    for path, key in refs_loc:
        if key is not None and key not in keys:
            problems.add(source, line(path), _dotted(path), "procedures.case_unknown", value=key, allowed=allowed)

    # Fees: validity in order.
    for i, method in enumerate(m.cach_thuc_thuc_hien):
        for j, fee in enumerate(method.phi_le_phi):
            if fee.hieu_luc_tu and fee.hieu_luc_den and fee.hieu_luc_den < fee.hieu_luc_tu:
                path = ("cach_thuc_thuc_hien", i, "phi_le_phi", j, "hieu_luc_den")
                problems.add(source, line(path), _dotted(path), "procedures.fee_dates",
                             start=_d(fee.hieu_luc_tu), end=_d(fee.hieu_luc_den))

    if m.hieu_luc_tu and m.hieu_luc_den and m.hieu_luc_den < m.hieu_luc_tu:
        problems.add(source, line(("hieu_luc_den",)), "hieu_luc_den", "procedures.validity_dates",
                     start=_d(m.hieu_luc_tu), end=_d(m.hieu_luc_den))

    # Lifecycle.
    status = m.status
    newest = m.newest_decision
    if status == "bi_bai_bo" and m.hieu_luc_den is None:
        example = newest.ngay.isoformat() if newest else "2026-01-01"
        where = ("trang_thai",) if m.trang_thai else ("quyet_dinh_cong_bo",)
        problems.add(source, line(where), "hieu_luc_den", "procedures.abolished_without_end", example=example)
    if status == "bi_thay_the" and not m.thay_the_boi:
        where = ("trang_thai",) if m.trang_thai else ("quyet_dinh_cong_bo",)
        problems.add(source, line(where), "thay_the_boi", "procedures.replaced_without_successor")
    if m.thay_the_boi:
        if m.thay_the_boi == m.ma_tthc:
            problems.add(source, line(("thay_the_boi",)), "thay_the_boi", "procedures.successor_self")
        elif status in ("hieu_luc", "da_sua_doi"):
            problems.add(source, line(("thay_the_boi",)), "thay_the_boi", "procedures.successor_without_status", ma=m.thay_the_boi)
    if m.trang_thai and newest is not None:
        derived = STATUS_FROM_CHANGE[newest.loai_thay_doi]
        in_force = {"hieu_luc", "da_sua_doi"}
        if (m.trang_thai in in_force) != (derived in in_force):
            problems.warn(source, line(("trang_thai",)), "trang_thai", "procedures.status_conflict",
                          status=m.trang_thai, decision=newest.so, change=newest.loai_thay_doi)

    # Forms: a local file must exist under content/ (`_check_site`).
    local_forms = []
    for i, group in enumerate(m.thanh_phan_ho_so):
        for j, doc in enumerate(group.giay_to):
            for k, form in enumerate(doc.mau_don):
                path = ("thanh_phan_ho_so", i, "giay_to", j, "mau_don", k)
                if form.tep:
                    local_forms.append((path + ("tep",), form.tep, line(path + ("tep",))))
                elif not form.url and not form.duong_dan_dvcqg:
                    problems.add(source, line(path), _dotted(path), "procedures.form_empty", name=form.ten)

    for i, svc in enumerate(m.dich_vu_cong):
        if not svc.ma_dvc.startswith(m.ma_tthc + "."):
            path = ("dich_vu_cong", i, "ma_dvc")
            problems.add(source, line(path), _dotted(path), "procedures.dvc_prefix", value=svc.ma_dvc, ma=m.ma_tthc)

    return local_forms


def _check_site(site, m: Procedure, local_forms: list[tuple], loc: Located, source: str) -> None:
    """Rules of one file that depend on the site (its files) or on the build's date: warnings,
    and errors for missing form files (`load_file` counts them). `m`: the light model
    (`LIGHT_FIELDS`)."""
    problems = site.problems
    line = loc.line
    for path, tep, at in local_forms:
        rel = tep.lstrip("/")
        abs_form = os.path.normpath(os.path.join(site.docs_dir, *rel.split("/")))
        inside = abs_form.startswith(os.path.normpath(site.docs_dir) + os.sep)
        if not inside or not os.path.isfile(abs_form):
            problems.add(source, at, _dotted(path), "procedures.form_missing", value=tep, looked=site.rel_path(abs_form))

    # Posted content must follow the newest decision in effect (one dated after the
    # build cannot have been posted yet).
    today = site.now.date()
    effective = [q for q in m.quyet_dinh_cong_bo if q.ngay <= today]
    newest = max(reversed(effective), key=lambda q: q.ngay) if effective else None
    if newest is not None and m.ngay_cap_nhat < newest.ngay:
        problems.warn(source, line(("ngay_cap_nhat",)), "ngay_cap_nhat", "procedures.stale",
                      updated=_d(m.ngay_cap_nhat), decision=newest.so, decision_date=_d(newest.ngay))


def _d(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


# "1.014331.en.yml": a translation (language code before the extension).
_TRANSLATION_NAME = re.compile(r"(?P<stem>.+)\.(?P<lang>[a-z]{2})\.ya?ml")


def _is_file(entry: os.DirEntry) -> bool:
    """`os.path.isfile` of a listed entry (a link is followed; an error is "no")."""
    try:
        return entry.is_file()
    except OSError:
        return False


def load(site) -> ProcedureState:
    folder = site.settings.procedures_dir.strip("/")
    state = ProcedureState(folder=folder)
    extra = site.settings.languages
    state.languages = ("vi",) + tuple(sorted(extra))
    state.untranslated = extra["en"].untranslated if "en" in extra else "omit"
    state.translations = {lang: {} for lang in state.other_languages}
    site.data["procedures"] = state
    root = os.path.join(site.config_dir, folder)
    if not os.path.isdir(root):
        return state
    translations = []
    by_stem: dict[str, ProcedureEntry] = {}
    files = []
    # Listed with the kind of each entry (no stat call per file: 1,000 of them were ≈ 10 ms).
    with os.scandir(root) as entries:
        listed = sorted((e.name, _is_file(e)) for e in entries)
    for fn, is_file in listed:
        if not fn.endswith((".yml", ".yaml")) or fn.startswith((".", "_")):
            continue
        abs_path = os.path.join(root, fn)
        if not is_file:
            continue
        named = _TRANSLATION_NAME.fullmatch(fn)
        if named is not None:
            translations.append((abs_path, fn, named.group("stem"), named.group("lang")))
            continue
        files.append((abs_path, fn))
    # Parsing and validating a file depends only on its bytes: done on every core,
    # and reused by a warm build (cchc.buildcache).
    sources = [site.rel_path(p) for p, _ in files]
    parsed = parse_all("procedure", [p for p, _ in files], lambda i: parse_file(files[i][0], sources[i]),
                       getattr(site.markdown, "cache", None), models=(Procedure,))
    for (abs_path, fn), pre in zip(files, parsed):
        entry = load_file(site, state, abs_path, fn, pre)
        if entry is None:
            state.failed.add(fn.rsplit(".", 1)[0])
            continue
        other = state.by_code.get(entry.code)
        if other is not None:
            site.problems.add(entry.source, entry.lines.line(("ma_tthc",)), "ma_tthc", "procedures.duplicate_code",
                              ma=entry.code, other=other.source)
            continue
        state.by_code[entry.code] = entry
        state.entries.append(entry)
        site.urls[entry.key] = entry.url
        by_stem[fn.rsplit(".", 1)[0]] = entry
    state.entries.sort(key=lambda e: e.code)
    for abs_path, fn, stem, lang in translations:
        entry = load_translation(site, state, abs_path, fn, by_stem.get(stem), stem, lang)
        if entry is None:
            continue
        state.translations[lang][entry.code] = entry
        entry.vietnamese.translations[lang] = entry
        site.urls[entry.key] = entry.url
    return state


def load_translation(site, state: ProcedureState, abs_path: str, filename: str, original: Optional[ProcedureEntry],
                     stem: str, lang: str) -> Optional["TranslatedEntry"]:
    """Read procedures/<code>.<lang>.yml and lay it over the Vietnamese entry (see overlay.py)."""
    problems = site.problems
    source = site.rel_path(abs_path)
    if lang not in state.other_languages:
        problems.add(source, None, "-", "translation.language_off", lang=lang)
        return None
    if original is None:
        if stem in state.failed:
            return None  # the Vietnamese file's own errors say what to fix
        problems.add(source, None, "-", "translation.no_original", original=f"{state.folder}/{stem}.yml",
                     example=f"{stem}.{lang}.yml")
        return None
    text = read_text(abs_path, source, problems)
    if text is None:
        return None
    located = load_yaml(text, source, problems)
    if located is None:
        return None
    misaligned = overlay.prepare(located, ProcedureTranslation, Procedure, original.lines, source=source,
                                 original_source=original.source, problems=problems)
    tr = validate(ProcedureTranslation, located, problems)
    if tr is None:
        return None
    laid = overlay.apply(original.model, tr, located=located, original_located=original.lines, source=source,
                         original_source=original.source, problems=problems, misaligned=misaligned,
                         free=frozenset({"tu_khoa"}))
    laid.translated.add(("ten",))
    entry = TranslatedEntry(
        parsed=LazyModel.of(laid.model, LIGHT_FIELDS), source=source, key=f"../{state.folder}/{filename}", lines=located,
        url=state.page_url(original.code, lang), today=site.now.date(), lang=lang,
        vietnamese=original, translated=laid.translated, translated_on=tr.ngay_dich,
    )
    if entry.stale:
        problems.warn(source, located.line(("ngay_dich",)), "ngay_dich", "translation.stale",
                      translated=_d(tr.ngay_dich), updated=_d(original.updated), original=original.source)
    return entry


def link(site) -> None:
    state: ProcedureState = site.data["procedures"]
    problems = site.problems
    for e in state.entries:
        m = e.light
        if m.thay_the_boi and m.thay_the_boi != m.ma_tthc:
            succ = state.get(m.thay_the_boi)
            if succ is None:
                problems.add(e.source, e.lines.line(("thay_the_boi",)), "thay_the_boi", "procedures.successor_missing",
                             ma=m.thay_the_boi, folder=state.folder)
            else:
                e.replacement = succ
                succ.replaces.append(e)
        for code in m.thay_the_cho:
            old = state.get(code)
            if old is not None and old not in e.replaces:
                e.replaces.append(old)
        related = []
        for i, rel in enumerate(m.thu_tuc_lien_quan):
            target = state.get(rel.ma)
            if target is None and not rel.ten:
                problems.warn(e.source, e.lines.line(("thu_tuc_lien_quan", i)), f"thu_tuc_lien_quan[{i}]",
                              "procedures.related_unnamed", value=rel.ma, folder=state.folder)
            related.append((rel, target))
        e.related = related
    for e in state.entries:
        e.replaces.sort(key=lambda x: x.code)

    # News that name a procedure, newest first (the news module reports unknown codes),
    # each listed on the procedure's page of its own language.
    news = site.data.get("news")
    if news is not None:
        for item in news.visible:
            for code in getattr(item, "tthc_lien_quan", []) or []:
                entry = state.get(code)
                if entry is not None:
                    entry = state.in_language(entry, getattr(item, "lang", "vi"))
                if entry is not None and all(n.url != item.url for n in entry.news):
                    entry.news.append(ItemLink(item.url, item.title, date=item.date))
    for lang in state.other_languages:
        for tr in state.translations.get(lang, {}).values():
            original = tr.vietnamese
            tr.replacement = original.replacement
            tr.replaces = list(original.replaces)
            tr.related = [(tr.light.thu_tuc_lien_quan[i], target) for i, (_, target) in enumerate(original.related)]

    # Lifecycle changes (for the "procedure changes" feed), newest first; decisions
    # dated after the build's "now" are not announced yet.
    today = site.now.date()
    changes = []
    for e in state.entries:
        for q in e.light.quyet_dinh_cong_bo:
            if q.ngay > today:
                continue
            changes.append(LifecycleChange(
                code=e.code, name=e.name, url=e.url, kind=CHANGE_KIND[q.loai_thay_doi], decision=q.so, date=q.ngay,
                issuer=q.co_quan, change=q.loai_thay_doi, note=q.ghi_chu,
                replacement_url=e.replacement.url if (q.loai_thay_doi == "thay_the" and e.replacement) else None,
            ))
    changes.sort(key=lambda c: (c.date, c.code, c.decision), reverse=True)
    state.changes = changes
