"""National portal detail JSON -> procedure YAML (`cchc import-tthc`).

The input is the record the national public-service portal returns for one procedure
(`POST /api/v1/configuring/formality/get-formality-by-citizen`; shared/domain.md §1.3,
sample in shared/data/dvcqg/1.014331.json). The portal's text is not clean and its
structure is loose, so the conversion:

* normalises every string (NFC, "ƣ" -> "ư", NBSP and control characters, runs of
  spaces and tabs collapsed, including the double spaces found inside dates);
* turns epoch-millisecond UTC times into dates in Vietnam time;
* splits each "executionSteps" description into its steps ("Bước 1. …", also when
  several are written on one line), keeping continuation lines with their step and
  recognising sub-situations ("- Nếu trẻ sinh ra tại …:") that restart the numbering;
* declares the cases ("Trường hợp 1: …") once and links steps, methods, dossier
  groups and results to them, matching the differently worded case titles of each
  section ("Đối với trường hợp …:") on their accent-folded text;
* reads dates of legal documents and fee validity periods written in the text.

Re-importing an updated record keeps what the unit wrote itself (``tai_don_vi``,
``tu_khoa``, ``don_vi_ap_dung``, ``ghi_chu``, lifecycle fields, local decisions,
local form files, related procedures) and returns a diff of the file.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from datetime import date
from typing import Any, Optional

import yaml

from .. import timeutil
from ..text import clean_block, clean_line, fold

PORTAL_PAGE = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{id}"

METHODS = {"DIRECT": "truc_tiep", "ONLINE": "truc_tuyen", "POSTAL": "buu_chinh"}
TIME_UNITS = {"WORKING_DAY": "ngay_lam_viec", "DAY": "ngay", "MONTH": "thang", "HOUR": "gio", "OTHER": "khac"}
RETURNING = {"AT_HOME": "tai_nha", "AT_SUBMISSION_PLACE": "tai_noi_nop", "ONLINE": "truc_tuyen"}
# Fee types seen: FEE, SERVICE_FEE (phí). Charges (lệ phí) are matched by name; the
# exact portal spelling of a "lệ phí" type is unverified, anything else becomes "khac".
FEE_TYPES = {"FEE": "phi", "SERVICE_FEE": "phi", "CHARGE": "le_phi", "LE_PHI": "le_phi", "REGISTRATION_FEE": "le_phi"}
# Portal "state": ACTIVE and UPDATED are observed (domain.md §1.3); the others are
# guesses at how a retired record would be marked, mapped so that nothing is lost.
STATES = {"ACTIVE": "moi_ban_hanh", "UPDATED": "sua_doi_bo_sung", "REPLACED": "thay_the",
          "ABOLISHED": "bai_bo", "CANCELLED": "bai_bo", "CANCELED": "bai_bo", "INACTIVE": "bai_bo"}
TYPES = {"STANDARD": "tieu_chuan", "SPECIFIC": "dac_thu", "SPECIAL": "dac_thu", "INTERNAL": "noi_bo"}

# Fields the unit writes itself; a re-import never overwrites them.
LOCAL_FIELDS = ("tai_don_vi", "don_vi_ap_dung", "ghi_chu", "trang_thai", "hieu_luc_tu", "hieu_luc_den",
                "thay_the_boi", "thay_the_cho")

_STEP_RE = re.compile(r"^(?:[-+•*]\s*)?bước\s*(\d+)\s*[.:)\-–]?\s*(.*)$", re.I)
_INLINE_STEP_RE = re.compile(r"(?<=[.;:])[ \t]+(?=(?:[-+]\s*)?Bước\s*\d+\s*[.:])")
_BULLET_RE = re.compile(r"^([-+•*]|[a-zđ]\)|\d+[.)])\s+", re.I)
_CASE_PREFIX_RE = re.compile(r"^\s*trường hợp\s*(\d+)\s*[:.)\-–]\s*(.*)$", re.I | re.S)
_FOR_CASE_RE = re.compile(r"^\s*(?:\*\s*)?(?:đối với\s+)?(?:các\s+)?trường hợp\s+", re.I)
_NOTE_HEAD_RE = re.compile(r"(?:^|\n)\s*(?:\d+\.\s*)?Mô tả (đối tượng thực hiện|cơ quan thực hiện)\s*:?[ \t]*", re.I)
_DATE_NUM_RE = re.compile(r"ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.I)
_DATE_WORDS_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_VALIDITY_RE = re.compile(
    r"từ\s+ngày\s+(?P<from>\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4})"
    r".{0,20}?đến(?:\s+hết)?\s+ngày\s+(?P<to>\d{1,2}\s*(?:/|tháng)\s*\d{1,2}\s*(?:/|năm)\s*\d{4})",
    re.I | re.S,
)
_GROUP_NAMES = {"phai_nop": ("giấy tờ phải nộp", "giay to phai nop"), "phai_xuat_trinh": ("giấy tờ phải xuất trình", "giay to phai xuat trinh")}


class ImportError_(ValueError):
    """The input is not a portal procedure record (message in Vietnamese)."""


# --- text ---------------------------------------------------------------------


def line(value: Any) -> Optional[str]:
    if value is None:
        return None
    s = clean_line(str(value))
    return s or None


def block(value: Any) -> Optional[str]:
    """Multi-line text: NFC, artefacts mapped, spaces collapsed per line, empty lines squeezed."""
    if value is None:
        return None
    text = clean_block(str(value))
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln and (not out or not out[-1]):
            continue
        out.append(ln)
    while out and not out[-1]:
        out.pop()
    s = "\n".join(out)
    return s or None


def _vn_date(text: str) -> Optional[str]:
    m = re.match(r"(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", text.strip(), re.I)
    if not m:
        return None
    d, mo, y = (int(x) for x in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def epoch_date(ms: Any) -> Optional[str]:
    if not isinstance(ms, (int, float)) or isinstance(ms, bool) or ms <= 0:
        return None
    return timeutil.from_epoch_ms(ms).date().isoformat()


def _named(items: Any) -> list[dict]:
    out = []
    for it in items or []:
        if not isinstance(it, dict):
            continue
        name = line(it.get("name"))
        if not name:
            continue
        d = {"ten": name}
        code = line(it.get("code"))
        if code:
            d["ma"] = code
        out.append(d)
    return out


# --- cases ----------------------------------------------------------------------


class Cases:
    """The cases of one record, declared once; sections refer to them by key."""

    def __init__(self) -> None:
        self.items: list[dict] = []  # {"ma": key, "ten": name}

    def _norm(self, text: str) -> str:
        t = _FOR_CASE_RE.sub("", text)
        t = re.sub(r"[:.\s]+$", "", t)
        return " ".join(re.sub(r"[^a-z0-9 ]+", " ", fold(t)).split())

    def declare(self, name: str) -> str:
        m = _CASE_PREFIX_RE.match(name)
        if m:
            key, rest = m.group(1), line(m.group(2)) or f"Trường hợp {m.group(1)}"
            rest = re.sub(r"\s*:\s*$", "", rest)
        else:
            key, rest = None, re.sub(r"\s*:\s*$", "", name)
        existing = self.find(name)
        if existing:
            return existing
        if key is None or any(c["ma"] == key for c in self.items):
            key = str(len(self.items) + 1)
            while any(c["ma"] == key for c in self.items):
                key = str(int(key) + 1)
        self.items.append({"ma": key, "ten": rest})
        return key

    def find(self, text: str) -> Optional[str]:
        m = _CASE_PREFIX_RE.match(text)
        if m and any(c["ma"] == m.group(1) for c in self.items):
            return m.group(1)
        probe = self._norm(m.group(2) if m else text)
        if not probe:
            return None
        for c in self.items:
            name = self._norm(c["ten"])
            if name and (probe == name or (len(probe) > 15 and (probe in name or name in probe))):
                return c["ma"]
        return None


# --- steps ----------------------------------------------------------------------


def _unwrap(parts: list[str]) -> list[str]:
    """Undo hard line wraps from PDF copies: a line that does not end a sentence continues
    on the next one ("… theo quy định tại Mẫu số 04" / "Phụ lục II ban hành …")."""
    out: list[str] = []
    for p in parts:
        if out and not re.search(r"[.;:!?]$", out[-1]) and not _BULLET_RE.match(p):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
    return out


def _join(parts: list[str]) -> str:
    """Join continuation lines into Markdown: "-"/"+" bullets and "1." items stay a list,
    other lines (including "a)" items, which Markdown does not list) are paragraphs."""
    out = ""
    prev_list = False
    for p in _unwrap(parts):
        if re.match(r"^[+•*]\s+", p):
            p = re.sub(r"^[+•*]\s+", "- ", p)
        is_list = bool(re.match(r"^(- |\d+\. )", p))
        if not out:
            out = p
        elif is_list and prev_list:
            out += "\n" + p
        else:
            out += "\n\n" + p
        prev_list = is_list
    return out


def split_steps(description: Optional[str]) -> list[dict]:
    """One executionSteps description -> [{tinh_huong?, mo_ta?, cac_buoc: [...]}, …]."""
    text = block(description) or ""
    if not text:
        return []
    text = _INLINE_STEP_RE.sub("\n", text)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    has_steps = any(_STEP_RE.match(ln) for ln in lines)
    if not has_steps:
        bullets = [ln for ln in lines if _BULLET_RE.match(ln)]
        if len(lines) > 1 and len(bullets) == len(lines):
            return [{"cac_buoc": [_BULLET_RE.sub("", ln, count=1) for ln in lines]}]
        return [{"cac_buoc": [_join(lines)]}]

    groups: list[dict] = []
    current: dict = {"tinh_huong": None, "intro": [], "steps": [], "numbers": []}

    def flush():
        if current["steps"] or current["intro"] or current["tinh_huong"]:
            groups.append(dict(current))

    for i, ln in enumerate(lines):
        m = _STEP_RE.match(ln)
        if m:
            current["steps"].append([m.group(2)] if m.group(2) else [])
            current["numbers"].append(int(m.group(1)))
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if ln.rstrip().endswith(":") and _STEP_RE.match(nxt) and re.match(r"^[-+•*]\s*", ln) and (current["steps"] or current["intro"]):
            flush()
            current = {"tinh_huong": None, "intro": [], "steps": [], "numbers": []}
        if ln.rstrip().endswith(":") and _STEP_RE.match(nxt) and not current["steps"] and re.match(r"^[-+•*]\s*", ln):
            current["tinh_huong"] = re.sub(r"^[-+•*]\s*|\s*:\s*$", "", ln)
            continue
        if current["steps"]:
            current["steps"][-1].append(ln)
        else:
            current["intro"].append(ln)
    flush()

    out = []
    for g in groups:
        steps = [_join(parts) for parts in g["steps"]]
        sequential = g["numbers"] == list(range(1, len(g["numbers"]) + 1))
        if not sequential:
            # Keep the written numbering when it is not 1, 2, 3…: the list order alone would misstate it.
            steps = [f"Bước {n}. {s}" if s else f"Bước {n}." for n, s in zip(g["numbers"], steps)]
        steps = [s if s else "(không có nội dung)" for s in steps]
        entry: dict = {}
        if g["tinh_huong"]:
            entry["tinh_huong"] = g["tinh_huong"]
        if g["intro"]:
            entry["mo_ta"] = _join(g["intro"])
        entry["cac_buoc"] = steps
        if steps:
            out.append(entry)
        elif entry.get("mo_ta"):
            out.append({**({"tinh_huong": entry["tinh_huong"]} if "tinh_huong" in entry else {}), "cac_buoc": [entry["mo_ta"]]})
    return out


# --- legal basis, fees ------------------------------------------------------------------


def _doc_date(name: str, number: str) -> Optional[str]:
    """Issue date written right after the document number in its name ("… số 22/2025/TT-BYT ngày 28/6/2025 …")."""
    pos = name.find(number) if number else -1
    if pos < 0:
        return None
    tail = name[pos + len(number): pos + len(number) + 45]
    for rx in (_DATE_NUM_RE, _DATE_WORDS_RE):
        m = rx.search(tail)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                return None
    return None


def _amount(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value > 0 else None
    if isinstance(value, str):
        digits = re.sub(r"[^\d]", "", value.split(",")[0])
        return int(digits) if digits and int(digits) > 0 else None
    return None


def _fee(f: dict, notes: list[str]) -> dict:
    ftype = str(f.get("type") or "").upper()
    kind = FEE_TYPES.get(ftype)
    if kind is None:
        kind = "le_phi" if "CHARGE" in ftype else "khac"
        notes.append(f"loại phí '{ftype}' chưa biết, ghi là 'khac': kiểm tra lại")
    out: dict = {"loai": kind}
    amount = _amount(f.get("value"))
    if amount is not None:
        out["so_tien"] = amount
    currency = fold(str(f.get("currencyName") or f.get("currency") or ""))
    if "usd" in currency:
        out["don_vi_tien"] = "USD"
    desc = block(f.get("description"))
    if desc:
        out["mo_ta"] = desc
        m = _VALIDITY_RE.search(desc)
        if m:
            start, end = _vn_date(m.group("from")), _vn_date(m.group("to"))
            if start:
                out["hieu_luc_tu"] = start
            if end:
                out["hieu_luc_den"] = end
    return out


# --- the record -----------------------------------------------------------------------


def unwrap(data: Any) -> list[dict]:
    """Records in a file: one record, a list of records, or an API envelope {"data": …}."""
    if isinstance(data, dict) and "code" not in data and "data" in data:
        data = data["data"]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and all(isinstance(x, dict) for x in data):
        return data
    raise ImportError_("tệp không phải bản ghi thủ tục của Cổng DVCQG (cần một đối tượng JSON có trường 'code').")


def convert(rec: dict, today: date, notes: Optional[list[str]] = None) -> dict:
    """One portal record -> the procedure as a dict in model field order (strings, no objects)."""
    notes = notes if notes is not None else []
    code = line(rec.get("codeNotation")) or line(rec.get("code"))
    if not code or not re.fullmatch(r"[1-9]\.\d{6}", code):
        raise ImportError_(f"bản ghi không có mã thủ tục hợp lệ (code = {rec.get('code')!r}); cần dạng 1.014331.")
    name = line(rec.get("name"))
    if not name:
        raise ImportError_(f"bản ghi {code} không có tên thủ tục (trường 'name').")

    out: dict = {"ma_tthc": code, "ten": name}
    desc = block(rec.get("description"))
    req = block(rec.get("requirementsAndConditions"))
    if desc and desc != req:
        out["mo_ta"] = desc

    cats = _named(rec.get("categoriesDetails"))
    if cats:
        out["linh_vuc"] = cats[0]
        if len(cats) > 1:
            notes.append("bản ghi có nhiều lĩnh vực; chỉ giữ lĩnh vực đầu: " + ", ".join(c["ten"] for c in cats))
    else:
        out["linh_vuc"] = {"ten": "Chưa xác định"}
        notes.append("bản ghi không có lĩnh vực: ghi 'linh_vuc' bằng tay")
    pub = line(rec.get("departmentPromulgateName"))
    if pub:
        out["co_quan_cong_bo"] = {"ten": pub, **({"ma": line(rec.get("departmentPromulgateCode"))} if line(rec.get("departmentPromulgateCode")) else {})}

    levels = [lv for flag, lv in (("isMinistry", "cap_bo"), ("isProvince", "cap_tinh"), ("isWard", "cap_xa"),
                                  ("isOtherAgency", "co_quan_khac"), ("isUndetermined", "chua_xac_dinh")) if rec.get(flag)]
    out["cap_thuc_hien"] = levels or ["chua_xac_dinh"]
    ptype = "noi_bo" if rec.get("isInternal") else TYPES.get(str(rec.get("type") or "").upper(), "khac")
    out["loai_tthc"] = ptype
    if rec.get("isVertical"):
        out["nganh_doc"] = True
    subjects = _named(rec.get("subjectTypesDetails"))
    if subjects:
        out["doi_tuong_thuc_hien"] = subjects

    # note: "1. Mô tả đối tượng thực hiện: … 2. Mô tả cơ quan thực hiện: …"
    note = block(rec.get("note"))
    extra_note = None
    if note:
        parts = _NOTE_HEAD_RE.split(note)
        lead = parts[0].strip()
        for head, body in zip(parts[1::2], parts[2::2]):
            body = block(body)
            if not body:
                continue
            if fold(head).startswith("doi tuong"):
                out["mo_ta_doi_tuong"] = body
            else:
                out["mo_ta_co_quan"] = body
        extra_note = lead or None

    agencies = {}
    for key, field in (("thuc_hien", "departmentsExecuting"), ("co_tham_quyen", "departmentsAuthority"),
                       ("duoc_uy_quyen", "departmentsAuthorized"), ("phoi_hop", "departmentsCoordinating")):
        items = _named(rec.get(field))
        if items:
            agencies[key] = items
    if "thuc_hien" not in agencies and line(rec.get("executingAgencies")):
        agencies["thuc_hien"] = [{"ten": x.strip()} for x in line(rec.get("executingAgencies")).split(",") if x.strip()]
    out["co_quan"] = agencies
    if "mo_ta_co_quan" in out:
        out["mo_ta_co_quan"] = out.pop("mo_ta_co_quan")
    addr = block(rec.get("dossierReceivingAddresses"))
    if addr:
        out["dia_chi_tiep_nhan"] = addr

    # Cases come from the step titles first, then from the other sections.
    cases = Cases()
    steps_raw = [s for s in rec.get("executionSteps") or [] if isinstance(s, dict)]
    step_entries: list[dict] = []
    for s in steps_raw:
        title = line(s.get("name"))
        key = cases.declare(title) if title and (len(steps_raw) > 1 or _CASE_PREFIX_RE.match(title) or _FOR_CASE_RE.match(title)) else None
        for g in split_steps(s.get("description")):
            entry = {"truong_hop": key} if key else {}
            entry.update(g)
            step_entries.append(entry)
        if title and key is None:
            # A lone titled step list: keep the title as its situation.
            if step_entries:
                step_entries[-1].setdefault("tinh_huong", title)

    dossier: list[dict] = []
    for c in rec.get("executionCases") or []:
        if not isinstance(c, dict):
            continue
        title = line(c.get("name"))
        group: dict = {}
        if title:
            folded = fold(title)
            kind = next((k for k, names in _GROUP_NAMES.items() if any(n in folded for n in names)), None)
            if kind:
                group["nhom"] = kind
            else:
                group["truong_hop"] = cases.find(title) or cases.declare(title)
        docs = []
        for comp in c.get("profileComponents") or []:
            if not isinstance(comp, dict) or not block(comp.get("name")):
                continue
            d: dict = {"ten": block(comp.get("name"))}
            if line(comp.get("code")):
                d["ma"] = line(comp.get("code"))
            d["ban_chinh"] = int(comp.get("originalQty") or 0)
            d["ban_sao"] = int(comp.get("copyQty") or 0)
            if comp.get("required") is True:
                d["bat_buoc"] = True
            forms = []
            for a in comp.get("attachments") or []:
                if isinstance(a, dict) and line(a.get("fileName")):
                    f = {"ten": line(a.get("fileName"))}
                    if line(a.get("filePath")):
                        f["duong_dan_dvcqg"] = line(a.get("filePath"))
                    forms.append(f)
            if forms:
                d["mau_don"] = forms
            docs.append(d)
        if docs:
            group["giay_to"] = docs
            dossier.append(group)

    methods: list[dict] = []
    for mth in rec.get("executionMethods") or []:
        if not isinstance(mth, dict):
            continue
        how = METHODS.get(str(mth.get("submissionMethod") or "").upper())
        if how is None:
            notes.append(f"hình thức nộp '{mth.get('submissionMethod')}' chưa biết: bỏ qua, thêm bằng tay nếu cần")
            continue
        entry: dict = {"hinh_thuc": how}
        desc_m = block(mth.get("description"))
        if desc_m:
            m = _CASE_PREFIX_RE.match(desc_m)
            if m and cases.find(desc_m):
                entry["truong_hop"] = cases.find(desc_m)
        unit = TIME_UNITS.get(str(mth.get("processingTimeUnit") or "").upper())
        if unit is None:
            notes.append(f"đơn vị thời hạn '{mth.get('processingTimeUnit')}' chưa biết, ghi là 'khac'")
            unit = "khac"
        qty = mth.get("processingTime")
        thoi_han: dict = {}
        if isinstance(qty, (int, float)) and not isinstance(qty, bool) and qty > 0 and unit != "khac":
            thoi_han["so"] = int(qty) if float(qty).is_integer() else qty
        thoi_han["don_vi"] = unit
        if desc_m:
            thoi_han["mo_ta"] = desc_m
        entry["thoi_han"] = thoi_han
        fees = [_fee(f, notes) for f in mth.get("fees") or [] if isinstance(f, dict)]
        if fees:
            entry["phi_le_phi"] = fees
        methods.append(entry)
    if not methods:
        notes.append("bản ghi không có cách thức thực hiện: thêm 'cach_thuc_thuc_hien' bằng tay")

    returning = [RETURNING[r] for r in rec.get("returningMethods") or [] if isinstance(r, str) and r in RETURNING]

    results = []
    for k in _named(rec.get("resultsDetails")):
        m = _CASE_PREFIX_RE.match(k["ten"])
        item = {}
        if m and cases.find(k["ten"]):
            item["ten"] = line(m.group(2)) or k["ten"]
            item["ma"] = k.get("ma")
            item["truong_hop"] = cases.find(k["ten"])
        else:
            item = dict(k)
        results.append({x: y for x, y in item.items() if y})

    legal = []
    for doc in rec.get("legalBasisesDetails") or []:
        if not isinstance(doc, dict):
            continue
        number = line(doc.get("code"))
        title = line(doc.get("name"))
        if not number and not title:
            continue
        entry = {"so_ky_hieu": number or title}
        if title and title != number:
            entry["trich_yeu"] = title
            issued = _doc_date(title, number or "")
            if issued:
                entry["ngay_ban_hanh"] = issued
        legal.append(entry)

    if cases.items:
        out["cac_truong_hop"] = cases.items
    out["trinh_tu_thuc_hien"] = step_entries
    if not step_entries:
        notes.append("bản ghi không có trình tự thực hiện: thêm 'trinh_tu_thuc_hien' bằng tay")
    out["cach_thuc_thuc_hien"] = methods
    if returning:
        out["cach_nhan_ket_qua"] = returning
    if dossier:
        out["thanh_phan_ho_so"] = dossier
    if results:
        out["ket_qua"] = results
    if req:
        out["yeu_cau_dieu_kien"] = req
    if legal:
        out["can_cu_phap_ly"] = legal

    prop = rec.get("procedureProposal") if isinstance(rec.get("procedureProposal"), dict) else {}
    number = line(prop.get("proposalNumber")) or line(prop.get("decisionNumber")) or line(rec.get("decisionNo"))
    when = epoch_date(prop.get("decisionDate")) or epoch_date(rec.get("decisionDate"))
    issuer = line((prop.get("issuingAgency") or {}).get("name") if isinstance(prop.get("issuingAgency"), dict) else None) or pub
    state = str(rec.get("state") or "").upper()
    change = STATES.get(state)
    if change is None:
        change = "moi_ban_hanh"
        notes.append(f"trạng thái '{rec.get('state')}' chưa biết, ghi là 'moi_ban_hanh': kiểm tra lại")
    if number and when and issuer:
        out["quyet_dinh_cong_bo"] = [{"so": number, "ngay": when, "co_quan": issuer, "loai_thay_doi": change}]
    else:
        out["quyet_dinh_cong_bo"] = []
        notes.append("bản ghi thiếu số, ngày hoặc cơ quan của quyết định công bố: thêm 'quyet_dinh_cong_bo' bằng tay")

    services = []
    for c in rec.get("cases") or []:
        if isinstance(c, dict) and line(c.get("code")) and re.fullmatch(r"[1-9]\.\d{6}\.\d{2}", line(c.get("code"))):
            s = {"ma_dvc": line(c.get("code"))}
            if line(c.get("name")):
                s["ten"] = line(c.get("name"))
            if rec.get("isFullProcess"):
                s["muc_do"] = "toan_trinh"
            services.append(s)
    if services:
        out["dich_vu_cong"] = services

    related = []
    for r in rec.get("procedureRelatedGroup") or []:
        items = r.get("procedures") if isinstance(r, dict) and isinstance(r.get("procedures"), list) else [r]
        for it in items:
            if isinstance(it, str):
                rc, rn = line(it), None
            elif isinstance(it, dict):
                rc, rn = line(it.get("codeNotation") or it.get("code")), line(it.get("name"))
            else:
                continue
            if rc and re.fullmatch(r"[1-9]\.\d{6}", rc) and rc != code:
                related.append({"ma": rc, **({"ten": rn} if rn else {})})
    if related:
        out["thu_tuc_lien_quan"] = related

    nguon: dict = {}
    if line(rec.get("id")):
        nguon["url_dvcqg"] = PORTAL_PAGE.format(id=line(rec.get("id")))
        nguon["id_dvcqg"] = line(rec.get("id"))
    nguon["ngay_dong_bo"] = today.isoformat()
    updated = epoch_date(rec.get("updatedAt"))
    if updated:
        nguon["ngay_cap_nhat_dvcqg"] = updated
    out["nguon"] = nguon
    out["ngay_cap_nhat"] = today.isoformat()
    keywords = [k for k in (line(x) for x in re.split(r"[,;]", str(rec.get("keywords") or ""))) if k]
    if keywords:
        out["tu_khoa"] = keywords
    if extra_note:
        out["ghi_chu"] = extra_note
    return out


# --- merging with the file already there ----------------------------------------------------


def _strip_volatile(d: dict) -> dict:
    d = dict(d)
    d.pop("ngay_cap_nhat", None)
    if isinstance(d.get("nguon"), dict):
        d["nguon"] = {k: v for k, v in d["nguon"].items() if k != "ngay_dong_bo"}
    return d


def merge(new: dict, old: Optional[dict]) -> dict:
    """`new` from the portal, with everything the unit wrote in `old` kept."""
    if not old:
        return new
    out = dict(new)
    for key in LOCAL_FIELDS:
        if key in old and old[key] not in (None, "", []):
            out[key] = old[key]
    kws = list(dict.fromkeys([*(old.get("tu_khoa") or []), *(new.get("tu_khoa") or [])]))
    if kws:
        out["tu_khoa"] = kws
    rel_new = {r.get("ma"): r for r in new.get("thu_tuc_lien_quan") or [] if isinstance(r, dict)}
    rel = [r for r in old.get("thu_tuc_lien_quan") or [] if isinstance(r, dict)]
    rel += [r for c, r in rel_new.items() if c not in {x.get("ma") for x in rel}]
    if rel:
        out["thu_tuc_lien_quan"] = rel
    # Decisions: the portal gives the newest one; the history and local decisions stay.
    decisions = [q for q in old.get("quyet_dinh_cong_bo") or [] if isinstance(q, dict)]
    for q in new.get("quyet_dinh_cong_bo") or []:
        same = next((x for x in decisions if x.get("so") == q["so"]), None)
        if same is None:
            decisions.append(q)
        else:
            same.update({k: v for k, v in q.items() if k != "loai_thay_doi"})
    decisions.sort(key=lambda q: str(q.get("ngay") or ""))
    out["quyet_dinh_cong_bo"] = decisions
    # Local form files and online-service links written by the unit.
    old_forms = {}
    for g in old.get("thanh_phan_ho_so") or []:
        for d in (g or {}).get("giay_to") or []:
            for f in (d or {}).get("mau_don") or []:
                if isinstance(f, dict) and (f.get("tep") or f.get("url")):
                    old_forms[(d.get("ma"), f.get("ten"))] = f
    for g in out.get("thanh_phan_ho_so") or []:
        for d in g.get("giay_to") or []:
            for f in d.get("mau_don") or []:
                kept = old_forms.get((d.get("ma"), f.get("ten")))
                if kept:
                    for k in ("tep", "url", "dinh_dang"):
                        if kept.get(k):
                            f[k] = kept[k]
    old_services = {s.get("ma_dvc"): s for s in old.get("dich_vu_cong") or [] if isinstance(s, dict)}
    for s in out.get("dich_vu_cong") or []:
        prev = old_services.get(s["ma_dvc"])
        if prev and prev.get("url_nop_truc_tuyen"):
            s["url_nop_truc_tuyen"] = prev["url_nop_truc_tuyen"]
        if prev and prev.get("muc_do") and "muc_do" not in s:
            s["muc_do"] = prev["muc_do"]
    # The posted content changed only if something other than sync bookkeeping did.
    if _strip_volatile(out) == _strip_volatile(old) and old.get("ngay_cap_nhat"):
        out["ngay_cap_nhat"] = old["ngay_cap_nhat"]
    return _ordered(out)


_ORDER = [
    "ma_tthc", "ten", "mo_ta", "linh_vuc", "co_quan_cong_bo", "cap_thuc_hien", "loai_tthc", "nganh_doc",
    "doi_tuong_thuc_hien", "mo_ta_doi_tuong", "co_quan", "mo_ta_co_quan", "dia_chi_tiep_nhan", "tai_don_vi",
    "cac_truong_hop", "trinh_tu_thuc_hien", "cach_thuc_thuc_hien", "cach_nhan_ket_qua", "thanh_phan_ho_so",
    "so_bo_ho_so", "ket_qua", "yeu_cau_dieu_kien", "can_cu_phap_ly", "quyet_dinh_cong_bo", "trang_thai",
    "hieu_luc_tu", "hieu_luc_den", "thay_the_boi", "thay_the_cho", "dich_vu_cong", "thu_tuc_lien_quan", "nguon",
    "don_vi_ap_dung", "ngay_cap_nhat", "tu_khoa", "ghi_chu",
]


def _ordered(d: dict) -> dict:
    rank = {k: i for i, k in enumerate(_ORDER)}
    return {k: d[k] for k in sorted(d, key=lambda k: rank.get(k, len(rank)))}


# --- YAML out -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line text as `|` blocks, dates left as plain text."""


_Dumper.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _str(dumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


HEADER = (
    "# Thủ tục hành chính {code}, nhập từ Cổng Dịch vụ công quốc gia bằng lệnh 'cchc import-tthc'.\n"
    "# Khi nhập lại bản mới, các mục đơn vị tự ghi được giữ nguyên: tai_don_vi (nơi nộp, giờ tiếp nhận),\n"
    "# tu_khoa, don_vi_ap_dung, ghi_chu, trạng thái và thay thế, quyết định của tỉnh, tệp mẫu đơn (tep).\n"
)


def dump(data: dict) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False, indent=2)
    return HEADER.format(code=data.get("ma_tthc", "")) + body


def _plain(obj: Any) -> Any:
    """Located YAML data -> plain python (dates already text, as our loader keeps them)."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def diff(old_text: str, new_text: str, path: str) -> str:
    return "".join(difflib.unified_diff(
        old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
        fromfile=f"{path} (hiện có)", tofile=f"{path} (bản mới)", n=1,
    ))


def read_json(path: str) -> Any:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise ImportError_(f"không đọc được tệp: {exc.strerror or exc}")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportError_("tệp không phải UTF-8. Tải lại bản ghi từ Cổng DVCQG hoặc lưu lại với mã hoá UTF-8.")
    except json.JSONDecodeError as exc:
        raise ImportError_(f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}.")


def import_record(rec: dict, out_dir: str, today: date, problems=None) -> dict:
    """Convert one record and compute the file it would write. Returns
    {"code", "path", "text", "old_text", "diff", "notes", "changed"}; writes nothing."""
    from ..problems import Problems
    from ..yamlsrc import load_yaml

    notes: list[str] = []
    new = convert(rec, today, notes)
    path = os.path.join(out_dir, f"{new['ma_tthc']}.yml")
    old_text = None
    old = None
    if os.path.isfile(path):
        with open(path, encoding="utf-8-sig") as fh:
            old_text = fh.read()
        located = load_yaml(clean_block(old_text), path, problems if problems is not None else Problems())
        if located is not None and isinstance(located.data, dict):
            old = _plain(located.data)
    data = merge(_ordered(new), old)
    text = dump(data)
    return {
        "code": new["ma_tthc"],
        "path": path,
        "text": text,
        "old_text": old_text,
        "diff": diff(old_text, text, path) if old_text is not None else "",
        "notes": notes,
        "changed": old_text is None or old_text != text,
        "data": data,
    }
