"""A persistent build cache: parsed sources, converted Markdown and page keys reused by the next build.

Where: ``.cache/cchc/cache.sqlite`` next to mkdocs.yml (``CCHC_CACHE=0`` turns it
off; ``CCHC_CACHE_DIR`` moves it). One SQLite file: atomic writes, no half-written
entry survives a killed build, no thousands of small files.

What invalidates it — everything at once, through one *fingerprint* stored with
the cache: the code of this package, the versions of MkDocs, Material, Markdown,
its extensions, Jinja, nh3, pydantic and PyYAML, every template of the theme
(Material's and ``overrides/``), the configuration file, and the build date. A
build whose fingerprint differs starts from an empty cache.

Within one fingerprint an entry is used only when everything it was made from is
the same (see ``PageDigester`` for pages, ``cchc.mdrender`` for Markdown). Rendered
pages are not copied here: they stay in the output folder, and a page whose key is
unchanged is kept there (``cchc.outdir``). Every build still produces the complete
site; the cache only spares work. Entries not used by a build are deleted at its
end, so the cache never outgrows the site.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import os
import pickle
import sqlite3
import sys
import time
import types
import zlib
from datetime import date, datetime, time as dt_time, timedelta, timezone
from importlib import metadata
from typing import Any, Callable, Iterable

from markupsafe import Markup
from pydantic import BaseModel

SCHEMA = 3  # 2: pages are kept in the output folder (cchc.outdir), the cache keeps their keys; 3: and digests
_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "MarkupSafe", "nh3",
                  "pydantic", "pydantic-core", "PyYAML", "qrcode", "feedgen", "Babel", "lxml")


def enabled() -> bool:
    return os.environ.get("CCHC_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def _read_digest(path: str) -> bytes:
    """blake2b (16 bytes) of the file's bytes."""
    with open(path, "rb") as fh:
        return hashlib.blake2b(fh.read(), digest_size=16).digest()


def _settled(mtime_ns: int, ctime_ns: int, seen_ns: int, racy_ns: int) -> bool:
    """Whether a file (or folder) whose times are these was last changed long enough before it
    was read at `seen_ns` for what was read then to be trusted while its stat is the same (as
    git treats "racily clean" entries: a change within the clock's resolution of that reading
    could keep its times)."""
    return max(mtime_ns, ctime_ns) < seen_ns - racy_ns


def _write_pickle(path: str, value: Any) -> None:
    """Pickle `value` to `path` at once: a killed build leaves the last file whole, and two
    builds sharing the folder each write a temporary file of their own. Raises OSError."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _FileDigests:
    """Digests of the files the fingerprints hash (this package's code, the theme's templates:
    ≈ 240 files, 2.8 MB), remembered between builds in a small file beside the cache and
    trusted, as `BuildCache.digest_file` trusts a source file, while the file's size,
    modification and change times and inode are those recorded when it was read long enough
    after its last change (RACY_NS). Reading and hashing them all was ≈ 35 ms of every build."""

    RACY_NS = 2_000_000_000

    def __init__(self, path: str):
        self.path = path
        try:
            with open(path, "rb") as fh:
                known = pickle.load(fh)
        except Exception:  # noqa: BLE001 - missing or unreadable: every file is read
            known = {}
        self.known: dict[str, tuple] = known if isinstance(known, dict) else {}
        self.used: dict[str, tuple] = {}  # what this build read or trusted: what `save` keeps
        self.changed = False

    def digest(self, path: str) -> bytes:
        st = os.stat(path)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        known = self.known.get(path)
        if isinstance(known, tuple) and len(known) == 6 and known[:4] == stamp \
                and _settled(stamp[1], stamp[2], known[4], self.RACY_NS):
            self.used[path] = known
            return known[5]
        seen = time.time_ns()
        digest = _read_digest(path)
        self.known[path] = self.used[path] = (*stamp, seen, digest)
        self.changed = True
        return digest

    def listing(self, folder: str) -> tuple[list[str], list[str]]:
        """(sub-folders, files) of `folder`, sorted, as `os.walk` gives them to a walk that
        hashes files (a link to a folder is in neither: os.walk names it but does not walk
        into it). Remembered under the folder's own times, which change when an entry is
        added, removed or renamed: Material's templates folder holds 14,500 icons, whose
        listing was ≈ 15 ms a build. Not remembered for a folder holding a link: the kind of
        what a link points to (file or folder) can change without touching the folder."""
        st = os.stat(folder)
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        key = "dir:" + folder
        known = self.known.get(key)
        if isinstance(known, tuple) and len(known) == 6 and known[:3] == stamp \
                and _settled(stamp[0], stamp[1], known[3], self.RACY_NS):
            self.used[key] = known
            return known[4], known[5]
        seen = time.time_ns()
        folders, files = [], []
        links = False
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                link = entry.is_symlink()
                links = links or link
                if not is_dir:
                    files.append(entry.name)
                elif not link:
                    folders.append(entry.name)
        folders.sort()
        files.sort()
        if not links:
            self.known[key] = self.used[key] = (*stamp, seen, folders, files)
            self.changed = True
        return folders, files

    def save(self) -> None:
        """Write what this build used (the entries of files and folders no longer hashed go),
        when anything differs from what was read."""
        if not self.changed and len(self.used) == len(self.known):
            return
        try:
            _write_pickle(self.path, self.used)
            self.known, self.changed = dict(self.used), False
        except OSError:
            pass  # a read-only checkout: the files are read again next time


def _walk(root: str, memo: _FileDigests | None):
    """(folder, its files, sorted) under `root`, in the order of `os.walk` with its folders sorted."""
    if memo is None:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            yield dirpath, sorted(filenames)
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            folders, files = memo.listing(folder)
        except OSError:  # as os.walk: a folder that cannot be listed is skipped
            continue
        yield folder, files
        stack.extend(os.path.join(folder, name) for name in reversed(folders))


def _hash_files(h, root: str, suffixes: tuple[str, ...], memo: _FileDigests | None = None) -> None:
    if not os.path.isdir(root):
        return
    digest = memo.digest if memo is not None else _read_digest
    for dirpath, filenames in _walk(root, memo):
        for fn in filenames:
            if fn.endswith(suffixes):
                path = os.path.join(dirpath, fn)
                h.update(os.path.relpath(path, root).encode() + b"\0")
                h.update(digest(path))


_CODE: list[str] = []


def code_fingerprint(memo: _FileDigests | None = None) -> str:
    """This package's code, Python's and the dependencies' versions: part of every cache's
    key (the build cache, and the search and QR caches kept beside it), so that no cache
    outlives the code that filled it. Computed once per process (`memo`: see `fingerprint`)."""
    if not _CODE:
        h = hashlib.blake2b(digest_size=20)
        h.update(f"schema {SCHEMA}\npython {sys.version}\n".encode())
        for dist in _DISTRIBUTIONS:
            try:
                h.update(f"{dist} {metadata.version(dist)}\n".encode())
            except metadata.PackageNotFoundError:
                h.update(f"{dist} -\n".encode())
        _hash_files(h, os.path.dirname(os.path.abspath(__file__)), (".py",), memo)  # this package's code
        _CODE.append(h.hexdigest())
    return _CODE[0]


def fingerprint(config_file: str, template_dirs: Iterable[str], build_date: date, extra: str = "",
                memo_dir: str | None = None) -> str:
    """Everything outside the content that output depends on. `memo_dir`: the cache's folder,
    where the digests of the code and template files are remembered (`_FileDigests`)."""
    memo = _FileDigests(os.path.join(memo_dir, "file-digests.pickle")) if memo_dir else None
    h = hashlib.blake2b(digest_size=20)
    h.update(f"code {code_fingerprint(memo)}\n".encode())
    for d in template_dirs:
        h.update(f"templates {d}\n".encode())
        _hash_files(h, d, (".html", ".xml", ".js", ".css", ".json", ".yml"), memo)
    if memo is not None:
        memo.save()
    with open(config_file, "rb") as fh:
        h.update(b"config\0" + fh.read())
    h.update(f"date {build_date.isoformat()}\n{extra}".encode())
    return h.hexdigest()


class Unpacked:
    """What `pack` gives for a value that cannot be pickled: the value itself."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def pack(value: Any) -> "bytes | Unpacked":
    """`value` pickled as the cache stores it (`load_many(packed=True)`)."""
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a result that cannot be pickled is just not stored
        return Unpacked(value)


class BuildCache:
    """The cache of one build. Tables: md (key -> pickled render), obj (key -> pickled parse),
    pages (output path -> key, size, modification time and digest of the file the build wrote),
    parts (output path -> the parts of that page kept for the next build), stats (source file ->
    what `digest_file` last read)."""

    def __init__(self, path: str, fp: str):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path
        # check_same_thread off: the build saves the cache in a thread while it writes the
        # search index (fastbuild.in_background); nothing uses it from two threads at once.
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # Reads through a memory map instead of copying each page: a rebuild reads ≈ 90 MB of
        # stored parses and conversions, most rows longer than a page (overflow chains), and
        # fetching the benchmark's 5,000 news parses took 17 ms instead of 27. SQLite writes
        # through its usual calls either way, and remaps when another connection (another build)
        # changes the file's size under its locks.
        self.db.execute(f"PRAGMA mmap_size={256 << 20}")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
        row = self.db.execute("SELECT v FROM meta WHERE k='fingerprint'").fetchone()
        if row is None or row[0] != fp:
            self.db.execute("DELETE FROM meta WHERE k = 'build'")
            self.db.execute("DROP TABLE IF EXISTS md")
            self.db.execute("DROP TABLE IF EXISTS pages")
            self.db.execute("DROP TABLE IF EXISTS obj")
            self.db.execute("DROP TABLE IF EXISTS stats")
            self.db.execute("DROP TABLE IF EXISTS parts")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fp,))
            self.db.execute("VACUUM")  # give the dropped entries' space back to the disk
        self.db.execute("CREATE TABLE IF NOT EXISTS md (k TEXT PRIMARY KEY, v BLOB)")
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, k TEXT, size INTEGER, mtime INTEGER, "
                        "digest TEXT, dkey TEXT, deps BLOB)")
        self.db.execute("CREATE TABLE IF NOT EXISTS obj (k TEXT PRIMARY KEY, v BLOB)")
        self.db.execute("CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, "
                        "ctime INTEGER, ino INTEGER, seen INTEGER, digest TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS parts (path TEXT PRIMARY KEY, v BLOB)")
        self._stats: dict[str, tuple] | None = None  # the last build's (`digest_file`), read when first asked
        # The last build's page records, as `page_records` and `page_deps` read them (`stage`
        # writes only what differs).
        self._last_pages: dict | None = None
        self._last_deps: dict | None = None
        self._stats_new: dict[str, tuple] = {}
        self.fingerprint = fp
        # Which build committed what the cache holds: caches kept beside it (search) record the
        # build they were written by, and trust what they recorded only when that build's
        # records are the ones here (a build stopped between the two would have left them apart).
        row = self.db.execute("SELECT v FROM meta WHERE k='build'").fetchone()
        self.previous_build: str | None = row[0] if row is not None else None
        self.build_id = os.urandom(16).hex()
        row = self.db.execute("SELECT v FROM meta WHERE k='structure'").fetchone()
        # The last build's `Site.structure()`: its declared page keys hold only while it is the same.
        self.structure: str | None = row[0] if row is not None else None
        self._md_used: set[str] = set()
        self._obj_used: set[str] = set()
        self.computed: dict[str, int] = {}  # per kind: how many sources load_many computed (not cached) this build
        # Digests of source files read during this build (absolute path -> blake2b hex),
        # so that page keys need not read them again (PageDigester).
        self.file_digests: dict[str, str] = {}
        self.db.execute("BEGIN")  # one transaction per build: new entries are written as they come
        self.stats = {"md_hit": 0, "md_miss": 0, "page_hit": 0, "page_miss": 0}

    # --- Markdown ------------------------------------------------------------
    def md_get_many(self, keys: list[str]) -> dict[str, bytes]:
        """{key: value} of the stored Markdown conversions found among `keys`."""
        self._md_used.update(keys)
        found = self._get_many("md", keys)
        self.stats["md_hit"] += len(found)
        self.stats["md_miss"] += len(set(keys)) - len(found)
        return found

    def _get_many(self, table: str, keys: list[str], column: str = "k") -> dict[str, bytes]:
        """{key: value} of the rows of `table` ("md", "obj", "parts") found among `keys`: one
        query per 500 keys (one per key was a fifth of loading the news items of a large site)."""
        _not_in_worker()
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):  # older SQLite builds allow 999 parameters a statement
            part = keys[start:start + 500]
            found.update(self.db.execute(f"SELECT {column}, v FROM {table} WHERE {column} IN ({','.join('?' * len(part))})", part))
        return found

    def keep_md(self, keys: Iterable[str]) -> None:
        """Keep these stored conversions though this build did not read them (the texts of a
        procedure view built only when a later build renders its page)."""
        self._md_used.update(keys)

    def md_put(self, key: str, value: bytes) -> None:
        _not_in_worker()
        self._md_used.add(key)
        self.db.execute("INSERT OR REPLACE INTO md VALUES (?, ?)", (key, value))

    # --- source files --------------------------------------------------------------
    # A file is known by the digest of its bytes. Reading and hashing the 6,000 sources of the
    # benchmark's large site was ≈ 0.1 s of every rebuild; a file whose size, modification and
    # change times and inode are those recorded when the last build read it is the same file,
    # as git's index reasons: any write (or `touch`, rename, copy over it) changes its change
    # time, which no tool can set back. A file changed within the clock's resolution of that
    # reading could keep its times: one changed shortly before it was read (RACY_NS) is read
    # again by the next build, as git treats "racily clean" entries.
    RACY_NS = 2_000_000_000

    def digest_file(self, path: str) -> str:
        """blake2b (16 bytes, hex) of the file's bytes; raises OSError as reading it would."""
        _not_in_worker()
        st = os.stat(path)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        if self._stats is None:
            self._stats = {p: (size, mtime, ctime, ino, seen, digest) for p, size, mtime, ctime, ino, seen, digest
                           in self.db.execute("SELECT path, size, mtime, ctime, ino, seen, digest FROM stats")}
        known = self._stats.get(path)
        if known is not None and known[:4] == stamp and _settled(stamp[1], stamp[2], known[4], self.RACY_NS):
            self._stats_new[path] = known
            return known[5]
        seen = time.time_ns()
        digest = _read_digest(path).hex()
        self._stats_new[path] = (*stamp, seen, digest)
        return digest

    # --- parsed and validated sources ---------------------------------------------
    def load(self, kind: str, content: bytes, compute: Callable[[], Any]) -> Any:
        """``compute()``'s result for a source with these bytes, from the cache when a build
        already computed it (pickled; a result that cannot be pickled is just not stored)."""
        return self.load_many(kind, [content], lambda missing: [compute()])[0]

    def load_many(self, kind: str, contents: list[bytes], compute: Callable[[list[int]], list],
                  *, packed: bool = False) -> list:
        """`load` for many sources at once: ``compute(indexes)`` gets the indexes of the
        sources not in the cache and returns their results in that order (in parallel:
        cchc.fastbuild.map_all). `packed`: it returns each result as `pack` gives it, pickled
        where it was computed (a worker, which pickled it anyway to send it back), so that
        this process stores the bytes as they come instead of pickling every result again
        (the large benchmark's first build: ≈ 0.3 s for 6,000 parsed files, serial)."""
        keys = [kind + ":" + hashlib.blake2b(c, digest_size=20).hexdigest() for c in contents]
        self._obj_used.update(keys)
        results: list = [None] * len(keys)
        missing: list[int] = []
        stored = self._get_many("obj", keys)
        for i, key in enumerate(keys):
            raw = stored.get(key)
            try:
                results[i] = pickle.loads(raw) if raw is not None else None
            except Exception:  # an unreadable entry is computed again
                results[i] = None
            if results[i] is None:
                missing.append(i)
        self.computed[kind] = self.computed.get(kind, 0) + len(missing)
        if missing:
            for i, value in zip(missing, compute(missing)):
                if not packed:
                    results[i] = value
                    self._put(keys[i], value)
                elif isinstance(value, Unpacked):
                    results[i] = value.value  # not picklable: not stored
                else:
                    results[i] = pickle.loads(value)
                    self.db.execute("INSERT OR REPLACE INTO obj VALUES (?, ?)", (keys[i], value))
        return results

    def store(self, kind: str, content: bytes, value: Any) -> None:
        """Replace what `load_many` gives for these bytes (a stored result found out of date)."""
        key = kind + ":" + hashlib.blake2b(content, digest_size=20).hexdigest()
        self._obj_used.add(key)
        self._put(key, value)

    def _put(self, key: str, value: Any) -> None:
        _not_in_worker()
        try:
            self.db.execute("INSERT OR REPLACE INTO obj VALUES (?, ?)",
                            (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        except Exception:  # noqa: BLE001 - a result that cannot be pickled is just not stored
            pass

    def _forget(self, table: str, column: str, used) -> None:
        """Delete the rows of `table` whose `column` is not in `used`."""
        gone = [(k,) for (k,) in self.db.execute(f"SELECT {column} FROM {table}") if k not in used]
        self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)

    # --- parts of pages ---------------------------------------------------------
    # A page part shows what another page (its basis) shows, laid out for this page: a field's
    # print page is the sheets of 300 procedures, each showing the view of a procedure's own
    # page. A rebuild after one procedure's text renders that print page again; the sheets of
    # the others are kept while their procedure's page has the key it had when the sheet was
    # rendered (mkdocs_plugin.py: `cchc_kept_part`). Stored per page, compressed (HTML: a
    # tenth of its size; the large benchmark's print pages are ≈ 30 MB).

    def parts_get(self, paths: list[str]) -> dict[str, dict]:
        """{output path: {part id: (basis URL, basis key, HTML)}} of the parts stored for `paths`."""
        out = {}
        for path, raw in self._get_many("parts", paths, column="path").items():
            try:
                out[path] = pickle.loads(zlib.decompress(raw))
            except Exception:  # noqa: BLE001 - an unreadable entry: the parts are rendered again
                pass
        return out

    def parts_put(self, path: str, parts: dict) -> None:
        _not_in_worker()
        raw = zlib.compress(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self.db.execute("INSERT OR REPLACE INTO parts VALUES (?, ?)", (path, raw))

    def parts_drop(self, paths: list[str]) -> None:
        """Forget the parts of these pages (rendered now without any)."""
        _not_in_worker()
        self.db.executemany("DELETE FROM parts WHERE path = ?", ((p,) for p in paths))

    # --- pages -----------------------------------------------------------------
    def page_records(self) -> dict[str, tuple[str, int, int, str]]:
        """{output path: (key, size, mtime_ns, digest)} of the pages the last build wrote.

        The pages themselves stay in the output folder (cchc.outdir): a page is reused
        when its key is the same and its file is the one that build wrote."""
        self._last_pages = {p: (k, size, mtime, digest)
                            for p, k, size, mtime, digest in self.db.execute("SELECT path, k, size, mtime, digest FROM pages")}
        return dict(self._last_pages)

    def page_deps(self) -> dict[str, tuple]:
        """{output path: (declared key, (files, states), their stored bytes)} of the last build's
        pages that have one (`PageDigester.sources`). `stage` stores a record carried over by
        those bytes, without pickling it again."""
        out = {}
        for p, dkey, deps in self.db.execute("SELECT path, dkey, deps FROM pages WHERE dkey IS NOT NULL"):
            try:
                out[p] = (dkey, pickle.loads(deps), deps)
            except Exception:  # noqa: BLE001 - an unreadable entry: the page is keyed exactly
                out[p] = (dkey, None, deps)  # (what `stage` compares with)
        self._last_deps = dict(out)
        return {p: d for p, d in out.items() if d[1] is not None}

    def stage(self, pages: dict[str, tuple[str, int, int, str]], declared: dict[str, tuple] | None = None,
              structure: str | None = None) -> None:
        """Store this build's state, up to `commit`: every cacheable page's (key, size,
        mtime_ns, digest), and forget what this build did not use. What needs the
        interpreter (thousands of rows handed over one by one) is done here; committing is
        SQLite's own work (writing the transaction: 0.5 s on the large benchmark's first
        build), so the build goes on beside it (fastbuild.in_background). A thread doing
        these rows beside the build waited for the interpreter at each row: 1.2 s instead
        of 0.05."""
        db = self.db
        try:
            # Only what changed is written: a rebuild after one edit rewrote the records of all
            # 7,600 pages of the benchmark's large site and listed the 12,000 entries it used in
            # a table to delete the others (≈ 0.06 s).
            self._forget("md", "k", self._md_used)
            self._forget("obj", "k", self._obj_used)
            # The files this build read, as `digest_file` knew them (rows of files gone go).
            self._forget("stats", "path", self._stats_new)
            self._forget("parts", "path", pages)  # the parts of pages gone
            old_stats = self._stats or {}
            db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?, ?, ?, ?)",
                           ((p, *rec) for p, rec in self._stats_new.items() if old_stats.get(p) != rec))
            declared = declared or {}

            def row(p, rec):
                d = declared.get(p)  # (declared key, sources[, their bytes as `page_deps` read them])
                if d is None:
                    return (p, *rec, None, None)
                raw = d[2] if len(d) > 2 else pickle.dumps(d[1], protocol=pickle.HIGHEST_PROTOCOL)
                return (p, *rec, d[0], raw)

            old_pages, old_deps = self._last_pages, self._last_deps
            if old_pages is None or old_deps is None:  # the last build's records were not read
                db.execute("DELETE FROM pages")
                db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)", (row(p, rec) for p, rec in pages.items()))
            else:
                db.executemany("DELETE FROM pages WHERE path = ?", ((p,) for p in old_pages if p not in pages))
                changed = []
                for p, rec in pages.items():
                    r = row(p, rec)
                    before = old_deps.get(p)
                    stored = (before[0], before[2]) if before is not None else (None, None)
                    if old_pages.get(p) != tuple(rec) or stored != (r[5], r[6]):
                        changed.append(r)
                db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)", changed)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('structure', ?)", (structure,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (self.build_id,))
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def commit(self) -> None:
        try:
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()


def _not_in_worker() -> None:
    from . import fastbuild

    if fastbuild.in_worker():
        # A forked process sharing the parent's SQLite connection can corrupt the cache: what
        # a worker needs is computed before forking (cchc.site.Site.prepare).
        raise RuntimeError("the build cache was used from a rendering worker")


def load_side(path: str, version: int) -> dict:
    """A cache file kept beside the build cache (the search module's, the sitemaps' gzip
    copies): its dict when this code (`code_fingerprint`) wrote it in this `version`, else {}."""
    try:
        with open(path, "rb") as f:
            data = pickle.load(f)
        ok = isinstance(data, dict) and data.get("v") == version and data.get("code") == code_fingerprint()
        return data if ok else {}
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return {}


def save_side(path: str, version: int, data: dict) -> None:
    """Write what `load_side(path, version)` reads back (at once: a killed build leaves the
    last file whole)."""
    try:
        _write_pickle(path, {**data, "v": version, "code": code_fingerprint()})
    except OSError:
        pass  # a read-only checkout still builds, only without the cache


def cache_dir(config_dir: str) -> str:
    return os.environ.get("CCHC_CACHE_DIR") or os.path.join(config_dir, ".cache", "cchc")


def open_cache(config_dir: str, fp: str) -> BuildCache | None:
    if not enabled():
        return None
    base = cache_dir(config_dir)
    try:
        return BuildCache(os.path.join(base, "cache.sqlite"), fp)
    except OSError:  # a cache folder that cannot be created (read-only, CCHC_CACHE_DIR elsewhere): no cache
        return None
    except sqlite3.DatabaseError:
        # A damaged cache file is not worth a failed build: start over.
        try:
            os.remove(os.path.join(base, "cache.sqlite"))
            return BuildCache(os.path.join(base, "cache.sqlite"), fp)
        except (OSError, sqlite3.DatabaseError):
            return None


_PLAIN = (type(None), bool, int, float, str, bytes, list, tuple, dict, Markup)


class _PlainPickler(pickle.Pickler):
    """Pickles plain data only: an object of another type may show more than its pickle
    says (a property reading other state), so it has no `value_digest`."""

    def reducer_override(self, obj):
        t = type(obj)
        if t is Markup:
            return Markup, (str(obj),)
        if t in _PLAIN or obj is Markup:  # (the class itself: written by name)
            return NotImplemented
        raise TypeError(f"not plain data: {t.__name__}")


def value_digest(value: Any) -> str | None:
    """A digest of `value` (plain data: lists, tuples, dicts, strings, numbers, Markup) made
    from its values only: pickled without a memo, so that equal values held by one object or
    by two give one digest. None for anything else (another type, a cycle)."""
    buf = io.BytesIO()
    pickler = _PlainPickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - no digest: the caller does the work
        return None
    return hashlib.blake2b(buf.getvalue(), digest_size=20).hexdigest()


# --- what a generated page is made from ----------------------------------------------
# What a page rendered again by its declared key records instead of its exact key (never a
# hexadecimal digest, so no exact key equals it: a build that keys the page exactly renders it).
DECLARED_ONLY = "declared:"


class Uncacheable(Exception):
    """A context value whose content cannot be summarised: the page is rendered every time."""


# Objects pickled by their own means (their reduce holds no source item): not looked at.
_LEAVES = frozenset((Markup, datetime, date, dt_time, timezone, timedelta, type, types.FunctionType,
                     types.BuiltinFunctionType))
_SETS = (set, frozenset)


class _Digest:
    """A file that digests what is written (an item's walk): `h` is replaced for each item."""

    def __init__(self):
        self.h = hashlib.blake2b(digest_size=20)

    def write(self, data) -> int:
        self.h.update(data)
        return len(data)


_MODEL_TYPES: dict[type, bool] = {}


def _is_model(t: type) -> bool:
    """`issubclass(t, BaseModel)`, remembered per type (pydantic's own check is slow)."""
    known = _MODEL_TYPES.get(t)
    if known is None:
        known = _MODEL_TYPES[t] = BaseModel in t.__mro__
    return known


def _cut(value):  # what a summarised object pickles as: a call of this function with its token
    raise RuntimeError("page keys are never unpickled")


def _ordered(s) -> tuple:
    """A set as something that pickles the same whatever its order: its items sorted, behind
    a marker no value of a page can hold (`_cut` itself). (A set's order follows string
    hashes, which differ between processes: PYTHONHASHSEED.)"""
    try:
        return (_cut, type(s).__name__, sorted(s))
    except TypeError:
        return (_cut, type(s).__name__, sorted(s, key=repr))


def _unset(state):
    """`state` (an object's pickled state: a dict, or a (dict, slots) pair) with the sets among
    its values ordered; the same object when there are none."""
    if type(state) is dict:
        if any(type(v) in _SETS for v in state.values()):
            return {k: _ordered(v) if type(v) in _SETS else v for k, v in state.items()}
        return state
    if type(state) is tuple and len(state) == 2:
        a, b = _unset(state[0]), _unset(state[1])
        return state if a is state[0] and b is state[1] else (a, b)
    return state


class _KeyPickler(pickle.Pickler):
    """Pickles a page's inputs, cutting the object graph at source items and module states.

    The C pickler walks lists, dicts, dataclasses, pydantic models and plain objects
    far faster than a Python walk (measured: 5 s → 0.3 s for the 793 pages of the
    small benchmark corpus); ``reducer_override``, which it calls for objects of other
    than the built-in types only, replaces the objects that reach the whole site by a
    short token. (``persistent_id`` did this before, but is called for every string,
    number and tuple too: 2.2 million calls a build on the benchmark's large site, the
    third of computing the keys.)

    Sets are the exception: the C pickler writes them in their order, which follows
    string hashes, different in each process. Sets held by an object's attributes (a
    pydantic model's fields set, a dataclass field) and the page's own values are
    written sorted (`_unset`); a set inside a plain list or dict elsewhere is written in
    its order: the same content still gives a key of its own, but another process may
    give another key, and the page is then rendered again instead of kept.
    """

    def __init__(self, file, digester: "PageDigester", owner: str | None):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        # No memo: with it, an object met twice is written once and then referenced, so
        # equal inputs pickle differently depending on which values happen to be the
        # same object (strings shared or not after a cache load): keys must depend on
        # values only. (A cyclic context then fails to pickle: that page is uncacheable.)
        self.fast = True
        self.digester = digester
        self.owner = owner

    def reducer_override(self, obj):
        t = type(obj)
        if t in _LEAVES:
            return NotImplemented
        if self.owner is not None and _is_model(t):
            # Walking a source item digests it and records its references to other items
            # (`PageDigester._walk_pending`); its validated models hold data parsed from its
            # file, never another item, and their content is already in its file digest.
            return _cut, ("model",)
        if getattr(t, "__cchc_key_memo__", False):
            return _cut, (self.digester._memo(obj, self.owner),)
        key_state = getattr(t, "__cchc_key_state__", None)
        if key_state is not None:
            # An object that refers back to what holds it (a plan's task to its parent row, a
            # quota to its tasks and they to it) says what it shows without the cycle, which
            # a pickler without a memo cannot write: every plan page was uncacheable, so
            # rendered on every build.
            return _cut, (t.__module__, t.__qualname__, key_state(obj))
        if isinstance(obj, type) or t in copyreg.dispatch_table:
            # A class whose metaclass is not `type` (pydantic's, ABCMeta), or a type with a
            # reducer registered with copyreg (compiled regular expressions, `int | None`),
            # which the pickler only consults when this method declines.
            return NotImplemented
        token = self.digester._token(obj, self.owner)
        if token is not None:
            return _cut, (token,)
        rv = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        if type(rv) is tuple and len(rv) > 2:
            state = _unset(rv[2])
            if state is not rv[2]:
                rv = (*rv[:2], state, *rv[3:])
        return rv


class PageDigester:
    """Summarises what each generated page is made from, for one build.

    A page's key covers: the build's fingerprint and what every page shows (the
    navigation, the states its templates read on every page: `every_page`); its own
    OutputPage fields; its context (everything pickle reaches from it); and the
    *closure* of the source items and module states the context reaches.

    Two kinds of objects are not followed inside a page's own inputs, because they
    reach the whole site:
    * items loaded from a source file (an object with a ``source`` attribute naming
      a file under the project: a news item, a procedure…) count as a token (their
      file's digest and URL) in the page's inputs. Each item is walked once per build:
      its attributes are digested (what the build added to it: converted Markdown,
      copied titles) and its references to other items are recorded. A page's key then
      has the digest of every item it reaches, directly or through other items (their
      strongly connected components digested together): an edited title changes the
      pages that show that item, or an item that refers to it, and no other.
      (Validated models inside an item are not digested there: they hold data parsed
      from the item's own file, which its token covers.)
    * module states (the values of ``site.data``) count as what their ``page_key()``
      returns: the few values a page or template reads through the state (URL rules,
      labels). A state without ``page_key`` counts as the whole site (every page's
      fields and every item's digest), as do states a page reaches through an item.
    A context that cannot be pickled (a lambda, an open file) makes the page
    uncacheable: it is rendered on every build.

    Before the closures, every page's key had every page's title, URL and description
    and every reference between items: adding a news item or editing one's title
    rendered the whole site again.
    """

    def __init__(self, site, known_digests: dict[str, str] | None = None, every_page: Iterable[str] = ()):
        self.site = site
        self.known = known_digests or {}
        self.every_page = tuple(every_page)  # states the templates read on every page (the renderer knows)
        self.states = {id(v): k for k, v in site.data.items()}
        self.srcs: dict[int, str | None] = {}
        self.tokens: dict[int, str] = {}  # id of a source item -> its token (the item's node)
        self.is_source: dict[str, bool] = {}
        self.memo: dict[int, tuple] = {}  # id -> (digest, nodes it refers to, the object)
        self.collecting: list[set] = []  # nodes met while summarising a page or memo object (innermost last)
        self.keep: list = []  # objects whose id is remembered stay alive during the build
        self.file_digests: dict[str, str] = {}
        self.walked: set[str] = set()  # item nodes walked or waiting
        self.node_src: dict[str, str] = {}  # item node -> its source file
        self.links: dict[str, set[str]] = {}  # node -> nodes it refers to
        self.content: dict[str, bytes] = {}  # item node -> digest of its attributes
        self.state_nodes: set[str] = set()
        self.pending: list = []  # (item, its node) met but not walked yet
        self.walk_failed = False
        self._walkers: tuple | None = None
        self._sink: _Digest | None = None
        self._picklers: dict = {}  # owner -> (buffer, pickler) not in use (`_pickle`)
        self._whole: bytes | None = None
        self.refs: dict[str, set] = {}  # output path -> nodes its inputs met (`page_keys`)
        self.uncacheable: set[str] = set()  # output paths of pages with no key
        self._states: dict[str, bytes] = {}  # state name -> `_state_digest`
        self.used_whole_site = False  # some page reached a state with no `page_key`

    @property
    def edges(self) -> set[tuple[str, str]]:
        """(file, file) for every reference from one source item to another."""
        src = self.node_src
        return {(src[a], src[b]) for a, bs in self.links.items() if a in src for b in bs if b in src and src[a] != src[b]}

    def _source_file(self, obj) -> str | None:
        src = getattr(obj, "source", None)
        if not isinstance(src, str) or not src:
            return None
        known = self.is_source.get(src)
        if known is None:
            path = os.path.join(self.site.config_dir, src)
            # A file this build read (its digest is known) is one: no stat of each of 6,000 files.
            known = self.is_source[src] = os.path.abspath(path) in self.known or os.path.isfile(path)
        return src if known else None

    def _file_digest(self, src: str) -> str:
        d = self.file_digests.get(src)
        if d is None:
            path = os.path.join(self.site.config_dir, src)
            d = self.known.get(os.path.abspath(path))
            if d is None:
                d = _read_digest(path).hex()
            self.file_digests[src] = d
        return d

    def _memo(self, obj, owner: str | None) -> bytes:
        """The digest of a large derived object that many pages show (a procedure's view: its
        own page and its field's print page), computed once per build.

        It is summarised as a page sees it (owner None), and the nodes met inside are
        remembered: a page or an item that holds it refers to them, as walking it again
        would find (it was: twice per view)."""
        resolve = getattr(type(obj), "cchc_resolve", None)
        if resolve is not None:  # a lazy object (procedures.views.LazyView): what it stands for
            obj = resolve(obj)
        hit = self.memo.get(id(obj))
        t = type(obj)
        if hit is None:
            found: set = set()
            self.collecting.append(found)
            try:
                pickled = self._pickle((t.__module__, t.__qualname__, vars(obj)), None)
                hit = (hashlib.blake2b(pickled, digest_size=20).digest(), frozenset(found), obj)
            except Exception:  # noqa: BLE001 - it cannot be summarised: the pages showing it are rendered every time
                hit = (None, frozenset(found), obj)
            finally:
                self.collecting.pop()
            self.memo[id(obj)] = hit
        if hit[0] is None:
            if owner is None:
                raise Uncacheable(t.__qualname__)
            # An item's walk only needs the references and a digest, and models are cut
            # there: walk it as such, so that what fails as a page input does not stop
            # every page's key.
            self._pickle((t.__module__, t.__qualname__, vars(obj)), owner)
            return b""
        for node in hit[1]:
            self._met(node, owner)
        return hit[0]

    def _met(self, node: str, owner: str | None) -> None:
        for c in self.collecting:
            c.add(node)
        if owner is not None and owner != node:
            links = self.links.get(owner)
            if links is None:
                links = self.links[owner] = set()
            links.add(node)

    def _token(self, obj, owner: str | None):
        oid = id(obj)
        state = self.states.get(oid)
        if state is not None:
            node = "state:" + state
            self.state_nodes.add(node)
            self._met(node, owner)
            return node
        token = self.tokens.get(oid)
        if token is None:
            if oid in self.srcs:  # known not to be a source item
                return None
            try:
                src = self._source_file(obj)
            except Exception:  # an object whose attributes raise: not a source item
                src = None
            self.srcs[oid] = src
            self.keep.append(obj)
            if src is None:
                return None
            token = self.tokens[oid] = f"item:{src}:{self._file_digest(src)}:{getattr(obj, 'url', '')}"
            if token not in self.walked:  # its attributes and references: walked later
                self.walked.add(token)
                self.node_src[token] = src
                self.pending.append((obj, token))
        self._met(token, owner)
        return token

    def _walk_pending(self) -> None:
        """Walk the items met so far, one after another: walking one inside another (as
        pickling meets them) nested ever deeper along chains of references, and a walk
        cut short by Python's recursion limit lost references.

        A walk digests the item's attributes with the references to other items cut
        (recorded as links) and its validated models cut (its file's digest, in its
        token, covers them)."""
        if not self.pending:
            return
        if self._walkers is None:
            self._sink = _Digest()
            # Without a memo first (values only: equal attributes give equal digests however
            # their strings are shared); an item with a cycle of its own is walked again with
            # one. Each pickler serves every item.
            fast = _KeyPickler(self._sink, self, None)
            memo = _KeyPickler(self._sink, self, None)
            memo.fast = False
            self._walkers = (fast, memo)
        while self.pending:
            obj, node = self.pending.pop()
            try:
                state = dict(vars(obj))
                # Attributes that only memoise what pages holding them show through their
                # own context (a procedure's view: `__cchc_key_skip__`), built or not.
                for name in getattr(type(obj), "__cchc_key_skip__", ()):
                    state.pop(name, None)
                state = _unset(state)
            except TypeError:  # no __dict__ (slots): its references are unknown
                self.walk_failed = True
                continue
            fast, memo = self._walkers
            try:
                try:
                    self.content[node] = self._walk(fast, node, state)
                except ValueError:  # "fast mode: can't pickle cyclic objects": with the memo
                    self.content[node] = self._walk(memo, node, state)
            except Exception:  # noqa: BLE001 - references unknown: no page may be kept
                self.walk_failed = True

    def _walk(self, walker: "_KeyPickler", node: str, state: dict) -> bytes:
        walker.owner = node
        walker.clear_memo()
        self._sink.h = hashlib.blake2b(digest_size=20)
        walker.dump(state)
        return self._sink.h.digest()

    def _pickle(self, value, owner: str | None) -> bytes:
        # One pickler per owner, reused (no memo in `fast` mode, so nothing carries over
        # from one value to the next): making one per page was a tenth of the keys.
        picklers = self._picklers
        if picklers.get(owner) is None:
            buf = io.BytesIO()
            picklers[owner] = (buf, _KeyPickler(buf, self, owner))
        buf, pickler = picklers.pop(owner)  # popped: a value pickled inside this one (`_memo`) gets its own
        buf.seek(0)
        buf.truncate()
        try:
            pickler.dump(value)
            return buf.getvalue()
        finally:
            picklers[owner] = (buf, pickler)

    def page_keys(self, pages: list, files: list, fp: str) -> dict[str, str | None]:
        """{output path: key, or None when the page cannot be cached}.

        `fp`: the build's fingerprint plus anything else every page shows (the navigation).
        `files` (the other outputs) count in the whole site's digest (`_whole_site`).
        """
        # Serial: with two forked workers each one walked most source items again (list
        # pages reach them all): slower than one process (3.4 s against 2.6 s).
        local: dict[str, bytes | None] = {}
        refs: dict[str, set] = {}
        names: dict[type, list[str]] = {}  # a page type's fields but its context (`fields` is slow)
        for out in pages:
            own = names.get(type(out))
            if own is None:
                own = names[type(out)] = [f.name for f in dataclasses.fields(out)
                                          if f.name != "context" and f.metadata.get("page_key", True)]
            inputs = [(name, getattr(out, name)) for name in own]
            inputs += sorted(out.context.items(), key=lambda kv: kv[0])
            inputs = [(k, _ordered(v)) if type(v) in _SETS else (k, v) for k, v in inputs]
            found: set = set()
            self.collecting.append(found)
            try:
                local[out.output_path] = hashlib.blake2b(self._pickle(inputs, None), digest_size=20).digest()
            except Exception:  # PicklingError, TypeError, RecursionError…: rendered every time
                local[out.output_path] = None
            finally:
                self.collecting.pop()
            refs[out.output_path] = found
            self._walk_pending()
        self.refs.update(refs)
        self.uncacheable.update(p for p, d in local.items() if d is None)
        if self.walk_failed:
            # Some item's references are unknown, so the closures are: nothing is kept.
            return {out.output_path: None for out in pages}
        every = ["state:" + name for name in self.every_page if name in self.site.data]
        self.state_nodes.update(every)
        base = {node: hashlib.blake2b(node.encode("utf-8", "surrogatepass") + digest, digest_size=20).digest()
                for node, digest in self.content.items()}
        for node in self.state_nodes:
            base[node] = self._state_digest(node[len("state:"):], files)
        closure = _closures(base, self.links)
        common = hashlib.blake2b(fp.encode(), digest_size=20)
        for node in every:
            common.update(closure[node])
        shared = common.digest()
        keys: dict[str, str | None] = {}
        for path, d in local.items():
            if d is None:
                keys[path] = None
                continue
            h = hashlib.blake2b(shared + d, digest_size=20)
            for c in sorted(closure[n] for n in refs[path]):
                h.update(c)
            keys[path] = h.hexdigest()
        return keys

    def _state_digest(self, name: str, files: list) -> bytes:
        """What a page reading the state `name` depends on: its `page_key()`, else the whole site."""
        summary = getattr(self.site.data[name], "page_key", None)
        if summary is None:
            self.used_whole_site = True
            return self._whole_site(files)
        hit = self._states.get(name)
        if hit is None:
            hit = self._states[name] = hashlib.blake2b(
                pickle.dumps((name, summary()), protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()
        return hit

    # --- declared keys ------------------------------------------------------------------
    # The key above is exact, but computing it means building every page's data and
    # pickling it (≈ 2 s of a rebuild of the benchmark's large site, a third of it). A
    # *declared* key is cheap: a page that declares it shows nothing but what its context
    # reaches and the site's structure (`OutputPage.declared`, `Site.structure`) is the
    # same as long as the structure, the fingerprint and the files of the items its key
    # reached last time are. The renderer keeps such a page without its exact key while
    # the structure is unchanged (an edited news text or procedure text), and computes
    # exact keys for the rest; `CCHC_CHECK_KEYS=1` makes it compare every page kept so
    # with its exact key (tests/test_bench_warm.py edits a site at random under it).

    def sources(self, path: str) -> tuple | None:
        """(files, states) of the page at `path` as keyed by `page_keys`: the source files of
        the items its inputs reach, directly or through other items, and the module states
        they meet; None when it has no key or meets a state without `page_key`."""
        if path in self.uncacheable or path not in self.refs:
            return None
        seen: set[str] = set()
        todo = list(self.refs[path])
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo.extend(self.links.get(node, ()))
        files, states = set(), set()
        for node in seen:
            if node.startswith("state:"):
                name = node[len("state:"):]
                if not self._summarised(name):
                    return None
                states.add(name)
            else:
                src = self.node_src.get(node)
                if src is None:
                    return None
                files.add(src)
        return tuple(sorted(files)), tuple(sorted(states))

    def declared_common(self, fp: str, structure: str) -> bytes | None:
        """What every declared key has: the fingerprint (with the navigation), the site's
        structure and the states every page reads; None when one of those has no `page_key`."""
        h = hashlib.blake2b(b"declared\0" + fp.encode("utf-8", "surrogatepass") + b"\0" + structure.encode(),
                            digest_size=20)
        for name in self.every_page:
            if name in self.site.data:
                if not self._summarised(name):
                    return None
                h.update(self._state_digest(name, []))
        return h.digest()

    def declared_key(self, common: bytes, path: str, sources: tuple) -> str | None:
        """The declared key of the page at `path` made from `sources` (see `sources`); None
        when one of its files or states is gone."""
        files, states = sources
        h = hashlib.blake2b(common + path.encode("utf-8", "surrogatepass"), digest_size=20)
        try:
            for src in files:
                h.update(b"\0f" + src.encode("utf-8", "surrogatepass") + b"\0" + self._file_digest(src).encode())
        except OSError:
            return None
        for name in states:
            if not self._summarised(name):
                return None
            h.update(b"\0s" + name.encode() + self._state_digest(name, []))
        return h.hexdigest()

    def _summarised(self, name: str) -> bool:
        """The state `name` exists and counts as its `page_key()` (not as the whole site)."""
        return getattr(self.site.data.get(name), "page_key", None) is not None

    def _whole_site(self, files: list) -> bytes:
        """Every page's fields, every other output's path and every item's digest and
        references: for pages that read a state with no `page_key` (it may reach anything)."""
        if self._whole is None:
            s = hashlib.blake2b(digest_size=20)
            for out in self.site.pages():
                s.update(repr((out.url, out.title, out.description, out.lang, out.section, out.template,
                               out.lastmod.isoformat() if out.lastmod else None, sorted(out.alternates.items()),
                               out.sitemap, out.search_kind, out.nav_stub)).encode("utf-8", "surrogatepass"))
            for f in files:
                s.update(b"file:" + f.path.encode())
            for node in sorted(self.content):
                s.update(node.encode("utf-8", "surrogatepass") + self.content[node])
                s.update(repr(sorted(self.links.get(node, ()))).encode("utf-8", "surrogatepass"))
            self._whole = s.digest()
        return self._whole


def _closures(base: dict[str, bytes], links: dict[str, set[str]]) -> dict[str, bytes]:
    """{node: digest of the node and of everything it reaches through `links`}.

    Nodes that reach each other (a news item and the procedure it relates, which lists
    the news relating it) form one strongly connected component, digested as one:
    Tarjan's algorithm, iterative (chains of references are longer than Python's
    recursion limit), finishes every component after those it reaches."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: dict[str, bytes] = {}
    empty: tuple = ()
    for root in base:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(links.get(root, empty)))]
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(links.get(nxt, empty))))
                    break
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    members = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        members.append(w)
                        if w == node:
                            break
                    inside = set(members)
                    h = hashlib.blake2b(digest_size=20)
                    for d in sorted(base[m] for m in members):
                        h.update(d)
                    h.update(b"->")
                    for d in sorted({out[n] for m in members for n in links.get(m, empty) if n not in inside}):
                        h.update(d)
                    d = h.digest()
                    for m in members:
                        out[m] = d
    return out
