"""Read plans/*.yml and plans/minh-chung/*.yml, check them, and resolve what they reference.

Everything a staff member can get wrong is reported as a `Problem` at the line
where it was written: a timing the parser cannot read, a task number used twice,
a quota naming a task that does not exist, a date outside the plan's year, an
evidence record for an unknown plan, a news item naming a plan or task that
does not exist.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Optional

from ..modeling import validate
from ..problems import Problems, register_messages
from ..text import fold, slugify
from ..procedures import overlay
from ..site import relative_path
from ..yamlsrc import Located, dotted, load_yaml, read_text
from .model import PORTAL_CHANNELS, ChiTieu, KeHoach, KeHoachTranslation, MinhChung, NhiemVu, TepMinhChung
from .timing import Timing, TimingError, all_dates, describe, parse_timing

EVIDENCE_DIR = "minh-chung"

register_messages(
    {
        "plans.timing_unreadable": {
            "vi": "không đọc được thời gian '{text}'. Viết theo một trong các dạng: 'Trước 15/03/2026', 'Tháng 9/2026', 'Quý II-III/2026', 'Hàng tháng', 'Định kỳ 6 tháng', 'Thường xuyên', 'Khi có yêu cầu', 'Trong vòng 15 ngày kể từ ngày ban hành Kế hoạch số 1289/KH-SYT'.",
            "en": "cannot read the timing '{text}'. Write one of: 'Trước 15/03/2026', 'Tháng 9/2026', 'Quý II-III/2026', 'Hàng tháng', 'Định kỳ 6 tháng', 'Thường xuyên', 'Khi có yêu cầu', 'Trong vòng 15 ngày kể từ ngày ban hành Kế hoạch số 1289/KH-SYT'.",
        },
        "plans.timing_empty": {
            "vi": "thời gian để trống. Ghi thời gian như kế hoạch viết (ví dụ 'Hàng tháng'), hoặc xoá dòng 'thoi_gian'.",
            "en": "the timing is empty. Write it as the plan does (e.g. 'Hàng tháng'), or delete the 'thoi_gian' line.",
        },
        "plans.timing_bad_date": {
            "vi": "thời gian '{text}' có ngày/tháng không tồn tại ('{value}'). Kiểm tra lại ngày và tháng (viết ngày/tháng/năm, ví dụ 15/03/2026).",
            "en": "the timing '{text}' names a day or month that does not exist ('{value}'). Check it (day/month/year, e.g. 15/03/2026).",
        },
        "plans.timing_order": {
            "vi": "thời gian '{text}' có mốc sau đứng trước mốc đầu. Viết mốc sớm hơn trước, ví dụ 'Quý II-III/2026'.",
            "en": "the timing '{text}' ends before it starts. Write the earlier bound first, e.g. 'Quý II-III/2026'.",
        },
        "plans.timing_bad_every": {
            "vi": "chu kỳ trong '{text}' ('{value}') không phải tuần, tháng, quý, 6 tháng hay năm. Viết 'Hàng tháng', 'Hàng quý', 'Định kỳ 6 tháng' hoặc 'Hàng năm'.",
            "en": "the recurrence in '{text}' ('{value}') is not weekly, monthly, quarterly, six-monthly or yearly. Write 'Hàng tháng', 'Hàng quý', 'Định kỳ 6 tháng' or 'Hàng năm'.",
        },
        "plans.timing_relative_ref": {
            "vi": "thời gian '{text}' tính từ một văn bản nhưng không nêu số văn bản. Ghi số ký hiệu, ví dụ 'kể từ ngày ban hành Kế hoạch số 1289/KH-SYT', hoặc 'kể từ ngày ban hành kế hoạch này'.",
            "en": "the timing '{text}' counts from a document without naming its number. Write it, e.g. 'kể từ ngày ban hành Kế hoạch số 1289/KH-SYT', or 'kể từ ngày ban hành kế hoạch này'.",
        },
        "plans.timing_ref_unknown": {
            "vi": "thời gian '{text}' tính từ văn bản {ref}, nhưng văn bản này không có trong 'can_cu' (kèm ngày ban hành). Thêm vào can_cu: '- so_ky_hieu: {ref}' và 'ngay: …'.",
            "en": "the timing '{text}' counts from document {ref}, which is not in 'can_cu' with its date. Add to can_cu: '- so_ky_hieu: {ref}' and 'ngay: …'.",
        },
        "plans.timing_ref_no_day": {
            "vi": "thời gian '{text}' tính từ ngày ban hành kế hoạch này, nhưng ngày ban hành chưa ghi ngày (chỉ có tháng). Khi có số và ngày, sửa 'ngay_ban_hanh'; đến lúc đó nhiệm vụ chưa có hạn.",
            "en": "the timing '{text}' counts from this plan's issue date, which has no day yet. Complete 'ngay_ban_hanh'; until then the task has no deadline.",
        },
        "plans.timing_repaired": {
            "vi": "thời gian '{text}' có chữ sai (thường do quét từ bản giấy); hệ thống đọc là '{reading}' ({meaning}). Nếu đúng, nên sửa chính tả cho rõ; nếu sai, viết lại.",
            "en": "the timing '{text}' has garbled words (often from a scan); it was read as '{reading}' ({meaning}). If right, fix the spelling; if not, rewrite it.",
        },
        "plans.timing_out_of_range": {
            "vi": "thời gian '{text}' có ngày {value} nằm ngoài thời gian của kế hoạch ({start} – {end}). Kiểm tra năm, hoặc ghi 'tu_ngay'/'den_ngay' cho kế hoạch.",
            "en": "the timing '{text}' has the date {value} outside the plan's period ({start} – {end}). Check the year, or set the plan's 'tu_ngay'/'den_ngay'.",
        },
        "plans.date_out_of_range": {
            "vi": "ngày {value} nằm ngoài thời gian của kế hoạch ({start} – {end}). Kiểm tra năm.",
            "en": "the date {value} is outside the plan's period ({start} – {end}). Check the year.",
        },
        "plans.dates_order": {
            "vi": "ngày bắt đầu {start} sau ngày kết thúc {end}. Đổi lại cho đúng thứ tự.",
            "en": "the start date {start} is after the end date {end}. Swap them.",
        },
        "plans.issue_year": {
            "vi": "ngày ban hành {value} không thuộc năm {nam} hay năm trước đó. Kiểm tra 'nam' và 'ngay_ban_hanh'.",
            "en": "the issue date {value} is neither in {nam} nor the year before. Check 'nam' and 'ngay_ban_hanh'.",
        },
        "plans.duplicate_id": {
            "vi": "mã kế hoạch '{value}' đã dùng trong {other}. Mỗi kế hoạch cần một mã riêng, ví dụ '{value}-2'.",
            "en": "plan id '{value}' is already used by {other}. Each plan needs its own id, e.g. '{value}-2'.",
        },
        "plans.duplicate_stt": {
            "vi": "số thứ tự nhiệm vụ '{value}' trùng với nhiệm vụ ở dòng {first_line}. Mỗi nhiệm vụ cần một số riêng (gạch đầu dòng không đánh số: ghi số mục kèm thứ tự, ví dụ 'II.3.1').",
            "en": "task number '{value}' is already used at line {first_line}. Each task needs its own number (for unnumbered bullets: the section number and the order, e.g. 'II.3.1').",
        },
        "plans.duplicate_quota": {
            "vi": "mã chỉ tiêu '{value}' trùng với chỉ tiêu ở dòng {first_line}. Đặt một mã khác.",
            "en": "quota code '{value}' is already used at line {first_line}. Choose another.",
        },
        "plans.unknown_task": {
            "vi": "không có nhiệm vụ số '{value}' trong kế hoạch '{plan}'. Các số có: {allowed}.",
            "en": "plan '{plan}' has no task numbered '{value}'. Its task numbers: {allowed}.",
        },
        "plans.quota_portal_name": {
            "vi": "chỉ tiêu kênh '{kenh}' cần tên cổng: thêm dòng 'cong: …' (tên hoặc tên miền, như trong 'gui_cong' của tin bài).",
            "en": "a quota on channel '{kenh}' needs the portal: add 'cong: …' (its name or host, as in the news items' 'gui_cong').",
        },
        "plans.quota_portal_only": {
            "vi": "trường '{name}' chỉ dùng cho kênh cổng (cong_cchc_tinh, cong_so_y_te). Xoá dòng này hoặc đổi kênh.",
            "en": "field '{name}' only applies to portal channels (cong_cchc_tinh, cong_so_y_te). Delete it or change the channel.",
        },
        "plans.quota_filter_channel": {
            "vi": "bộ lọc chuyên mục/từ khoá chỉ áp dụng cho tin bài trên trang và tin gửi cổng; kênh '{kenh}' được đếm bằng minh chứng. Xoá 'bo_loc' hoặc dùng 'nhiem_vu'/'loai_noi_dung'.",
            "en": "category/tag filters only apply to this site's news and portal submissions; channel '{kenh}' is counted from evidence records. Delete 'bo_loc' or use 'nhiem_vu'/'loai_noi_dung'.",
        },
        "plans.unknown_category": {
            "vi": "chuyên mục '{value}' không có trên trang. Dùng một trong: {allowed}.",
            "en": "category '{value}' does not exist on this site. Use one of: {allowed}.",
        },
        "plans.stt_pattern": {
            "vi": "số thứ tự '{value}' chỉ gồm chữ số, chữ cái, dấu chấm hoặc gạch ngang, không có dấu cách, ví dụ '1.1', 'II.3', '2.a'.",
            "en": "task number '{value}' may only contain digits, letters, dots or hyphens, no spaces, e.g. '1.1', 'II.3', '2.a'.",
        },
        "plans.quota_code_pattern": {
            "vi": "mã chỉ tiêu '{value}' chỉ gồm chữ, số, dấu chấm, gạch ngang hoặc gạch dưới, ví dụ 'CT1.1'.",
            "en": "quota code '{value}' may only contain letters, digits, dots, hyphens or underscores, e.g. 'CT1.1'.",
        },
        "plans.doc_date": {
            "vi": "'{value}' không phải ngày hợp lệ. Viết 2025-09-09 hoặc 09/09/2025; bản chưa ghi ngày: '03/2026' (tháng/năm).",
            "en": "'{value}' is not a valid date. Write 2025-09-09 or 09/09/2025; for a copy without the day: '03/2026' (month/year).",
        },
        "plans.legal_basis_empty": {
            "vi": "căn cứ cần 'so_ky_hieu' (ví dụ '1289/KH-SYT') hoặc cả câu trong 'van_ban'.",
            "en": "a legal basis needs 'so_ky_hieu' (e.g. '1289/KH-SYT') or the whole sentence in 'van_ban'.",
        },
        "plans.attachment_empty": {
            "vi": "tệp đính kèm cần 'tep' (đường dẫn trong content/) hoặc 'url'.",
            "en": "an attachment needs 'tep' (a path under content/) or 'url'.",
        },
        "plans.file_missing": {
            "vi": "không tìm thấy tệp '{value}' trong thư mục content/. Kiểm tra tên và đường dẫn (tính từ content/).",
            "en": "file '{value}' not found under content/. Check its name and path (relative to content/).",
        },
        "plans.evidence_unknown_plan": {
            "vi": "không có kế hoạch mã '{value}'. Các mã có: {allowed}.",
            "en": "there is no plan with id '{value}'. Plan ids: {allowed}.",
        },
        "plans.evidence_future": {
            "vi": "minh chứng ghi ngày {value}, sau thời điểm build; chưa được tính cho đến ngày đó.",
            "en": "the evidence is dated {value}, after the build time; it is not counted until then.",
        },
        "plans.news_unknown_plan": {
            "vi": "không có kế hoạch mã '{value}' (trong thư mục plans/). Các mã có: {allowed}.",
            "en": "there is no plan with id '{value}' (in plans/). Plan ids: {allowed}.",
        },
        "plans.news_unknown_task": {
            "vi": "kế hoạch '{plan}' không có nhiệm vụ số '{value}'. Các số có: {allowed}.",
            "en": "plan '{plan}' has no task numbered '{value}'. Its task numbers: {allowed}.",
        },
        "plans.news_outside_plan": {
            "vi": "tin đăng ngày {value}, ngoài thời gian của kế hoạch '{plan}' ({start} – {end}); không được tính vào kế hoạch này.",
            "en": "the item is dated {value}, outside plan '{plan}' ({start} – {end}); it does not count toward it.",
        },
    }
)


# --- runtime objects -------------------------------------------------------------------


@dataclass(eq=False)
class Task:
    model: NhiemVu
    loc: tuple
    line: int
    parent: Optional["Task"]
    where: str  # "phu_luc" | "phan"
    children: list["Task"] = field(default_factory=list)
    timing: Optional[Timing] = None
    quotas: list["Quota"] = field(default_factory=list)

    @property
    def stt(self) -> str:
        return self.model.stt

    @property
    def anchor(self) -> str:
        return "nv-" + (slugify(self.stt.replace(".", "-").replace("/", "-")) or "x")

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    def timing_text(self, lang: str = "vi") -> str:
        return describe(self.timing, lang) if self.timing else ""

    def __cchc_key_state__(self) -> dict:
        """What a page key reads of a task (cchc.buildcache): its parent and quotas by number
        and code, its children whole (a parent's children and a quota's tasks point back)."""
        state = dict(vars(self))
        state["parent"] = self.parent.stt if self.parent is not None else None
        state["quotas"] = [q.ma for q in self.quotas]
        return state


@dataclass(eq=False)
class Quota:
    model: ChiTieu
    line: int
    start: date
    end: date
    tasks: list[Task] = field(default_factory=list)

    @property
    def ma(self) -> str:
        return self.model.ma

    @property
    def anchor(self) -> str:
        return "ct-" + (slugify(self.ma) or "x")


@dataclass(eq=False)
class Evidence:
    model: MinhChung
    source: str
    line: int
    plan_id: str
    docs_file: Optional[str] = None  # docs-relative path of `tep`, when given


@dataclass(eq=False)
class Plan:
    model: KeHoach
    source: str  # "plans/kh-tt-cchc-2026.yml"
    key: str  # site.urls key: "../plans/kh-tt-cchc-2026.yml"
    located: Located
    tasks: dict[str, Task] = field(default_factory=dict)
    task_list: list[Task] = field(default_factory=list)  # document order
    quotas: list[Quota] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (label, site-relative or absolute url)

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def url(self) -> str:
        return f"ke-hoach/{self.id}/"

    @property
    def progress_url(self) -> str:
        return f"ke-hoach/{self.id}/tien-do/"

    def report_url(self, quarter_key: str) -> str:
        return f"ke-hoach/{self.id}/bao-cao/{quarter_key.lower()}/"

    @property
    def start(self) -> date:
        return self.model.start

    @property
    def end(self) -> date:
        return self.model.end

    @property
    def title(self) -> str:
        return f"{self.model.loai_van_ban.capitalize()} {self.model.ten}".strip()

    @property
    def number_label(self) -> str:
        return self.model.so_ky_hieu or ""

    def line(self, loc: tuple) -> int:
        return self.located.line(loc)

    def task_numbers(self) -> str:
        return ", ".join(self.tasks) or "(chưa có)"


@dataclass(eq=False)
class PlanTranslation:
    """A plan in another language (plans/<id>.<lang>.yml laid over the Vietnamese plan).

    Anything not translated is the Vietnamese plan's: attributes it does not define
    (tasks, quotas, progress and report addresses…) are read from `plan`.
    """

    plan: Plan
    lang: str
    model: KeHoach  # the Vietnamese model with the translated words laid over it
    translation: KeHoachTranslation
    translated: set  # locations whose words are the translation's
    source: str
    key: str
    located: Located

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.plan, name)

    @property
    def id(self) -> str:
        return self.plan.id

    @property
    def url(self) -> str:
        return f"{self.lang}/plans/{self.plan.id}/"

    @property
    def title(self) -> str:
        return self.translation.ten

    @property
    def translated_on(self) -> Optional[date]:
        return self.translation.ngay_dich

    def own(self, loc: tuple) -> bool:
        return tuple(loc) in self.translated

    def line(self, loc: tuple) -> int:
        return self.located.line(loc)


@dataclass
class PlansState:
    plans: dict[str, Plan] = field(default_factory=dict)
    evidence_files: list[str] = field(default_factory=list)
    # Ids of plan files that failed validation: references to them are not reported
    # again (the plan's own errors say what to fix).
    broken: set[str] = field(default_factory=set)
    translations: dict[str, dict[str, PlanTranslation]] = field(default_factory=dict)  # lang -> plan id -> translation

    def get(self, plan_id: str) -> Optional[Plan]:
        return self.plans.get(plan_id)

    @property
    def published(self) -> list[Plan]:
        """Plans shown on the site: not drafts, newest year first."""
        out = [p for p in self.plans.values() if not p.model.draft]
        return sorted(out, key=lambda p: (-p.model.nam, p.model.ngay_ban_hanh.first_day, p.id))


def norm_doc_no(s: str) -> str:
    """"1289 / KH-SYT" and "1289/kh-syt" compare equal."""
    return re.sub(r"\s+", "", fold(s)).upper()


# --- loading -------------------------------------------------------------------------------


# "kh-tt-cchc-2026.en.yml": a translation (language code before the extension).
_TRANSLATION_NAME = re.compile(r"(?P<stem>.+)\.(?P<lang>[a-z]{2})\.ya?ml")


def _yaml_files(folder: str) -> list[str]:
    if not os.path.isdir(folder):
        return []
    return sorted(
        os.path.join(folder, fn) for fn in os.listdir(folder)
        if fn.endswith((".yml", ".yaml")) and not fn.startswith((".", "_"))
        and os.path.isfile(os.path.join(folder, fn))
    )


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def load_plans(
    plans_dir: str,
    *,
    docs_dir: str,
    rel_path,
    problems: Problems,
    now: date,
    categories: Optional[Iterable[str]] = None,
    languages: Optional[Iterable[str]] = None,
) -> PlansState:
    """Load every plan, translation and evidence file under `plans_dir`.

    `rel_path` turns an absolute path into the path shown in messages; `now` is the
    build date (evidence dated later is not counted yet); `categories`, when
    known, are the news categories quota filters may name; `languages`, when known,
    the site's languages (a translation in another language is an error; None: every
    translation found is read).
    """
    state = PlansState()
    translations = []
    by_stem: dict[str, Plan] = {}
    failed: set[str] = set()
    for abs_path in _yaml_files(plans_dir):
        named = _TRANSLATION_NAME.fullmatch(os.path.basename(abs_path))
        if named is not None:
            translations.append((abs_path, named.group("stem"), named.group("lang")))
            continue
        stem = os.path.basename(abs_path).rsplit(".", 1)[0]
        plan = _load_plan(abs_path, docs_dir=docs_dir, rel_path=rel_path, problems=problems,
                          categories=categories, broken=state.broken)
        if plan is None:
            failed.add(stem)
            continue
        by_stem[stem] = plan
        other = state.plans.get(plan.id)
        if other is not None:
            problems.add(plan.source, plan.line(("id",)), "id", "plans.duplicate_id", value=plan.id, other=other.source)
            continue
        state.plans[plan.id] = plan
    if languages is None:
        others = sorted({lang for _, _, lang in translations})
    else:
        others = [x for x in languages if x != "vi"]
    state.translations = {lang: {} for lang in others}
    for abs_path, stem, lang in translations:
        source = rel_path(abs_path)
        if lang not in others:
            problems.add(source, None, "-", "translation.language_off", lang=lang)
            continue
        plan = by_stem.get(stem)
        if plan is None or state.plans.get(plan.id) is not plan:
            if stem not in failed and plan is None:
                problems.add(source, None, "-", "translation.no_original",
                             original=posixpath.join(posixpath.dirname(source), f"{stem}.yml"), example=f"{stem}.{lang}.yml")
            continue
        tr = _load_translation(abs_path, plan, lang, docs_dir=docs_dir, rel_path=rel_path, problems=problems)
        if tr is not None:
            state.translations[lang][plan.id] = tr
    for abs_path in _yaml_files(os.path.join(plans_dir, EVIDENCE_DIR)):
        state.evidence_files.append(rel_path(abs_path))
        _load_evidence(abs_path, state, docs_dir=docs_dir, rel_path=rel_path, problems=problems, now=now)
    return state


def _load_translation(abs_path: str, plan: Plan, lang: str, *, docs_dir: str, rel_path,
                      problems: Problems) -> Optional[PlanTranslation]:
    """plans/<id>.<lang>.yml laid over its plan (see procedures/overlay.py for the rules)."""
    source = rel_path(abs_path)
    located = _read(abs_path, source, problems)
    if located is None:
        return None
    misaligned = overlay.prepare(located, KeHoachTranslation, KeHoach, plan.located, source=source,
                                 original_source=plan.source, problems=problems)
    tr: Optional[KeHoachTranslation] = validate(KeHoachTranslation, located, problems)
    if tr is None:
        return None
    laid = overlay.apply(plan.model, tr, located=located, original_located=plan.located, source=source,
                         original_source=plan.source, problems=problems, misaligned=misaligned)
    laid.translated.update({("ten",), ("tom_tat",)})
    key = relative_path(abs_path, docs_dir)
    return PlanTranslation(plan=plan, lang=lang, model=laid.model, translation=tr, translated=laid.translated,
                           source=source, key=key, located=located)


def _read(abs_path: str, source: str, problems: Problems) -> Optional[Located]:
    text = read_text(abs_path, source, problems)
    if text is None:
        return None
    located = load_yaml(text, source, problems)
    if located is not None:
        _restore_task_numbers(located, text.split("\n"))
    return located


_NUMBER_KEYS = ("stt", "nhiem_vu")


def _restore_task_numbers(located: Located, lines: list[str]) -> None:
    """Task numbers as written: YAML reads `stt: 1.10` as the number 1.1.

    Staff write task numbers without quotes, and YAML turns "1.10" into 1.1 and
    "2.0" into 2.0; the plan's "1.10" would silently become task "1.1". The
    digits are taken back from the line they were written on.
    """

    def literal(line_no: int, key: str, index: Optional[int]) -> Optional[str]:
        if not 1 <= line_no <= len(lines):
            return None
        line = lines[line_no - 1]
        if index is None:
            m = re.search(rf"\b{key}\s*:\s*([0-9][0-9.]*)\s*(?:[,}}#]|$)", line)
            return m.group(1) if m else None
        m = re.search(rf"\b{key}\s*:\s*\[([^\]]*)\]", line)
        if m:  # flow list on one line
            parts = [x.strip() for x in m.group(1).split(",")]
            return parts[index] if index < len(parts) and re.fullmatch(r"[0-9][0-9.]*", parts[index]) else None
        m = re.match(r"\s*-\s*([0-9][0-9.]*)\s*(?:#|$)", line)  # block list item
        return m.group(1) if m else None

    def walk(node, loc: tuple) -> None:
        if isinstance(node, dict):
            for key, value in list(node.items()):
                if key in _NUMBER_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
                    written = literal(located.line(loc + (key,)), key, None)
                    if written:
                        node[key] = written
                elif key in _NUMBER_KEYS and isinstance(value, list):
                    for i, item in enumerate(value):
                        if isinstance(item, (int, float)) and not isinstance(item, bool):
                            written = literal(located.line(loc + (key, i)), key, i)
                            if written:
                                value[i] = written
                        else:
                            walk(item, loc + (key, i))
                else:
                    walk(value, loc + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, loc + (i,))

    walk(located.data, ())


def _docs_file(docs_dir: str, value: str) -> Optional[str]:
    rel = posixpath.normpath(value.strip().lstrip("/"))
    if rel.startswith("../") or value.startswith(("http://", "https://")):
        return None
    return rel if os.path.isfile(os.path.join(docs_dir, *rel.split("/"))) else None


def _load_plan(abs_path: str, *, docs_dir: str, rel_path, problems: Problems, categories,
               broken: set) -> Optional[Plan]:
    source = rel_path(abs_path)
    located = _read(abs_path, source, problems)
    if located is None:
        return None
    model: Optional[KeHoach] = validate(KeHoach, located, problems)
    if model is None:
        if isinstance(located.data, dict) and isinstance(located.data.get("id"), str):
            broken.add(located.data["id"].strip())
        return None
    key = relative_path(abs_path, docs_dir)
    plan = Plan(model=model, source=source, key=key, located=located)
    start, end = model.start, model.end

    def err(loc, code, **params):
        problems.add(source, located.line(loc), dotted(loc) or "-", code, **params)

    def warn(loc, code, **params):
        problems.warn(source, located.line(loc), dotted(loc) or "-", code, **params)

    if end < start:
        err(("den_ngay",), "plans.dates_order", start=_fmt(start), end=_fmt(end))
    issued = model.ngay_ban_hanh
    if issued.year not in (model.nam - 1, model.nam):
        err(("ngay_ban_hanh",), "plans.issue_year", value=issued.short(), nam=model.nam)

    # Legal bases by number, for relative deadlines.
    bases: dict[str, date] = {}
    for vb in model.can_cu:
        if vb.so_ky_hieu and vb.ngay:
            bases[norm_doc_no(vb.so_ky_hieu)] = vb.ngay

    # Tasks: unique numbers, timings parsed and resolved.
    first_line: dict[str, int] = {}
    by_id: dict[int, Task] = {}
    for nv, loc, parent in model.all_tasks():
        line = located.line(loc + ("stt",))
        task = Task(model=nv, loc=loc, line=line, parent=by_id.get(id(parent)) if parent is not None else None,
                    where=loc[0])
        by_id[id(nv)] = task
        if task.parent is not None:
            task.parent.children.append(task)
        if nv.stt in first_line:
            err(loc + ("stt",), "plans.duplicate_stt", value=nv.stt, first_line=first_line[nv.stt])
            continue
        first_line[nv.stt] = line
        plan.tasks[nv.stt] = task
        plan.task_list.append(task)
        if nv.thoi_gian is not None:
            task.timing = _task_timing(nv.thoi_gian, model, bases, loc + ("thoi_gian",), err, warn)

    # Quotas: unique codes, known tasks, dates inside the plan, channel-specific fields.
    quota_lines: dict[str, int] = {}
    for i, ct in enumerate(model.chi_tieu):
        loc = ("chi_tieu", i)
        line = located.line(loc + ("ma",))
        if ct.ma in quota_lines:
            err(loc + ("ma",), "plans.duplicate_quota", value=ct.ma, first_line=quota_lines[ct.ma])
            continue
        quota_lines[ct.ma] = line
        q_start, q_end = ct.tu_ngay or start, ct.den_ngay or end
        for name, d in (("tu_ngay", ct.tu_ngay), ("den_ngay", ct.den_ngay)):
            if d is not None and not (start <= d <= end):
                err(loc + (name,), "plans.date_out_of_range", value=_fmt(d), start=_fmt(start), end=_fmt(end))
        if q_end < q_start:
            err(loc + ("den_ngay",), "plans.dates_order", start=_fmt(q_start), end=_fmt(q_end))
        portal = ct.kenh in PORTAL_CHANNELS
        if ct.kenh == "cong_so_y_te" and not ct.cong:
            err(loc + ("kenh",), "plans.quota_portal_name", kenh=ct.kenh)
        if not portal and ct.cong:
            err(loc + ("cong",), "plans.quota_portal_only", name="cong")
        if not portal and ct.chi_tinh_da_dang:
            err(loc + ("chi_tinh_da_dang",), "plans.quota_portal_only", name="chi_tinh_da_dang")
        if ct.bo_loc is not None and ct.kenh not in ("website_don_vi",) + PORTAL_CHANNELS:
            err(loc + ("bo_loc",), "plans.quota_filter_channel", kenh=ct.kenh)
        if ct.bo_loc is not None and categories is not None:
            cats = list(categories)
            for j, slug in enumerate(ct.bo_loc.chuyen_muc):
                if slug not in cats:
                    err(loc + ("bo_loc", "chuyen_muc", j), "plans.unknown_category", value=slug, allowed=", ".join(cats))
        quota = Quota(model=ct, line=line, start=q_start, end=q_end)
        for j, stt in enumerate(ct.nhiem_vu):
            task = plan.tasks.get(stt)
            if task is None:
                err(loc + ("nhiem_vu", j), "plans.unknown_task", value=stt, plan=model.id, allowed=plan.task_numbers())
                continue
            quota.tasks.append(task)
            task.quotas.append(quota)
        plan.quotas.append(quota)

    for i, att in enumerate(model.tep_dinh_kem):
        if att.tep:
            rel = _docs_file(docs_dir, att.tep)
            if rel is None:
                err(("tep_dinh_kem", i, "tep"), "plans.file_missing", value=att.tep)
            else:
                plan.attachments.append((att.ten, rel))
        elif att.url:
            plan.attachments.append((att.ten, att.url))

    return plan


def _task_timing(raw: str, model: KeHoach, bases: dict[str, date], loc: tuple, err, warn) -> Optional[Timing]:
    start, end = model.start, model.end
    try:
        timing = parse_timing(raw, model.nam, (start, end))
    except TimingError as exc:
        err(loc, exc.code, **exc.params)
        return None
    if timing.kind == "tuong_doi":
        rel = timing.relative
        if rel.ref is None:
            issued = model.ngay_ban_hanh.as_date()
            if issued is None:
                warn(loc, "plans.timing_ref_no_day", text=raw)
                timing = _unresolved(timing)
            else:
                timing = timing.resolved(issued, start=start)
        else:
            ref_date = bases.get(norm_doc_no(rel.ref))
            if ref_date is None:
                err(loc, "plans.timing_ref_unknown", text=raw, ref=rel.ref)
                return None
            timing = timing.resolved(ref_date, start=start)
    if timing.reading:
        warn(loc, "plans.timing_repaired", text=raw, reading=timing.reading, meaning=describe(timing))
    for d in all_dates(timing):
        if not (start <= d <= end) and not (timing.kind == "tuong_doi" and d == timing.start):
            err(loc, "plans.timing_out_of_range", text=raw, value=_fmt(d), start=_fmt(start), end=_fmt(end))
            return None
    return timing


def _unresolved(t: Timing) -> Timing:
    return Timing(t.raw, "tuong_doi", relative=t.relative, reading=t.reading)


def _load_evidence(abs_path: str, state: PlansState, *, docs_dir: str, rel_path, problems: Problems, now: date) -> None:
    source = rel_path(abs_path)
    located = _read(abs_path, source, problems)
    if located is None:
        return
    model: Optional[TepMinhChung] = validate(TepMinhChung, located, problems)
    if model is None:
        return
    plan = state.get(model.ke_hoach)
    if plan is None and model.ke_hoach in state.broken:
        return
    if plan is None:
        problems.add(source, located.line(("ke_hoach",)), "ke_hoach", "plans.evidence_unknown_plan",
                     value=model.ke_hoach, allowed=", ".join(state.plans) or "(chưa có)")
        return
    for i, mc in enumerate(model.minh_chung):
        loc = ("minh_chung", i)
        ok = True
        if mc.nhiem_vu is not None and mc.nhiem_vu not in plan.tasks:
            problems.add(source, located.line(loc + ("nhiem_vu",)), dotted(loc + ("nhiem_vu",)), "plans.unknown_task",
                         value=mc.nhiem_vu, plan=plan.id, allowed=plan.task_numbers())
            ok = False
        if not (plan.start <= mc.ngay <= plan.end):
            problems.add(source, located.line(loc + ("ngay",)), dotted(loc + ("ngay",)), "plans.date_out_of_range",
                         value=_fmt(mc.ngay), start=_fmt(plan.start), end=_fmt(plan.end))
            ok = False
        docs_file = None
        if mc.tep:
            docs_file = _docs_file(docs_dir, mc.tep)
            if docs_file is None:
                problems.add(source, located.line(loc + ("tep",)), dotted(loc + ("tep",)), "plans.file_missing", value=mc.tep)
                ok = False
        if mc.ngay > now:
            problems.warn(source, located.line(loc + ("ngay",)), dotted(loc + ("ngay",)), "plans.evidence_future",
                          value=_fmt(mc.ngay))
        if ok:
            plan.evidence.append(Evidence(model=mc, source=source, line=located.line(loc), plan_id=plan.id,
                                          docs_file=docs_file))


def check_news_refs(state: PlansState, items: Iterable, problems: Problems) -> None:
    """Each plan reference in a news item names an existing plan and task (its number as
    written: the model keeps the digits of a number written without quotes, `nhiem_vu: 1.10`)."""
    ids = ", ".join(state.plans) or "(chưa có)"
    for item in items:
        for i, ref in enumerate(item.ke_hoach):
            stt = ref.nhiem_vu.rstrip(".") if ref.nhiem_vu else None
            plan = state.get(ref.ke_hoach)
            if plan is None and ref.ke_hoach in state.broken:
                continue
            if plan is None:
                loc = ("ke_hoach", i, "ke_hoach")
                problems.add(item.source, item.lines.line(loc), dotted(loc), "plans.news_unknown_plan",
                             value=ref.ke_hoach, allowed=ids)
                continue
            if stt is not None and stt not in plan.tasks:
                loc = ("ke_hoach", i, "nhiem_vu")
                problems.add(item.source, item.lines.line(loc), dotted(loc), "plans.news_unknown_task",
                             plan=plan.id, value=stt, allowed=plan.task_numbers())
                continue
            d = item.date.date()
            if not (plan.start <= d <= plan.end):
                loc = ("ke_hoach", i, "ke_hoach")
                problems.warn(item.source, item.lines.line(loc), dotted(loc), "plans.news_outside_plan",
                              value=_fmt(d), plan=plan.id, start=_fmt(plan.start), end=_fmt(plan.end))
