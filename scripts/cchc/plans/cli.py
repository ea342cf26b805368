"""`cchc report <plan-id> --quy 2026-Q2`: the quarterly report as Markdown and CSV.

The files are the ones the site publishes beside the report page
(ke-hoach/<id>/bao-cao/<yyyy-qn>/), computed by the same function from the same
content, so the figures a unit pastes into its CCHC report are the figures on
the progress page.
"""

from __future__ import annotations

import os
import sys

from .. import timeutil
from ..problems import Problems


def _err(msg_vi: str, msg_en: str, lang: str) -> None:
    print(msg_vi if lang == "vi" else msg_en, file=sys.stderr)


def cmd_report(args) -> int:
    from ..site import load_site
    from . import report_filename
    from .report import render_csv, render_markdown
    from .timing import parse_quarter

    lang = args.lang or "vi"
    try:
        quarter = parse_quarter(args.quy)
    except ValueError:
        _err(f"Quý '{args.quy}' không đúng dạng. Viết năm-Q số quý, ví dụ --quy 2026-Q2.",
             f"Quarter '{args.quy}' has the wrong form. Write year-Q and the quarter, e.g. --quy 2026-Q2.", lang)
        return 2
    problems = Problems()
    now = timeutil.build_now(args.now) if args.now else None
    site = load_site(args.config, problems, now=now)
    lang = args.lang or (site.settings.error_lang if site is not None else "vi")
    for p in problems.sorted():
        print(p.format(lang), file=sys.stderr)
    if site is None or problems.has_errors():
        _err("Nội dung có lỗi (xem trên); sửa rồi chạy lại. Chưa ghi báo cáo.",
             "The content has errors (see above); fix them and run again. No report was written.", lang)
        return 1
    data = site.data["plans"]
    plan = data.get(args.plan_id)
    if plan is None:
        ids = ", ".join(data.plans) or "(chưa có)"
        _err(f"Không có kế hoạch mã '{args.plan_id}'. Các mã có: {ids}.",
             f"There is no plan with id '{args.plan_id}'. Plan ids: {ids}.", lang)
        return 1
    today = site.now.date()
    if quarter.start > today:
        _err(f"{quarter.label('vi')} chưa bắt đầu (hôm nay {timeutil.format_date(today)}). Chọn quý đã qua hoặc đang diễn ra.",
             f"{quarter.label('en')} has not started (today is {timeutil.format_date(today, 'en')}).", lang)
        return 1
    if quarter.end < plan.start or quarter.start > plan.end:
        _err(f"{quarter.label('vi')} nằm ngoài thời gian của kế hoạch ({timeutil.format_date(plan.start)} – {timeutil.format_date(plan.end)}).",
             f"{quarter.label('en')} is outside the plan's period.", lang)
        return 1
    rep = data.report(plan, quarter, today)
    os.makedirs(args.out, exist_ok=True)
    md_path = os.path.join(args.out, report_filename(plan, rep.key, "md"))
    csv_path = os.path.join(args.out, report_filename(plan, rep.key, "csv"))
    with open(md_path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(render_markdown(rep, site.abs_url))
    with open(csv_path, "wb") as fh:
        fh.write(render_csv(rep, site.abs_url))
    if lang == "vi":
        print(f"Đã ghi {md_path} và {csv_path} ({rep.label}, số liệu đến {timeutil.format_date(rep.as_of)}).")
    else:
        print(f"Wrote {md_path} and {csv_path} ({rep.quarter.label('en')}, figures as of {timeutil.format_date(rep.as_of, 'en')}).")
    return 0


def add_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="báo cáo quý của một kế hoạch (Markdown và CSV), cùng số liệu với trang tiến độ",
        description="Ghi báo cáo kết quả thực hiện kế hoạch trong một quý, dạng Markdown và CSV (mở bằng Excel).",
    )
    p.add_argument("plan_id", help="mã kế hoạch (trường id trong plans/*.yml), ví dụ kh-tt-cchc-2026")
    p.add_argument("--quy", required=True, help="quý, dạng năm-Q số quý, ví dụ 2026-Q2")
    p.add_argument("--out", default=".", help="thư mục ghi tệp (mặc định: thư mục hiện tại)")
    p.add_argument("--now", help="thời điểm coi là 'hiện tại', ví dụ 2026-07-01 08:00")
    p.add_argument("--lang", choices=["vi", "en"], help="ngôn ngữ thông báo")
    p.set_defaults(func=cmd_report)
