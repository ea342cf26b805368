"""Timing as plans write it ("Quý II-III/2026", "Hàng tháng", "Khi có yêu cầu"…), made checkable.

A plan's "Thời gian thực hiện" column is free Vietnamese text. This module reads
it into a `Timing` (what kind of obligation, which dates) and always keeps the
original words, which are what the plan page shows. It also defines the
reporting periods (month, quarter, half-year, year, date range) that quotas and
recurring tasks are counted in.

Accepted forms (accents optional, "hàng"/"hằng" alike, any case):

* a deadline: "trước 15/03/2026", "trước ngày 15/3", "chậm nhất ngày 15/3/2026",
  "trong ngày 15/9/2025", "15/03/2026", "hoàn thành trước tháng 10/2026" (= by
  30/09/2026), "trước quý IV/2026", "vào ngày 10/6 và 10/11" (several dates);
* a month, quarter, half-year, year or range: "tháng 9/2026", "trong tháng 9",
  "Quý II/2026", "Quý II-III/2026", "Quý IV năm 2026", "Q2/2026", "6 tháng đầu
  năm", "năm 2025", "từ tháng 3 đến tháng 6/2026", "tháng 3-6/2026", "từ
  01/3/2026 đến 30/6/2026";
* a recurrence: "hàng tháng", "hằng quý", "hàng tuần", "hàng năm", "định kỳ 6
  tháng", "định kỳ 06 tháng/lần", "6 tháng/lần", "2 lần/năm", "Mỗi loại/1 năm",
  "Thường xuyên hàng tháng", optionally with "trước ngày 25 hàng tháng" or
  ", vào ngày 10/6 và 10/11";
* continuous: "thường xuyên", "liên tục", "trong năm", "cả năm", "thường xuyên
  trong năm";
* on demand: "khi có yêu cầu", "theo yêu cầu", "đột xuất", "khi có <sự việc>";
* relative to a document: "trong vòng 15 ngày kể từ ngày ban hành Kế hoạch số
  1289/KH-SYT", "trong 10 ngày làm việc kể từ ngày ban hành kế hoạch này".

Text from scanned plans loses or garbles diacritics ("Thudng xuyén trong nam",
"Khi c6 yéu cau"). Matching is done on the accent-folded text, so lost accents
cost nothing; a garbled word is repaired only when one edit (or the usual OCR
digit-for-letter swap, "c6" for "có") turns it into a word of the timing
vocabulary, and the repaired reading is reported so staff can check it. Anything
else is a `TimingError` naming the text: the parser never guesses.

No library covers this: date parsers (dateparser, parsedatetime) know neither
Vietnamese quarters in Roman numerals nor recurrences and plan-relative
deadlines, and would silently guess on garbled input.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Optional

from ..text import clean_line, fold

Kind = Literal["moc", "khoang", "dinh_ky", "thuong_xuyen", "theo_yeu_cau", "tuong_doi"]
Every = Literal["tuan", "thang", "quy", "nua_nam", "nam"]

KINDS: tuple[str, ...] = ("moc", "khoang", "dinh_ky", "thuong_xuyen", "theo_yeu_cau", "tuong_doi")


class TimingError(ValueError):
    """The text is not a timing this parser can read. `code` is a problem code."""

    def __init__(self, code: str, text: str, **params):
        self.code = code
        self.text = text
        self.params = {"text": text, **params}
        super().__init__(f"{code}: {text}")


@dataclass(frozen=True)
class Relative:
    """A deadline counted from another document's issue date."""

    days: int
    working_days: bool
    ref: Optional[str]  # None: this plan; else the document number as written, e.g. "1289/KH-SYT"


@dataclass(frozen=True)
class Timing:
    raw: str  # the words of the plan, unchanged
    kind: Kind
    start: Optional[date] = None
    end: Optional[date] = None  # for a deadline: the last day (inclusive)
    every: Optional[Every] = None
    due_dates: tuple[date, ...] = ()  # explicit dates ("vào ngày 10/6 và 10/11")
    due_day: Optional[int] = None  # "trước ngày 25 hàng tháng"
    relative: Optional[Relative] = None
    reading: Optional[str] = None  # the repaired reading, when the text was garbled

    def resolved(self, ref_date: date, *, start: date) -> "Timing":
        """A relative timing with its deadline computed from the referenced document's date."""
        assert self.relative is not None
        if self.relative.working_days:
            end = add_working_days(ref_date, self.relative.days)
        else:
            end = ref_date + timedelta(days=self.relative.days)
        return Timing(self.raw, "tuong_doi", start=min(start, ref_date), end=end,
                      relative=self.relative, reading=self.reading)


def add_working_days(d: date, n: int) -> date:
    """`n` working days after `d`, counting Monday to Friday.

    Public holidays (Tết, 30/4, 2/9…) move each year and are not known here; a
    deadline that spans one is shown a few days early, never late.
    """
    out = d
    while n > 0:
        out += timedelta(days=1)
        if out.weekday() < 5:
            n -= 1
    return out


# --- periods -----------------------------------------------------------------

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


@dataclass(frozen=True)
class Period:
    """A counting window [start, end] and the day by which it must be done."""

    start: date
    end: date
    key: str  # "2026-03", "2026-Q2", "2026-H1", "2026", "2026-01-01_2026-09-30"
    kind: str  # "tuan" | "thang" | "quy" | "nua_nam" | "nam" | "khoang"
    due: Optional[date] = None  # default: end

    @property
    def deadline(self) -> date:
        return self.due or self.end

    def label(self, lang: str = "vi") -> str:
        from ..timeutil import format_date

        s, e = self.start, self.end
        if self.kind == "thang":
            # Named by the month it ends in (a "before the 25th" window starts in the previous one).
            d = self.deadline
            return f"Tháng {d.month}/{d.year}" if lang == "vi" else f"{calendar.month_name[d.month]} {d.year}"
        if self.kind == "quy":
            q = (s.month - 1) // 3 + 1
            return f"Quý {ROMAN_OUT[q]}/{s.year}" if lang == "vi" else f"Q{q} {s.year}"
        if self.kind == "nua_nam":
            first = s.month <= 6
            if lang == "vi":
                return f"6 tháng {'đầu' if first else 'cuối'} năm {s.year}"
            return f"{'First' if first else 'Second'} half of {s.year}"
        if self.kind == "nam":
            return f"Năm {s.year}" if lang == "vi" else str(s.year)
        return f"{format_date(s, lang)} – {format_date(e, lang)}"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


def _natural(kind: str, d: date) -> tuple[date, date, str]:
    """The calendar period of `kind` containing `d`."""
    if kind == "thang":
        return date(d.year, d.month, 1), month_end(d.year, d.month), f"{d.year}-{d.month:02d}"
    if kind == "quy":
        q = (d.month - 1) // 3
        return date(d.year, 3 * q + 1, 1), month_end(d.year, 3 * q + 3), f"{d.year}-Q{q + 1}"
    if kind == "nua_nam":
        h = 0 if d.month <= 6 else 1
        return date(d.year, 6 * h + 1, 1), month_end(d.year, 6 * h + 6), f"{d.year}-H{h + 1}"
    if kind == "nam":
        return date(d.year, 1, 1), date(d.year, 12, 31), str(d.year)
    if kind == "tuan":
        monday = d - timedelta(days=d.weekday())
        iso = monday.isocalendar()
        return monday, monday + timedelta(days=6), f"{iso[0]}-W{iso[1]:02d}"
    raise ValueError(kind)


def periods(kind: str, start: date, end: date, *, due_day: Optional[int] = None) -> list[Period]:
    """The periods of `kind` covering [start, end], clipped to it.

    `kind` "khoang" is one period, the whole span. `due_day` (for months) moves
    each month's deadline to that day ("trước ngày 25 hàng tháng").
    """
    if end < start:
        return []
    if kind == "khoang":
        return [Period(start, end, f"{start.isoformat()}_{end.isoformat()}", "khoang")]
    if kind == "thang" and due_day is not None:
        # "trước ngày 25 hàng tháng": each month's window runs from the day after
        # the previous deadline to this month's deadline.
        out: list[Period] = []
        prev = start
        y, m = start.year, start.month
        while prev <= end:
            due = date(y, m, min(due_day, calendar.monthrange(y, m)[1]))
            if due > end:
                if out:
                    # Days after the last deadline in the span go to the last month
                    # (counted, though after its deadline).
                    last = out[-1]
                    out[-1] = Period(last.start, end, last.key, "thang", due=last.end)
                else:
                    out.append(Period(prev, end, f"{y}-{m:02d}", "thang"))
                break
            if due >= prev:
                out.append(Period(prev, due, f"{y}-{m:02d}", "thang"))
                prev = due + timedelta(days=1)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    out = []
    d = start
    while d <= end:
        s, e, key = _natural(kind, d)
        out.append(Period(max(s, start), min(e, end), key, kind))
        d = e + timedelta(days=1)
    return out


def periods_by_dates(dates: tuple[date, ...], start: date) -> list[Period]:
    """One period per explicit due date: from the day after the previous one (or `start`)."""
    out: list[Period] = []
    prev = start
    for d in sorted(dates):
        s = min(prev, d)
        out.append(Period(s, d, f"{s.isoformat()}_{d.isoformat()}", "khoang"))
        prev = d + timedelta(days=1)
    return out


_QUARTER_ARG = re.compile(r"^\s*(\d{4})\s*-?\s*[qQ]\s*([1-4])\s*$|^\s*[qQ]\s*([1-4])\s*[/-]\s*(\d{4})\s*$")


def parse_quarter(text: str) -> Period:
    """"2026-Q2" (also "Q2/2026", "2026Q2") -> the period of that quarter."""
    m = _QUARTER_ARG.match(text or "")
    if not m:
        raise ValueError(text)
    year, q = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(4)), int(m.group(3)))
    s, e, key = _natural("quy", date(year, 3 * q - 2, 1))
    return Period(s, e, key, "quy")


# --- normalisation and OCR repair ------------------------------------------------

# Every word the grammar below uses, accent-folded. A garbled token is repaired
# only into one of these.
VOCAB = frozenset(
    """
    thuong xuyen lien tuc trong nam ca khi co yeu cau theo chi dao dot xuat phat sinh
    hang moi dinh ky lan thang quy tuan ngay truoc sau tu den het va hoac vao cham nhat
    han hoan thanh ke ban hanh ky lam viec vong duoc nay hoach so van dau cuoi loai
    thuc hien du kien tien hanh sau khi nhan to chuc
    """.split()
)
_LONG_VOCAB = sorted(w for w in VOCAB if len(w) >= 5)
# Digits OCR reads in place of letters inside words ("c6" for "có", "s6" for "số").
_OCR_DIGITS = str.maketrans({"6": "o", "0": "o", "1": "l", "3": "a", "4": "a", "8": "a"})


def _edit1(a: str, b: str) -> bool:
    """True when a and b differ by exactly one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1 :] == a:
            return True
    return False


def _repair_token(tok: str) -> str:
    if tok in VOCAB or tok.isdigit() or tok in ROMAN:
        return tok
    if re.fullmatch(r"q[1-4]", tok):
        return tok
    if any(c.isdigit() for c in tok) and any(c.isalpha() for c in tok):
        cand = tok.translate(_OCR_DIGITS)
        if cand in VOCAB:
            return cand
        return tok
    if len(tok) >= 5:
        cands = [w for w in _LONG_VOCAB if _edit1(tok, w)]
        if len(cands) == 1:
            return cands[0]
    return tok


def normalise(text: str) -> tuple[str, bool]:
    """Folded, lower-case, repaired text for matching, and whether a repair was needed."""
    s = fold(clean_line(text))
    s = s.replace("–", "-").replace("—", "-").replace("‐", "-")
    # "hằng" folds to "hang" already; unify a few spellings.
    changed = False

    def rep(m: re.Match) -> str:
        nonlocal changed
        tok = m.group(0)
        out = _repair_token(tok)
        if out != tok:
            changed = True
        return out

    s = re.sub(r"[a-z0-9]+", rep, s)
    s = re.sub(r"\s+", " ", s).strip(" .;:,")
    return s, changed


# --- grammar -------------------------------------------------------------------

_D = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?"  # 15/3 or 15/03/2026
_D_LONG = r"(\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?"  # 15 tháng 3 năm 2026
_Q = r"(iv|i{1,3}|[1-4])"
_YEAR = r"(?:\s*(?:/|-|nam)\s*(\d{4}))?"

_PREFIX_RX = re.compile(
    r"^(?:thoi gian(?: thuc hien)?\s*:?\s*|du kien\s*:?\s*|thuc hien\s+|tien hanh\s+|to chuc\s+|hoan thanh\s+)+"
)


def _mk_date(d: str, m: str, y: Optional[str], year: int, raw: str) -> date:
    try:
        return date(int(y) if y else year, int(m), int(d))
    except ValueError:
        raise TimingError("plans.timing_bad_date", raw, value=f"{d}/{m}" + (f"/{y}" if y else "")) from None


def _date_at(s: str, year: int, raw: str) -> Optional[date]:
    """A whole-string date in either written form (with an optional leading 'ngày')."""
    s = re.sub(r"^ngay\s*", "", s)
    m = re.fullmatch(_D, s) or re.fullmatch(_D_LONG, s)
    if not m:
        return None
    return _mk_date(m.group(1), m.group(2), m.group(3), year, raw)


def _quarter_num(tok: str) -> int:
    return ROMAN[tok] if tok in ROMAN else int(tok)


def _span(s: str, year: int, raw: str) -> Optional[tuple[date, date]]:
    """A month, quarter, half-year, year or range covering the whole string."""
    s = re.sub(r"^(?:trong|vao|ca)\s+", "", s).strip()
    # quarter or quarters: "quy ii/2026", "quy ii-iii/2026", "quy iv nam 2026", "q2/2026", "quy 2 va 3"
    m = re.fullmatch(
        r"(?:quy\s*|q)" + _Q + r"(?:\s*(?:-|den|va|,)\s*(?:quy\s*|q)?" + _Q + r")?" + _YEAR, s
    )
    if m:
        q1 = _quarter_num(m.group(1))
        q2 = _quarter_num(m.group(2)) if m.group(2) else q1
        y = int(m.group(3)) if m.group(3) else year
        if q2 < q1:
            raise TimingError("plans.timing_order", raw)
        return date(y, 3 * q1 - 2, 1), month_end(y, 3 * q2)
    # months: "thang 9/2026", "thang 9 nam 2026", "thang 3-6/2026", "thang 3 den thang 6 nam 2026"
    m = re.fullmatch(
        r"(?:tu\s+)?thang\s*(\d{1,2})(?:\s*(?:-|den|va)\s*(?:thang\s*)?(\d{1,2}))?" + _YEAR, s
    )
    if m:
        m1 = int(m.group(1))
        m2 = int(m.group(2)) if m.group(2) else m1
        y = int(m.group(3)) if m.group(3) else year
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            raise TimingError("plans.timing_bad_date", raw, value=s)
        if m2 < m1:
            raise TimingError("plans.timing_order", raw)
        return date(y, m1, 1), month_end(y, m2)
    # "thang 3/2026 den thang 6/2026"
    m = re.fullmatch(r"(?:tu\s+)?thang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})\s*(?:-|den)\s*thang\s*(\d{1,2})" + _YEAR, s)
    if m:
        y2 = int(m.group(4)) if m.group(4) else int(m.group(2))
        try:
            a, b = date(int(m.group(2)), int(m.group(1)), 1), month_end(y2, int(m.group(3)))
        except ValueError:
            raise TimingError("plans.timing_bad_date", raw, value=s) from None
        if b < a:
            raise TimingError("plans.timing_order", raw)
        return a, b
    # half-years: "6 thang dau nam", "6 thang cuoi nam 2026"
    m = re.fullmatch(r"(?:0?6|sau) thang (dau|cuoi)(?: nam)?(?:\s*(\d{4}))?", s)
    if m:
        y = int(m.group(2)) if m.group(2) else year
        return (date(y, 1, 1), date(y, 6, 30)) if m.group(1) == "dau" else (date(y, 7, 1), date(y, 12, 31))
    # a year: "nam 2025"
    m = re.fullmatch(r"nam\s*(\d{4})", s)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31)
    # date range: "tu 01/3/2026 den 30/6/2026", "01/3 - 30/6/2026"
    body = re.sub(r"^tu\s+", "", s)
    for sep in re.finditer(r"\s*(?:-|\bden(?: het)?\b)\s*", body):
        b = _date_at(body[sep.end():], year, raw)
        if b is None:
            continue
        a = _date_at(body[: sep.start()], b.year, raw)
        if a is None:
            continue
        if b < a:
            raise TimingError("plans.timing_order", raw)
        return a, b
    return None


def _deadline(s: str, year: int, raw: str) -> Optional[date]:
    """A deadline: "truoc 15/03/2026", "cham nhat ngay 15/3", "trong ngay 15/9/2025",
    "truoc thang 10/2026" (= end of September), "truoc quy iv/2026"."""
    m = re.fullmatch(r"(?:truoc|cham nhat(?: la)?|han|han chot|den het|den|trong|vao)(?: ngay)?\s*(.+)", s)
    body = m.group(1) if m else s
    d = _date_at(body, year, raw)
    if d is not None:
        return d
    if not m:
        return None
    word = s.split()[0]
    span = _span(body, year, raw)
    if span is None:
        return None
    if word == "truoc":
        # "trước tháng 10/2026": the month (quarter…) named is already too late.
        return span[0] - timedelta(days=1)
    if word in ("den", "cham", "han"):
        # "đến hết tháng 9", "chậm nhất trong quý III": its last day.
        return span[1]
    return None


_EVERY_WORDS = {"tuan": "tuan", "thang": "thang", "quy": "quy", "nam": "nam"}
_MONTHS_TO_EVERY = {1: "thang", 3: "quy", 6: "nua_nam", 12: "nam"}
_TIMES_A_YEAR = {1: "nam", 2: "nua_nam", 4: "quy", 12: "thang"}
_NUM_WORDS = {"mot": 1, "ba": 3, "sau": 6}


def _recurrence(s: str, raw: str) -> Optional[tuple[str, Optional[int], str]]:
    """(every, due_day, rest) for a recurrence at the start of `s`, else None."""
    s = re.sub(r"^(?:thuong xuyen|lien tuc)\s*,?\s*", "", s)
    dinh_ky = bool(re.match(r"dinh ky\b", s))
    s = re.sub(r"^dinh ky\s*,?\s*", "", s)
    # "trước ngày 25 hàng tháng"
    m = re.match(r"(?:truoc|cham nhat|vao)(?: ngay)?\s*(\d{1,2})\s*(?:hang|moi)\s*thang\b", s)
    if m:
        due_day = int(m.group(1))
        if not 1 <= due_day <= 31:
            raise TimingError("plans.timing_bad_date", raw, value=m.group(0))
        return "thang", due_day, s[m.end():]
    # "hàng tháng", "hằng quý", "mỗi tuần", optionally "(trước ngày 25)"
    m = re.match(r"(?:hang|moi)\s*(tuan|thang|quy|nam)\b", s)
    if m:
        every = _EVERY_WORDS[m.group(1)]
        rest = s[m.end():]
        due_day = None
        m2 = re.match(r"\s*[,(]?\s*(?:truoc|cham nhat|vao)(?: ngay)?\s*(\d{1,2})\s*\)?(?!\s*[/.-]\s*\d)", rest)
        if m2 and every == "thang":
            due_day = int(m2.group(1))
            if not 1 <= due_day <= 31:
                raise TimingError("plans.timing_bad_date", raw, value=m2.group(0).strip())
            rest = rest[m2.end():]
        return every, due_day, rest
    # "định kỳ 6 tháng", "06 tháng/lần", "3 tháng một lần"; "6 tháng" alone is a
    # duration ("6 tháng đầu năm"), not a recurrence.
    m = re.match(r"(\d{1,2}|mot|ba|sau)\s*thang(\s*(?:/\s*(?:1\s*)?|(?:mot|1)\s*)lan\b)?", s)
    if m and (dinh_ky or m.group(2)):
        tok = m.group(1)
        n = _NUM_WORDS[tok] if tok in _NUM_WORDS else int(tok)
        if n not in _MONTHS_TO_EVERY:
            raise TimingError("plans.timing_bad_every", raw, value=m.group(0).strip())
        return _MONTHS_TO_EVERY[n], None, s[m.end():]
    # "2 lần/năm", "1 lần/quý"
    m = re.match(r"(\d{1,2}|mot)\s*lan\s*(?:/|moi|trong)?\s*(?:1\s*)?(nam|quy|thang)\b", s)
    if m:
        n = 1 if m.group(1) == "mot" else int(m.group(1))
        unit = m.group(2)
        if unit == "nam" and n in _TIMES_A_YEAR:
            return _TIMES_A_YEAR[n], None, s[m.end():]
        if n == 1:
            return _EVERY_WORDS[unit], None, s[m.end():]
        if unit == "quy" and n == 3:
            return "thang", None, s[m.end():]
        raise TimingError("plans.timing_bad_every", raw, value=m.group(0))
    # "Mỗi loại/1 năm": each kind once a year.
    m = re.match(r"moi\s+[a-z]+\s*/\s*(?:1|mot)\s*(nam|quy|thang)\b", s)
    if m:
        return _EVERY_WORDS[m.group(1)], None, s[m.end():]
    if dinh_ky:
        # "định kỳ" with nothing readable after it: not a guess.
        raise TimingError("plans.timing_bad_every", raw, value=s or "định kỳ")
    return None


def _date_list(s: str, year: int, raw: str) -> Optional[tuple[date, ...]]:
    s = s.strip(" ,;:()")
    if not s:
        return ()
    s = re.sub(r"^(?:vao|cac)\s+", "", s)
    parts = re.split(r"\s*(?:,|;|\bva\b)\s*", s)
    out = []
    for p in parts:
        if not p:
            continue
        d = _date_at(p.strip(), year, raw)
        if d is None:
            return None
        out.append(d)
    return tuple(out)


_DOC_NO = re.compile(r"(\d+)\s*/\s*([0-9]{0,4}\s*/?\s*[a-z][a-z0-9đ]*(?:\s*-\s*[a-z0-9đ]+)*)", re.I)


def _relative(s: str, raw: str) -> Optional[Relative]:
    m = re.fullmatch(
        r"(?:trong(?: vong)?|sau|cham nhat(?: la)?|truoc)?\s*(\d{1,3})\s*ngay( lam viec)?\s*"
        r"(?:ke tu|sau khi|sau|tinh tu)\s*(?:ngay|khi)?\s*(.+)",
        s,
    )
    if not m:
        return None
    days = int(m.group(1))
    working = bool(m.group(2))
    rest = m.group(3)
    if re.search(r"\b(?:ke hoach|van ban) nay\b", rest):
        return Relative(days, working, None)
    # The document number, taken from the original words so its spelling is kept.
    no = _DOC_NO.search(clean_line(raw))
    if no is None:
        raise TimingError("plans.timing_relative_ref", raw)
    ref = re.sub(r"\s+", "", no.group(0)).upper()
    return Relative(days, working, ref)


def parse_timing(raw: str, year: int, span: Optional[tuple[date, date]] = None) -> Timing:
    """Read a plan's timing text. `year` is the plan's year (for dates written without
    one); `span` the period the plan covers (default: that whole year).

    Raises TimingError (with a problem code) when the text cannot be read.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise TimingError("plans.timing_empty", str(raw or ""))
    raw = clean_line(raw)
    plan_start, plan_end = span or (date(year, 1, 1), date(year, 12, 31))
    s, repaired = normalise(raw)
    reading = s if repaired else None
    s = _PREFIX_RX.sub("", s).strip(" .;:,")

    def mk(kind, **kw) -> Timing:
        return Timing(raw=raw, kind=kind, reading=reading, **kw)

    # on demand
    if re.fullmatch(r"(?:khi|theo)\s+(?:co\s+)?(?:yeu cau|chi dao)(?:\s+.*)?|dot xuat(?:\s+.*)?|khi co\s+.+|khi phat sinh.*|theo yeu cau.*", s):
        return mk("theo_yeu_cau")
    # continuous
    m = re.fullmatch(r"(?:(?:thuong xuyen|lien tuc)(?:\s*,\s*|\s+)?)+(?:(?:trong|ca)\s+nam(?:\s+(\d{4}))?)?|(?:trong|ca)\s+nam", s)
    if m:
        if m.group(1):
            y = int(m.group(1))
            return mk("thuong_xuyen", start=date(y, 1, 1), end=date(y, 12, 31))
        return mk("thuong_xuyen", start=plan_start, end=plan_end)
    # continuous within a span: "thường xuyên, quý II-III/2026"
    m = re.fullmatch(r"(?:thuong xuyen|lien tuc)\s*,?\s*(?:trong\s+)?(.+)", s)
    if m:
        sp = _span(m.group(1), year, raw)
        if sp is not None:
            return mk("thuong_xuyen", start=sp[0], end=sp[1])
    # relative to a document
    rel = _relative(s, raw)
    if rel is not None:
        return mk("tuong_doi", relative=rel)
    # recurrence, with optional explicit dates
    rec = _recurrence(s, raw)
    if rec is not None:
        every, due_day, rest = rec
        rest = rest.strip(" ,;:")
        rest = re.sub(r"^(?:trong|ca)\s+nam(?:\s+\d{4})?\s*,?\s*", "", rest)
        dates = _date_list(rest, year, raw)
        if dates is None:
            raise TimingError("plans.timing_unreadable", raw)
        return mk("dinh_ky", start=plan_start, end=plan_end, every=every, due_day=due_day, due_dates=dates)
    # several explicit dates: "vào ngày 10/6 và 10/11"
    if re.search(r"\bva\b|,|;", s) and re.match(r"(?:vao\s+)?(?:cac\s+)?ngay\s*\d|\d{1,2}\s*/", s):
        dates = _date_list(s, year, raw)
        if dates and len(dates) > 1:
            return mk("dinh_ky", start=plan_start, end=plan_end, due_dates=dates)
    # a deadline
    d = _deadline(s, year, raw)
    if d is not None:
        return mk("moc", start=min(plan_start, d), end=d)
    # a span
    sp = _span(s, year, raw)
    if sp is not None:
        return mk("khoang", start=sp[0], end=sp[1])
    raise TimingError("plans.timing_unreadable", raw)


def describe(t: Timing, lang: str = "vi") -> str:
    """How the build understood a timing, in words (shown beside the original)."""
    from ..timeutil import format_date

    def f(d):
        return format_date(d, lang) if d else "?"

    vi = lang == "vi"
    if t.kind == "theo_yeu_cau":
        return "Khi có yêu cầu (không có hạn cố định)" if vi else "On demand (no fixed deadline)"
    if t.kind == "thuong_xuyen":
        return (f"Thường xuyên, từ {f(t.start)} đến {f(t.end)}" if vi
                else f"Continuous, from {f(t.start)} to {f(t.end)}")
    if t.kind in ("moc", "tuong_doi"):
        if t.end is None:
            return "Hạn tính theo văn bản khác (chưa xác định ngày)" if vi else "Deadline relative to another document (date unknown)"
        base = f"Hạn: {f(t.end)}" if vi else f"Deadline: {f(t.end)}"
        if t.relative is not None:
            unit = ("ngày làm việc" if t.relative.working_days else "ngày") if vi else (
                "working days" if t.relative.working_days else "days")
            ref = (t.relative.ref or ("kế hoạch này" if vi else "this plan"))
            base += (f" ({t.relative.days} {unit} kể từ ngày ban hành {ref})" if vi
                     else f" ({t.relative.days} {unit} after {ref} was issued)")
        return base
    if t.kind == "khoang":
        return f"Từ {f(t.start)} đến {f(t.end)}" if vi else f"From {f(t.start)} to {f(t.end)}"
    names_vi = {"tuan": "Hằng tuần", "thang": "Hằng tháng", "quy": "Hằng quý", "nua_nam": "Định kỳ 6 tháng", "nam": "Hằng năm"}
    names_en = {"tuan": "Weekly", "thang": "Monthly", "quy": "Quarterly", "nua_nam": "Every six months", "nam": "Yearly"}
    parts = []
    if t.every:
        parts.append((names_vi if vi else names_en)[t.every])
    if t.due_day:
        parts.append(f"trước ngày {t.due_day}" if vi else f"by day {t.due_day}")
    if t.due_dates:
        ds = ", ".join(f(d) for d in t.due_dates)
        parts.append(f"vào các ngày {ds}" if vi else f"on {ds}")
    return ", ".join(parts) if parts else ("Định kỳ" if vi else "Recurring")


def obligation_periods(t: Timing) -> list[Period]:
    """The periods in which a task with timing `t` must show at least one result."""
    if t.kind == "dinh_ky":
        if t.due_dates:
            return periods_by_dates(t.due_dates, t.start)
        return periods(t.every, t.start, t.end, due_day=t.due_day)
    if t.kind in ("moc", "tuong_doi"):
        if t.end is None:
            return []
        return [Period(t.start, t.end, f"{t.start.isoformat()}_{t.end.isoformat()}", "khoang")]
    if t.kind in ("khoang", "thuong_xuyen"):
        return [Period(t.start, t.end, f"{t.start.isoformat()}_{t.end.isoformat()}", "khoang")]
    return []


def all_dates(t: Timing) -> list[date]:
    """Every date the timing names (for the plan-year range check)."""
    out = [d for d in (t.start, t.end) if d is not None]
    out.extend(t.due_dates)
    return out


__all__ = [
    "Timing", "Relative", "TimingError", "Period", "parse_timing", "describe", "periods",
    "periods_by_dates", "parse_quarter", "obligation_periods", "add_working_days", "normalise",
    "month_end", "KINDS",
]
