"""Plans as data: the yearly CCHC communication plan, its progress and quarterly reports.

    plans/<id>.yml               one plan, shaped like the signed document (model.py)
    plans/minh-chung/<x>.yml     evidence of work outside this site (Fanpage, leaflets…)

Pages: ke-hoach/ (index, in the navigation), ke-hoach/<id>/ (the plan laid out like
the official document), ke-hoach/<id>/tien-do/ (progress: every quota per period,
every task's status), ke-hoach/<id>/bao-cao/<yyyy-qn>/ (the quarterly report, with
the same report as Markdown and CSV files beside it). `cchc report` writes the
same report files from the command line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Optional

from ..site import OutputFile, OutputPage, Site
from . import labels  # noqa: F401  (registers interface strings)
from .loader import Plan, PlansState, check_news_refs, load_plans
from .progress import Entry, PortalDefault, collect_entries, compute
from .report import QuarterReport, build_report, quarters_of, render_csv, render_markdown


@dataclass
class PlansData:
    """`site.data["plans"]`: the loaded plans and what the build derived from them."""

    state: PlansState
    entries: dict[str, list[Entry]] = field(default_factory=dict)  # plan id -> countable products
    portal_default: PortalDefault = PortalDefault()
    untranslated: str = "omit"  # the other languages' site: "omit" or "notice"
    # Progress and reports computed during this build (`progress`, `report`); the entries
    # do not change once `PlansModule.link` has collected them.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def other_languages(self) -> list[str]:
        return sorted(self.state.translations)

    def published_in(self, lang: str) -> list:
        """The published plans with a page in `lang` (translations for another language)."""
        if lang == "vi":
            return self.published
        by_id = self.state.translations.get(lang, {})
        return [by_id[p.id] for p in self.published if p.id in by_id]

    def has_index(self, lang: str) -> bool:
        if lang == "vi":
            return True
        if lang not in self.state.translations:
            return False
        return bool(self.published_in(lang)) or (self.untranslated == "notice" and bool(self.published))

    def index_url(self, lang: str = "vi") -> str:
        return "ke-hoach/" if lang == "vi" else f"{lang}/plans/"

    def page_url(self, plan: Plan, lang: str) -> Optional[str]:
        """Where a plan's pages lead in `lang`: its translation, a "Vietnamese only" page, or the list."""
        tr = self.state.translations.get(lang, {}).get(plan.id)
        if tr is not None:
            return tr.url
        if self.untranslated == "notice" and lang in self.state.translations:
            return f"{lang}/plans/{plan.id}/"
        return self.index_url(lang) if self.has_index(lang) else None

    @property
    def plans(self) -> dict[str, Plan]:
        return self.state.plans

    @property
    def published(self) -> list[Plan]:
        return self.state.published

    def get(self, plan_id: str) -> Optional[Plan]:
        return self.state.get(plan_id)

    def task_link(self, plan_id: str, stt: Optional[str] = None) -> Optional[dict]:
        """For a news item's `ke_hoach` entry: {"url", "plan", "task"} of the plan page (at the
        task's anchor), or None when the plan is not published. For templates of other modules."""
        plan = self.get(plan_id)
        if plan is None or plan.model.draft:
            return None
        task = plan.tasks.get((stt or "").rstrip(".")) if stt else None
        return {"url": plan.url + (f"#{task.anchor}" if task else ""), "plan": plan.title,
                "task": task.stt if task else None}

    def progress(self, plan: Plan, as_of: date):
        key = ("progress", id(plan), as_of)
        if key not in self.memo:
            self.memo[key] = compute(plan, self.entries.get(plan.id, []), as_of, self.portal_default,
                                     matches=self.memo.setdefault(("matches", id(plan)), {}))
        return self.memo[key]

    def report(self, plan: Plan, quarter, now: date) -> QuarterReport:
        """A quarter's report (its page and its .md and .csv files show the same one)."""
        key = ("report", id(plan), quarter, now)
        if key not in self.memo:
            self.memo[key] = build_report(plan, self.entries.get(plan.id, []), quarter, now, self.portal_default,
                                          matches=self.memo.setdefault(("matches", id(plan)), {}))
        return self.memo[key]


def _portal_default(site: Site) -> PortalDefault:
    link = site.settings.don_vi.cong_cchc_tinh
    return PortalDefault(link.ten, link.url) if link is not None else PortalDefault()


def report_filename(plan: Plan, key: str, ext: str) -> str:
    return f"bao-cao-{plan.id}-{key.lower()}.{ext}"


DECLARED_TEMPLATES = frozenset(("cchc/plans/plan.html", "cchc/plans/report.html", "cchc/plans/untranslated.html"))


class PlansModule:
    name = "plans"

    def load(self, site: Site) -> None:
        news = site.data.get("news")
        categories = list(news.categories) if news is not None and hasattr(news, "categories") else None
        state = load_plans(
            os.path.join(site.config_dir, site.settings.plans_dir),
            docs_dir=site.docs_dir,
            rel_path=site.rel_path,
            problems=site.problems,
            now=site.now.date(),
            categories=categories,
            languages=("vi",) + tuple(sorted(site.settings.languages)),
        )
        extra = site.settings.languages
        site.data["plans"] = PlansData(state=state, portal_default=_portal_default(site),
                                       untranslated=extra["en"].untranslated if "en" in extra else "omit")
        for plan in state.plans.values():
            if not plan.model.draft:
                site.urls[plan.key] = plan.url
        for by_id in state.translations.values():
            for tr in by_id.values():
                if not tr.plan.model.draft:
                    site.urls[tr.key] = tr.url

    def link(self, site: Site) -> None:
        data: PlansData = site.data["plans"]
        news = site.data.get("news")
        items = list(getattr(news, "items", [])) if news is not None else []
        # Task numbers come as written: `nhiem_vu: 1.10` unquoted is the text "1.10" in the model
        # (yamlsrc keeps a number's digits, modeling's text fields take them).
        check_news_refs(data.state, items, site.problems)
        visible = list(getattr(news, "visible", [])) if news is not None else []
        shared: dict = {}
        for plan in data.state.plans.values():
            data.entries[plan.id] = collect_entries(plan, visible, shared=shared)
        data.memo.clear()

    def pages(self, site: Site) -> Iterable[OutputPage]:
        from .pages import plan_pages

        out = list(plan_pages(site, site.data["plans"]))
        for page in out:
            # A plan's text and its quarterly reports show nothing but what their context
            # reaches (the plan, the news items it counts) and the site's structure (news
            # front matter, plan files): a rebuild after an edited news text keeps them by
            # their declared keys. The progress and index pages show the build's time.
            page.declared = page.template in DECLARED_TEMPLATES
        return out

    def files(self, site: Site) -> Iterable[OutputFile]:
        data: PlansData = site.data["plans"]
        today = site.now.date()
        out = []
        for plan in data.published:
            for quarter in quarters_of(plan, today):
                rep = data.report(plan, quarter, today)
                base = plan.report_url(rep.key)
                out.append(OutputFile(base + report_filename(plan, rep.key, "md"),
                                      render_markdown(rep, site.abs_url).encode("utf-8")))
                out.append(OutputFile(base + report_filename(plan, rep.key, "csv"), render_csv(rep, site.abs_url)))
        return out


module = PlansModule()
