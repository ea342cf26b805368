"""Keeping the unchanged pages of the previous build in the output folder.

A renderer that empties the output folder before each build (MkDocs does, unless
``--dirty``) makes every rebuild delete and write again the whole site: on the
benchmark's large corpus that is 7,600 folders and 240 MB, and on a disk like the
CI machine's, creating files right after deleting that many is several times
slower than on an idle disk (measured: 2.8 s to create them, 4.7–9 s after a
delete). So the previous output is set aside before the renderer cleans, and each
page whose cache key is unchanged, and whose file is untouched since the build
that wrote it (same size and modification time, or else same size and content
digest: a CI cache or a copy may not keep times), is moved back instead of being
rendered and written again. Everything else of the previous output is deleted:
the result is the same tree, byte for byte, as a build into an empty folder
(``tests/test_bench_warm.py``).

Plain file operations, no renderer import. How a build uses it (the MkDocs plugin):

1. before the renderer cleans: ``prev = stash(site_dir)``;
2. after the renderer has written its own files: ``kept = restore(site_dir, prev, wanted)``,
   where ``wanted`` maps the output paths that may be reused to their recorded
   ``(size, mtime_ns, digest)``; every other file of the previous output is gone afterwards;
3. write what is not in ``kept``.

``--dirty`` builds and builds without the cache do not set anything aside: the
renderer's own clean (or its absence) applies; they only ``discard`` what a failed
build may have left.
"""

from __future__ import annotations

import hashlib
import os
import shutil

PREV = ".cchc-prev"  # hidden: MkDocs' clean leaves hidden entries of the output folder alone


def stash(site_dir: str) -> str | None:
    """Move the previous output (every non-hidden entry of `site_dir`) into `site_dir/.cchc-prev`.

    Returns that folder, or None when there was nothing to keep. A folder left by a
    build that stopped half-way is deleted first: what it held is rebuilt."""
    discard(site_dir)
    prev = os.path.join(site_dir, PREV)
    try:
        entries = [e for e in os.listdir(site_dir) if not e.startswith(".")]
    except FileNotFoundError:
        return None
    if not entries:
        return None
    os.mkdir(prev)
    for name in entries:
        os.rename(os.path.join(site_dir, name), os.path.join(prev, name))
    return prev


def discard(site_dir: str) -> None:
    """Delete a previous output left set aside in `site_dir` (by a build that failed)."""
    prev = os.path.join(site_dir, PREV)
    if os.path.islink(prev) or os.path.isfile(prev):
        os.unlink(prev)
    elif os.path.isdir(prev):
        shutil.rmtree(prev, ignore_errors=True)


def _walk(root: str, skip_hidden: bool = False):
    """(relative POSIX paths of files → (size, mtime_ns)), relative folder paths (deepest first).

    `skip_hidden`: leave out the hidden entries of `root` itself (the set-aside folder,
    and what MkDocs' clean keeps)."""
    files: dict[str, tuple[int, int]] = {}
    dirs: list[str] = []
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(os.path.join(root, rel) if rel else root) as it:
            for entry in it:
                if skip_hidden and not rel and entry.name.startswith("."):
                    continue
                path = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    dirs.append(path)
                    stack.append(path)
                else:
                    st = entry.stat(follow_symlinks=False)
                    files[path] = (st.st_size, st.st_mtime_ns)
    dirs.sort(key=lambda d: d.count("/"), reverse=True)
    return files, dirs


def listing(prev: str):
    """What `restore` reads of the folder `stash` returned (`_walk`), to be made beforehand."""
    return _walk(prev)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_record(site_dir: str, path: str) -> tuple[int, int, str]:
    """(size, mtime_ns, digest) of an output file, as `restore` compares them."""
    with open(os.path.join(site_dir, *path.split("/")), "rb") as fh:
        data = fh.read()
        st = os.fstat(fh.fileno())
    return st.st_size, st.st_mtime_ns, digest(data)


def _same(root: str, path: str, st: tuple[int, int], want: tuple[int, int, str] | None) -> bool:
    if want is None or st[0] != want[0]:
        return False
    return st[1] == want[1] or file_record(root, path)[2] == want[2]


def restore(site_dir: str, prev: str | None, wanted: dict[str, tuple[int, int, str]],
            listed: tuple | None = None) -> dict[str, tuple[int, int]]:
    """Put back the files of `prev` listed in `wanted` that are the files recorded there
    (size, mtime_ns, digest); delete the rest of `prev`. Files written into `site_dir`
    since `stash` win over the previous ones. Returns the paths put back, with their
    (size, mtime_ns) now. `listed`: `listing(prev)`, made since `stash` (nothing writes
    into `prev` in between)."""
    if prev is None or not os.path.isdir(prev):
        return {}
    if not wanted:
        shutil.rmtree(prev, ignore_errors=True)
        return {}
    files, dirs = listed if listed is not None else _walk(prev)
    kept = {p: st for p, st in files.items() if _same(prev, p, st, wanted.get(p))}
    emptied: set[str] = set()  # folders a file (or folder) was taken from
    for p in files:
        if p not in kept:
            os.unlink(os.path.join(prev, *p.split("/")))
            emptied.add(p.rpartition("/")[0])
    holding = {p.rpartition("/")[0] for p in files}
    for d in dirs:  # deepest first: folders left empty go
        # Only those that lost an entry or held no file: trying each of the ≈ 7,700 folders of
        # the benchmark's large site (all but a few still full) was a tenth of a second.
        if d not in emptied and d in holding:
            continue
        try:
            os.rmdir(os.path.join(prev, *d.split("/")))
            emptied.add(d.rpartition("/")[0])
        except OSError:
            pass
    # What the renderer wrote since `stash` (its own pages, theme assets: a few hundred
    # files) moves into `prev`; then `prev`'s top-level entries move back, whole.
    fresh, fresh_dirs = _walk(site_dir, skip_hidden=True)
    for d in sorted(fresh_dirs, key=lambda d: d.count("/")):  # shallowest first; empty ones too
        _make_dir(prev, d, kept)
    for p in fresh:
        target = os.path.join(prev, *p.split("/"))
        if "/" in p:
            _make_dir(prev, p.rsplit("/", 1)[0], kept)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
            kept = {k: v for k, v in kept.items() if not k.startswith(p + "/")}
        os.replace(os.path.join(site_dir, *p.split("/")), target)
        kept.pop(p, None)
    for d in fresh_dirs:
        os.rmdir(os.path.join(site_dir, *d.split("/")))
    for name in os.listdir(prev):
        os.rename(os.path.join(prev, name), os.path.join(site_dir, name))
    os.rmdir(prev)
    return kept


def _make_dir(root: str, rel: str, kept: dict) -> None:
    """Make folder `rel` under `root`; a kept file in its way (a page that became a folder:
    cannot happen in a consistent output) goes, and is no longer kept."""
    parts = rel.split("/")
    for i in range(1, len(parts) + 1):
        sub = "/".join(parts[:i])
        path = os.path.join(root, *parts[:i])
        if os.path.islink(path) or os.path.isfile(path):
            os.unlink(path)
            kept.pop(sub, None)
        if not os.path.isdir(path):
            os.mkdir(path)
