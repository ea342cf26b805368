"""cchc.outdir: the previous output set aside and the unchanged pages put back, exactly.

The end-to-end proof (warm build == cold build) is in test_bench_warm.py; these are the
folder states a real build rarely produces."""

from __future__ import annotations

import os
from pathlib import Path

from cchc import outdir


def _write(root: Path, rel: str, text: str = "x") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _record(root: Path, rel: str) -> tuple[int, int, str]:
    return outdir.file_record(str(root), rel)


def _tree(root: Path) -> dict[str, str]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root).as_posix()
        if not filenames and not dirnames:
            out[rel + "/"] = "<empty>"
        for name in filenames:
            out[(Path(rel) / name).as_posix() if rel != "." else name] = (Path(dirpath) / name).read_text("utf-8")
    return out


def test_kept_pages_come_back_and_everything_else_goes(tmp_path):
    site = tmp_path / "site"
    for rel in ("a/index.html", "b/index.html", "old/index.html", "assets/app.js", "sitemap.xml"):
        _write(site, rel, rel)
    _write(site, ".nojekyll", "")
    wanted = {rel: _record(site, rel) for rel in ("a/index.html", "b/index.html")}
    prev = outdir.stash(str(site))
    assert sorted(os.listdir(site)) == [".cchc-prev", ".nojekyll"]
    _write(site, "assets/app.js", "new js")  # what the renderer writes itself
    _write(site, "empty-folder/.keep", "")
    (site / "empty-folder" / ".keep").unlink()  # an empty folder the renderer made
    kept = outdir.restore(str(site), prev, wanted)
    assert set(kept) == {"a/index.html", "b/index.html"}
    assert _tree(site) == {".nojekyll": "", "a/index.html": "a/index.html", "b/index.html": "b/index.html",
                           "assets/app.js": "new js", "empty-folder/": "<empty>"}


def test_a_page_in_the_way_of_a_new_folder_is_not_kept(tmp_path):
    site = tmp_path / "site"
    _write(site, "x", "old page at x")
    _write(site, "y", "old page at y")
    wanted = {"x": _record(site, "x"), "y": _record(site, "y")}
    prev = outdir.stash(str(site))
    _write(site, "x/index.html", "x is a folder now")
    _write(site, "y/deeper/file.txt", "so is y")
    kept = outdir.restore(str(site), prev, wanted)
    assert kept == {}
    assert _tree(site) == {"x/index.html": "x is a folder now", "y/deeper/file.txt": "so is y"}


def test_a_changed_file_is_not_kept_even_with_the_same_size(tmp_path):
    site = tmp_path / "site"
    _write(site, "p/index.html", "abc")
    wanted = {"p/index.html": _record(site, "p/index.html")}
    _write(site, "p/index.html", "abd")
    prev = outdir.stash(str(site))
    assert outdir.restore(str(site), prev, wanted) == {}
    assert not (site / "p").exists()


def test_leftovers_of_a_failed_build_are_discarded(tmp_path):
    site = tmp_path / "site"
    _write(site, ".cchc-prev/a/index.html")
    outdir.discard(str(site))
    assert not (site / ".cchc-prev").exists()
    (site / ".cchc-prev").write_text("not a folder", "utf-8")
    _write(site, "a/index.html")
    prev = outdir.stash(str(site))
    assert prev is not None and (Path(prev) / "a" / "index.html").is_file()
    outdir.restore(str(site), prev, {})
    assert os.listdir(site) == []


def test_nothing_to_set_aside(tmp_path):
    assert outdir.stash(str(tmp_path / "missing")) is None
    (tmp_path / "empty").mkdir()
    assert outdir.stash(str(tmp_path / "empty")) is None
    assert outdir.restore(str(tmp_path / "empty"), None, {"a": (1, 1, "")}) == {}
