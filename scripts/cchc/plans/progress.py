"""Progress of a plan as of a date: one computation for the progress page and the report.

What counts (an `Entry`):
* every published news item of this site (Vietnamese version), on the channel
  `website_don_vi`, dated by its publication date;
* every portal submission of such an item (`gui_cong` with trang_thai da_gui or
  da_dang), on the portal channels, dated by `ngay_gui` (else the item's date);
* every evidence record of `plans/minh-chung/*.yml` on its own channel, counted
  `so_luong` times.

A quota (`chi_tieu`) selects entries by channel, task (`nhiem_vu`), kind
(`loai_noi_dung`) and, for news, category and tags (`bo_loc`), and counts them
per period (month, quarter, half-year, year or the whole range). Each period is,
as of the evaluation date: met (`dat`), not yet met but still open
(`chua_dat`), missed (`khong_dat`) or not started (`chua_den`).

A task's status follows from its obligations: the periods of the quotas that
measure it, or, without quotas, the periods its timing implies (each needs at
least one result: a news item or evidence record naming the task).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from operator import attrgetter
from typing import Iterable, Optional
from urllib.parse import urlsplit

from ..text import fold
from .loader import Plan, Quota, Task
from .model import PORTAL_CHANNELS
from .timing import Period, obligation_periods, periods

DUE_SOON_DAYS = 14

PERIOD_STATES = ("dat", "chua_dat", "khong_dat", "chua_den")
TASK_STATES = ("hoan_thanh", "dang_thuc_hien", "sap_den_han", "qua_han", "chua_bat_dau", "theo_yeu_cau", "khong_thoi_han")
SUBMITTED = ("da_gui", "da_dang")


@dataclass(frozen=True)
class Entry:
    """One countable product."""

    source: str  # "tin" (news item on this site) | "gui_cong" (its portal submission) | "minh_chung"
    date: date
    kenh: str
    loai: str
    count: int
    title: str
    url: Optional[str]  # site-relative for news items, absolute for evidence
    tasks: tuple[str, ...] = ()  # task numbers of this plan the entry names
    chuyen_muc: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # folded
    portal: Optional[str] = None
    portal_state: Optional[str] = None
    copies: Optional[int] = None
    file: Optional[str] = None  # docs-relative evidence file
    origin: str = ""  # where it was written (file[:line])
    portals: tuple[tuple[str, str], ...] = ()  # news items: (portal, state) of every submission

    def __cchc_key_state__(self) -> tuple:
        """What a page key reads of an entry (cchc.buildcache): its values, in field order
        (plain values, no set). Through the pickler's general path, the 6,500 entries that
        the five plan pages keyed on every rebuild show took ≈ 25 ms."""
        return _ENTRY_VALUES(self)

    @property
    def internal(self) -> bool:
        return self.source == "tin"


@dataclass(frozen=True)
class PortalDefault:
    """The unit's provincial CCHC portal (mkdocs.yml don_vi.cong_cchc_tinh)."""

    name: Optional[str] = None
    url: Optional[str] = None


_ENTRY_VALUES = attrgetter(*(f.name for f in fields(Entry)))  # an entry's values, in field order


def portal_host(s: str) -> Optional[str]:
    s = s.strip().lower()
    if "://" not in s and "." in s and " " not in s:
        s = "http://" + s
    if "://" in s:
        host = urlsplit(s).hostname or ""
        return host[4:] if host.startswith("www.") else host
    return None


def same_portal(written: str, wanted: str) -> bool:
    a, b = portal_host(written), portal_host(wanted)
    if a and b:
        return a == b or a.endswith("." + b) or b.endswith("." + a)
    fa, fb = fold(written).strip(), fold(wanted).strip()
    return bool(fa and fb) and (fa in fb or fb in fa)


def collect_entries(plan: Plan, news_items: Iterable, *, lang: str = "vi",
                    shared: Optional[dict] = None) -> list[Entry]:
    """Entries for `plan` from published news items and the plan's evidence records.

    `shared`: a dict the caller passes for every plan of one build, where what does not
    depend on the plan (dates, categories, folded tags…) is computed once per item."""
    out: list[Entry] = []
    shared = {} if shared is None else shared
    folded: dict[str, str] = shared.setdefault("folded tags", {})  # a site uses a few dozen tags
    for item in news_items:
        if getattr(item, "lang", "vi") != lang:
            continue
        known = shared.get(id(item))
        if known is None:
            written = [(r.nhiem_vu or "").rstrip(".") or None for r in item.ke_hoach]
            # The last slot: the item's entries when they name no task of the plan, the same
            # for every plan (most items name none: made once instead of once a plan).
            known = shared[id(item)] = [
                item.date.date(), written, tuple(item.chuyen_muc), tuple(folded.get(t) or folded.setdefault(t, fold(t)) for t in item.tags),
                tuple((g.cong, g.trang_thai) for g in item.gui_cong), item, None]
        d, written, cats, tags, portals, _, plain = known
        tasks = tuple(sorted({stt for r, stt in zip(item.ke_hoach, written) if r.ke_hoach == plan.id and stt})) \
            if item.ke_hoach else ()
        if not tasks and plain is not None:
            out.extend(plain)
            continue
        made = [Entry("tin", d, "website_don_vi", item.loai, 1, item.title, item.url, tasks, cats, tags,
                      origin=item.source, portals=portals)]
        for g in item.gui_cong:
            if g.trang_thai not in SUBMITTED:
                continue
            made.append(Entry("gui_cong", g.ngay_gui or d, "cong", item.loai, 1, item.title, item.url, tasks,
                              cats, tags, portal=g.cong, portal_state=g.trang_thai, origin=item.source))
        if not tasks:
            known[6] = made
        out.extend(made)
    for ev in plan.evidence:
        m = ev.model
        out.append(Entry("minh_chung", m.ngay, m.kenh, m.loai, m.so_luong, m.mo_ta, m.url or None,
                         (m.nhiem_vu,) if m.nhiem_vu else (), copies=m.so_ban, file=ev.docs_file,
                         origin=f"{ev.source}:{ev.line}"))
    out.sort(key=lambda e: (e.date, e.title))
    return out


def quota_matches(quota: Quota, e: Entry, portal_default: PortalDefault = PortalDefault()) -> bool:
    ct = quota.model
    if ct.kenh == "website_don_vi":
        if e.kenh != "website_don_vi":
            return False
    elif ct.kenh in PORTAL_CHANNELS:
        if e.source == "gui_cong":
            if ct.cong:
                if not same_portal(e.portal or "", ct.cong):
                    return False
            elif ct.kenh == "cong_cchc_tinh" and (portal_default.name or portal_default.url):
                if not any(same_portal(e.portal or "", w) for w in (portal_default.name, portal_default.url) if w):
                    return False
            if ct.chi_tinh_da_dang and e.portal_state != "da_dang":
                return False
        elif not (e.source == "minh_chung" and e.kenh == ct.kenh):
            return False
    elif not (e.source == "minh_chung" and e.kenh == ct.kenh):
        return False
    if ct.nhiem_vu and not (set(ct.nhiem_vu) & set(e.tasks)):
        return False
    if ct.loai_noi_dung and e.loai not in ct.loai_noi_dung:
        return False
    if ct.bo_loc is not None:
        if e.source == "minh_chung":
            return False  # an evidence record has no category or tags to prove the filter
        if ct.bo_loc.chuyen_muc and not (set(ct.bo_loc.chuyen_muc) & set(e.chuyen_muc)):
            return False
        if ct.bo_loc.tags and not ({fold(t) for t in ct.bo_loc.tags} & set(e.tags)):
            return False
    return True


@dataclass
class PeriodResult:
    period: Period
    target: int
    count: int
    state: str
    entries: list[Entry] = field(default_factory=list)
    copies: int = 0
    target_copies: Optional[int] = None
    continuous: bool = False  # a "thường xuyên" obligation: never finished before its end

    @property
    def missing(self) -> int:
        return max(0, self.target - self.count)

    @property
    def percent(self) -> int:
        """Share of the target reached, capped at 100 (for the bar)."""
        return min(100, round(100 * self.count / self.target)) if self.target else 100

    @property
    def key(self) -> str:
        return self.period.key

    def label(self, lang: str = "vi") -> str:
        return self.period.label(lang)


def _state(p: Period, count: int, target: int, copies: int, target_copies: Optional[int], as_of: date,
           closed: bool = False) -> str:
    if p.start > as_of:
        return "chua_den"
    if count >= target and (target_copies is None or copies >= target_copies):
        return "dat"
    if p.deadline < as_of or (closed and p.deadline <= as_of):
        return "khong_dat"
    return "chua_dat"


def _evaluate(p: Period, entries: list[Entry], target: int, as_of: date, target_copies: Optional[int] = None,
              continuous: bool = False, closed: bool = False) -> PeriodResult:
    inside = [e for e in entries if p.start <= e.date <= p.end and e.date <= as_of]
    count = sum(e.count for e in inside)
    copies = sum(e.copies or 0 for e in inside)
    state = _state(p, count, target, copies, target_copies, as_of, closed)
    return PeriodResult(p, target, count, state, inside, copies, target_copies, continuous)


def quota_periods(quota: Quota) -> list[Period]:
    ct = quota.model
    return periods(ct.chu_ky, quota.start, quota.end)


@dataclass
class QuotaResult:
    quota: Quota
    periods: list[PeriodResult]
    entries: list[Entry]  # every matching entry up to the evaluation date
    as_of: date

    @property
    def total(self) -> int:
        return sum(e.count for e in self.entries)

    def count_state(self, state: str) -> int:
        return sum(1 for p in self.periods if p.state == state)

    @property
    def current(self) -> Optional[PeriodResult]:
        """The period the evaluation date falls in."""
        for p in self.periods:
            if p.period.start <= self.as_of <= p.period.end:
                return p
        return None

    @property
    def decided(self) -> list[PeriodResult]:
        """Periods whose result is known: met, or missed."""
        return [p for p in self.periods if p.state in ("dat", "khong_dat")]


@dataclass
class TaskResult:
    task: Task
    status: str
    obligations: list[PeriodResult]
    evidence: list[Entry]
    children: list["TaskResult"] = field(default_factory=list)

    @property
    def missed(self) -> list[PeriodResult]:
        return [p for p in self.obligations if p.state == "khong_dat"]

    @property
    def next_deadline(self) -> Optional[date]:
        """The earliest deadline still to meet (this period's, or the next one's)."""
        todo = [p.period.deadline for p in self.obligations if p.state in ("chua_dat", "chua_den")]
        return min(todo) if todo else None

    @property
    def results_count(self) -> int:
        return sum(e.count for e in self.evidence)


@dataclass
class PlanProgress:
    plan: Plan
    as_of: date
    quotas: list[QuotaResult]
    tasks: list[TaskResult]  # document order, every task (group rows too)

    def task(self, stt: str) -> Optional[TaskResult]:
        for t in self.tasks:
            if t.task.stt == stt:
                return t
        return None

    def quota(self, ma: str) -> Optional[QuotaResult]:
        for q in self.quotas:
            if q.quota.ma == ma:
                return q
        return None

    def task_counts(self) -> dict[str, int]:
        out = {s: 0 for s in TASK_STATES}
        for t in self.tasks:
            if not t.task.is_group:
                out[t.status] += 1
        return out

    def period_counts(self) -> dict[str, int]:
        out = {s: 0 for s in PERIOD_STATES}
        for q in self.quotas:
            for p in q.periods:
                out[p.state] += 1
        return out


def _task_evidence(task: Task, entries: list[Entry], as_of: date) -> list[Entry]:
    wanted = {task.stt}
    stack = list(task.children)
    while stack:
        c = stack.pop()
        wanted.add(c.stt)
        stack.extend(c.children)
    return [e for e in entries if e.source != "gui_cong" and e.date <= as_of and wanted & set(e.tasks)]


_SEVERITY = ["qua_han", "sap_den_han", "dang_thuc_hien", "chua_bat_dau", "hoan_thanh", "theo_yeu_cau", "khong_thoi_han"]


def _status(task: Task, obligations: list[PeriodResult], as_of: date, children: list[TaskResult],
            closed: bool = False) -> str:
    if not obligations:
        if children:
            states = [c.status for c in children]
            if all(s == "hoan_thanh" for s in states):
                return "hoan_thanh"
            return min(states, key=_SEVERITY.index)
        if task.timing is not None and task.timing.kind == "theo_yeu_cau":
            return "theo_yeu_cau"
        return "khong_thoi_han"
    if any(p.state == "khong_dat" for p in obligations):
        return "qua_han"
    if all(p.state == "dat" for p in obligations):
        if any(p.continuous and (p.period.end > as_of or (p.period.end == as_of and not closed)) for p in obligations):
            return "dang_thuc_hien"
        return "hoan_thanh"
    if all(p.state == "chua_den" for p in obligations):
        return "chua_bat_dau"
    open_ = [p for p in obligations if p.state == "chua_dat"]
    if any((p.period.deadline - as_of) <= timedelta(days=DUE_SOON_DAYS) for p in open_):
        return "sap_den_han"
    # Some period open with time left, or every period so far met and more to come.
    return "dang_thuc_hien"


def compute(plan: Plan, entries: list[Entry], as_of: date, portal_default: PortalDefault = PortalDefault(),
            *, closed: bool = False, matches: Optional[dict] = None) -> PlanProgress:
    """The state of every quota period and task of `plan` on `as_of`.

    Products dated up to `as_of` count. `closed`: the day `as_of` is over (a
    finished quarter's report), so a deadline falling on it has passed. `matches`: a
    dict kept by the caller between calls with the same `entries` and `portal_default`
    (id of a quota -> the entries it counts), so that a site's progress page and each
    of its quarterly reports match 5,000 news items against the quotas once, not each.
    """
    quota_results: dict[int, QuotaResult] = {}
    qrs: list[QuotaResult] = []
    for quota in plan.quotas:
        matching = matches.get(id(quota)) if matches is not None else None
        if matching is None:
            matching = [e for e in entries if quota_matches(quota, e, portal_default)]
            if matches is not None:
                matches[id(quota)] = matching
        prs = [_evaluate(p, matching, quota.model.so_luong_toi_thieu, as_of, quota.model.so_ban_toi_thieu,
                         closed=closed)
               for p in quota_periods(quota)]
        qr = QuotaResult(quota, prs, [e for e in matching if e.date <= as_of], as_of)
        quota_results[id(quota)] = qr
        qrs.append(qr)

    results: dict[int, TaskResult] = {}
    # Only entries that name a task can be a task's evidence (most news items name none:
    # scanning every entry for every task was most of this function's time).
    tasked = [e for e in entries if e.tasks]

    def task_result(task: Task) -> TaskResult:
        if id(task) in results:
            return results[id(task)]
        children = [task_result(c) for c in task.children]
        evidence = _task_evidence(task, tasked, as_of)
        obligations: list[PeriodResult] = []
        if task.quotas:
            for q in task.quotas:
                obligations.extend(quota_results[id(q)].periods)
        elif task.timing is not None:
            continuous = task.timing.kind == "thuong_xuyen"
            for p in obligation_periods(task.timing):
                obligations.append(_evaluate(p, evidence, 1, as_of, continuous=continuous, closed=closed))
        tr = TaskResult(task, _status(task, obligations, as_of, children, closed), obligations, evidence, children)
        results[id(task)] = tr
        return tr

    trs = [task_result(t) for t in plan.task_list]
    return PlanProgress(plan, as_of, qrs, trs)
