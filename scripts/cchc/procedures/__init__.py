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


class ProceduresModule:
    name = "procedures"

    def load(self, site: Site) -> None:
        loader.load(site)

    def link(self, site: Site) -> None:
        loader.link(site)

    def pages(self, site: Site) -> Iterable[OutputPage]:
        return list(views.pages(site, site.data["procedures"]))

    def files(self, site: Site) -> Iterable[OutputFile]:
        return []

    def release(self, site: Site) -> None:
        state = site.data.get("procedures")
        for e in state.entries if state is not None else []:
            e.lines.release()
            for tr in e.translations.values():
                tr.lines.release()


module = ProceduresModule()
