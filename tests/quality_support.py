"""Helpers of the quality gates (tests/test_quality_*.py).

* `serve(site_dir)`      a static HTTP server on 127.0.0.1 (random port) for a built site;
* `page_catalogue(...)`  every built HTML page with its kind, read from the core's
                         `site.pages()` (template + list kind + language) so that a page kind
                         added by a new module is picked up without editing this file;
* `run_axe(page)`        axe-core (npm package) injected into a Playwright page, WCAG 2.1 A/AA;
* `run_vnu(files)`       the Nu HTML Checker (vnu.jar from the npm package, run with Java);
* `crawl_links(site)`    every internal link, asset, fragment and CSS url() of a built site;
* `external_resources`   resources a page would fetch from another host (static scan).

Each tool is someone else's, well kept, and run for real: axe-core is Deque's rule engine,
vnu.jar is the W3C's validator. Only the link crawler is ours, because no registry package
checks a *directory* of static files offline with fragment checks (linkchecker needs a
server and is GPL and slow; lychee is not on the registries we reach).
"""

from __future__ import annotations

import copy
import functools
import gzip
import http.server
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from cchc import timeutil
from cchc.problems import Problems
from cchc.site import MODULES, load_site
from lxml import etree as _etree
from lxml import html as _lhtml

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SAMPLE_NOW = "2026-11-22 09:00"  # the `sample_site` fixture's pinned now (tests/conftest.py)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# WCAG 2.1 level A and AA rules of axe-core (its tags), nothing of "best-practice".
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --------------------------------------------------------------------------- server
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass

    def end_headers(self):
        # No caching between page loads: every load is a first load (the weight budget).
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(site_dir: Path | str):
    """Serve `site_dir` on http://127.0.0.1:<free port>/ for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --------------------------------------------------------------------------- page kinds
@dataclass
class PageInfo:
    url: str  # site-relative, "" for the home page
    path: str  # file under the site directory
    kind: str  # e.g. "cchc/news/list.html#category"
    lang: str = "vi"

    @property
    def key(self) -> str:
        return f"{self.lang}:{self.kind}"


def _front_template(md_file: Path) -> str | None:
    import yaml

    text = md_file.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end < 0:
        return None
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError:
        return None
    return meta.get("template") if isinstance(meta, dict) else None


def _md_url(rel: str) -> str:
    stem = rel[:-3]
    if posixpath.basename(stem) in ("index", "README"):
        d = posixpath.dirname(stem)
        return d + "/" if d else ""
    return stem + "/"


def page_catalogue(site_dir: Path, config_file: Path = REPO / "mkdocs.yml", now: str = SAMPLE_NOW) -> list[PageInfo]:
    """Every HTML page of the built site with its kind.

    Kinds come from the core (`cchc.site.load_site(...).pages()`): the template name,
    plus the list kind (`context["kind"]`) for templates that serve several lists,
    plus the language. Hand-written Markdown pages take their front-matter
    `template` ("page" when none). Any other built HTML file is kind
    "other:<first folder>" so that nothing escapes the checks.
    """
    from cchc import timeutil
    from cchc.problems import Problems
    from cchc.site import load_site

    problems = Problems()
    site = load_site(str(config_file), problems, now=timeutil.build_now(now))
    assert site is not None and not problems.has_errors(), problems.format()
    by_path: dict[str, PageInfo] = {}
    for out in site.pages():
        kind = out.template
        ctx_kind = out.context.get("kind") if isinstance(out.context, dict) else None
        if isinstance(ctx_kind, str):
            kind += "#" + ctx_kind
        by_path[out.output_path] = PageInfo(out.url, out.output_path, kind, out.lang)
    docs = Path(site.docs_dir)
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs).as_posix()
        url = _md_url(rel)
        path = url + "index.html"
        if path in by_path or not (site_dir / path).is_file():
            continue
        lang = "en" if url.startswith("en/") else "vi"
        by_path[path] = PageInfo(url, path, _front_template(md) or "page", lang)
    for f in sorted(site_dir.rglob("*.html")):
        rel = f.relative_to(site_dir).as_posix()
        if rel in by_path:
            continue
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        first = rel.split("/")[0] if "/" in rel else rel
        lang = "en" if rel.startswith("en/") else "vi"
        if lang == "en" and "/" in rel[3:]:
            first = rel[3:].split("/")[0]
        by_path[rel] = PageInfo(url, rel, f"other:{first}", lang)
    return sorted(by_path.values(), key=lambda p: p.path)


def representatives(pages: list[PageInfo], site_dir: Path) -> dict[str, PageInfo]:
    """One page per kind and language: the heaviest HTML (most content, worst case)."""
    out: dict[str, PageInfo] = {}
    for p in pages:
        if not (site_dir / p.path).is_file():
            continue  # reported by test_every_page_the_core_lists_is_built
        cur = out.get(p.key)
        if cur is None or (site_dir / p.path).stat().st_size > (site_dir / cur.path).stat().st_size:
            out[p.key] = p
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- browser
def launch_chromium(playwright):
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    return playwright.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)


def run_axe(page) -> list[dict]:
    """Violations of the WCAG 2.1 A/AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}));
        }""",
        WCAG_TAGS,
    )
    return result


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"      at {n['target']}: {n['html']}")
            if n.get("summary"):
                lines.append("        " + n["summary"].replace("\n", "\n        "))
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------- vnu
def java_path() -> str | None:
    return shutil.which("java")


def run_vnu(files: list[Path], *, css: bool = False) -> list[dict]:
    """Messages of the Nu HTML Checker for `files` (one JVM per 400 files); `css`: stylesheets."""
    java = java_path()
    assert java, "Java is needed for the Nu HTML Checker: run scripts/setup.sh --test (installs default-jre-headless)"
    assert VNU_JAR.is_file(), f"{VNU_JAR} missing: run scripts/setup.sh --test (npm ci)"
    messages: list[dict] = []
    # Batches keep the command line short on large sites.
    for i in range(0, len(files), 400):
        batch = [str(f) for f in files[i : i + 400]]
        # C1 compiler and serial GC: a short batch job; a third of the CPU time of the defaults.
        # No language detection: it only yields warnings, and declared languages are tested apart.
        cmd = [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR),
               "--format", "json", "--exit-zero-always", "--no-langdetect"]
        cmd.append("--css" if css else "--also-check-css")
        proc = subprocess.run(cmd + batch, capture_output=True, text=True, timeout=900)
        raw = proc.stderr.strip() or proc.stdout.strip()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            raise AssertionError(f"vnu.jar gave no JSON (exit {proc.returncode}):\n{raw[:2000]}")
        messages.extend(data.get("messages", []))
    return messages


def vnu_errors(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("type") in ("error", "non-document-error")
            or m.get("subType") == "fatal"]


def format_vnu(messages: list[dict], root: Path) -> str:
    lines = []
    for m in messages:
        url = m.get("url", "")
        path = url[len("file:"):] if url.startswith("file:") else url
        try:
            path = str(Path(unquote(path)).relative_to(root))
        except ValueError:
            pass
        extract = (m.get("extract") or "").replace("\n", " ")[:160]
        lines.append(f"  {path}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}  «{extract}»")
    return "\n".join(lines)


# --------------------------------------------------------------------------- links
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "about:", "sms:", "geo:")

# (tag, attribute) pairs that make the browser fetch something on load.
_FETCHING = [
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("iframe", "src"), ("embed", "src"),
    ("object", "data"), ("track", "src"), ("input", "src"), ("image", "href"), ("use", "href"),
]
_FETCHING_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
                       "modulepreload", "manifest", "mask-icon", "dns-prefetch", "preconnect"}


@dataclass
class LinkProblem:
    source: str  # file in the site
    ref: str  # the reference as written
    reason: str

    def __str__(self) -> str:
        return f"  {self.source}: {self.ref!r}: {self.reason}"


@dataclass
class SiteIndex:
    root: Path
    site_url: str = ""
    ids: dict[str, set[str]] = field(default_factory=dict)  # html path -> ids/names in it

    def html_ids(self, rel: str) -> set[str]:
        got = self.ids.get(rel)
        if got is None:
            from lxml import html as lhtml

            doc = lhtml.fromstring((self.root / rel).read_bytes())
            got = {e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")}
            got |= {e.get("name") for e in doc.iter("a") if e.get("name")}
            self.ids[rel] = got
        return got

    def target(self, rel_path: str) -> str | None:
        """The file a site-relative path resolves to, as a static server would, or None."""
        p = posixpath.normpath(rel_path) if rel_path else ""
        if p in (".", ""):
            p = ""
        if p.startswith("../") or p == "..":
            return None
        full = self.root / p if p else self.root
        if full.is_file():
            return p
        if full.is_dir() and (full / "index.html").is_file():
            return (p + "/index.html") if p else "index.html"
        return None


def _split_srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _site_relative(ref: str, base_rel: str, index: SiteIndex) -> tuple[str, str] | None:
    """(site-relative path, fragment) of an internal reference; None if external/ignored."""
    ref = ref.strip()
    if not ref or ref.lower().startswith(_SKIP_SCHEMES):
        return None
    if index.site_url and ref.startswith(index.site_url):
        ref = "/" + ref[len(index.site_url):]
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    base_url = "http://site.invalid/" + base_rel
    absu = urlsplit(urljoin(base_url, ref))
    return unquote(absu.path.lstrip("/")), absu.fragment


def crawl_links(site_dir: Path, site_url: str = "") -> tuple[list[LinkProblem], int]:
    """Check every internal reference of every HTML, CSS, XML and webmanifest file.

    Returns the problems and the number of references checked. A reference is
    broken when no file answers it (directory URLs need an index.html), and a
    fragment is broken when the target page has no element with that id.
    """
    from lxml import etree
    from lxml import html as lhtml

    index = SiteIndex(site_dir, site_url.rstrip("/") + "/" if site_url else "")
    problems: list[LinkProblem] = []
    checked = 0

    def check(ref: str, source: str, *, fragment_check: bool = True):
        nonlocal checked
        got = _site_relative(ref, source, index)
        if got is None:
            return
        checked += 1
        path, frag = got
        target = index.target(path) if path != source or not frag else source
        if path == "" and ref.startswith("#"):
            target = source
        if target is None:
            problems.append(LinkProblem(source, ref, f"no file for '{path or '/'}'"))
            return
        if frag and fragment_check and target.endswith(".html") and frag not in index.html_ids(target):
            problems.append(LinkProblem(source, ref, f"'{target}' has no element with id '{frag}'"))

    for f in sorted(site_dir.rglob("*")):
        if not f.is_file():
            continue
        rel = f.relative_to(site_dir).as_posix()
        suffix = f.suffix.lower()
        if suffix == ".html":
            doc = lhtml.fromstring(f.read_bytes())
            base = doc.find(".//base")
            if base is not None and base.get("href"):
                problems.append(LinkProblem(rel, base.get("href"), "<base> changes every relative link; remove it"))
            for el in doc.iter():
                if not isinstance(el.tag, str):
                    continue
                tag = el.tag.lower()
                if tag == "a" or tag == "area":
                    href = el.get("href")
                    if href is not None:
                        if href.startswith("#") and len(href) > 1:
                            frag = unquote(href[1:])
                            checked += 1
                            if frag not in index.html_ids(rel):
                                problems.append(LinkProblem(rel, href, f"no element with id '{frag}' in this page"))
                        else:
                            check(href, rel)
                elif tag == "link" and el.get("href"):
                    check(el.get("href"), rel)
                elif tag == "form" and el.get("action"):
                    check(el.get("action"), rel)
                for t, attr in _FETCHING:
                    if tag == t and el.get(attr):
                        values = _split_srcset(el.get(attr)) if attr == "srcset" else [el.get(attr)]
                        for v in values:
                            check(v, rel, fragment_check=False)
                style = el.get("style")
                if style:
                    for m in _CSS_URL.finditer(style):
                        check(m.group(2), rel, fragment_check=False)
                if tag == "style" and el.text:
                    for m in _CSS_URL.finditer(el.text):
                        check(m.group(2), rel, fragment_check=False)
        elif suffix == ".css":
            text = f.read_text(encoding="utf-8", errors="replace")
            # Source maps are not fetched by browsers for readers; skip comments.
            text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
            for rx in (_CSS_URL, _CSS_IMPORT):
                for m in rx.finditer(text):
                    ref = m.group(2)
                    if ref.startswith("#"):
                        continue  # SVG filter/mask reference inside the same document
                    check(ref, rel, fragment_check=False)
        elif suffix in (".xml", ".rss", ".atom") and not rel.endswith(".map"):
            try:
                root = etree.fromstring(f.read_bytes())
            except etree.XMLSyntaxError as exc:
                problems.append(LinkProblem(rel, "", f"does not parse as XML: {exc}"))
                continue
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                local = etree.QName(el).localname
                if local in ("loc", "link", "url") and el.text and index.site_url and el.text.strip().startswith(index.site_url):
                    check(el.text.strip(), rel, fragment_check=False)
                href = el.get("href")
                if href and index.site_url and href.startswith(index.site_url):
                    check(href, rel, fragment_check=False)
                src = el.get("url")
                if src and index.site_url and src.startswith(index.site_url):
                    check(src, rel, fragment_check=False)
        elif suffix == ".webmanifest":
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                problems.append(LinkProblem(rel, "", f"does not parse as JSON: {exc}"))
                continue
            for icon in data.get("icons", []):
                if isinstance(icon, dict) and icon.get("src"):
                    check(icon["src"], rel, fragment_check=False)
    return problems, checked


def external_resources(site_dir: Path) -> list[LinkProblem]:
    """Resources any built page or stylesheet would fetch from another host on load."""
    from lxml import html as lhtml

    found: list[LinkProblem] = []

    def external(ref: str) -> bool:
        ref = ref.strip()
        if ref.startswith("//"):
            return True
        parts = urlsplit(ref)
        return parts.scheme in ("http", "https", "ws", "wss", "ftp")

    for f in sorted(site_dir.rglob("*.html")):
        rel = f.relative_to(site_dir).as_posix()
        doc = lhtml.fromstring(f.read_bytes())
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.lower()
            refs: list[str] = []
            for t, attr in _FETCHING:
                if tag == t and el.get(attr):
                    refs += _split_srcset(el.get(attr)) if attr == "srcset" else [el.get(attr)]
            if tag == "link" and el.get("href"):
                rels = set((el.get("rel") or "").lower().split())
                if rels & _FETCHING_LINK_RELS:
                    refs.append(el.get("href"))
            if el.get("style"):
                refs += [m.group(2) for m in _CSS_URL.finditer(el.get("style"))]
            if tag == "style" and el.text:
                refs += [m.group(2) for m in _CSS_URL.finditer(el.text)]
                refs += [m.group(2) for m in _CSS_IMPORT.finditer(el.text)]
            for r in refs:
                if external(r):
                    found.append(LinkProblem(rel, r, f"<{tag}> fetches from another host on load"))
    for f in sorted(site_dir.rglob("*.css")):
        rel = f.relative_to(site_dir).as_posix()
        text = re.sub(r"/\*.*?\*/", "", f.read_text(encoding="utf-8", errors="replace"), flags=re.S)
        for rx in (_CSS_URL, _CSS_IMPORT):
            for m in rx.finditer(text):
                if external(m.group(2)):
                    found.append(LinkProblem(rel, m.group(2), "stylesheet fetches from another host"))
    return found


# --------------------------------------------------------------------------- weight
def gzip_size(data: bytes) -> int:
    """Bytes on the wire with gzip -6, as a typical static host (GitHub/GitLab Pages, nginx) serves."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def resource_class(url: str, content_type: str = "") -> str:
    path = urlsplit(url).path.lower()
    ct = content_type.lower()
    if path.endswith((".html", "/")) or "text/html" in ct:
        return "html"
    if path.endswith(".css") or "text/css" in ct:
        return "css"
    if path.endswith((".js", ".mjs")) or "javascript" in ct:
        return "js"
    if path.endswith((".woff", ".woff2", ".ttf", ".otf", ".eot")) or "font" in ct:
        return "font"
    if path.endswith((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico")) or ct.startswith("image/"):
        return "image"
    return "other"


def print_table(title: str, header: list[str], rows: list[list], stream=None) -> None:
    stream = stream or sys.stdout
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    print(f"\n{title}", file=stream)
    print("  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths)), file=stream)
    for r in rows:
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)), file=stream)


def env_for_build(now: str | None = None) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    if now:
        env["CCHC_NOW"] = now
    return env


# --------------------------------------------------------------------------- expected kinds
# Which kinds of page the sample site must have. Extend `EXPECTED` when a module lands
# (check `git log` and `MODULES` in scripts/cchc/site.py). A row whose module is not
# registered is skipped, so the gate fails loudly only once the module exists.


@dataclass(frozen=True)
class Expected:
    module: str | None  # dotted module that must be registered for the row to apply (None: always)
    kind: str  # page kind, or a prefix ending in "/" (any template of that folder)
    at_least: int  # distinct kinds matching `kind` (prefix rows may need several)
    label: str
    lang: str = "vi"

    def matches(self, key_kind: str) -> bool:
        base = key_kind.split("#", 1)[0]
        return key_kind == self.kind or base == self.kind or (self.kind.endswith("/") and base.startswith(self.kind))

    @property
    def active(self) -> bool:
        return self.module is None or self.module in MODULES

    @property
    def id(self) -> str:
        return f"{self.lang}-{self.label.replace(' ', '-')}"


EXPECTED: list[Expected] = [
    Expected(None, "cchc/home.html", 1, "home"),
    Expected(None, "cchc/contact.html", 1, "contact page"),
    Expected("cchc.news", "cchc/news/list.html#index", 1, "news list"),
    Expected("cchc.news", "cchc/news/item.html", 1, "news item"),
    Expected("cchc.news", "cchc/news/list.html#category", 1, "category"),
    Expected("cchc.news", "cchc/news/list.html#archive", 1, "archive"),
    Expected("cchc.procedures", "cchc/procedures/index.html", 1, "procedure index"),
    Expected("cchc.procedures", "cchc/procedures/item.html", 1, "procedure page"),
    Expected("cchc.plans", "cchc/plans/", 2, "plan and progress pages"),
    Expected("cchc.feeds", "cchc/feeds/", 1, "feeds page"),
]

# English pages (issue 7): required once any English page is built.
EXPECTED_EN: list[Expected] = [
    Expected(None, "cchc/home.html", 1, "home", "en"),
    Expected(None, "cchc/contact.html", 1, "contact page", "en"),
    Expected("cchc.news", "cchc/news/item.html", 1, "news item", "en"),
]

# Weight budgets, KB gzipped of HTML + CSS + JS + fonts on a first load, by kind prefix
# (first match wins). News and procedure pages aim at 100 KB (issue 8).
BUDGETS_KB: list[tuple[str, int]] = [
    # "Print the whole list" sheets hold every procedure of a field or of the unit: they grow
    # with the catalogue by design (97 KB for the 10 sample procedures); read on paper.
    ("cchc/procedures/print.html", 250),
    ("cchc/news/", 100),
    ("cchc/procedures/", 100),
    ("", 120),
]


def budget_for(kind: str) -> int:
    for prefix, kb in BUDGETS_KB:
        if kind.startswith(prefix):
            return kb
    return BUDGETS_KB[-1][1]


def search_registered() -> bool:
    return "cchc.search" in MODULES


def core_kind_keys() -> list[str]:
    """Kind keys ("vi:cchc/news/item.html") the core says the sample site has, for parametrizing.

    Read at collection time without a build; never raises (a broken sample
    gives one key that fails in the test with the problems).
    """
    try:
        from cchc import timeutil
        from cchc.problems import Problems
        from cchc.site import load_site

        problems = Problems()
        site = load_site(str(REPO / "mkdocs.yml"), problems, now=timeutil.build_now(SAMPLE_NOW))
        if site is None or problems.has_errors():
            return ["sample-does-not-load"]
        keys = set()
        urls = {out.url for out in site.pages()}
        for out in site.pages():
            kind = out.template
            ck = out.context.get("kind") if isinstance(out.context, dict) else None
            if isinstance(ck, str):
                kind += "#" + ck
            keys.add(f"{out.lang}:{kind}")
        docs = Path(site.docs_dir)
        news_dir = site.settings.news_dir.strip("/") + "/"
        for md in docs.rglob("*.md"):
            rel = md.relative_to(docs).as_posix()
            # News are the core's; translations (x.en.md) are rendered by the core under en/.
            if rel.startswith(news_dir) or ("/" + news_dir) in rel or rel.endswith(".en.md") or _md_url(rel) in urls:
                continue
            keys.add(f"vi:{_front_template(md) or 'page'}")
        return sorted(keys)
    except Exception as exc:  # reported by the test, never at collection
        return [f"core-error:{type(exc).__name__}"]


# --------------------------------------------------------------------------- hostile content
MARK = "cchcPwned"  # hostile payloads set window.cchcPwned: any page where it is set ran injected code

HOSTILE_TEXT = [
    f"<script>window.{MARK}=1</script>",
    f'<img src=x onerror="window.{MARK}=1">',
    f'"><svg onload=window.{MARK}=1>',
    f"javascript:window.{MARK}=1",
    f'<a href="javascript:window.{MARK}=1">bấm</a>',
    "</title></item><item><title>giả",
    "]]><![CDATA[<script>x</script>]]>",
    "&amp; &lt;b&gt; &#x3C;script&#x3E; &#0;",
    "cchc{{ 7*7 }}cchc {% raw %} ${7*7} #{7*7}",
    "\x00\x01\x02\x08\x0b\x0c\x1b\x7f nul và điều khiển",
    "\u200b\ufeff\u202e\u2028\u2029\u00ad ẩn",
    unicodedata.normalize("NFD", "Cải cách hành chính Hoà Thuỷ Đắk Lắk"),
    "🏥💉 ＦＵＬＬＷＩＤＴＨ ﷽",
    "a" * 5000,
    "dòng\n" * 300,
    "---",
    "# tiêu đề giả\n\n- [x] việc",
    "' \" ` \\ ; -- /* */",
    "Robert'); DROP TABLE tin;--",
    "../../../../etc/passwd",
    "%s%n%x {0} {value} {name!r}",
]

# Hostile text that is legitimate in a prose field (no length or format rule is broken by it).
# Every executable vector at once, for the real builds (each field carries all of them).
HOSTILE_COMBINED = (f'<script>window.{MARK}=1</script><img src=x onerror="window.{MARK}=1">'
                    f'"><svg onload=window.{MARK}=1> javascript:window.{MARK}=1 </title>]]> cchc{{{{ 7*7 }}}}cchc')
HOSTILE_PROSE = HOSTILE_TEXT[:13] + ["' \" ` \\ ; -- /* */", "%s%n%x {0} {value} {name!r}", HOSTILE_COMBINED]


# Markdown that a unit may legitimately write and that must come out inert.
TRICKY_MARKDOWN = [
    "Mã `<script>window.cchcPwned=1</script>` trong dòng.",
    "    <script>window.cchcPwned=1</script> (khối mã thụt lề)",
    "\\<img src=x onerror=window.cchcPwned=1> đã thoát.",
    "&lt;script&gt;window.cchcPwned=1&lt;/script&gt;",
    '[dấu nháy](https://example.org/"onmouseover="window.cchcPwned=1)',
    "Chữ *nghiêng* thêm thuộc tính {: onclick=\"window.cchcPwned=1\" }",
    "<https://example.org/?q=%3Cscript%3E>",
    "<details><summary>Xem thêm</summary>Nội dung ẩn.</details>",
    "| cột | giá trị |\n|---|---|\n| <i>nghiêng</i> | <kbd>Ctrl</kbd> |",
    "Chú thích[^1].\n\n[^1]: Ghi chú <span>ngắn</span>.",
    "<div markdown>**đậm** trong khối</div>",
    "cchc{{ 7*7 }}cchc {% if true %}x{% endif %}",
    unicodedata.normalize("NFD", "Nội dung tổ hợp: Hoà, Thuỷ, Đắk Lắk."),
    "Ký tự \x0b điều \x0c khiển \x1b và \u2028 dòng.",
]


# Markdown that sets a javascript: target or an event/style attribute: refused with an error
# naming file and line (like raw HTML), never silently stripped.
REFUSED_MARKDOWN = [
    "[liên kết lạ](javascript:window.cchcPwned=1)",
    "[liên kết hoa](JaVaScRiPt:window.cchcPwned=1)",
    "Đoạn có thuộc tính\n{: onmouseover=\"window.cchcPwned=1\" style=\"background:url(javascript:x)\" }",
    "[tham chiếu][x]\n\n[x]: javascript:window.cchcPwned=1",
]


# Inline SVG is legitimate (the build draws QR codes and charts); what runs inside it is
# caught like anywhere else (script elements, on* attributes, javascript: links).
_DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta", "link",
                   "style", "form", "template", "noscript", "foreignobject"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
_CTRL = re.compile(r"[\x00-\x20]+")


def dangerous(fragment: str) -> list[str]:
    """What in an HTML fragment could run code (empty when the fragment is inert)."""
    if not fragment or "<" not in fragment:
        return []
    try:
        root = _lhtml.fragment_fromstring(fragment, create_parent="div")
    except (_etree.ParserError, ValueError):
        return []
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in _DANGEROUS_TAGS:
            found.append(f"<{el.tag}>")
        for name, value in el.attrib.items():
            n = name.lower()
            v = _CTRL.sub("", value or "").lower()
            if n.startswith("on"):
                found.append(f"<{el.tag} {name}=…>")
            elif n in _URL_ATTRS and v.startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"<{el.tag} {name}={value[:40]!r}>")
            elif n == "style" and ("expression(" in v or "javascript:" in v):
                found.append(f"<{el.tag} style={value[:40]!r}>")
    return found




# --------------------------------------------------------------------------- fuzz project and seeds
FIXTURES = Path(__file__).parent / "fixtures" / "quality"
FUZZ_NOW = timeutil.build_now("2026-06-30 12:00")  # the fuzz project's pinned now


def split_news(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    end = text.index("\n---", 4)
    return yaml.safe_load(text[4:end]), text[end + 4 :].lstrip("\n")


def loads_clean(root: Path) -> Problems:
    """What `cchc check` and the build report: loading, then every page's and file's data."""
    problems = Problems()
    site = load_site(str(root / "mkdocs.yml"), problems, now=FUZZ_NOW)
    if site is not None and not problems.has_errors():
        site.pages()
        site.files()
    return problems


def build_fuzz_base(root: Path) -> dict[str, list[tuple[str, object, str]]]:
    """Make `root` a small valid project and return the seeds (kind -> [(name, document, body)]).

    The sample's settings and pages; the news seed; and, when their modules are
    registered, the smallest sample procedures and plans that load without errors
    together (some sample files refer to others, so each is tried in turn).
    """
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content" / "tin-tuc").mkdir(parents=True)
    (root / "procedures").mkdir()
    (root / "plans").mkdir()
    for name in ("index.md", "lien-he.md"):
        shutil.copy(REPO / "content" / name, root / "content" / name)
    seeds: dict[str, list] = {}
    wanted = [("cchc.procedures", "procedure", "procedures", 3), ("cchc.plans", "plan", "plans", 2)]
    for module, kind, folder, n in wanted:
        if module not in MODULES:
            continue
        chosen = []
        for path in sorted((REPO / folder).glob("*.yml"), key=lambda p: p.stat().st_size):
            if path.name.endswith(".en.yml") or path.name.startswith("9."):
                # Translations are overlays, not seeds; 9.xxxxxx is the sample's illustrative
                # abolished procedure (no steps, notes only), too thin to carry hostile prose.
                continue
            shutil.copy(path, root / folder / path.name)
            if loads_clean(root).has_errors():
                (root / folder / path.name).unlink()
                continue
            chosen.append((path.name, yaml.safe_load(path.read_text(encoding="utf-8")), ""))
            if len(chosen) == n:
                break
        if chosen:
            seeds[kind] = chosen
    # The news seed names procedure 1.014332 and a plan; drop what the base lacks.
    seed_text = (FIXTURES / "news-seed.md").read_text(encoding="utf-8")
    if not (root / "procedures" / "1.014332.yml").exists():
        seed_text = seed_text.replace('tthc_lien_quan: ["1.014332"]', "tthc_lien_quan: []").replace(
            "[thủ tục](../../procedures/1.014332.yml)", "thủ tục")
    if not (root / "plans" / "kh-429-syt-da-nang-2017.yml").exists():
        seed_text = seed_text.replace("ke_hoach:\n  - {ke_hoach: kh-429-syt-da-nang-2017}\n", "ke_hoach: []\n")
    (root / "content" / "tin-tuc" / "2026-03-10-seed.md").write_text(seed_text, encoding="utf-8")
    seeds["news"] = [("news-seed.md", *split_news(seed_text))]
    return seeds


KIND_DIRS = {"news": "content/tin-tuc", "procedure": "procedures", "plan": "plans"}
ID_FIELD = {"procedure": "ma_tthc", "plan": "id"}


def doc_paths(doc, prefix=()):
    """Every path into a nested dict/list document (containers and leaves), root excluded."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield prefix + (k,), v
            yield from doc_paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield prefix + (i,), v
            yield from doc_paths(v, prefix + (i,))


def get_parent(doc, path):
    node = doc
    for p in path[:-1]:
        node = node[p]
    return node


def dump(doc) -> str:
    try:
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10**6)
    except (yaml.YAMLError, ValueError, UnicodeError):
        return yaml.safe_dump(doc, allow_unicode=False, sort_keys=False, width=10**6)


def _prosedoc_paths(doc) -> list[tuple]:
    return [p for p, v in doc_paths(doc) if isinstance(v, str) and " " in v.strip()]


def poison(doc, paths, pick):
    doc = copy.deepcopy(doc)
    for path in paths:
        parent = get_parent(doc, path)
        parent[path[-1]] = parent[path[-1]] + " " + pick(path)
    return doc


def dotted_path(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def hostile_file(kind, name, doc, body) -> tuple[str, str, object]:
    """(relative path, text, doc) of a seed rewritten in place (same id, same file name)."""
    if kind == "news":
        doc = dict(doc, slug="tin-doc-hai")
        doc.pop("id", None)
        return "content/tin-tuc/2026-06-01-hostile.md", f"---\n{dump(doc)}---\n\n{body}\n", doc
    return f"{KIND_DIRS[kind]}/{name}", dump(doc), doc


def calibrate(root: Path, kind: str, name: str, doc, body) -> list[tuple]:
    """The prose values of a seed that take hostile text without breaking a rule of their own.

    Some values with spaces are structured (dates, plan timings like 'Hàng tháng'): poison
    everything, then spare each value an error names, until the file loads cleanly.
    """
    paths = _prosedoc_paths(doc)
    longest = max(HOSTILE_PROSE, key=len)
    for _ in range(6):
        rel, text, _ = hostile_file(kind, name, poison(doc, paths, lambda p: longest), body)
        target = root / rel
        backup = target.read_bytes() if target.exists() else None
        target.write_text(text, encoding="utf-8")
        try:
            problems = loads_clean(root)
        finally:
            target.unlink()
            if backup is not None:
                target.write_bytes(backup)
        mine = [p for p in problems.errors if p.path == rel]
        if not problems.has_errors():
            return paths
        named = {p.field for p in mine}
        kept = [p for p in paths if dotted_path(p) not in named and not any(dotted_path(p).startswith(f + ".") or dotted_path(p).startswith(f + "[") for f in named)]
        if len(kept) == len(paths):
            return []  # errors this method cannot attribute: leave the seed out
        paths = kept
    return []


