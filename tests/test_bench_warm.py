"""Warm builds (persistent cache, parallel rendering) write exactly what a cold build writes.

A site from the benchmark's generator (160 news items, 10 procedures, 1 plan) is
built with the real `mkdocs build`. Reuse is proven by poisoning one page of the
output folder and recording it as built: a build that keeps the page leaves the
poison; a build after a change of template, configuration or build date must not.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts" / "bench"))
import corpus  # noqa: E402
from run import same_tree  # noqa: E402

COUNTS = {"news": 160, "procedures": 10, "plans": 1}
NOW = corpus.NOW
POISON = b"<!-- stale cache entry -->"


def build(project: Path, site: Path, *, now: str = NOW, cache: bool = True, jobs: str | None = None,
          fragments: bool = True, env_extra: dict | None = None, fails: bool = False, verbose: bool = False) -> str:
    env = dict(os.environ, CCHC_NOW=now, NO_MKDOCS_2_WARNING="1", CCHC_CACHE="1" if cache else "0",
               CCHC_FRAGMENTS="1" if fragments else "0", **(env_extra or {}))
    env.pop("SOURCE_DATE_EPOCH", None)
    if jobs:
        env["CCHC_JOBS"] = jobs
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-v" if verbose else "-q", "-d", str(site)],
                          cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert (proc.returncode != 0) == fails, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@pytest.fixture()
def bench_site(tmp_path) -> Path:
    data = corpus.build("test", counts=COUNTS)
    root = tmp_path / "cchc"
    corpus.write_cchc(data, str(root), procedure_links=corpus.procedures_module_registered())
    # A private copy of the templates, so a test can change one.
    os.remove(root / "overrides")
    shutil.copytree(REPO / "overrides", root / "overrides")
    return root


INDEX = 11  # the news item whose page the cache test watches
UNLINKED = 5  # a news item no other item links to (it can be removed)


def _news_page(site: Path, index: int = INDEX) -> Path:
    from cchc.text import slugify

    meta = corpus.build("test", counts=COUNTS).news[index].meta
    page = site / corpus.NEWS_DIR / (meta.get("slug") or slugify(meta["title"])) / "index.html"
    assert page.is_file(), page
    return page


def _poison(project: Path, site: Path, rel: str) -> None:
    """Append POISON to a built page and record the poisoned file as what the build wrote:
    a build that keeps the page (unchanged key) leaves the poison in place."""
    page = site / rel
    page.write_bytes(page.read_bytes() + POISON)
    st = page.stat()
    db = sqlite3.connect(project / ".cache" / "cchc" / "cache.sqlite")
    assert db.execute("SELECT k FROM pages WHERE path = ?", (rel,)).fetchone() is not None, \
        f"{rel} is not in the page cache"
    db.execute("UPDATE pages SET size = ?, mtime = ? WHERE path = ?", (st.st_size, st.st_mtime_ns, rel))
    db.commit()
    db.close()


def test_warm_rebuilds_after_changes_equal_a_cold_build(bench_site, tmp_path):
    warm = tmp_path / "warm"
    build(bench_site, warm)
    assert (bench_site / ".cache" / "cchc" / "cache.sqlite").is_file()
    # Change one news item's text, one procedure and add a news item, then rebuild warm.
    news = Path(corpus.news_path(str(bench_site)))
    news.write_text(news.read_text("utf-8") + "\nMột câu mới được thêm vào tin.\n", "utf-8")
    proc = Path(corpus.procedure_path(str(bench_site)))
    text = proc.read_text("utf-8").replace("so_bo_ho_so: 01 bộ", "so_bo_ho_so: 02 bộ")
    assert "02 bộ" in text
    proc.write_text(text, "utf-8")
    extra = corpus.make_news(999, corpus.SEED, corpus.UNIT, COUNTS["procedures"], [])
    extra.meta = {"title": extra.meta["title"], "slug": "tin-them-cho-lan-build-am",
                  **{k: v for k, v in extra.meta.items() if k != "title"}}
    (news.parent / extra.filename).write_text(corpus.news_source(extra), "utf-8")
    # Remove another item: its page, kept from the previous build, must go.
    gone = Path(corpus.news_path(str(bench_site), UNLINKED))
    gone_page = _news_page(warm, UNLINKED)
    gone.unlink()
    # Files nobody builds any more, and a hidden file a deploy step added, in the output.
    (warm / "cu.txt").write_text("old", "utf-8")
    (warm / corpus.NEWS_DIR / "tin-cu").mkdir()
    (warm / corpus.NEWS_DIR / "tin-cu" / "index.html").write_text("old", "utf-8")
    (warm / ".nojekyll").write_text("", "utf-8")
    build(bench_site, warm)
    assert not gone_page.exists() and not gone_page.parent.exists()
    assert (warm / ".nojekyll").exists()  # MkDocs keeps hidden entries of the output folder
    (warm / ".nojekyll").unlink()
    cold = tmp_path / "cold"
    build(bench_site, cold, cache=False, jobs="1")
    assert same_tree(str(warm), str(cold)) == []
    assert any("Một câu mới được thêm vào tin." in p.read_text("utf-8")
               for p in (warm / corpus.NEWS_DIR).glob("*/index.html"))


def _html_times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def test_a_rebuild_later_the_same_day_renders_only_the_plan_pages_that_show_the_time(bench_site, tmp_path):
    """Every plan page was rendered on every build: a task points to its parent row and a
    quota to its tasks and back, a cycle that a page key (pickled without a memo) cannot
    write, so no plan page had a key; and the report pages held the build's time though
    they show none. Now only the progress pages ("figures as of 30/06/2026 15:45") are."""
    site = tmp_path / "site"
    build(bench_site, site)
    before = _html_times(site)
    time.sleep(0.05)
    build(bench_site, site, now="2026-06-30 15:45")
    after = _html_times(site)
    plan_pages = sorted(p for p in before if p.startswith("ke-hoach/") and p != "ke-hoach/index.html")
    changed = [p for p in plan_pages if after[p] != before[p]]
    reports = [p for p in plan_pages if "/bao-cao/" in p]
    progress = [p for p in plan_pages if p.endswith("/tien-do/index.html")]
    assert reports and progress and len(plan_pages) > len(reports) + len(progress)
    assert changed == progress
    assert "15:45" in (site / progress[0]).read_text("utf-8")
    cold = tmp_path / "cold"
    build(bench_site, cold, now="2026-06-30 15:45", cache=False, jobs="1")
    assert same_tree(str(site), str(cold)) == []


def _replace_line(path: Path, prefix: str, new: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines[at] = new
    path.write_text("\n".join(lines), "utf-8")


def test_each_kind_of_edit_keeps_only_pages_that_do_not_show_it(bench_site, tmp_path):
    """The edits staff make every day, one at a time, each followed by a warm build that
    must write what a cold build writes, and keep the pages that do not show the edit.

    Until page keys followed the items a page reaches (cchc.buildcache), a new item or an
    edited title rendered the whole site again; a key that missed a dependency would
    leave a stale page here (a procedure page listing a news title, a news page naming a
    procedure or a plan, a page linking to a renamed item)."""
    from cchc.text import slugify

    data = corpus.build("test", counts=COUNTS)
    docs = data.news
    linked_by = {}  # news index -> indexes of the items whose body links to it
    for d in docs:
        for t in docs:
            if f"]({t.filename})" in d.body:
                linked_by.setdefault(t.index, []).append(d.index)
    # An item whose URL comes from its title, named by a procedure's page and linked by another item.
    titled = next(d for d in docs if "slug" not in d.meta and d.meta.get("tthc_lien_quan") and linked_by.get(d.index)
                  and not d.meta.get("draft"))
    code = titled.meta["tthc_lien_quan"][0]
    gone = next(d for d in docs if d.meta.get("tthc_lien_quan") and not linked_by.get(d.index)
                and d.index != titled.index and not d.meta.get("draft"))
    plan_id = next(d.meta["ke_hoach"][0]["ke_hoach"] for d in docs if d.meta.get("ke_hoach"))
    news_dir = Path(corpus.news_path(str(bench_site))).parent

    def retitle():
        _replace_line(news_dir / titled.filename, "title: ", f"title: {titled.meta['title']} (bản sửa)")

    def summary():
        _replace_line(news_dir / titled.filename, "summary: ", "summary: Tóm tắt mới của tin sau khi biên tập.")

    def rename_procedure():
        _replace_line(Path(corpus.procedure_path(str(bench_site), int(code.split(".")[1]) - 900000)), "ten: ",
                      "ten: Thủ tục được đổi tên để thử lần build lại")

    def rename_plan():
        plan = bench_site / "plans" / f"{plan_id}.yml"
        _replace_line(plan, "ten: ", "ten: Kế hoạch truyền thông được đổi tên")

    def add_item():
        extra = corpus.make_news(999, corpus.SEED, corpus.UNIT, COUNTS["procedures"], [])
        extra.meta = {"title": "Tin mới đăng nêu một thủ tục", **{k: v for k, v in extra.meta.items() if k != "title"},
                      "tthc_lien_quan": [code]}
        (news_dir / extra.filename).write_text(corpus.news_source(extra), "utf-8")

    def remove_item():
        (news_dir / gone.filename).unlink()

    warm = tmp_path / "warm"
    build(bench_site, warm)
    total = len(_html_times(warm))
    assert total > 200
    # The least share of pages each edit must keep. On this small site a procedure is named
    # by a tenth of the news items, whose pages and lists show it; a new or removed item
    # moves every later page of the lists it is in.
    edits = [("title", retitle, 0.8), ("summary", summary, 0.8), ("procedure name", rename_procedure, 0.6),
             ("plan name", rename_plan, 0.8), ("new item", add_item, 0.6), ("removed item", remove_item, 0.6)]
    shares = {}
    for name, edit, least in edits:
        edit()
        before = _html_times(warm)
        build(bench_site, warm)
        after = _html_times(warm)
        kept = sum(1 for rel, t in after.items() if before.get(rel) == t)
        cold = tmp_path / "cold"
        build(bench_site, cold, cache=False, jobs="1")
        assert same_tree(str(warm), str(cold)) == [], name
        shutil.rmtree(cold)
        shares[name] = kept / len(after)
    print(shares)
    for name, _, least in edits:
        assert shares[name] >= least, shares
    page = warm / corpus.NEWS_DIR / slugify(titled.meta["title"] + " (bản sửa)") / "index.html"
    assert "Tóm tắt mới" in page.read_text("utf-8")


def _declared(output: str) -> tuple[int, int] | None:
    """(pages kept by their declared keys, pages keyed exactly) from a `-v` build's log."""
    m = re.search(r"cchc: declared keys: (\d+) pages kept by them, (\d+) keyed exactly", output)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _edit_text_line(path: Path, key: str, rng: random.Random, words: str) -> bool:
    """Add `words` to a line of text inside the top-level block `key:` of a procedure file
    (a text value or a line of a block of text, not a number or a code); False if none."""
    lines = path.read_text("utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if line == f"{key}:" or line.startswith(f"{key}: ")), None)
    if start is None:
        return False
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()
                and not lines[i].startswith("- ")), len(lines))
    texty = [i for i in range(start, end)
             if re.search(r"(^\s*(- )?(\w+: )?|^\s+)[^\W\d_][^:#]* [^:#]*[\w.)]$", lines[i])
             and not re.search(r"(ma|so|ma_dvc|so_ky_hieu|url|ngay\w*|truong_hop|nhom|ban_chinh|ban_sao): ", lines[i])
             and not lines[i].rstrip().endswith(("|-", "|", ">"))]
    if not texty:
        return False
    at = rng.choice(texty)
    lines[at] = lines[at] + " " + words
    path.write_text("\n".join(lines), "utf-8")
    return True


def test_declared_keys_keep_only_pages_whose_exact_keys_did_not_change(bench_site, tmp_path):
    """Rebuilds after edits of texts keep pages by their declared keys (the files their items
    come from, and the site's structure: cchc.buildcache), without building their exact keys.
    Under CCHC_CHECK_KEYS=1 every such build computes the exact keys too and fails if a page
    kept by its declared key has changed: a declared key that missed something (a text
    another page copies, a file a page shows the size of, the time an item is published)
    would be caught here. The edits are drawn at random from every kind: texts of news items
    and of each procedure field only its own pages print, front matter, names, fees, a form
    file, an item published later in the day, a file touched without change."""
    from cchc.procedures import OWN_PAGE_FIELDS

    rng = random.Random(20261123)
    news_dir = Path(corpus.news_path(str(bench_site))).parent
    news = sorted(news_dir.glob("*.md"))
    procedures = sorted((bench_site / "procedures").glob("*.yml"))
    later = f"{NOW.split(' ')[0]} 15:00"  # the same day, after an item dated 14:00 is published
    form = bench_site / "content" / "bieu-mau" / "to-khai.docx"

    def body():
        path = rng.choice(news)
        text = path.read_text("utf-8")
        cut = text.rindex("\n\n")
        path.write_text(text[:cut] + "\n\nMột đoạn được biên tập lại, có **chữ đậm**." + text[cut:], "utf-8")
        return True

    def own_text():
        path, key = rng.choice(procedures), rng.choice(sorted(OWN_PAGE_FIELDS))
        return _edit_text_line(path, key, rng, "(đã cập nhật)")

    def front_matter():
        _replace_line(rng.choice(news), "summary: ", "summary: Tóm tắt được biên tập lại cho lần build thử.")
        return True

    def procedure_name():
        _replace_line(rng.choice(procedures), "ten: ", "ten: Thủ tục được đổi tên cho lần build thử")
        return True

    def fee():
        path = rng.choice(procedures)
        text = path.read_text("utf-8")
        m = re.search(r"so_tien: (\d+)", text)
        if not m:
            return False
        path.write_text(text.replace(m.group(0), f"so_tien: {int(m.group(1)) + 5000}", 1), "utf-8")
        return True

    def add_form():
        form.parent.mkdir(exist_ok=True)
        form.write_bytes(b"x" * 2048)
        path = procedures[0]
        text = path.read_text("utf-8")
        at = text.index("  giay_to:\n  - ten: ") + len("  giay_to:\n")
        line_end = text.index("\n", at)
        path.write_text(text[:line_end] + "\n    mau_don:\n    - ten: Tờ khai\n      tep: bieu-mau/to-khai.docx"
                        + text[line_end:], "utf-8")
        return True

    def grow_form():
        if not form.exists():
            return False
        form.write_bytes(b"x" * 300_000)  # "2 KB" becomes "293 KB" on the procedure's page
        return True

    def later_item():
        extra = corpus.make_news(998, corpus.SEED, corpus.UNIT, COUNTS["procedures"], [])
        extra.meta = {**extra.meta, "title": "Tin hẹn giờ đăng chiều nay", "slug": "tin-hen-gio",
                      "date": f"{NOW.split(' ')[0]} 14:00"}
        (news_dir / "2026-06-30-hen-gio.md").write_text(corpus.news_source(extra), "utf-8")
        return True

    def touch():
        os.utime(rng.choice(news + procedures))
        return True

    text_edits = [body, body, own_text, own_text, own_text, touch]
    other_edits = [front_matter, procedure_name, fee, add_form, grow_form, later_item]
    edits = text_edits * 2 + other_edits
    rng.shuffle(edits)
    edits.remove(grow_form)
    edits.insert(edits.index(add_form) + 1, grow_form)  # the form grows after it was added

    warm = tmp_path / "warm"
    build(bench_site, warm)
    now = NOW
    used = 0
    for edit in edits:
        if not edit():
            continue
        if edit is later_item:
            build(bench_site, warm, now=now, env_extra={"CCHC_CHECK_KEYS": "1"})
            now = later  # the item is published: same day, later hour, no file changed
        out = build(bench_site, warm, now=now, env_extra={"CCHC_CHECK_KEYS": "1"}, verbose=True)
        counts = _declared(out)
        if edit in (body, own_text, touch):
            assert counts is not None and counts[0] > counts[1], (edit.__name__, counts)
            used += 1
        elif edit is not add_form:  # a form added is a text of its procedure's own page
            assert counts is None or counts[0] == 0, (edit.__name__, counts)
    assert used >= 10
    cold = tmp_path / "cold"
    build(bench_site, cold, now=now, cache=False, jobs="1")
    assert same_tree(str(warm), str(cold)) == []
    assert "Tin hẹn giờ đăng chiều nay" in (warm / corpus.NEWS_DIR / "index.html").read_text("utf-8")
    assert any("293" in p.read_text("utf-8") for p in (warm / "thu-tuc").glob("*/index.html"))


def _views_built(output: str) -> tuple[int, int]:
    """(procedure views built in on_config, deferred to the pages rendered) from a `-v` build's log."""
    m = re.search(r"cchc: procedure views: (\d+) built, (\d+) deferred", output)
    assert m, output[-3000:]
    return int(m.group(1)), int(m.group(2))


def test_procedure_views_wait_for_the_pages_rendered_and_their_problems_still_stop_the_build(bench_site, tmp_path):
    """A rebuild builds the view (texts converted, dossier, QR code) of a procedure only for
    the pages it renders; a view's problems are known without it only while its file and the
    targets of its links are the same. Here a procedure's note links a news item, which then
    goes: the link is broken and the build must stop, naming the file, line and field."""
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    n = COUNTS["procedures"]
    news = Path(corpus.news_path(str(bench_site), UNLINKED))
    saved = news.read_text("utf-8")
    proc = Path(corpus.procedure_path(str(bench_site), 1))
    target = news.relative_to(bench_site / "content").as_posix()
    text = proc.read_text("utf-8")
    assert "\nghi_chu:" not in text
    proc.write_text(text + f"ghi_chu: 'Xem [tin liên quan](/{target}).'\n", "utf-8")
    note_line = len(text.split("\n"))
    assert _views_built(build(bench_site, warm, verbose=True)) == (n, 0)

    def stored_texts() -> int:
        with sqlite3.connect(bench_site / ".cache" / "cchc" / "cache.sqlite") as db:
            return db.execute("SELECT count(*) FROM md").fetchone()[0]

    texts = stored_texts()
    assert _views_built(build(bench_site, warm, verbose=True)) == (0, n)
    assert stored_texts() == texts  # the texts of views not built stay for the build that needs them
    page = warm / "thu-tuc" / proc.stem.replace(".", "-") / "index.html"
    assert f'href="../../{corpus.NEWS_DIR}/' in page.read_text("utf-8")

    news.unlink()
    out = build(bench_site, warm, verbose=True, fails=True)
    assert _views_built(out) == (1, n - 1)
    assert f"procedures/{proc.name}:{note_line}: ghi_chu" in out, out[-3000:]

    news.write_text(saved, "utf-8")
    build(bench_site, warm)
    # An emptied output folder with a warm cache (a CI job that keeps only the cache): every
    # page is rendered, from views built before the rendering workers fork.
    shutil.rmtree(warm)
    assert _views_built(build(bench_site, warm, verbose=True)) == (0, n)
    build(bench_site, cold, cache=False)
    assert same_tree(str(warm), str(cold)) == []


def _parts(project: Path) -> dict:
    """{output path: {part id: (basis URL, basis key, HTML)}} as the build cache stores them."""
    import pickle
    import zlib

    with sqlite3.connect(project / ".cache" / "cchc" / "cache.sqlite") as db:
        return {path: pickle.loads(zlib.decompress(raw)) for path, raw in db.execute("SELECT path, v FROM parts")}


def _set_parts(project: Path, path: str, parts: dict) -> None:
    import pickle
    import zlib

    with sqlite3.connect(project / ".cache" / "cchc" / "cache.sqlite") as db:
        db.execute("UPDATE parts SET v = ? WHERE path = ?", (zlib.compress(pickle.dumps(parts)), path))


def test_print_sheets_are_kept_while_their_procedure_page_is_the_same(bench_site, tmp_path):
    """A print page holds the sheet of each procedure of its list (a Sở Y tế's field: 300). A
    rebuild after one procedure's text renders the page again from the other sheets as the
    last build stored them, without building their views (cchc.buildcache, "parts of pages").
    A sheet stored with a mark proves it: the mark stays while its procedure's page is the
    same, and goes when that procedure changes."""
    rng = random.Random(5)
    warm = tmp_path / "warm"
    build(bench_site, warm)
    page = "thu-tuc/in/index.html"  # every procedure in full: the sample has fewer than PRINT_ALL_LIMIT
    parts = _parts(bench_site)[page]
    assert len(parts) >= 3
    paths = [Path(corpus.procedure_path(str(bench_site), i)) for i in range(1, COUNTS["procedures"] + 1)]

    def part_of(path: Path):
        url = f"thu-tuc/{path.stem.replace('.', '-')}/"
        return next((pid for pid in parts if pid[0] == url), None)

    listed = [p for p in paths if part_of(p) is not None]
    a, b = listed[0], listed[1]
    mark = "<!-- sheet kept from the last build -->"
    basis, key, html = parts[part_of(b)]
    _set_parts(bench_site, page, {**parts, part_of(b): (basis, key, html + mark)})

    assert _edit_text_line(a, "yeu_cau_dieu_kien", rng, "Câu mới của thủ tục thứ nhất.")
    out = build(bench_site, warm, verbose=True)
    m = re.search(r"cchc: parts of pages: (\d+) kept from the last build, (\d+) rendered", out)
    assert m and int(m.group(1)) >= len(parts) - 1 and int(m.group(2)) >= 1, out[-3000:]
    assert _views_built(out)[0] == 1  # the edited procedure's: the kept sheets need none
    html = (warm / page).read_text("utf-8")
    assert mark in html and "Câu mới của thủ tục thứ nhất." in html

    assert _edit_text_line(b, "yeu_cau_dieu_kien", rng, "Câu mới của thủ tục thứ hai.")
    build(bench_site, warm)
    html = (warm / page).read_text("utf-8")
    assert mark not in html and "Câu mới của thủ tục thứ hai." in html
    cold = tmp_path / "cold"
    build(bench_site, cold, cache=False, jobs="1")
    assert same_tree(str(warm), str(cold)) == []


def test_checked_builds_still_compare_pages_rendered_again_by_their_declared_keys(bench_site, tmp_path):
    """A page rendered again by its declared key records no exact key (`DECLARED_ONLY`), so
    CCHC_CHECK_KEYS=1 compares it in later builds with the exact key the last checked build
    computed. A wrong exact key planted there must stop the next checked build."""
    import pickle

    rng = random.Random(3)
    warm = tmp_path / "warm"
    build(bench_site, warm)
    proc = Path(corpus.procedure_path(str(bench_site), 1))
    assert _edit_text_line(proc, "yeu_cau_dieu_kien", rng, "Câu được thêm khi thử.")
    build(bench_site, warm, env_extra={"CCHC_CHECK_KEYS": "1"})
    page = f"thu-tuc/{proc.stem.replace('.', '-')}/index.html"
    with sqlite3.connect(bench_site / ".cache" / "cchc" / "cache.sqlite") as db:
        assert db.execute("SELECT k FROM pages WHERE path = ?", (page,)).fetchone()[0].startswith("declared:")
    build(bench_site, warm, env_extra={"CCHC_CHECK_KEYS": "1"})  # nothing changed: the check passes
    side = bench_site / ".cache" / "cchc" / "checked-keys.pickle"
    data = pickle.loads(side.read_bytes())
    assert page in data["keys"]
    data["keys"][page] = "0" * 40
    side.write_bytes(pickle.dumps(data))
    out = build(bench_site, warm, env_extra={"CCHC_CHECK_KEYS": "1"}, fails=True)
    assert "pages kept by their declared keys have changed" in out and page in out, out[-2000:]


def test_declared_keys_on_the_sample_site_with_translations(tmp_path):
    """The sample site has what the benchmark corpus lacks: English procedure pages that show
    Vietnamese texts their translation does not give, English news items inheriting from
    their Vietnamese twin, plans, feeds pages. Texts edited at random in Vietnamese and
    English files: every page kept by its declared key must have kept its exact key
    (CCHC_CHECK_KEYS=1), and the site must be what a cold build writes."""
    from cchc.procedures import OWN_PAGE_FIELDS

    project = tmp_path / "sample"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", ".cache", "build", "bench-results", "tests", "__pycache__"))
    now = "2026-11-22 09:00"
    rng = random.Random(7)
    translated = sorted(p for p in (project / "procedures").glob("*.en.yml"))
    assert translated
    pairs = [(p.with_name(p.name.replace(".en.yml", ".yml")), p) for p in translated]
    twins = [p for p in (project / "content" / "tin-tuc").glob("*.en.md")]
    assert twins
    warm = tmp_path / "warm"
    build(project, warm, now=now)
    done = 0
    for round_ in range(8):
        vi, en = rng.choice(pairs)
        path = rng.choice([vi, en])
        if round_ % 3 == 2:
            news = rng.choice(twins + [p.with_name(p.name.replace(".en.md", ".md")) for p in twins])
            news.write_text(news.read_text("utf-8").rstrip("\n") + "\n\nMột câu thêm vào khi thử.\n", "utf-8")
        elif not _edit_text_line(path, rng.choice(sorted(OWN_PAGE_FIELDS)), rng,
                                 "(edited)" if path is en else "(đã sửa)"):
            continue
        out = build(project, warm, now=now, env_extra={"CCHC_CHECK_KEYS": "1"}, verbose=True)
        counts = _declared(out)
        assert counts is not None and counts[0] > counts[1], counts
        done += 1
    assert done >= 5
    cold = tmp_path / "cold"
    build(project, cold, now=now, cache=False, jobs="1")
    assert same_tree(str(warm), str(cold)) == []


def test_parallel_rendering_writes_the_same_bytes(bench_site, tmp_path):
    """Two workers (parsing, Markdown, QR masks, pages, search counts) and the page
    fragments rendered once per folder write what one process rendering every page
    in full writes."""
    one, two = tmp_path / "one", tmp_path / "two"
    build(bench_site, one, cache=False, jobs="1", fragments=False)
    build(bench_site, two, cache=False, jobs="2")
    pages = len(list(two.rglob("*.html")))
    assert pages >= 200  # enough pages for two workers (fastbuild.MIN_PAGES_PER_JOB each)
    assert same_tree(str(one), str(two)) == []


def test_page_fragments_change_no_byte_of_the_sample_site(tmp_path):
    """The sample site has what the benchmark corpus lacks: English pages, plans,
    feeds pages, contact and home pages, pages in nested folders."""
    project = tmp_path / "sample"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", ".cache", "build", "bench-results", "tests", "__pycache__"))
    one, two = tmp_path / "one", tmp_path / "two"
    build(project, one, now="2026-11-22 09:00", cache=False, jobs="1", fragments=False)
    build(project, two, now="2026-11-22 09:00", cache=False, jobs="1")
    assert len(list(two.rglob("*.html"))) > 100
    assert same_tree(str(one), str(two)) == []


def test_cache_is_used_and_invalidated_by_template_config_and_date(bench_site, tmp_path):
    site = tmp_path / "site"
    build(bench_site, site)
    page = _news_page(site)
    rel = page.relative_to(site).as_posix()

    # Nothing changed: the page of the previous build is kept (the poison shows it).
    _poison(bench_site, site, rel)
    build(bench_site, site)
    assert page.read_bytes().endswith(POISON)

    # A template changed: everything is rendered again.
    tpl = bench_site / "overrides" / "cchc" / "news" / "item.html"
    tpl.write_text(tpl.read_text("utf-8") + "\n{# changed #}\n", "utf-8")
    build(bench_site, site)
    assert not page.read_bytes().endswith(POISON)

    # The configuration changed.
    _poison(bench_site, site, rel)
    cfg = bench_site / "mkdocs.yml"
    cfg.write_text(cfg.read_text("utf-8").replace("site_name: ", "site_name: Trang thử – ", 1), "utf-8")
    build(bench_site, site)
    assert not page.read_bytes().endswith(POISON)
    assert "Trang thử – " in page.read_text("utf-8")

    # Another build date.
    _poison(bench_site, site, rel)
    build(bench_site, site, now="2026-07-01 09:00")
    assert not page.read_bytes().endswith(POISON)

    # The item itself changed.
    _poison(bench_site, site, rel)
    build(bench_site, site, now="2026-07-01 09:00")
    assert page.read_bytes().endswith(POISON)  # same inputs again: reused
    src = Path(corpus.news_path(str(bench_site), INDEX))
    src.write_text(src.read_text("utf-8") + "\nĐoạn bổ sung.\n", "utf-8")
    build(bench_site, site, now="2026-07-01 09:00")
    assert not page.read_bytes().endswith(POISON)
    assert "Đoạn bổ sung." in page.read_text("utf-8")


def test_a_page_changed_in_the_output_folder_is_written_again(bench_site, tmp_path):
    """Only a page exactly as the previous build wrote it is kept."""
    site = tmp_path / "site"
    build(bench_site, site)
    page = _news_page(site)
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", POISON + b"</body>"))  # edited by hand, not recorded
    build(bench_site, site)
    assert page.read_bytes() == good
    assert not (site / ".cchc-prev").exists()
    page.write_bytes(good.replace(b"</body>", b"</BODY>"))  # same size, another time and content
    build(bench_site, site)
    assert page.read_bytes() == good


def _index_times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in (site / "search" / "cchc").rglob("*") if p.is_file()}


def test_search_index_files_are_kept_and_only_changed_ones_written(bench_site, tmp_path):
    """The last build's index files stay in the output folder (like unchanged pages); a
    rebuild writes the files whose bytes changed, replaces one edited by hand, and deletes
    the files no longer made and any other file in the index folder: the same tree as a
    cold build."""
    site = tmp_path / "site"
    build(bench_site, site)
    before = _index_times(site)
    assert len(before) > 20
    chunk = sorted((site / "search" / "cchc" / "vi" / "d").iterdir())[0]
    chunk.write_bytes(chunk.read_bytes()[:-1] + b" ")  # same size, edited by hand
    (site / "search" / "cchc" / "vi" / "t" / "cu.json").write_text("{}", "utf-8")  # not made by any build
    # A file of the docs folder that MkDocs copies into the index folder on every build: a
    # cold build's index replaces the folder, so a warm one must not keep it either.
    (bench_site / "content" / "search" / "cchc" / "vi").mkdir(parents=True)
    (bench_site / "content" / "search" / "cchc" / "vi" / "ghi-chu.txt").write_text("x", "utf-8")
    news = Path(corpus.news_path(str(bench_site)))
    news.write_text(news.read_text("utf-8") + "\nMột từ mới: khambenhtuxa.\n", "utf-8")
    build(bench_site, site)
    after = _index_times(site)
    kept = [p for p, t in after.items() if before.get(p) == t]
    written = [p for p in after if p not in kept]
    assert kept and written, (kept, written)
    assert "search/cchc/vi/vocab.json" in written  # same name, new bytes (a new word)
    assert chunk.relative_to(site).as_posix() in written
    assert len(kept) > len(written)  # one item's words touch a few shards
    assert any(p not in after for p in before)  # shards renamed by their new content are gone
    cold = tmp_path / "cold"
    build(bench_site, cold, cache=False)
    assert same_tree(str(site), str(cold)) == []
    assert not (site / "search" / "cchc" / "vi" / "ghi-chu.txt").exists()
    # Nothing changed: no index file is written again.
    out = build(bench_site, site, verbose=True)
    assert "kept ['en', 'vi']" in out
    assert _index_times(site) == after
    assert same_tree(str(site), str(cold)) == []
    assert not (site / "search" / "cchc" / "vi" / "ghi-chu.txt").exists()
    # Nothing changed, but an index file was edited in the output folder: it is written again.
    chunk.write_bytes(chunk.read_bytes()[:-1] + b" ")
    build(bench_site, site)
    assert same_tree(str(site), str(cold)) == []


def test_pages_copied_without_their_times_are_kept(bench_site, tmp_path):
    """A CI cache or a plain copy of the output folder changes the files' times, not their
    bytes: the pages are still kept (compared by content), not written again."""
    site = tmp_path / "site"
    build(bench_site, site)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, copy_function=shutil.copyfile)  # new modification times
    shutil.rmtree(site)
    copy.rename(site)
    page = _news_page(site)
    copied = page.stat().st_mtime_ns
    build(bench_site, site)
    assert page.stat().st_mtime_ns == copied  # moved back, not written again
    cold = tmp_path / "cold"
    build(bench_site, cold, cache=False)
    assert same_tree(str(site), str(cold)) == []


def test_a_failed_build_leaves_nothing_set_aside(bench_site, tmp_path):
    """A template error after the previous output was set aside (in a page MkDocs renders
    itself, the news list): the hidden copy goes (gh-deploy would publish it), and the next
    build is complete."""
    site = tmp_path / "site"
    build(bench_site, site)
    tpl = bench_site / "overrides" / "cchc" / "news" / "list.html"
    good = tpl.read_text("utf-8")
    assert "{% block content %}" in good
    tpl.write_text(good.replace("{% block content %}", "{% block content %}{{ khong_co_ham_nay() }}", 1), "utf-8")
    build(bench_site, site, fails=True)
    assert not (site / ".cchc-prev").exists()
    tpl.write_text(good, "utf-8")
    build(bench_site, site)
    cold = tmp_path / "cold"
    build(bench_site, cold, cache=False)
    assert same_tree(str(site), str(cold)) == []


def test_configuration_resolved_at_build_time_is_part_of_the_keys(bench_site, tmp_path):
    """`!ENV` values change what pages show without changing mkdocs.yml's bytes."""
    cfg = bench_site / "mkdocs.yml"
    text = cfg.read_text("utf-8")
    assert "\ncopyright:" in text
    lines = [("copyright: !ENV [CCHC_TEST_COPYRIGHT, 'Mặc định']" if line.startswith("copyright:") else line)
             for line in text.split("\n")]
    cfg.write_text("\n".join(lines), "utf-8")
    site = tmp_path / "site"
    build(bench_site, site, env_extra={"CCHC_TEST_COPYRIGHT": "Bản quyền A"})
    build(bench_site, site, env_extra={"CCHC_TEST_COPYRIGHT": "Bản quyền B"})
    page = _news_page(site).read_text("utf-8")
    assert "Bản quyền B" in page and "Bản quyền A" not in page


def test_cache_off_writes_no_cache(bench_site, tmp_path):
    build(bench_site, tmp_path / "site", cache=False)
    assert not (bench_site / ".cache" / "cchc" / "cache.sqlite").exists()


def test_map_all_keeps_order_and_reports_a_worker_failure(monkeypatch):
    from cchc import fastbuild

    items = list(range(500))
    assert fastbuild.map_all(items, lambda x: (x, x * x), jobs=2) == [(x, x * x) for x in items]

    parent = os.getpid()

    def boom(x):
        if os.getpid() != parent:  # whichever items the worker takes
            raise ValueError(f"bad item {x}")
        time.sleep(0.001)  # the worker takes some
        return x

    with pytest.raises(RuntimeError, match="a worker failed:(.|\n)*bad item"):
        fastbuild.map_all(items, boom, jobs=2)
    monkeypatch.setenv("CCHC_JOBS", "1")
    assert fastbuild.map_all(items[:3], str) == ["0", "1", "2"]


def test_the_build_cache_refuses_a_rendering_worker(tmp_path):
    """A forked worker sharing the build process's SQLite connection could corrupt the cache:
    what workers render is prepared before forking (`Site.prepare`: procedure views), and a
    worker that still reaches the cache fails the build instead of using it."""
    from cchc import buildcache, fastbuild

    cache = buildcache.BuildCache(str(tmp_path / "c.sqlite"), "fp")
    parent = os.getpid()

    def look(x):
        if os.getpid() != parent:
            cache.md_get_many([f"k{x}"])
        time.sleep(0.001)  # the worker takes some
        return x

    with pytest.raises(RuntimeError, match="(.|\n)*rendering worker"):
        fastbuild.map_all(list(range(300)), look, jobs=2)
    assert fastbuild.map_all(list(range(3)), lambda x: cache.md_get_many([f"k{x}"]) or x, jobs=1) == [0, 1, 2]
    cache.close()


def test_a_first_build_compiles_the_page_templates_on_another_core(bench_site, tmp_path):
    # The project's page templates go into the bytecode cache from a forked process while
    # MkDocs renders its own pages (mkdocs_plugin.on_env): all of them, used or not; one core
    # (CCHC_JOBS=1) compiles only those it renders. Both give the same site.
    jinja = bench_site / ".cache" / "cchc" / "jinja"
    templates = list((bench_site / "overrides" / "cchc").rglob("*.html"))
    build(bench_site, tmp_path / "one", jobs="1")
    serial = len(list(jinja.iterdir()))
    shutil.rmtree(bench_site / ".cache")
    build(bench_site, tmp_path / "two", jobs="2")
    assert len(list(jinja.iterdir())) > serial
    assert len(list(jinja.iterdir())) >= len(templates)
    assert same_tree(str(tmp_path / "one"), str(tmp_path / "two")) == []
