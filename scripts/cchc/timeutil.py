"""Dates and times, always in Vietnam time (Asia/Ho_Chi_Minh, UTC+7).

Vietnam has used UTC+7 without daylight saving since 1975, so a fixed offset is
exact for every date this project handles and needs no tz database (tzdata is
missing on some minimal machines and Windows Pythons).
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "+07:00")

__all__ = [
    "VN_TZ",
    "DateFormatError",
    "build_now",
    "parse_datetime",
    "parse_date",
    "to_vn",
    "from_epoch_ms",
    "format_date",
    "format_date_long",
    "format_datetime",
    "rfc3339",
]


class DateFormatError(ValueError):
    """The text is not a date in an accepted form."""


def build_now(override: str | datetime | None = None) -> datetime:
    """The "now" of a build, in Vietnam time.

    Pinned, in order, by: an explicit override (plugin option `now`), the
    environment variable CCHC_NOW (same formats as front matter dates), or
    SOURCE_DATE_EPOCH (reproducible-builds convention, seconds since 1970 UTC).
    Otherwise the wall clock.
    """
    if isinstance(override, datetime):
        return to_vn(override)
    if override:
        return parse_datetime(str(override))
    env = os.environ.get("CCHC_NOW")
    if env:
        return parse_datetime(env)
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde and sde.strip().isdigit():
        return datetime.fromtimestamp(int(sde), tz=timezone.utc).astimezone(VN_TZ)
    return datetime.now(VN_TZ).replace(microsecond=0)


def to_vn(dt: datetime) -> datetime:
    """Aware datetime in Vietnam time; a naive one is taken as Vietnam time."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


def from_epoch_ms(ms: int | float) -> datetime:
    """Epoch milliseconds (UTC, as the national portal publishes them) -> Vietnam time."""
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).astimezone(VN_TZ)


_ISO_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)
_VN_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})(?::|h)(\d{2})(?::(\d{2}))?)?$")


def _tz_from(text: str | None) -> timezone:
    if not text:
        return VN_TZ
    if text == "Z":
        return timezone.utc
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_datetime(value: str | date | datetime) -> datetime:
    """Parse a date or date-time written the ways staff write them.

    Accepted: 2026-03-05, 2026-03-05 08:30, 2026-03-05T08:30:00+07:00, 05/03/2026,
    5/3/2026 08:30. A value without a time is 00:00; without an offset, Vietnam
    time. Raises DateFormatError otherwise.
    """
    if isinstance(value, datetime):
        return to_vn(value)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), VN_TZ)
    text = re.sub(r"\s+", " ", str(value)).strip()
    try:
        m = _ISO_RE.match(text)
        if m:
            y, mo, d, hh, mm, ss, tz = m.groups()
            dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=_tz_from(tz))
            return dt.astimezone(VN_TZ)
        m = _VN_RE.match(text)
        if m:
            d, mo, y, hh, mm, ss = m.groups()
            return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=VN_TZ)
    except ValueError as exc:  # e.g. month 13, 30 February
        raise DateFormatError(text) from exc
    raise DateFormatError(text)


def parse_date(value: str | date | datetime) -> date:
    """Like parse_datetime, for a calendar date (any time part must be absent or ignored)."""
    if isinstance(value, datetime):
        return to_vn(value).date()
    if isinstance(value, date):
        return value
    return parse_datetime(value).date()


# --- formatting -------------------------------------------------------------

_EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
_VI_WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _as_date(d: date | datetime) -> date:
    return to_vn(d).date() if isinstance(d, datetime) else d


def format_date(d: date | datetime, lang: str = "vi") -> str:
    """Short form used in lists and tables: 05/03/2026 (vi), 5 March 2026 (en)."""
    d = _as_date(d)
    if lang == "en":
        return f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def format_date_long(d: date | datetime, lang: str = "vi") -> str:
    """Prose form per the văn thư rule: "ngày 05 tháng 3 năm 2026", "ngày 16 tháng 01 năm 2025".

    The day is padded below 10; the month only for January and February.
    """
    d = _as_date(d)
    if lang == "en":
        return format_date(d, "en")
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def format_datetime(dt: datetime, lang: str = "vi") -> str:
    """"Thứ Năm, 05/03/2026 08:30" (vi) or "Thursday, 5 March 2026, 08:30" (en)."""
    dt = to_vn(dt)
    if lang == "en":
        return f"{dt.strftime('%A')}, {format_date(dt, 'en')}, {dt:%H:%M}"
    return f"{_VI_WEEKDAYS[dt.weekday()]}, {format_date(dt)} {dt:%H:%M}"


def rfc3339(dt: datetime) -> str:
    return to_vn(dt).isoformat()
