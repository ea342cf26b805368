"""The HTML pages of the plans module: what each template receives.

Markdown is rendered here (links checked, HTML sanitised by `site.markdown`) and
handed to the templates as safe HTML; every other value is escaped by Jinja.
Charts are SVG built here at build time: no script, a text alternative in
<title>/<desc>, and the same figures in the table next to them.
"""

from __future__ import annotations

from ..yamlsrc import dotted

from dataclasses import dataclass, field
from html import escape
from typing import Iterable, Optional

from markupsafe import Markup

from .. import timeutil
from ..i18n import t
from ..problems import Problems
from ..site import OutputPage, Site, TocEntry
from ..text import fold, slugify
from .loader import Plan, PlanTranslation, Task
from .model import Muc, VanBan
from .progress import Entry, PeriodResult, PlanProgress, QuotaResult
from .report import QuarterReport, count_text, quarters_of, target_text, task_result_text
from .timing import describe, parse_quarter

SECTION = "ke-hoach/"


# --- the plan document ----------------------------------------------------------


def legal_basis_text(vb: VanBan, lang: str = "vi", mark=None, loc: tuple = ()) -> str:
    """A legal basis as the document writes it: "Căn cứ Kế hoạch số 259/KH-SYT ngày 13 tháng 01 năm 2025 của …".

    In another language (`mark`: a `Marker` of the translated plan) the sentence is the
    translated one, or is put together from the translated parts, untranslated words
    marked Vietnamese.
    """
    if lang != "vi" and mark is not None:
        if vb.van_ban:
            return mark(vb.van_ban, loc + ("van_ban",))
        if not any(mark.own(loc + (k,)) for k in ("dong_tu", "loai", "co_quan", "trich_yeu")):
            return mark(legal_basis_text(vb), loc + ("van_ban",))
        parts = [mark(vb.dong_tu, loc + ("dong_tu",))]
        if vb.loai:
            parts.append(mark(vb.loai, loc + ("loai",)))
        if vb.so_ky_hieu:
            parts.append(("No. " if vb.loai else "") + vb.so_ky_hieu)
        if vb.ngay:
            parts.append("of " + timeutil.format_date(vb.ngay, lang))
        if vb.co_quan:
            parts.append(Markup("of ") + Markup.escape(mark(vb.co_quan, loc + ("co_quan",))))
        if vb.trich_yeu:
            parts.append(mark(vb.trich_yeu, loc + ("trich_yeu",)))
        return Markup(" ").join(Markup.escape(p) for p in parts if p)
    if vb.van_ban:
        return vb.van_ban
    parts = [vb.dong_tu]
    if vb.loai:
        parts.append(vb.loai)
        parts.append("số")
    parts.append(vb.so_ky_hieu or "")
    if vb.ngay:
        parts.append(timeutil.format_date_long(vb.ngay, "vi"))
    if vb.co_quan:
        parts.append("của " + vb.co_quan)
    if vb.trich_yeu:
        parts.append(vb.trich_yeu)
    return " ".join(p for p in parts if p).strip()


def _has_letters(value) -> bool:
    """Words are in a language; "5" or "01/5.000" are not."""
    return any(ch.isalpha() for ch in str(value))


class Marker:
    """Marks, on a page in another language, the words that are still Vietnamese.

    Called from templates as `tx(value, loc)`: the value as it is when its location is
    translated (or on a Vietnamese page), else wrapped in `<span lang="vi">`. A small
    picklable object (not a bound method) so the build cache can summarise the page.
    """

    def __init__(self, translated: Optional[frozenset] = None):
        self.translated = translated  # None: the page's own language throughout

    def own(self, loc: tuple) -> bool:
        return self.translated is None or tuple(loc) in self.translated

    def __call__(self, value, loc: tuple):
        if value is None or value == "" or self.own(loc) or not _has_letters(value):
            return value
        return Markup('<span lang="vi">%s</span>') % value

    def each(self, values, loc: tuple) -> list:
        return [self(v, tuple(loc) + (i,)) for i, v in enumerate(values or [])]


@dataclass
class TaskView:
    task: Task
    html: Markup
    depth: int
    model: object = None  # the task as shown (a translated page: with the translated words)

    @property
    def m(self):
        return self.model if self.model is not None else self.task.model

    @property
    def loc(self) -> tuple:
        return self.task.loc


@dataclass
class SectionView:
    id: str
    heading: str
    level: int
    html: Optional[Markup]
    tasks: list[TaskView]
    children: list["SectionView"] = field(default_factory=list)
    heading_html: Optional[Markup] = None  # a translated page: the heading with Vietnamese words marked


class _Renderer:
    def __init__(self, site: Site, plan, page_url: str, problems=None):
        # Problems are reported once, by the plan page; other pages reuse its text.
        # `plan`: a Plan, or a PlanTranslation whose untranslated words are the Vietnamese plan's.
        self.site, self.plan, self.page_url = site, plan, page_url
        self.problems = problems if problems is not None else site.problems
        self.translation = plan if isinstance(plan, PlanTranslation) else None
        self.mark = Marker(frozenset(plan.translated) if self.translation is not None else None)
        self.by_loc = {task.loc: task for task in plan.task_list}

    def md(self, text: Optional[str], loc: tuple) -> Optional[Markup]:
        if not text:
            return None
        if self.mark.own(loc):
            res = self.site.markdown.render(
                text, source=self.plan.source, first_line=self.plan.line(loc), page_url=self.page_url,
                problems=self.problems, base=self.plan.key, field=dotted(loc) or "body",
            )
            return Markup(res.html)
        original = self.translation.plan  # reported by the Vietnamese page already
        res = self.site.markdown.render(
            text, source=original.source, first_line=original.line(loc), page_url=self.page_url,
            problems=Problems(), base=original.key,
        )
        return Markup('<div lang="vi">') + Markup(res.html) + Markup("</div>")

    def tasks(self, tasks: list, loc: tuple, depth: int = 0) -> list[TaskView]:
        out = []
        for i, nv in enumerate(tasks):
            task = self.by_loc.get(loc + (i,))
            if task is None:  # a repeated task number (reported by the loader)
                continue
            out.append(TaskView(task, self.md(nv.noi_dung, loc + (i, "noi_dung")), depth, model=nv))
            out.extend(self.tasks(nv.nhiem_vu, loc + (i, "nhiem_vu"), depth + 1))
        return out

    def sections(self, sections: list[Muc], loc: tuple, level: int, seen: dict) -> list[SectionView]:
        out = []
        for i, s in enumerate(sections):
            so = (s.so or "").strip()
            if so and not so.endswith((")", ".")):
                heading = f"{so}. {s.tieu_de}"
            else:
                heading = f"{so} {s.tieu_de}".strip()
            base = "muc-" + (slugify(heading, 40) or str(i))
            n = seen.get(base, 0)
            seen[base] = n + 1
            sid = base if n == 0 else f"{base}-{n + 1}"
            heading_html = None
            if not self.mark.own(loc + (i, "tieu_de")):
                title = self.mark(s.tieu_de, loc + (i, "tieu_de"))
                heading_html = (Markup("{}. {}") if so and not so.endswith((")", ".")) else Markup("{} {}")).format(so, title) if so else title
            view = SectionView(
                id=sid, heading=heading, level=level,
                html=self.md(s.noi_dung, loc + (i, "noi_dung")),
                tasks=self.tasks(s.nhiem_vu, loc + (i, "nhiem_vu")),
                heading_html=heading_html,
            )
            view.children = self.sections(s.muc, loc + (i, "muc"), level + 1, seen)
            out.append(view)
        return out


def _columns(rows: list[TaskView]) -> dict[str, bool]:
    leaves = [r.m for r in rows]
    return {
        "san_pham": any(r.san_pham for r in leaves),
        "so_luong": any(r.so_luong or r.tan_suat for r in leaves),
        "chu_tri": any(r.don_vi_chu_tri for r in leaves),
        "phoi_hop": any(r.don_vi_phoi_hop for r in leaves),
        "thoi_gian": any(r.thoi_gian for r in leaves),
    }


def _toc(sections: list[SectionView]) -> list[TocEntry]:
    out = []
    for s in sections:
        out.append(TocEntry(2 if s.level <= 2 else 3, s.id, s.heading))
        if s.level <= 2:
            out.extend(TocEntry(3, c.id, c.heading) for c in s.children)
    return out


def _plain(html: Optional[str]) -> str:
    import re
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html or "")).split())


# --- charts ------------------------------------------------------------------------

STATE_SYMBOL = {"dat": "✓", "chua_dat": "…", "khong_dat": "✗", "chua_den": "·"}


def _short_label(p: PeriodResult) -> str:
    per = p.period
    if per.kind == "thang":
        return f"T{per.deadline.month}"
    if per.kind == "quy":
        return f"Q{(per.start.month - 1) // 3 + 1}"
    if per.kind == "nua_nam":
        return "6T đầu" if per.start.month <= 6 else "6T cuối"
    if per.kind == "nam":
        return str(per.start.year)
    if per.kind == "tuan":
        return per.start.strftime("%d/%m")
    return ""


def quota_chart(qr: QuotaResult, lang: str = "vi") -> Optional[Markup]:
    """An SVG column chart of a quota: one column per period, the target as a line.

    Shown for quotas with two or more periods. Colour is never the only signal:
    each column carries its number and a state symbol, and the SVG's <desc>
    lists every period in words for screen readers.
    """
    ps = qr.periods
    if len(ps) < 2:
        return None
    target = qr.quota.model.so_luong_toi_thieu
    top = max([target * 1.25] + [p.count for p in ps]) or 1
    w_col, gap, h_plot, pad_top, pad_bottom, pad_left = 40, 12, 120, 18, 34, 8
    width = pad_left + len(ps) * (w_col + gap)
    height = pad_top + h_plot + pad_bottom
    y_of = lambda v: pad_top + h_plot - (v / top) * h_plot  # noqa: E731
    uid = f"chart-{slugify(qr.quota.ma) or 'q'}"
    title = (f"Biểu đồ chỉ tiêu {qr.quota.ma}: số sản phẩm mỗi kỳ so với chỉ tiêu {target}" if lang == "vi"
             else f"Chart of quota {qr.quota.ma}: products per period against the target of {target}")
    desc = "; ".join(
        t("plans.chart_label", lang, period=p.label(lang), count=p.count, target=p.target,
          state=t(f"plans.period.{p.state}", lang))
        for p in ps
    )
    parts = [
        f'<svg class="cchc-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" preserveAspectRatio="xMinYMin meet" width="{width}" height="{height}">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    for i, p in enumerate(ps):
        x = pad_left + i * (w_col + gap)
        y = y_of(p.count)
        h = pad_top + h_plot - y
        cls = f"cchc-chart__bar cchc-chart__bar--{p.state}"
        if p.count:
            parts.append(f'<rect class="{cls}" x="{x}" y="{y:.1f}" width="{w_col}" height="{h:.1f}"/>')
        else:
            parts.append(f'<rect class="{cls} cchc-chart__bar--zero" x="{x}" y="{pad_top + h_plot - 2}" width="{w_col}" height="2"/>')
        if p.state != "chua_den":
            parts.append(f'<text class="cchc-chart__value" x="{x + w_col / 2}" y="{y - 4:.1f}" text-anchor="middle">{p.count}</text>')
        parts.append(
            f'<text class="cchc-chart__label" x="{x + w_col / 2}" y="{pad_top + h_plot + 14}" text-anchor="middle">{escape(_short_label(p))}</text>'
            f'<text class="cchc-chart__state cchc-chart__state--{p.state}" x="{x + w_col / 2}" y="{pad_top + h_plot + 28}" text-anchor="middle">{STATE_SYMBOL[p.state]}</text>'
        )
    ty = y_of(target)
    parts.append(f'<line class="cchc-chart__target" x1="0" x2="{width}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
    parts.append(f'<text class="cchc-chart__target-label" x="{width - 2}" y="{ty - 3:.1f}" text-anchor="end">{target}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bar(counts: list[tuple[str, int, str]], label: str) -> Markup:
    """A horizontal bar of shares (HTML/CSS); the numbers are in the list beside it."""
    total = sum(n for _, n, _ in counts) or 1
    segs = "".join(
        f'<span class="cchc-stack__seg cchc-state--{key}" style="width:{100 * n / total:.2f}%"></span>'
        for key, n, _ in counts if n
    )
    return Markup(f'<div class="cchc-stack" aria-hidden="true" title="{escape(label)}">{segs}</div>')


# --- views for templates ------------------------------------------------------------


def entry_link(e: Entry) -> tuple[Optional[str], bool]:
    """(href, is site-relative) of an entry: site-relative paths go through the `url` filter."""
    if e.source in ("tin", "gui_cong"):
        return e.url, True
    if e.url:
        return e.url, False
    if e.file:
        return e.file, True
    return None, False


def quota_counts_text(qr: QuotaResult, plan: Plan, lang: str = "vi") -> str:
    """What counts toward a quota, in words."""
    ct = qr.quota.model
    bits = [t("plans.kenh." + ct.kenh, lang)]
    if ct.nhiem_vu:
        bits.append((("nhiệm vụ " if lang == "vi" else "task ") + ", ".join(ct.nhiem_vu)))
    if ct.loai_noi_dung:
        bits.append(", ".join(t("plans.loai." + k, lang) for k in ct.loai_noi_dung))
    if ct.bo_loc is not None:
        if ct.bo_loc.chuyen_muc:
            bits.append(("chuyên mục " if lang == "vi" else "categories ") + ", ".join(ct.bo_loc.chuyen_muc))
        if ct.bo_loc.tags:
            bits.append(("từ khoá " if lang == "vi" else "tags ") + ", ".join(ct.bo_loc.tags))
    if ct.cong:
        bits.append(ct.cong)
    if ct.chi_tinh_da_dang:
        bits.append("chỉ tính tin cổng đã đăng" if lang == "vi" else "published by the portal only")
    span = f"{timeutil.format_date(qr.quota.start, lang)} – {timeutil.format_date(qr.quota.end, lang)}"
    bits.append(span)
    return "; ".join(bits)


def quota_brief(progress: PlanProgress, quota) -> str:
    """One line per quota measuring a task: "CT2.3: 1/2 – Không đạt", "CT1.1: đạt 3/10 kỳ"."""
    qr = progress.quota(quota.ma)
    if qr is None:
        return quota.ma
    if len(qr.periods) == 1:
        p = qr.periods[0]
        return f"{quota.ma}: {p.count}/{p.target} – {t('plans.period.' + p.state)}"
    return f"{quota.ma}: " + t("plans.quota_periods", met=qr.count_state("dat"), decided=len(qr.decided))


def quota_target_text(qr: QuotaResult, lang: str = "vi") -> str:
    ct = qr.quota.model
    per = t("plans.chu_ky." + ct.chu_ky, lang)
    s = t("plans.quota_target", lang, n=ct.so_luong_toi_thieu, period=per)
    if ct.so_ban_toi_thieu:
        s += f", {ct.so_ban_toi_thieu:,} bản".replace(",", ".") if lang == "vi" else f", {ct.so_ban_toi_thieu:,} copies"
    return s


def _reports(site: Site, plan: Plan, lang: str = "vi") -> list[dict]:
    today = site.now.date()
    out = []
    for q in quarters_of(plan, today):
        out.append({"key": q.key, "label": q.label(lang), "url": plan.report_url(q.key)})
    return out


def plan_pages(site: Site, data) -> Iterable[OutputPage]:
    today = site.now.date()
    plans = data.published
    langs = [x for x in data.other_languages if data.has_index(x)]
    index_rows = []
    for plan in plans:
        progress = data.progress(plan, today)
        reports = _reports(site, plan)
        index_rows.append({"plan": plan, "progress": progress, "reports": reports,
                           "task_counts": progress.task_counts(), "period_counts": progress.period_counts()})
        # The progress and report pages stay Vietnamese: their switcher goes to the plan in that language.
        alts = {"vi": plan.url, **{x: data.page_url(plan, x) for x in langs}}
        yield _plan_page(site, plan, reports, alts)
        yield _progress_page(site, plan, progress, reports, {**alts, "vi": plan.progress_url})
        for r in reports:
            rep = data.report(plan, parse_quarter(r["key"]), today)
            yield _report_page(site, plan, rep, reports, {**alts, "vi": plan.report_url(r["key"])})
    current = [r for r in index_rows if r["plan"].start <= today <= r["plan"].end]
    others = [r for r in index_rows if r not in current]
    yield OutputPage(
        url=SECTION,
        template="cchc/plans/index.html",
        title=t("plans"),
        context={"current_plans": current, "other_plans": others, "now": site.now,
                 "stacked_bar": stacked_bar},
        section=SECTION,
        description=t("plans.index_intro"),
        nav_stub=True,
        alternates={"vi": SECTION, **{x: data.index_url(x) for x in langs}},
    )
    for lang in langs:
        yield from _language_pages(site, data, lang, {r["plan"].id: r for r in index_rows})


def _plan_page(site: Site, plan: Plan, reports: list[dict], alternates: Optional[dict] = None) -> OutputPage:
    m = plan.model
    r = _Renderer(site, plan, plan.url)
    sections = r.sections(m.phan, ("phan",), 2, {})
    appendices = []
    for i, pl in enumerate(m.phu_luc):
        rows = r.tasks(pl.nhiem_vu, ("phu_luc", i, "nhiem_vu"))
        appendices.append({"id": f"phu-luc-{i + 1}", "tieu_de": pl.tieu_de, "ghi_chu": pl.ghi_chu, "rows": rows,
                           "columns": _columns(rows), "number": i + 1 if len(m.phu_luc) > 1 else None,
                           "loc": ("phu_luc", i)})
    toc = _toc(sections) + [TocEntry(2, a["id"], t("plans.appendix") + (f" {a['number']}" if a["number"] else ""))
                            for a in appendices]
    intro = r.md(m.mo_dau, ("mo_dau",))
    closing = r.md(m.ket_thuc, ("ket_thuc",))
    return OutputPage(
        url=plan.url,
        template="cchc/plans/plan.html",
        title=plan.title,
        context={
            "plan": plan, "m": m, "legal": [legal_basis_text(vb) for vb in m.can_cu],
            "intro_html": intro, "closing_html": closing, "sections": sections, "appendices": appendices,
            "reports": reports, "attachments": [(label, href, ("tep_dinh_kem", -1)) for label, href in plan.attachments],
            "tx": r.mark, "doc_kind": m.loai_van_ban,
        },
        section=SECTION,
        description=f"{plan.title} – {m.don_vi_ban_hanh}" + (f", số {m.so_ky_hieu}" if m.so_ky_hieu else ""),
        toc=toc,
        search_kind="plan",
        alternates={k: v for k, v in (alternates or {}).items() if v},
    )


# --- other languages -------------------------------------------------------------------------

# Parts of the document whose translation makes the English page show the document itself;
# with only a title and a summary, it links to the Vietnamese full text instead.
_DOCUMENT_PARTS = ("can_cu", "mo_dau", "phan", "ket_thuc", "phu_luc")


def _quota_rows(progress: PlanProgress, tr: PlanTranslation, lang: str) -> list[dict]:
    """The plan's quotas with their results so far, in `lang`."""
    mark = Marker(frozenset(tr.translated))
    rows = []
    for i, quota in enumerate(tr.model.chi_tieu):
        qr = progress.quota(quota.ma)
        if qr is None:
            continue
        if len(qr.periods) == 1:
            p = qr.periods[0]
            result = f"{p.count}/{p.target} – {t('plans.period.' + p.state, lang)}"
        else:
            result = t("plans.quota_periods", lang, met=qr.count_state("dat"), decided=len(qr.decided))
        rows.append({"ma": quota.ma, "text": mark(quota.mo_ta, ("chi_tieu", i, "mo_ta")),
                     "channel": t("plans.kenh." + quota.kenh, lang), "target": quota_target_text(qr, lang),
                     "result": result})
    return rows


def _language_pages(site: Site, data, lang: str, rows_by_id: dict) -> Iterable[OutputPage]:
    """A plan's pages in another language: the plans list and each translated plan (or its notice)."""
    base = data.index_url(lang)
    translated = data.published_in(lang)
    by_id = {tr.id: tr for tr in translated}
    cards = []
    for plan in data.published:
        row = rows_by_id[plan.id]
        tr = by_id.get(plan.id)
        if tr is None and data.untranslated != "notice":
            continue
        reports = _reports(site, plan, lang)
        issuer = (tr.model.don_vi_ban_hanh if tr is not None and tr.own(("don_vi_ban_hanh",))
                  else Markup('<span lang="vi">%s</span>') % plan.model.don_vi_ban_hanh)
        cards.append({**row, "plan": tr or plan, "reports": reports, "only_vi": tr is None,
                      "url": tr.url if tr else data.page_url(plan, lang), "issuer": issuer})
        if tr is not None:
            yield _translated_plan_page(site, tr, row["progress"], reports)
        else:
            yield OutputPage(
                url=data.page_url(plan, lang),
                template="cchc/plans/untranslated.html",
                title=plan.title,
                context={"plan": plan, "reports": reports},
                lang=lang,
                section=base,
                description=f"{t('plans.only_vi_title', lang)}: {plan.title}",
                alternates={"vi": plan.url, lang: data.page_url(plan, lang)},
            )
    today = site.now.date()
    current = [c for c in cards if c["plan"].start <= today <= c["plan"].end]
    others = [c for c in cards if c not in current]
    yield OutputPage(
        url=base,
        template="cchc/plans/index.html",
        title=t("plans", lang),
        context={"current_plans": current, "other_plans": others, "now": site.now, "stacked_bar": stacked_bar,
                 "vietnamese_url": SECTION},
        lang=lang,
        section=base,
        description=t("plans.index_intro", lang),
        alternates={"vi": SECTION, lang: base},
    )


def _translated_plan_page(site: Site, tr: PlanTranslation, progress: PlanProgress, reports: list[dict]) -> OutputPage:
    lang = tr.lang
    m = tr.model
    r = _Renderer(site, tr, tr.url)
    mark = r.mark
    full = any(loc and loc[0] in _DOCUMENT_PARTS for loc in tr.translated)
    sections, appendices, toc = [], [], [TocEntry(2, "tom-tat", t("plans.summary", lang))]
    intro = closing = None
    if full:
        sections = r.sections(m.phan, ("phan",), 2, {})
        for i, pl in enumerate(m.phu_luc):
            rows = r.tasks(pl.nhiem_vu, ("phu_luc", i, "nhiem_vu"))
            appendices.append({"id": f"phu-luc-{i + 1}", "tieu_de": mark(pl.tieu_de, ("phu_luc", i, "tieu_de")),
                               "ghi_chu": mark(pl.ghi_chu, ("phu_luc", i, "ghi_chu")), "rows": rows,
                               "columns": _columns(rows), "number": i + 1 if len(m.phu_luc) > 1 else None,
                               "loc": ("phu_luc", i)})
        intro = r.md(m.mo_dau, ("mo_dau",))
        closing = r.md(m.ket_thuc, ("ket_thuc",))
    quotas = _quota_rows(progress, tr, lang)
    if quotas:
        toc.append(TocEntry(2, "chi-tieu", t("plans.quotas", lang)))
    toc += _toc(sections) + [TocEntry(2, a["id"], t("plans.appendix", lang) + (f" {a['number']}" if a["number"] else ""))
                             for a in appendices]
    attachments = []
    for label, href in tr.plan.attachments:
        i = next((j for j, att in enumerate(m.tep_dinh_kem) if att.tep == href or att.url == href), None)
        attachments.append((label if i is None else m.tep_dinh_kem[i].ten, href, ("tep_dinh_kem", i if i is not None else -1)))
    summary = r.md(tr.translation.tom_tat, ("tom_tat",))
    return OutputPage(
        url=tr.url,
        template="cchc/plans/plan.html",
        title=tr.title,
        context={
            "plan": tr, "m": m, "tx": mark, "doc_kind": m.loai_van_ban if mark.own(("loai_van_ban",)) else None,
            "legal": [legal_basis_text(vb, lang, mark, ("can_cu", i)) for i, vb in enumerate(m.can_cu)] if full else [],
            "intro_html": intro, "closing_html": closing, "sections": sections, "appendices": appendices,
            "reports": reports, "attachments": attachments if full else [],
            "translation": {"summary_html": summary, "official_title": tr.plan.title, "vietnamese_url": tr.plan.url,
                            "full": full, "quotas": quotas, "as_of": site.now.date(),
                            "translated_on": tr.translated_on},
        },
        lang=lang,
        section=data_index(lang),
        description=f"{tr.title} – {_plain(str(mark(m.don_vi_ban_hanh, ('don_vi_ban_hanh',))))}",
        toc=toc,
        lastmod=timeutil.parse_datetime(tr.translated_on) if tr.translated_on else None,
        search_kind="plan",
        alternates={"vi": tr.plan.url, lang: tr.url},
    )


def data_index(lang: str) -> str:
    return SECTION if lang == "vi" else f"{lang}/plans/"


def _progress_page(site: Site, plan: Plan, progress: PlanProgress, reports: list[dict],
                   alternates: Optional[dict] = None) -> OutputPage:
    quotas = []
    for qr in progress.quotas:
        quotas.append({
            "r": qr, "chart": quota_chart(qr), "counts_text": quota_counts_text(qr, plan),
            "target_text": quota_target_text(qr), "met": qr.count_state("dat"),
            "decided": len(qr.decided), "current": qr.current,
        })
    r = _Renderer(site, plan, plan.url, Problems())
    tasks = []
    for tr in progress.tasks:
        html = r.md(tr.task.model.noi_dung, tr.task.loc + ("noi_dung",))
        read = describe(tr.task.timing) if tr.task.timing else ""
        if read and fold(read).strip(". ") == fold(tr.task.model.thoi_gian or "").strip(". "):
            read = ""  # "Hàng quý" read as "Hằng quý": nothing to add
        tasks.append({"r": tr, "timing_read": read, "quota_briefs": [quota_brief(progress, q) for q in tr.task.quotas],
                      "text": _plain(html), "result_text": task_result_text(tr),
                      "missed_text": ", ".join(p.label("vi") for p in tr.missed)})
    toc = [TocEntry(2, "tom-tat", t("plans.summary"))]
    if quotas:
        toc.append(TocEntry(2, "chi-tieu", t("plans.quotas")))
        toc.extend(TocEntry(3, q["r"].quota.anchor, q["r"].quota.ma) for q in quotas)
    toc.append(TocEntry(2, "nhiem-vu", t("plans.tasks")))
    return OutputPage(
        url=plan.progress_url,
        template="cchc/plans/progress.html",
        title=t("plans.progress_title", name=plan.title),
        alternates={k: v for k, v in (alternates or {}).items() if v},
        context={
            "plan": plan, "m": plan.model, "progress": progress, "quotas": quotas, "tasks": tasks,
            "reports": reports, "now": site.now, "task_counts": progress.task_counts(),
            "period_counts": progress.period_counts(), "entry_link": entry_link, "stacked_bar": stacked_bar,
            "count_text": count_text, "target_text": target_text,
        },
        section=SECTION,
        description=t("plans.progress_title", name=plan.title),
        toc=toc,
    )


def _report_page(site: Site, plan: Plan, rep: QuarterReport, reports: list[dict],
                 alternates: Optional[dict] = None) -> OutputPage:
    from . import report_filename

    base = plan.report_url(rep.key)
    r = _Renderer(site, plan, plan.url, Problems())
    texts = {tr.task.stt: _plain(r.md(tr.task.model.noi_dung, tr.task.loc + ("noi_dung",))) for tr in rep.tasks}
    return OutputPage(
        url=base,
        template="cchc/plans/report.html",
        title=t("plans.report_title", quarter=rep.label, name=plan.title),
        alternates={k: v for k, v in (alternates or {}).items() if v},
        context={
            "plan": plan, "m": plan.model, "rep": rep, "reports": reports,
            "md_file": base + report_filename(plan, rep.key, "md"),
            "csv_file": base + report_filename(plan, rep.key, "csv"),
            "entry_link": entry_link, "count_text": count_text, "target_text": target_text,
            "task_result_text": task_result_text, "task_texts": texts,
        },
        section=SECTION,
        description=t("plans.report_title", quarter=rep.label, name=plan.title),
    )
