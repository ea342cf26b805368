"""Administrative procedures (thủ tục hành chính, TTHC): one YAML file per code in procedures/.

* `model.py`    the procedure as staff write it (pydantic; also the JSON Schema);
* `loader.py`   read and check every file, keep `site.data["procedures"]`
                (`.get(code)`, `.entries`, `.changes` for the "procedure changes" feed);
* `views.py`    index, filter pages, one page per procedure, print pages;
* `importer.py` national portal detail JSON -> procedure YAML (`cchc import-tthc`);
* `qr.py`       QR codes of page addresses for printed notices.

Why generated pages and not Markdown pages in the navigation: Material renders the
whole navigation into every page, so 1,000 procedures in the nav make the build
quadratic (shared/anchors.md §1.1). Procedure pages are rendered outside MkDocs'
page pipeline and only the index is in the (short, explicit) navigation.
"""

from __future__ import annotations

from typing import Iterable

from ..site import OutputFile, OutputPage, Site
from . import loader, views
from .loader import OWN_PAGE_FIELDS  # noqa: F401 - what tests and `structure` name


class ProceduresModule:
    name = "procedures"

    def load(self, site: Site) -> None:
        loader.load(site)

    def link(self, site: Site) -> None:
        loader.link(site)

    def structure(self, site: Site) -> dict[str, bytes]:
        """What other pages may show of each procedure file (`Site.structure`): its fields as
        parsed, but the texts that only its own page and print pages show (`OWN_PAGE_FIELDS`);
        those pages reach the entry, which a declared page key follows by its file."""
        state = site.data["procedures"]
        out = {}
        for e in state.entries:
            for entry in (e, *e.translations.values()):
                # Computed where the file was parsed, and kept with it in the build cache
                # (yamlsrc.LazyLocated): a rebuild neither unpickles nor pickles the values.
                out[site.abs_path(entry.source)] = entry.lines.structure_digest(OWN_PAGE_FIELDS)
        return out

    def pages(self, site: Site) -> Iterable[OutputPage]:
        out = list(views.pages(site, site.data["procedures"]))
        for page in out:
            page.declared = True  # what they show: their context's entries and `structure` (above)
        return out

    def files(self, site: Site) -> Iterable[OutputFile]:
        return []

    def prepare(self, site: Site, pages: list[OutputPage]) -> None:
        for page in pages:
            views.resolve_views(page.context, views.kept_bases(page))

    def release(self, site: Site) -> None:
        state = site.data.get("procedures")
        for e in state.entries if state is not None else []:
            # A view not built yet (views.LazyView) still needs its texts' lines: the Markdown
            # conversions it finds in the build cache are stored under them. A translation's
            # view needs its Vietnamese file's too (the texts it does not translate).
            pending = e.view is None or any(tr.view is None for tr in e.translations.values())
            e.lines.release(keep_lines=pending)
            for tr in e.translations.values():
                tr.lines.release(keep_lines=tr.view is None)


module = ProceduresModule()
