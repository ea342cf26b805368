#!/usr/bin/env python3
"""Search benchmark: Material's lunr (stock and with a folded field), Pagefind, and ours.

    .venv/bin/python scripts/bench_search.py              # 5,000 news + 1,000 procedures
    .venv/bin/python scripts/bench_search.py --small      # 500 + 100, a quick run
    .venv/bin/python scripts/bench_search.py --throttle 4 # also with the CPU slowed 4× (a cheap phone)

What it does, all in one run so that the figures are comparable:

1. generates a deterministic Vietnamese corpus (cchc.search.corpus) as a plain
   MkDocs + Material project, one Markdown page per item (5 % of items NFD, 10 %
   with the old tone placement), with a pruned navigation;
2. builds it once with `mkdocs build` in this process, timing the Material search
   plugin's own hooks, so "site build without search" = total − search plugin;
3. indexes the same built HTML with: a folded field added to Material's
   search_index.json (shared/anchors.md §1.2 option a), Pagefind 1.5.2 (content
   area only), and cchc.search (ours); each timed;
4. serves the site on 127.0.0.1 with gzip like a real host (cchc.search.benchserve)
   and drives headless Chromium (/usr/bin/chromium): for each engine and query, a
   fresh browser context opens a news page, types the query into the search box and
   waits for the first result; it records the gzipped bytes downloaded for search
   (on page view, and until the first result) and the time from typing to the first
   result.

Targets (issue 6): first result after ≤ 300 KB gzipped and < 1 s; indexing < 20 % of
the site build; reading a page downloads no index. Results go to
bench-out/search/<size>/results.json and a table on stdout; the figures of the last
full run are in the docstring of scripts/cchc/search/__init__.py. Pagefind
(pagefind[extended]==1.5.2, binary inside the wheel) is installed on first use. The full
size takes about an hour on 2 cores, mostly Material's in-browser index builds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from cchc.search.benchserve import Server  # noqa: E402
from cchc.search.corpus import generate  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

QUERIES = [
    "thu tuc hanh chinh",
    "giay chung sinh",
    "kham suc khoe",
    "thủ tục hành chính",
    unicodedata.normalize("NFD", "bảo hiểm y tế"),
    "hoà giải",
    "1.014331",
    "1014331",
    "BHYT",
    "ho so benh an",
]


# --- 1. corpus as a plain MkDocs project --------------------------------------------
def write_project(root: Path, items, stock: bool) -> None:
    docs = root / "docs"
    if root.exists():
        shutil.rmtree(root)
    (docs / "tin-tuc").mkdir(parents=True)
    (docs / "thu-tuc").mkdir(parents=True)
    (docs / "index.md").write_text("# Cải cách hành chính\n\nTrang chủ chuyên mục.\n", encoding="utf-8")
    (docs / "tin-tuc" / "index.md").write_text("# Tin tức\n\nDanh sách tin.\n", encoding="utf-8")
    (docs / "thu-tuc" / "index.md").write_text("# Thủ tục hành chính\n\nDanh mục thủ tục.\n", encoding="utf-8")
    for it in items:
        folder = "tin-tuc" if it.kind == "news" else "thu-tuc"
        parts = [f"---\ndescription: {json.dumps(it.summary, ensure_ascii=False)}\n---\n", f"# {it.title}\n", f"*{it.summary}*\n"]
        if it.code:
            parts.append(f"Mã thủ tục: **{it.code}**\n")
        for h, ps in it.sections:
            if h:
                parts.append(f"## {h}\n")
            parts.extend(p + "\n" for p in ps)
        (docs / folder / f"{it.slug}.md").write_text("\n".join(parts), encoding="utf-8")
    cfg = {
        "site_name": "CCHC – benchmark",
        "site_url": "https://bench.example/",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "vi", "font": False,
                  "features": ["navigation.tabs", "navigation.prune", "navigation.indexes"]},
        "nav": [{"Trang chủ": "index.md"}, {"Tin tức": "tin-tuc/index.md"}, {"Thủ tục": "thu-tuc/index.md"}],
        "not_in_nav": "/tin-tuc/*.md\n/thu-tuc/*.md\n",
        "plugins": [{"search": {"lang": "vi"}}],
        "markdown_extensions": ["attr_list", "tables", "toc"],
    }
    if not stock:
        over = root / "overrides"
        (over / "partials").mkdir(parents=True)
        (over / "assets" / "cchc").mkdir(parents=True)
        shutil.copy(REPO / "overrides" / "partials" / "search.html", over / "partials" / "search.html")
        for f in (REPO / "overrides" / "assets" / "cchc").glob("search*"):
            shutil.copy(f, over / "assets" / "cchc" / f.name)
        cfg["theme"]["custom_dir"] = "overrides"
    import yaml

    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")


_BUILD_DRIVER = r"""
import json, sys, time
from material.plugins.search import plugin as sp
spent = {"search_plugin": 0.0}
def timed(fn):
    def wrap(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            spent["search_plugin"] += time.perf_counter() - t
    return wrap
for name in ("on_config", "on_page_context", "on_post_build"):
    setattr(sp.SearchPlugin, name, timed(getattr(sp.SearchPlugin, name)))
from mkdocs.config import load_config
from mkdocs.commands.build import build
t = time.perf_counter()
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
build(cfg)
spent["total"] = time.perf_counter() - t
print("BENCH " + json.dumps(spent))
"""


def mkdocs_build(root: Path, site: Path) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-c", _BUILD_DRIVER, str(root / "mkdocs.yml"), str(site)],
                          cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH "))
    return json.loads(line[6:])


# --- 3. indexers ---------------------------------------------------------------------
def folded_variant(site: Path) -> tuple[float, Path]:
    """Material's index plus a `folded` field (NFC, marks stripped, đ→d): anchors §1.2 option a."""
    from cchc.text import fold, nfc

    t = time.perf_counter()
    src = site / "search" / "search_index.json"
    data = json.loads(src.read_text(encoding="utf-8"))
    for d in data["docs"]:
        d["title"] = nfc(d.get("title", ""))
        d["text"] = nfc(d.get("text", ""))
        d["folded"] = fold(d["title"] + " " + d["text"])
    data["config"]["fields"] = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0},
                                "folded": {"boost": 0.5}}
    out = site / "search" / "search_index.folded.json"
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return time.perf_counter() - t, out


# Only the benchmark uses Pagefind (the site does not), so it is installed here on
# first use, pinned, rather than in requirements.txt: the PyPI wheel ships the binary.
PAGEFIND = "pagefind[extended]==1.5.2"


def pagefind_index(site: Path) -> float:
    import importlib.util

    if importlib.util.find_spec("pagefind") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", PAGEFIND], check=True)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", "article.md-content__inner",
                           "--quiet"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    return time.perf_counter() - t


def ours_index(site: Path, items) -> tuple[float, dict]:
    """cchc.search over the built HTML, as the module's post_build does it (cold: no cache)."""
    from cchc.search import count_pages
    from cchc.search.index import build
    from cchc.search.synonyms import merge

    t = time.perf_counter()
    jobs = []
    for it in items:
        url = ("tin-tuc/" if it.kind == "news" else "thu-tuc/") + it.slug + "/"
        meta = {"url": url, "kind": it.kind, "title": unicodedata.normalize("NFC", it.title), "lead": it.summary,
                "date": it.date.isoformat(), "code": it.code or "", "keywords": []}
        jobs.append((meta, (site / url / "index.html").read_bytes()))
    built = build(count_pages(jobs), merge(None), "vi")
    built.write(str(site))
    return time.perf_counter() - t, {"docs": built.docs, "keys": built.keys, "bytes": built.total_bytes, "files": len(built.files)}


_REAL_DRIVER = r"""
import json, sys, time
from mkdocs.config import load_config
from mkdocs.commands.build import build
t = time.perf_counter()
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
build(cfg)
total = time.perf_counter() - t
stats = cfg.plugins["cchc"].site.data["search"]["stats"]
print("BENCH " + json.dumps({"total": total, "search": stats}))
"""


def real_pipeline(size: str, work: Path) -> dict:
    """This project's own build (scripts/bench/corpus.py, real news/procedure/plan formats): search's share."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("cchc_bench_corpus", REPO / "scripts" / "bench" / "corpus.py")
    bench_corpus = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench_corpus  # its dataclasses look themselves up there
    spec.loader.exec_module(bench_corpus)

    root = work / "cchc"
    data = bench_corpus.build(size)
    if root.exists():
        shutil.rmtree(root)
    bench_corpus.write_cchc(data, str(root), procedure_links=bench_corpus.procedures_module_registered())
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CCHC_NOW=bench_corpus.NOW, PYTHONHASHSEED="0")
    out = {}
    for run in ("cold", "warm"):
        if run == "cold":
            shutil.rmtree(root / ".cache", ignore_errors=True)
        proc = subprocess.run([sys.executable, "-c", _REAL_DRIVER, str(root / "mkdocs.yml"), str(root / "site")],
                              cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stdout + proc.stderr)
        out[run] = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH "))[6:])
    return out


# --- 4. browser ----------------------------------------------------------------------
_PF_PROBE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>pagefind probe</title></head><body>
<script type="module">
window.runq = async (q) => {
  const t0 = performance.now();
  const pf = await import('/pagefind/pagefind.js');
  const r = await pf.search(q);
  const first = r.results.length ? await r.results[0].data() : null;
  return {n: r.results.length, ms: performance.now() - t0, first: first && first.meta.title};
};
window.ready = true;
</script></body></html>"""


_DONE_JS = """() => !!document.querySelector('.md-search-result__item .md-search-result__link')
  || document.querySelector('[data-cchc-search-state=empty]') !== null
  || /Không tìm thấy|No matching/.test((document.querySelector('.md-search-result__meta') || {}).textContent || '')"""


def _search_bytes(hits, engine: str) -> int:
    def is_search(p: str) -> bool:
        if engine in ("material", "folded"):
            return p.startswith("/search/") or "/workers/" in p or "/lunr/" in p
        if engine == "pagefind":
            return p.startswith("/pagefind/")
        return p.startswith("/search/cchc/") or "/assets/cchc/search" in p

    return sum(h.wire_bytes for h in hits if is_search(h.path))


def browse(site: Path, stock_site: Path, page_url: str, queries: list[str], throttle: float | None,
           engines: list[str] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    engines = engines or ["ours", "material", "folded", "pagefind"]
    results: dict[str, list[dict]] = {e: [] for e in engines}
    probe = site / "pagefind-probe.html"
    probe.write_text(_PF_PROBE, encoding="utf-8")
    folded = site / "search" / "search_index.folded.json"
    full_index = site / "search" / "search_index.json"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def new_page(ctx):
            page = ctx.new_page()
            if throttle:
                cdp = ctx.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
            return page

        for engine in engines:
            if engine in ("material", "folded"):
                root, overrides = stock_site, {"/search/search_index.json": str(folded if engine == "folded" else full_index)}
            else:
                root, overrides = site, {}
            with Server(str(root), overrides=overrides) as srv:
                for q in queries:
                    ctx = browser.new_context()
                    page = new_page(ctx)
                    m0 = srv.log.mark()
                    if engine == "pagefind":
                        page.goto(srv.url + "pagefind-probe.html")
                        page.wait_for_function("window.ready")
                        m1 = srv.log.mark()
                        r = page.evaluate("q => runq(q)", q)
                        hits = srv.log.since(m1)
                        results[engine].append({"q": q, "n": r["n"], "first": r["first"], "ms": round(r["ms"]),
                                                "view_kb": 0.0, "kb": round(_search_bytes(hits, engine) / 1024, 1)})
                        ctx.close()
                        continue
                    url = srv.url + (page_url if engine == "ours" else "")
                    page.goto(url, wait_until="load")
                    page.wait_for_timeout(300)
                    view = _search_bytes(srv.log.since(m0), engine)
                    t0 = time.perf_counter()
                    page.keyboard.press("/")
                    page.fill(".md-search__input", q)
                    first = None
                    try:
                        # a result, or the engine's "nothing found" (Material's translation / our state)
                        page.wait_for_function(_DONE_JS, timeout=60_000)
                        ms = (time.perf_counter() - t0) * 1000
                        n = page.inner_text(".md-search-result__meta")
                        if page.query_selector(".md-search-result__item h1"):
                            first = page.inner_text(".md-search-result__item h1")
                    except Exception:
                        ms, n = None, "timeout"
                    total = _search_bytes(srv.log.since(m0), engine)
                    results[engine].append({"q": q, "n": n, "first": first, "ms": round(ms) if ms else None,
                                            "view_kb": round(view / 1024, 1), "kb": round(total / 1024, 1)})
                    ctx.close()
        browser.close()
    probe.unlink()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="500 news + 100 procedures")
    ap.add_argument("--news", type=int)
    ap.add_argument("--procedures", type=int)
    ap.add_argument("--throttle", type=float, help="also measure with the CPU slowed down this many times")
    ap.add_argument("--out", default=str(REPO / "bench-out" / "search"))
    ap.add_argument("--skip-build", action="store_true", help="reuse the last MkDocs build of this size (indexers still run)")
    ap.add_argument("--no-browser", action="store_true", help="build and index only")
    ap.add_argument("--no-real", action="store_true", help="skip this project's own build (real formats)")
    ap.add_argument("--browser-only", action="store_true", help="reuse the last builds and indexes; measure in the browser")
    ap.add_argument("--engines", default="ours,material,folded,pagefind", help="engines to drive in the browser")
    args = ap.parse_args()
    n_news = args.news or (500 if args.small else 5000)
    n_proc = args.procedures or (100 if args.small else 1000)
    out = Path(args.out) / f"{n_news}-{n_proc}"
    out.mkdir(parents=True, exist_ok=True)
    items = generate(n_news, n_proc)
    site, stock_site = out / "site", out / "site-stock"
    report: dict = {"news": n_news, "procedures": n_proc, "queries": QUERIES}
    if args.browser_only and (out / "build.json").is_file():
        report.update({k: v for k, v in json.loads((out / "build.json").read_text(encoding="utf-8")).items()
                       if k not in ("news", "procedures", "queries")})
    elif not args.skip_build or not (out / "build.json").is_file():
        print(f"corpus: {n_news} news + {n_proc} procedures; building (this takes a while at full size)…", flush=True)
        write_project(out / "src", items, stock=False)
        report["build"] = mkdocs_build(out / "src", site)
        write_project(out / "src-stock", items[:3], stock=True)  # page shell for the stock UI; its index is replaced
        mkdocs_build(out / "src-stock", stock_site)
    else:
        report["build"] = json.loads((out / "build.json").read_text(encoding="utf-8"))["build"]
    if not args.browser_only:
        index_all(args, report, out, site, items, n_news, n_proc)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    measure(args, report, out, site, stock_site, items, engines)


def index_all(args, report, out, site, items, n_news, n_proc) -> None:
    report["folded_s"], _ = folded_variant(site)
    report["pagefind_s"] = pagefind_index(site)
    report["ours_s"], report["ours_index"] = ours_index(site, items)
    if not args.no_real and (n_news, n_proc) in ((500, 100), (5000, 1000)):
        print("this project's own build (real formats), cold then warm…", flush=True)
        report["real"] = real_pipeline("small" if n_news == 500 else "large", out / "real")
    (out / "build.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def measure(args, report, out, site, stock_site, items, engines) -> None:
    def gz(path: Path) -> int:
        import gzip

        return len(gzip.compress(path.read_bytes(), 6))

    idx = site / "search" / "search_index.json"
    report["sizes_kb"] = {
        "material_index_raw": round(idx.stat().st_size / 1024), "material_index_gz": round(gz(idx) / 1024),
        "folded_index_raw": round((site / "search" / "search_index.folded.json").stat().st_size / 1024),
        "folded_index_gz": round(gz(site / "search" / "search_index.folded.json") / 1024),
        "pagefind_total": round(sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file()) / 1024),
        "ours_total_gz": round(sum(gz(f) for f in (site / "search" / "cchc").rglob("*.json")) / 1024),
    }
    page_url = "tin-tuc/" + next(i.slug for i in items if i.kind == "news") + "/"
    if not args.no_browser:
        report["browser"] = browse(site, stock_site, page_url, QUERIES, None, engines)
    if args.throttle and not args.no_browser:
        report[f"browser_throttle_{args.throttle:g}x"] = browse(site, stock_site, page_url, QUERIES, args.throttle, engines)
    (out / "results.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print_report(report)


def print_report(r: dict) -> None:
    b = r["build"]
    base = b["total"] - b["search_plugin"]
    if "ours_s" not in r:
        return
    print(f"\nCorpus: {r['news']} news + {r['procedures']} procedures")
    print(f"Site build without search: {base:.1f} s (mkdocs build, Material, pruned nav)")
    for name, s in (("Material search plugin", b["search_plugin"]), ("  + folded field", b["search_plugin"] + r["folded_s"]),
                    ("Pagefind 1.5.2", r["pagefind_s"]), ("cchc.search (ours)", r["ours_s"])):
        print(f"  index {name:24s} {s:7.1f} s  = {100 * s / base:5.1f} % of the site build")
    print("Index sizes (KB):", json.dumps(r["sizes_kb"]))
    if "real" in r:
        for run, x in r["real"].items():
            sec = x["search"]["seconds"]
            print(f"This project's build ({run}): {x['total']:.1f} s, of which search index {sec:.1f} s = "
                  f"{100 * sec / x['total']:.1f} % ({x['search']['docs']} pages, {x['search']['counted']} read afresh)")
    for key in [k for k in r if k.startswith("browser")]:
        print(f"\n{key}: KB gz downloaded for search until the first result (on page view) / ms to first result")
        engines = list(r[key])
        print(f"{'query':24s}" + "".join(f"{e:>24s}" for e in engines))
        for i, q in enumerate(r["queries"]):
            row = f"{unicodedata.normalize('NFC', q)[:22]:24s}"
            for e in engines:
                x = r[key][e][i]
                row += f"{x['kb']:>9.0f} ({x['view_kb']:>5.0f}) {str(x['ms']):>7s}ms"
            print(row)
        for e in engines:
            ms = [x["ms"] for x in r[key][e] if x["ms"] is not None]
            kb = [x["kb"] for x in r[key][e]]
            if ms:
                print(f"  {e:10s} median {statistics.median(ms):7.0f} ms, max {max(ms):7.0f} ms; "
                      f"median {statistics.median(kb):7.0f} KB, max {max(kb):7.0f} KB")


if __name__ == "__main__":
    main()
