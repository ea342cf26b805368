"""Rendering many independent pages on every core.

Generated pages (news, procedures, plans…) are rendered with Material's Jinja
environment in ``on_post_build``: on a large site that is the largest share of a
build (58% of the 5,000-news + 1,000-procedure benchmark, profiled with py-spy),
and each page is independent of the others. Python threads would not help (the
GIL), and a process pool would have to pickle the Jinja environment, MkDocs'
navigation and every model; ``fork`` gives each worker all of that for free,
copy-on-write. The processes take the pages a chunk at a time (`map_all`): pages are
written by the worker itself, and what comes back (pickled, through a temporary
file) is small: a written page's size, time and digest and its search counts;
parsed files, converted Markdown, QR masks; or a worker's error.

Serial (no fork) when: one core, ``CCHC_JOBS=1``, few pages, no ``os.fork``
(Windows), or other threads are running (``mkdocs serve``'s live-reload server:
forking a multi-threaded process can deadlock on a lock held by another thread).
The output does not depend on the number of workers.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import tempfile
import threading
import traceback
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

MIN_PAGES_PER_JOB = 100
MIN_ITEMS_PER_MAP_JOB = 50


def default_jobs() -> int:
    env = os.environ.get("CCHC_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


_background: list[threading.Thread] = []


def in_background(step: Callable[[], object]) -> Callable[[], object]:
    """Start `step` in a thread and return a function that waits for it and gives its
    result (or raises its exception).

    For steps that spend their time outside the interpreter (SQLite writing the build
    cache), so that the build goes on meanwhile. Forking while such a thread runs is
    unsafe: `map_all` waits for these threads first when it is about to fork."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = step()
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
            box["error"] = exc

    thread = threading.Thread(target=run, name="cchc-background", daemon=True)
    _background.append(thread)
    thread.start()

    def wait():
        thread.join()
        if thread in _background:
            _background.remove(thread)
        if "error" in box:
            raise box["error"]
        return box.get("value")

    return wait


def in_child(step: Callable[[], object]) -> Callable[[], object]:
    """`in_background`, in a forked process when forking is safe (`can_fork`), else in a
    thread: for a step that reads the file system while this process, on one core, goes on
    (listing the previous output of a rebuild, 0.1 s on the large benchmark, competed with
    the build for the interpreter in a thread). The result comes back pickled (a temporary
    file, read when waited for); the step's other effects stay in the child."""
    if not can_fork():
        return in_background(step)
    pid, out = _fork(step)

    def wait():
        ok, value = _answer(pid, out)
        if not ok:
            raise RuntimeError(f"a child process failed:\n{value}")
        return value

    return wait


def _join_background() -> None:
    while _background:
        _background.pop().join()


_in_worker = False


def in_worker() -> bool:
    """True in a process forked by `map_all`: what belongs to the build's process alone (the
    build cache's database connection) must not be used there."""
    return _in_worker


def map_all(items: Sequence[T], work: Callable[[T], object], jobs: int | None = None,
            *, min_per_job: int = MIN_ITEMS_PER_MAP_JOB) -> list:
    """``[work(item) for item in items]``, computed on every core.

    For pure work whose result is small next to its cost (Markdown conversion,
    parsing and validating a file, a QR code's mask): each forked worker computes a
    share and sends its results back pickled (a temporary file); the parent computes
    its own share meanwhile. Results come back in the order of `items`, whatever the
    number of workers. An exception in a worker is re-raised in the parent as
    RuntimeError with the worker's traceback; the parent's own exceptions propagate
    unchanged. Serial (no fork) in the cases above.
    """
    return _map(items, work, jobs, min_per_job, None)[1]


def map_all_beside(side: Callable[[], object], items: Sequence[T], work: Callable[[T], object],
                   jobs: int | None = None, *, min_per_job: int = MIN_ITEMS_PER_MAP_JOB) -> tuple[object, list]:
    """``(side(), map_all(items, work))``: the calling process runs `side` first, then takes
    its part of `items`, while the workers take theirs from the start; the shares follow
    (see `_map`), so a serial step costs the build about half its time. `side` runs in
    this process: what it changes here stays (a worker's changes are lost)."""
    return _map(items, work, jobs, min_per_job, side)


def _chunk_size(n: int, jobs: int) -> int:
    # About 128 chunks a process: the process that takes the last chunk ends at most one
    # small chunk after the others (rendering the large benchmark: 30 pages, ≈ 0.1 s), and
    # taking one costs a pipe read. The chunk numbers (4 bytes each) must fit the pipe's
    # buffer, written before the fork: 64 KiB on Linux, 4,096 numbers are safe everywhere.
    return max(1, -(-n // min(4096, jobs * 128)))


def _map(items: Sequence[T], work: Callable[[T], object], jobs: int | None, min_per_job: int,
         side: Callable[[], object] | None) -> tuple[object, list]:
    """The processes take the items a chunk at a time, in a shared order, so each ends at
    about the same moment whatever the items cost (a fixed, interleaved share left one
    process working ~0.8 s alone at the end of a large build's rendering), and the process
    that ran `side` takes fewer. The chunk numbers wait in a pipe, written whole before the
    fork: reading 4 bytes is atomic, and reading at the end finds it empty and closed."""
    jobs = min(jobs or default_jobs(), max(1, len(items) // min_per_job))
    if jobs > 1:
        _join_background()
    if jobs <= 1 or not can_fork():
        side_value = side() if side is not None else None
        return side_value, [work(item) for item in items]
    size = _chunk_size(len(items), jobs)
    chunks = -(-len(items) // size)
    claims, feed = os.pipe()
    try:
        os.write(feed, b"".join(k.to_bytes(4, "big") for k in range(chunks)))
    finally:
        os.close(feed)

    results: list = [None] * len(items)

    def take() -> list:
        done = []
        while True:
            token = os.read(claims, 4)
            if not token:
                return done
            k = int.from_bytes(token, "big")
            done.append((k, [work(item) for item in items[k * size:(k + 1) * size]]))

    def place(parts: list) -> None:
        for k, part in parts:
            results[k * size:(k + 1) * size] = part

    def stop_workers() -> None:
        while os.read(claims, 4096):  # leave nothing to take: they stop after their current chunk
            pass

    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, object]] = []
    # Keep the collector from touching (and so copying) the parent's objects in the workers.
    # No gc.collect() first: on the large benchmark each one walked ≈ 400 MB of objects,
    # 0.2–0.27 s a call, serial; garbage frozen here is collected after `unfreeze`. Objects
    # frozen before (`long_lived`) stay frozen.
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        for _ in range(1, jobs):
            # Each worker streams its results into a temporary file, which the parent reads
            # after the worker has exited: a pipe made both sides hold the whole answer at
            # once (the results, their pickle, the chunks read and their join) while the
            # worker's memory was still there, at the peak of a large build.
            children.append(_fork(take))
        error: BaseException | None = None
        side_value = None
        try:
            if side is not None:
                side_value = side()
            parts = take()
        except BaseException as exc:  # noqa: BLE001 - re-raised after the workers are reaped
            error = exc
            parts = []
            stop_workers()
        place(parts)
        for pid, out in children:
            ok, value = _answer(pid, out, read=error is None)
            if error is not None:
                continue
            if not ok:
                error = RuntimeError(f"a worker failed:\n{value}")
                stop_workers()
            else:
                place(value)
        if error is not None:
            raise error
        return side_value, results
    finally:
        os.close(claims)
        if not frozen_before:
            gc.unfreeze()


def _fork(compute: Callable[[], object]) -> tuple[int, object]:
    """(pid, temporary file) of a forked process that writes ``(True, compute())`` pickled into
    the file, or ``(False, its traceback)``, and exits."""
    import pickle

    out = tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child
        global _in_worker
        _in_worker = True
        code = 0
        try:
            try:
                pickle.dump((True, compute()), out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
                code = 1
                out.seek(0)
                out.truncate()
                pickle.dump((False, traceback.format_exc()), out)
            out.flush()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    return pid, out


def _answer(pid: int, out, read: bool = True) -> tuple[bool, object]:
    """What the process `_fork` made wrote, once it has exited: ``(True, result)`` or
    ``(False, traceback or exit status)``; ``(False, None)`` without reading it (`read`)."""
    import pickle

    _, status = os.waitpid(pid, 0)
    try:
        if not read:
            return False, None
        try:
            out.seek(0)
            return pickle.load(out)
        except Exception:  # noqa: BLE001 - the process died before it could answer
            return False, f"exit status {status}"
    finally:
        out.close()


_kept_until_exit: list = []
_kept_until_exit.append(_kept_until_exit)  # a cycle: only the collector could free it


def keep_until_exit(*objects) -> None:
    """Let the interpreter exit without freeing `objects` (and all they reach) one by one.

    At exit, CPython clears every module, which frees each object whose last reference
    goes; for a build's millions of small objects that takes seconds. Held here in a
    reference cycle that the collector is told to ignore (gc.freeze), they are never
    freed: the process ends and the system reclaims its memory whole. Nothing in them
    needs a finaliser (files are written and closed, the cache database is closed
    before). For a process that is about to exit only: one that ran several builds
    in-process through MkDocs' `build` command would keep all of them."""
    _kept_until_exit.extend(objects)
    gc.freeze()


@contextlib.contextmanager
def long_lived():
    """Build data that lives until the end of the build without the cyclic garbage collector.

    Loading a site creates millions of objects that all stay (parsed files, models, pages'
    data). Python's collector runs again and again while they are created, each full
    collection walking all of them: on the large benchmark that was ≈ 2.5 s of a 10 s warm
    rebuild (py-spy shows it as time in whatever line was running). Here the collector is
    off while they are built, and they are then frozen (gc.freeze): later collections skip
    them. Plain garbage is still freed at once (reference counts); only cycles made in the
    block wait for `release_long_lived`."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release_long_lived() -> None:
    """Hand what `long_lived` froze back to the collector and collect it (`mkdocs serve`: before
    each new build, once the last build's data is dropped: that data is held in reference
    cycles, between templates and their environment for one, so without this collection the
    next `long_lived` would freeze it again, and every rebuild would keep the one before).
    Nothing to do, and nothing paid, in a process's first build."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
