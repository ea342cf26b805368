"""The quarterly report on a plan, as Markdown and CSV a unit pastes into its CCHC report.

The numbers come from `progress.compute` evaluated at the end of the quarter (or
at the build time, for the quarter in progress): the same function, and the same
result, as the progress page. A report only selects from it: the quota periods
that overlap the quarter, every task with its status on that date, and the
products dated in the quarter.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from .. import timeutil
from ..i18n import t
from ..text import fold
from .loader import Plan
from .progress import (Entry, PeriodResult, PlanProgress, PortalDefault, QuotaResult, TaskResult, portal_host, same_portal,
                       compute)
from .timing import Period, ROMAN_OUT, parse_quarter


@dataclass
class QuotaRow:
    result: QuotaResult
    periods: list[PeriodResult]  # the quota's periods overlapping the quarter


@dataclass
class QuarterReport:
    plan: Plan
    quarter: Period
    as_of: date
    progress: PlanProgress
    quota_rows: list[QuotaRow]
    tasks: list[TaskResult]
    entries: list[Entry]  # products dated in the quarter (up to as_of), news, portal and evidence

    @property
    def key(self) -> str:
        return self.quarter.key

    @property
    def label(self) -> str:
        return self.quarter.label("vi")

    @property
    def news(self) -> list[Entry]:
        return [e for e in self.entries if e.source == "tin"]

    @property
    def evidence(self) -> list[Entry]:
        return [e for e in self.entries if e.source == "minh_chung"]

    @property
    def submissions(self) -> list[Entry]:
        return [e for e in self.entries if e.source == "gui_cong"]

    def submission_counts(self) -> list[tuple[str, int, int]]:
        """Per portal (as first written): items sent in the quarter, and how many it published."""
        groups: dict[str, list] = {}
        names: dict[str, str] = {}
        pd = self.portal_default
        for e in self.submissions:
            written = e.portal or ""
            if any(w and same_portal(written, w) for w in (pd.name, pd.url)):
                key, name = "\x00unit", pd.name or written  # the unit's provincial portal, by its name
            else:
                key, name = portal_host(written) or fold(written).strip(), written
            names.setdefault(key, name)
            groups.setdefault(key, []).append(e)
        return [(names[k], len(v), sum(1 for e in v if e.portal_state == "da_dang")) for k, v in groups.items()]

    @property
    def complete(self) -> bool:
        """The quarter has ended: its numbers will not change (unless content is back-dated)."""
        return self.progress_closed

    progress_closed: bool = False
    portal_default: PortalDefault = PortalDefault()


def quarters_of(plan: Plan, until: date) -> list[Period]:
    """Every quarter of the plan's period that has started by `until`."""
    out = []
    y, q = plan.start.year, (plan.start.month - 1) // 3 + 1
    while True:
        p = parse_quarter(f"{y}-Q{q}")
        if p.start > until or p.start > plan.end:
            break
        out.append(p)
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def build_report(plan: Plan, entries: list[Entry], quarter: Period, now: date,
                 portal_default: PortalDefault = PortalDefault(), matches: Optional[dict] = None) -> QuarterReport:
    as_of = min(now, quarter.end)
    # A finished quarter is judged with its last day over; the quarter in progress
    # exactly as the progress page judges it today.
    progress = compute(plan, entries, as_of, portal_default, closed=now > quarter.end, matches=matches)
    rows = []
    for qr in progress.quotas:
        ps = [p for p in qr.periods if p.period.start <= quarter.end and p.period.end >= quarter.start]
        if ps:
            rows.append(QuotaRow(qr, ps))
    in_q = [e for e in entries if quarter.start <= e.date <= as_of]
    return QuarterReport(plan, quarter, as_of, progress, rows, progress.tasks, in_q, progress_closed=now > quarter.end,
                         portal_default=portal_default)


# --- text forms ------------------------------------------------------------------------

def _d(d: date) -> str:
    return timeutil.format_date(d, "vi")


def state_text(p: PeriodResult) -> str:
    text = t(f"plans.period.{p.state}", "vi")
    if p.state == "chua_dat":
        text += f" (còn thiếu {p.missing})"
    if p.state == "khong_dat":
        text += f" (thiếu {p.missing})"
    return text


def count_text(p: PeriodResult) -> str:
    s = str(p.count)
    if p.target_copies:
        s += f" ({p.copies:,} bản)".replace(",", ".")
    return s


def target_text(p: PeriodResult) -> str:
    s = str(p.target)
    if p.target_copies:
        s += f" ({p.target_copies:,} bản)".replace(",", ".")
    return s


def task_result_text(tr: TaskResult) -> str:
    """What was done, in words: "3 sản phẩm; thiếu: Tháng 4/2026"."""
    parts = []
    n = tr.results_count
    parts.append(f"{n} sản phẩm" if n else "Chưa có sản phẩm")
    missed = tr.missed
    if missed:
        parts.append("không đạt: " + ", ".join(p.label("vi") for p in missed))
    nd = tr.next_deadline
    if nd and tr.status in ("dang_thuc_hien", "sap_den_han"):
        parts.append(f"hạn kế tiếp {_d(nd)}")
    return "; ".join(parts)


def _md_cell(s: str) -> str:
    return " ".join(str(s).split()).replace("|", "\\|")


def _task_text(tr: TaskResult) -> str:
    text = tr.task.model.noi_dung
    return " ".join(text.split())


def render_markdown(rep: QuarterReport, abs_url: Callable[[str], str], *, generated: Optional[date] = None) -> str:
    plan = rep.plan
    m = plan.model
    lines: list[str] = []
    number = f"số {m.so_ky_hieu} " if m.so_ky_hieu else ""
    lines.append(f"# Kết quả thực hiện {m.loai_van_ban.capitalize()} {number}{m.ngay_ban_hanh.long()}".rstrip())
    lines.append("")
    lines.append(f"**{m.ten}** — {m.don_vi_ban_hanh}")
    lines.append("")
    status = "" if rep.complete else " (quý đang diễn ra)"
    lines.append(f"Kỳ báo cáo: **{rep.label}**{status}, từ {_d(rep.quarter.start)} đến {_d(rep.quarter.end)}. "
                 f"Số liệu tính đến ngày {_d(rep.as_of)}.")
    lines.append("")
    lines.append("## 1. Kết quả thực hiện các chỉ tiêu")
    lines.append("")
    if rep.quota_rows:
        lines.append("| Mã | Chỉ tiêu | Kỳ | Chỉ tiêu (số lượng) | Thực hiện | Đánh giá |")
        lines.append("|---|---|---|---:|---:|---|")
        for row in rep.quota_rows:
            q = row.result.quota
            for p in row.periods:
                lines.append(f"| {q.ma} | {_md_cell(q.model.mo_ta)} | {p.label('vi')} | {target_text(p)} | "
                             f"{count_text(p)} | {state_text(p)} |")
    else:
        lines.append("Kế hoạch không có chỉ tiêu tính trong quý này.")
    lines.append("")
    lines.append("## 2. Tình hình thực hiện nhiệm vụ")
    lines.append("")
    lines.append("| STT | Nhiệm vụ | Thời gian thực hiện | Đơn vị chủ trì | Kết quả | Tình trạng |")
    lines.append("|---|---|---|---|---|---|")
    for tr in rep.tasks:
        task = tr.task
        if task.is_group:
            lines.append(f"| **{task.stt}** | **{_md_cell(_task_text(tr))}** |  |  |  |  |")
            continue
        lines.append(
            f"| {task.stt} | {_md_cell(_task_text(tr))} | {_md_cell(task.model.thoi_gian or '')} | "
            f"{_md_cell(', '.join(task.model.don_vi_chu_tri))} | {_md_cell(task_result_text(tr))} | "
            f"{t('plans.task.' + tr.status, 'vi')} |"
        )
    lines.append("")
    lines.append("## 3. Sản phẩm truyền thông trong quý")
    lines.append("")
    news = rep.news
    lines.append(f"### Tin, bài đăng trên trang thông tin điện tử ({len(news)})")
    lines.append("")
    if news:
        for i, e in enumerate(news, 1):
            extra = f" — nhiệm vụ {', '.join(e.tasks)}" if e.tasks else ""
            portals = "; ".join(f"{c}: {t('plans.portal.' + s, 'vi')}" for c, s in e.portals)
            extra += f" — gửi cổng: {portals}" if portals else ""
            lines.append(f"{i}. {_d(e.date)} — [{_md_cell(e.title)}]({abs_url(e.url)}){extra}")
    else:
        lines.append("Không có.")
    lines.append("")
    ev = rep.evidence
    lines.append(f"### Sản phẩm trên các kênh khác ({sum(e.count for e in ev)})")
    lines.append("")
    if ev:
        for i, e in enumerate(ev, 1):
            title = f"[{_md_cell(e.title)}]({e.url})" if e.url else _md_cell(e.title)
            if e.file and not e.url:
                title = f"[{_md_cell(e.title)}]({abs_url(e.file)})"
            bits = [t("plans.kenh." + e.kenh, "vi"), t("plans.loai." + e.loai, "vi")]
            if e.count > 1:
                bits.append(f"{e.count} sản phẩm")
            if e.copies:
                bits.append(f"{e.copies:,} bản".replace(",", "."))
            if e.tasks:
                bits.append("nhiệm vụ " + ", ".join(e.tasks))
            lines.append(f"{i}. {_d(e.date)} — {title} ({'; '.join(bits)})")
    else:
        lines.append("Không có.")
    lines.append("")
    lines.append("### Tin, bài gửi cổng thông tin")
    lines.append("")
    counts = rep.submission_counts()
    if counts:
        for name, sent, published in counts:
            lines.append(f"- {name}: đã gửi {sent} tin, bài; cổng đã đăng {published}.")
    else:
        lines.append("Không có.")
    lines.append("")
    lines.append(f"Nguồn số liệu: {abs_url(plan.progress_url)}")
    if generated is not None:
        lines.append("")
        lines.append(f"_Lập ngày {_d(generated)} bằng lệnh `cchc report {plan.id} --quy {rep.key}`._")
    return "\n".join(lines) + "\n"


CSV_HEADER = ["Phần", "Mã/STT", "Nội dung", "Kỳ", "Chỉ tiêu", "Thực hiện", "Đánh giá", "Ghi chú"]


def render_csv(rep: QuarterReport, abs_url: Callable[[str], str]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese text correctly."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for row in rep.quota_rows:
        q = row.result.quota
        for p in row.periods:
            w.writerow(["Chỉ tiêu", q.ma, q.model.mo_ta, p.label("vi"), p.target, p.count,
                        t(f"plans.period.{p.state}", "vi"),
                        (f"{p.copies} bản / chỉ tiêu {p.target_copies} bản" if p.target_copies else "")])
    for tr in rep.tasks:
        task = tr.task
        if task.is_group:
            w.writerow(["Nhiệm vụ", task.stt, _task_text(tr), "", "", "", "", ""])
            continue
        w.writerow(["Nhiệm vụ", task.stt, _task_text(tr), task.model.thoi_gian or "", "", tr.results_count,
                    t("plans.task." + tr.status, "vi"), task_result_text(tr)])
    for e in rep.entries:
        if e.source == "gui_cong":
            continue
        where = t("plans.kenh." + e.kenh, "vi")
        link = abs_url(e.url) if e.source == "tin" else (e.url or (abs_url(e.file) if e.file else ""))
        w.writerow(["Sản phẩm", ", ".join(e.tasks), e.title, _d(e.date), "", e.count, where, link])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def quarter_label(key: str) -> str:
    p = parse_quarter(key)
    q = (p.start.month - 1) // 3 + 1
    return f"Quý {ROMAN_OUT[q]}/{p.start.year}"
