from datetime import date, datetime, timedelta, timezone

import pytest

from cchc import timeutil as tu


@pytest.mark.parametrize("text,expected", [
    ("2026-03-05", datetime(2026, 3, 5, 0, 0)),
    ("2026-03-05 08:30", datetime(2026, 3, 5, 8, 30)),
    ("2026-03-05T08:30:15", datetime(2026, 3, 5, 8, 30, 15)),
    ("05/03/2026", datetime(2026, 3, 5)),
    ("5/3/2026 8:30", datetime(2026, 3, 5, 8, 30)),
    ("5/3/2026  8h30", datetime(2026, 3, 5, 8, 30)),
])
def test_parse_local_forms(text, expected):
    dt = tu.parse_datetime(text)
    assert dt.utcoffset() == timedelta(hours=7)
    assert dt.replace(tzinfo=None) == expected


def test_offset_converted_to_vietnam_time():
    dt = tu.parse_datetime("2026-03-05T01:00:00Z")
    assert (dt.hour, dt.utcoffset()) == (8, timedelta(hours=7))


@pytest.mark.parametrize("bad", ["2026-13-01", "31/02/2026", "5 tháng 3", "mai", "2026/03/05", ""])
def test_rejects_bad_dates(bad):
    with pytest.raises(tu.DateFormatError):
        tu.parse_datetime(bad)


def test_epoch_ms_from_portal_is_utc():
    # decisionDate 1757894400000 is 2025-09-15T00:00Z, shown as 15/09/2025
    dt = tu.from_epoch_ms(1757894400000)
    assert dt.date() == date(2025, 9, 15) and dt.hour == 7


def test_formats():
    d = date(2026, 3, 5)
    assert tu.format_date(d) == "05/03/2026"
    assert tu.format_date_long(d) == "ngày 05 tháng 3 năm 2026"
    assert tu.format_date_long(date(2025, 1, 16)) == "ngày 16 tháng 01 năm 2025"
    assert tu.format_date(d, "en") == "5 March 2026"
    assert tu.format_datetime(datetime(2026, 3, 5, 8, 30, tzinfo=tu.VN_TZ)) == "Thứ Năm, 05/03/2026 08:30"


def test_build_now_pinning(monkeypatch):
    monkeypatch.delenv("CCHC_NOW", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00Z
    assert tu.build_now() == datetime(2026, 1, 1, 7, 0, tzinfo=tu.VN_TZ)
    monkeypatch.setenv("CCHC_NOW", "2026-05-01 08:00")
    assert tu.build_now() == datetime(2026, 5, 1, 8, 0, tzinfo=tu.VN_TZ)
    assert tu.build_now("2026-02-02") == datetime(2026, 2, 2, tzinfo=tu.VN_TZ)
