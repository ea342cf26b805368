"""cchc.fastbuild: results in order whatever the workers, and a build process that exits fast."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from cchc import fastbuild


def test_map_all_keeps_order_and_reraises(monkeypatch):
    monkeypatch.setenv("CCHC_JOBS", "2")
    items = list(range(500))
    assert fastbuild.map_all(items, lambda x: x * x, min_per_job=10) == [x * x for x in items]

    def boom(x):
        if x == 321:
            raise ValueError("hỏng ở 321")
        return x

    try:
        fastbuild.map_all(items, boom, min_per_job=10)
    except (RuntimeError, ValueError) as exc:
        assert "321" in str(exc)
    else:
        raise AssertionError("the worker's error was lost")


def _exit_with(keep: bool) -> str:
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(fastbuild.__file__.rsplit('/cchc/', 1)[0])!r})
        from cchc import fastbuild

        class Noisy:
            def __del__(self):
                print("freed", flush=True)

        big = [Noisy()] + [{{"k": i}} for i in range(1000)]
        if {keep!r}:
            fastbuild.keep_until_exit(big)
        del big
        print("done", flush=True)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_objects_kept_until_exit_are_not_freed_one_by_one():
    assert _exit_with(keep=False).split() == ["freed", "done"]
    assert _exit_with(keep=True).split() == ["done"]  # not freed, the process still exits cleanly


def test_long_lived_data_is_frozen_and_stays_frozen_across_workers(monkeypatch):
    import gc

    monkeypatch.setenv("CCHC_JOBS", "2")
    fastbuild.release_long_lived()
    assert gc.get_freeze_count() == 0
    try:
        with fastbuild.long_lived():
            assert not gc.isenabled()  # no collection while the site's objects are made
            data = [{"i": i} for i in range(1000)]
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        assert frozen >= len(data)
        # forking workers freezes and unfreezes around them: what was frozen before stays
        assert fastbuild.map_all(list(range(200)), lambda x: x + 1, min_per_job=10) == list(range(1, 201))
        assert gc.get_freeze_count() >= frozen
    finally:
        fastbuild.release_long_lived()
    assert gc.get_freeze_count() == 0


def test_long_lived_restores_a_disabled_collector():
    import gc

    gc.disable()
    try:
        with fastbuild.long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        fastbuild.release_long_lived()


def test_release_collects_what_the_last_build_left_in_cycles():
    # `mkdocs serve`: the previous build's data, dropped and held only in reference cycles,
    # must be collected before the next build freezes everything again.
    import gc
    import weakref

    class Node:
        pass

    fastbuild.release_long_lived()
    try:
        with fastbuild.long_lived():
            node = Node()
            node.me = node
        ref = weakref.ref(node)
        del node
        gc.collect()
        assert ref() is not None  # frozen: the collector does not see it
        fastbuild.release_long_lived()
        assert ref() is None
        assert gc.get_freeze_count() == 0
    finally:
        fastbuild.release_long_lived()


def test_shares_follow_the_cost_and_a_side_step_runs_in_the_caller(monkeypatch):
    """Items taken a chunk at a time: the process that ran the side step (here: all the
    slow items' worth of time) takes fewer items, and results stay in order."""
    import os
    import time

    monkeypatch.setenv("CCHC_JOBS", "2")
    parent = os.getpid()
    touched = []

    def side():
        touched.append(os.getpid())
        time.sleep(0.5)
        return "side done"

    def work(x):
        time.sleep(0.005)
        return (x, os.getpid() == parent)

    side_value, results = fastbuild.map_all_beside(side, list(range(200)), work, min_per_job=10)
    assert side_value == "side done" and touched == [parent]  # ran here: its effects stay
    assert [x for x, _ in results] == list(range(200))
    in_parent = sum(1 for _, here in results if here)
    # 200 items × 5 ms = 1 s of work; the parent spent 0.5 s on `side` first, so it took
    # about a quarter of the items (a fixed half would be 100).
    assert in_parent < 80, in_parent


def test_side_step_errors_propagate_and_workers_stop(monkeypatch):
    monkeypatch.setenv("CCHC_JOBS", "2")

    def side():
        raise ValueError("bước phụ hỏng")

    try:
        fastbuild.map_all_beside(side, list(range(300)), lambda x: x, min_per_job=10)
    except ValueError as exc:
        assert "bước phụ" in str(exc)
    else:
        raise AssertionError("the side step's error was lost")


def test_serial_map_runs_the_side_step_too(monkeypatch):
    monkeypatch.setenv("CCHC_JOBS", "1")
    assert fastbuild.map_all_beside(lambda: 7, [1, 2, 3], lambda x: -x) == (7, [-1, -2, -3])


def test_chunks_fit_the_pipe():
    for n in (1, 49, 50, 7600, 10**6):
        for jobs in (2, 4, 64):
            size = fastbuild._chunk_size(n, jobs)
            assert -(-n // size) <= 4096 and size >= 1


def test_background_step_gives_its_result_and_map_all_waits_for_it(monkeypatch):
    import threading
    import time

    monkeypatch.setenv("CCHC_JOBS", "2")
    done = threading.Event()

    def slow():
        time.sleep(0.3)
        done.set()
        return "đã lưu"

    wait = fastbuild.in_background(slow)
    # About to fork: the background thread is waited for first (forking beside it is
    # unsafe), so the map still runs on every core.
    assert fastbuild.map_all(list(range(200)), lambda x: x + 1, min_per_job=10) == list(range(1, 201))
    assert done.is_set()
    assert wait() == "đã lưu"

    def broken():
        raise OSError("đĩa đầy")

    wait = fastbuild.in_background(broken)
    try:
        wait()
    except OSError as exc:
        assert "đĩa đầy" in str(exc)
    else:
        raise AssertionError("the background step's error was lost")


def test_a_step_in_a_child_process_runs_beside_this_one_and_gives_its_result_or_its_error():
    import os
    import time

    if not fastbuild.can_fork():
        return
    here = os.getpid()

    def listing():
        time.sleep(0.3)
        return {"pid": os.getpid(), "text": "danh sách tệp"}

    started = time.perf_counter()
    wait = fastbuild.in_child(listing)
    assert time.perf_counter() - started < 0.2  # not waited for yet
    result = wait()
    assert result["text"] == "danh sách tệp" and result["pid"] != here

    def broken():
        raise OSError("đĩa đầy")

    wait = fastbuild.in_child(broken)
    try:
        wait()
    except RuntimeError as exc:
        assert "đĩa đầy" in str(exc) and "OSError" in str(exc)
    else:
        raise AssertionError("the child's error was lost")


def test_relative_path_cuts_walked_paths_as_relpath_does():
    import os

    from cchc.site import relative_path

    cases = [("/a/b/c.md", "/a/b"), ("/a/b/c/d.md", "/a/b/"), ("/a/bc/d", "/a/b"), ("/a/b/../c", "/a/b"),
             ("/a/b//c", "/a/b"), ("/x/y", "/a/b"), ("/a/b/./c", "/a/b"), ("/a/b/tin tức/ảnh.png", "/a/b"),
             ("/a/b", "/a/b")]
    for path, start in cases:
        assert relative_path(path, start) == os.path.relpath(path, start).replace(os.sep, "/"), (path, start)


def test_the_theme_listing_skips_dot_folders_and_mkdocs_copies_the_same_files():
    """The plugin's theme loader (`_ThemeListing`) does not walk Material's 14,000 icons;
    MkDocs still copies exactly the theme files it copied with the stock loader."""
    from pathlib import Path

    from jinja2 import FileSystemLoader
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from cchc.mkdocs_plugin import _list_theme_files_fast

    config = load_config(str(Path(__file__).resolve().parent.parent / "mkdocs.yml"))
    stock_env = config.theme.get_env()
    assert type(stock_env.loader) is FileSystemLoader
    assert any(name.startswith(".icons/") for name in stock_env.list_templates())  # what is skipped
    stock = Files([])
    stock.add_files_from_theme(stock_env, config)

    _list_theme_files_fast(config.theme)
    _list_theme_files_fast(config.theme)  # `mkdocs serve` runs on_config again: once is enough
    env = config.theme.get_env()
    assert not any("/." in "/" + name for name in env.list_templates())
    ours = Files([])
    ours.add_files_from_theme(env, config)
    assert len(stock) > 10
    assert [(f.src_uri, f.abs_src_path, f.dest_uri) for f in ours] == \
        [(f.src_uri, f.abs_src_path, f.dest_uri) for f in stock]
    assert env.get_template(".icons/material/home.svg") is not None  # icons still load


def test_the_docs_listing_without_news_files_equals_mkdocs_own_minus_those(tmp_path):
    """`_files_without_generated_sources` leaves the news files out before MkDocs' sort: the
    other files come in MkDocs' order (index and README first, then by name), with the same
    destinations, inclusions and README-beside-index conflicts as `get_files` gives them."""
    import posixpath

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from cchc.mkdocs_plugin import _files_without_generated_sources

    docs = tmp_path / "content"
    for rel in ("index.md", "README.md", "b.md", "a.md", "_nhap.md", "anh/z.png", "anh/a.png",
                "tin-tuc/index.md", "tin-tuc/2026-01-02-b.md", "tin-tuc/2026-01-01-a.md", "tin-tuc/2026-01-01-a.en.md",
                "tin-tuc/README.md", "tin-tuc/anh/x.jpg", "lien-he/README.md", "lien-he/index.en.md", "Z.md", "ä.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("x", "utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\nexclude_docs: |\n  _*.md\n", "utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))

    def skip(rel: str) -> bool:
        return rel.startswith("tin-tuc/") and rel.endswith(".md") and posixpath.basename(rel) not in ("index.md", "README.md")

    def listed(files) -> list:
        return [(f.src_uri, f.dest_uri, str(f.inclusion)) for f in files]

    stock = [row for row in listed(get_files(config)) if not skip(row[0])]
    ours = listed(_files_without_generated_sources(config, skip))
    assert ours == stock
    assert any(src == "tin-tuc/anh/x.jpg" for src, _, _ in ours) and not any("2026-" in src for src, _, _ in ours)
