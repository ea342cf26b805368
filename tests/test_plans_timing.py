"""The timing parser: every form plans write, the garbled forms of a scanned plan, and errors.

Each case is the text as a plan writes it and what the build must understand from it
(kind, first and last day, recurrence, explicit dates). Sources: shared/seeds/000 (Sơn
Trà 2026), 001 (Tu Mơ Rông 2025, a scan), 002 (Sở Y tế Đà Nẵng 2017) and the forms the
issue lists.
"""

from __future__ import annotations

from datetime import date

import pytest

from cchc.plans.timing import (
    Period,
    TimingError,
    add_working_days,
    describe,
    obligation_periods,
    parse_quarter,
    parse_timing,
    periods,
)

Y = 2026
YEAR = (date(2026, 1, 1), date(2026, 12, 31))

# (text, kind, start, end, every, due_dates)
CASES = [
    # fixed dates
    ("trước 15/03/2026", "moc", date(2026, 1, 1), date(2026, 3, 15), None, ()),
    ("Trước ngày 15/3", "moc", date(2026, 1, 1), date(2026, 3, 15), None, ()),
    ("15/03/2026", "moc", date(2026, 1, 1), date(2026, 3, 15), None, ()),
    ("chậm nhất ngày 15/3/2026", "moc", date(2026, 1, 1), date(2026, 3, 15), None, ()),
    ("Hoàn thành trước ngày 30 tháng 6 năm 2026", "moc", date(2026, 1, 1), date(2026, 6, 30), None, ()),
    ("trong ngày 15/9/2026", "moc", date(2026, 1, 1), date(2026, 9, 15), None, ()),
    ("Hoàn thành trước tháng 10/2026", "moc", date(2026, 1, 1), date(2026, 9, 30), None, ()),  # seed 000, 2.1
    ("Hoàn thành trước tháng 11/2026", "moc", date(2026, 1, 1), date(2026, 10, 31), None, ()),  # seed 000, 2.3
    ("trước quý IV/2026", "moc", date(2026, 1, 1), date(2026, 9, 30), None, ()),
    ("đến hết tháng 9/2026", "moc", date(2026, 1, 1), date(2026, 9, 30), None, ()),
    # months, quarters, ranges, years
    ("tháng 9/2026", "khoang", date(2026, 9, 1), date(2026, 9, 30), None, ()),
    ("Tháng 9 năm 2026", "khoang", date(2026, 9, 1), date(2026, 9, 30), None, ()),
    ("trong tháng 2", "khoang", date(2026, 2, 1), date(2026, 2, 28), None, ()),
    ("Quý II/2026", "khoang", date(2026, 4, 1), date(2026, 6, 30), None, ()),
    ("Quý II-III/2026", "khoang", date(2026, 4, 1), date(2026, 9, 30), None, ()),
    ("Quý IV năm 2026", "khoang", date(2026, 10, 1), date(2026, 12, 31), None, ()),
    ("quý 3", "khoang", date(2026, 7, 1), date(2026, 9, 30), None, ()),
    ("Q2/2026", "khoang", date(2026, 4, 1), date(2026, 6, 30), None, ()),
    ("6 tháng đầu năm", "khoang", date(2026, 1, 1), date(2026, 6, 30), None, ()),
    ("6 tháng cuối năm 2026", "khoang", date(2026, 7, 1), date(2026, 12, 31), None, ()),
    ("Năm 2026", "khoang", date(2026, 1, 1), date(2026, 12, 31), None, ()),
    ("từ tháng 3 đến tháng 6/2026", "khoang", date(2026, 3, 1), date(2026, 6, 30), None, ()),
    ("tháng 3-6/2026", "khoang", date(2026, 3, 1), date(2026, 6, 30), None, ()),
    ("từ 01/3/2026 đến 30/6/2026", "khoang", date(2026, 3, 1), date(2026, 6, 30), None, ()),
    ("15-3-2026 - 30-6-2026", "khoang", date(2026, 3, 15), date(2026, 6, 30), None, ()),
    # recurrences
    ("Hàng tháng", "dinh_ky", *YEAR, "thang", ()),  # seed 000
    ("hằng tháng", "dinh_ky", *YEAR, "thang", ()),
    ("Hàng quý", "dinh_ky", *YEAR, "quy", ()),  # seed 000
    ("Hằng quý.", "dinh_ky", *YEAR, "quy", ()),
    ("hàng tuần", "dinh_ky", *YEAR, "tuan", ()),
    ("hàng năm", "dinh_ky", *YEAR, "nam", ()),
    ("định kỳ 6 tháng", "dinh_ky", *YEAR, "nua_nam", ()),
    ("định kỳ 06 tháng/lần", "dinh_ky", *YEAR, "nua_nam", ()),  # seed 002
    ("6 tháng/lần", "dinh_ky", *YEAR, "nua_nam", ()),
    ("3 tháng một lần", "dinh_ky", *YEAR, "quy", ()),
    ("2 lần/năm", "dinh_ky", *YEAR, "nua_nam", ()),
    ("Mỗi loại/1 năm", "dinh_ky", *YEAR, "nam", ()),  # seed 000
    ("Thường xuyên hàng tháng", "dinh_ky", *YEAR, "thang", ()),  # seed 000 appendix
    ("định kỳ 6 tháng/lần, vào ngày 10/6 và 10/11", "dinh_ky", *YEAR, "nua_nam",
     (date(2026, 6, 10), date(2026, 11, 10))),  # seed 002
    ("vào ngày 10/6 và 10/11", "dinh_ky", *YEAR, None, (date(2026, 6, 10), date(2026, 11, 10))),
    # continuous
    ("Thường xuyên", "thuong_xuyen", *YEAR, None, ()),  # seed 002
    ("liên tục", "thuong_xuyen", *YEAR, None, ()),
    ("trong năm", "thuong_xuyen", *YEAR, None, ()),
    ("cả năm", "thuong_xuyen", *YEAR, None, ()),
    ("Thường xuyên trong năm", "thuong_xuyen", *YEAR, None, ()),
    ("Thường xuyên, liên tục", "thuong_xuyen", *YEAR, None, ()),
    ("Thường xuyên, Quý II-III/2026", "thuong_xuyen", date(2026, 4, 1), date(2026, 9, 30), None, ()),
    # on demand
    ("Khi có yêu cầu", "theo_yeu_cau", None, None, None, ()),
    ("theo yêu cầu", "theo_yeu_cau", None, None, None, ()),
    ("đột xuất", "theo_yeu_cau", None, None, None, ()),
    ("Khi có văn bản chỉ đạo của cấp trên", "theo_yeu_cau", None, None, None, ()),
]


@pytest.mark.parametrize("text,kind,start,end,every,due_dates", CASES, ids=[c[0] for c in CASES])
def test_every_written_form(text, kind, start, end, every, due_dates):
    t = parse_timing(text, Y)
    assert (t.kind, t.start, t.end, t.every, t.due_dates) == (kind, start, end, every, due_dates)
    assert t.raw == text  # the plan's words are kept unchanged
    assert t.reading is None  # nothing needed repairing


def test_monthly_with_a_day_deadline():
    for text in ("trước ngày 25 hàng tháng", "Hàng tháng (trước ngày 25)"):
        t = parse_timing(text, Y)
        assert (t.kind, t.every, t.due_day) == ("dinh_ky", "thang", 25), text
    ps = obligation_periods(parse_timing("trước ngày 25 hàng tháng", Y))
    assert len(ps) == 12
    assert (ps[0].start, ps[0].end) == (date(2026, 1, 1), date(2026, 1, 25))
    assert (ps[1].start, ps[1].end) == (date(2026, 1, 26), date(2026, 2, 25))
    # The days after the last deadline stay in December's window; its deadline stays the 25th.
    assert (ps[-1].start, ps[-1].end, ps[-1].deadline) == (date(2026, 11, 26), date(2026, 12, 31), date(2026, 12, 25))
    assert [p.label() for p in ps][:2] == ["Tháng 1/2026", "Tháng 2/2026"]


def test_relative_to_a_named_document_and_to_this_plan():
    t = parse_timing("Trong vòng 15 ngày kể từ ngày ban hành Kế hoạch số 1289/KH-SYT", Y)
    assert t.kind == "tuong_doi" and t.relative.days == 15 and not t.relative.working_days
    assert t.relative.ref == "1289/KH-SYT" and t.end is None
    resolved = t.resolved(date(2026, 2, 6), start=date(2026, 1, 1))
    assert resolved.end == date(2026, 2, 21) and resolved.raw == t.raw
    t = parse_timing("trong 10 ngày làm việc kể từ ngày Kế hoạch này được ban hành", Y)
    assert t.relative.ref is None and t.relative.working_days
    # Friday 6 March 2026 + 10 working days = Friday 20 March.
    assert t.resolved(date(2026, 3, 6), start=date(2026, 1, 1)).end == date(2026, 3, 20)
    assert "1289/KH-SYT" in describe(resolved)


# The scanned plan (seed 001) as its OCR text reads, and what each must mean.
GARBLED = [
    ("Thudng xuyén trong nam", "thuong_xuyen", "thuong xuyen trong nam"),  # tasks 1, 2, 5
    ("Khi c6 yéu cau", "theo_yeu_cau", "khi co yeu cau"),  # task 4
    ("Thuong xuyén", "thuong_xuyen", None),
    ("Hang thang", "dinh_ky", None),
    ("Hang quy", "dinh_ky", None),
    ("Dinh ky 6 thang/lan", "dinh_ky", None),
    ("Quy IV nam 2025", "khoang", None),
    ("Thudng xuyén hang thang", "dinh_ky", "thuong xuyen hang thang"),
]


@pytest.mark.parametrize("text,kind,reading", GARBLED, ids=[g[0] for g in GARBLED])
def test_garbled_forms_of_a_scanned_plan(text, kind, reading):
    t = parse_timing(text, 2025)
    assert t.kind == kind and t.raw == text
    # A repair is reported (so staff can check it); lost accents alone are no repair.
    assert t.reading == reading


def test_seed_001_deadlines_read_as_written():
    assert parse_timing("Nam 2025", 2025).kind == "khoang"  # task 3: "Thoi gian thyc hién: Nam 2025"
    t = parse_timing("trong ngay 15/9/2025", 2025)  # units' plans due "trong ngày 15/9/2025"
    assert (t.kind, t.end) == ("moc", date(2025, 9, 15))


UNREADABLE = [
    ("sắp tới", "plans.timing_unreadable"),
    ("Quý V/2026", "plans.timing_unreadable"),
    ("tháng 13/2026", "plans.timing_bad_date"),
    ("30/02/2026", "plans.timing_bad_date"),
    ("định kỳ 5 tháng", "plans.timing_bad_every"),
    ("định kỳ", "plans.timing_bad_every"),
    ("Quý III-II/2026", "plans.timing_order"),
    ("từ 30/6/2026 đến 01/3/2026", "plans.timing_order"),
    ("hàng tháng, vào ngày abc", "plans.timing_unreadable"),
    ("trong 15 ngày kể từ ngày ban hành kế hoạch của Sở", "plans.timing_relative_ref"),
    ("   ", "plans.timing_empty"),
    # Two edits away from any word: not repaired, not guessed.
    ("Thxdng xuyén trong nam", "plans.timing_unreadable"),
    ("Khi c9 yéu cau", "plans.timing_unreadable"),
]


@pytest.mark.parametrize("text,code", UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_unreadable_text_is_an_error_naming_it(text, code):
    with pytest.raises(TimingError) as exc:
        parse_timing(text, Y)
    assert exc.value.code == code
    assert exc.value.params["text"] == text.strip() or code == "plans.timing_empty"


def test_dates_without_a_year_take_the_plans_year():
    assert parse_timing("trước 15/3", 2017).end == date(2017, 3, 15)
    assert parse_timing("Quý II", 2025).start == date(2025, 4, 1)


def test_periods_cover_the_span_and_clip():
    ps = periods("quy", date(2026, 2, 15), date(2026, 9, 30))
    assert [(p.key, p.start, p.end) for p in ps] == [
        ("2026-Q1", date(2026, 2, 15), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ]
    assert [p.label() for p in ps] == ["Quý I/2026", "Quý II/2026", "Quý III/2026"]
    assert [p.label() for p in periods("nua_nam", *YEAR)] == ["6 tháng đầu năm 2026", "6 tháng cuối năm 2026"]
    assert len(periods("thang", *YEAR)) == 12
    assert len(periods("tuan", *YEAR)) == 53  # 1 Jan 2026 is a Thursday: 52 weeks and two partial ones
    assert periods("khoang", date(2026, 1, 1), date(2026, 9, 30))[0].label() == "01/01/2026 – 30/09/2026"


def test_quarter_argument():
    assert parse_quarter("2026-Q2") == Period(date(2026, 4, 1), date(2026, 6, 30), "2026-Q2", "quy")
    assert parse_quarter("Q3/2026").key == "2026-Q3"
    for bad in ("2026-Q5", "2026", "Q2", "quý 2"):
        with pytest.raises(ValueError):
            parse_quarter(bad)


def test_working_days_skip_weekends():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday
    assert add_working_days(date(2026, 3, 9), 5) == date(2026, 3, 16)


from hypothesis import given, settings
from hypothesis import strategies as st

_WORDS = ["trước", "ngày", "tháng", "quý", "năm", "hàng", "định kỳ", "thường xuyên", "khi có", "yêu cầu", "từ", "đến",
          "II", "IV", "-", "/", ",", "và", "15", "3", "2026", "6", "lần", "kể từ", "ban hành", "Kế hoạch số", "12/KH-SYT",
          "c6", "Thudng", "xuyén", "nam", "0", "31", "99", "hết", "chậm nhất", "mỗi", "loại"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join)))
def test_any_text_is_read_or_refused_never_crashes(text):
    try:
        t = parse_timing(text, Y)
    except TimingError as exc:
        assert exc.code.startswith("plans.timing_")
        return
    assert t.raw == " ".join(text.split()) or t.raw.strip()
    if t.start and t.end and t.kind != "tuong_doi":
        assert t.start <= t.end
    obligation_periods(t) if t.kind != "tuong_doi" else None
    describe(t)
