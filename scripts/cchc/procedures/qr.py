"""QR codes of page addresses, as small inline SVG for printed notices.

The `qrcode` package computes the matrix. Its own SVG writers emit one square per
dark module (~9 KB for a page address); here each horizontal run of modules is one
stroked line segment, which brings the same code to ~2 KB. Choosing the best of the eight
mask patterns is most of the cost (~6 ms of ~7 ms per code), and drawing the chosen
code another ~1.5 ms. The mask is therefore chosen here (`_best_mask`): the same
penalty rules as qrcode's, scored on rows held as integers and strings, so that
regular expressions and bit counts do in C what qrcode does module by module
(≈ 1 ms instead of ≈ 7 ms a code; tests/test_qr.py checks that both choose the same
mask). Both the mask and the drawing (the SVG path) are remembered
per address in a small cache file (`.cache/cchc/qr-masks.json` next to mkdocs.yml,
ignored by git; tagged with the code and dependency versions, whose change empties it): a rebuild
that changes one procedure draws one code.
"""

from __future__ import annotations

import json
import os
import re
import threading
from functools import lru_cache
from html import escape
from typing import Callable

from .. import buildcache

_lock = threading.Lock()
_QUIET = 4  # the quiet zone the standard asks for


class MaskCache:
    """Per address: the chosen mask (`masks`) and the drawn path with its size (`paths`)."""

    def __init__(self, path: str | None):
        self.path = path
        self.masks: dict[str, int] = {}
        self.paths: dict[str, tuple[int, str]] = {}
        self.dirty = False
        if path and os.path.isfile(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if isinstance(data, dict) and data.get("version") == buildcache.code_fingerprint():
                    for k, v in (data.get("codes") or {}).items():
                        mask, n, d = v
                        if isinstance(mask, int) and 0 <= mask <= 7 and isinstance(n, int) and isinstance(d, str):
                            self.masks[str(k)] = mask
                            self.paths[str(k)] = (n, d)
            except (OSError, ValueError, TypeError):
                self.masks, self.paths = {}, {}

    def save(self) -> None:
        if not (self.path and self.dirty):
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            tmp = self.path + ".tmp"
            codes = {k: [self.masks[k], *self.paths[k]] for k in self.paths if k in self.masks}
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump({"version": buildcache.code_fingerprint(), "codes": codes}, fh, sort_keys=True)
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            # A read-only checkout only loses the speed-up, never the QR code.
            pass


@lru_cache(maxsize=None)
def _probe_class() -> type:
    """`_Probe`: qrcode is imported when a code is first drawn, not by every build (a rebuild
    finds its codes in the cache file; importing qrcode was ≈ 5 ms of each)."""
    import qrcode

    class _Probe(qrcode.QRCode):
        """A QRCode that remembers which modules carry data (the ones masks flip)."""

        free: list[list[bool]] | None = None

        def map_data(self, data, mask_pattern):
            self.free = [[v is None for v in row] for row in self.modules]
            super().map_data(data, mask_pattern)

    return _Probe


def __getattr__(name: str):
    if name == "_Probe":
        return _probe_class()
    raise AttributeError(name)


_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
)
_RUNS = (re.compile("0{5,}"), re.compile("1{5,}"))
# 1:1:3:1:1 beside 4 light modules. Neither pattern overlaps itself, so str.count,
# which counts without overlaps, counts every position where one starts.
_FINDER_LIKE = ("10111010000", "00001011101")


def _bits(row) -> int:
    """A row of modules as an integer, the first module as the highest bit."""
    return int("".join("1" if v else "0" for v in row), 2)


@lru_cache(maxsize=None)
def _mask_rows(n: int, mask: int) -> tuple[int, ...]:
    f = _MASKS[mask]
    return tuple(_bits(f(i, j) for j in range(n)) for i in range(n))


def _penalty(rows: list[int], n: int) -> int:
    """ISO/IEC 18004 mask penalty, computed as qrcode's util.lost_point computes it."""
    lines = [format(r, f"0{n}b") for r in rows]
    # Rows and columns in one string, "|" between them so that no pattern spans two.
    text = "|".join(lines + ["".join(col) for col in zip(*lines)])
    runs = _RUNS[0].findall(text) + _RUNS[1].findall(text)
    score = sum(map(len, runs)) - 2 * len(runs)  # each run of 5 or more: 3 + (length − 5)
    score += 40 * sum(text.count(p) for p in _FINDER_LIKE)
    pairs = (1 << (n - 1)) - 1
    full = (1 << n) - 1
    for a, b in zip(rows, rows[1:]):  # 2×2 blocks of one colour
        same = ~(a ^ b) & full
        score += 3 * (same & (same >> 1) & ~(a ^ (a >> 1)) & pairs).bit_count()
    dark = sum(r.bit_count() for r in rows)
    return score + int(abs(float(dark) / (n * n) * 100 - 50) / 5) * 10


def _best_mask(q) -> int:
    """The mask qrcode's best_mask_pattern() chooses, without building eight matrices."""
    q.makeImpl(True, 0)
    if q.free is None:  # pragma: no cover - a qrcode that no longer calls map_data
        return q.best_mask_pattern()
    n = q.modules_count
    zero = _mask_rows(n, 0)
    fixed, free, raw = [], [], []
    for i, (row, fr) in enumerate(zip(q.modules, q.free)):
        f = _bits(fr)
        v = _bits(row)
        fixed.append(v & ~f)
        free.append(f)
        raw.append((v ^ zero[i]) & f)  # the data bits before masking
    best, best_score = 0, None
    for mask in range(8):
        rows = [fx | ((rw ^ m) & fr) for fx, rw, m, fr in zip(fixed, raw, _mask_rows(n, mask), free)]
        score = _penalty(rows, n)
        if best_score is None or score < best_score:
            best, best_score = mask, score
    return best


def _draw(data: str, mask: int | None = None) -> tuple[int, int, str]:
    """(mask, size in modules, SVG path of the dark runs) of the code for `data`."""
    from qrcode.constants import ERROR_CORRECT_M

    q = _probe_class()(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data(data)
    q.best_fit()
    if mask is None:
        mask = _best_mask(q)  # what make() would choose
    q.mask_pattern = mask
    q.make(fit=False)
    m = q.get_matrix()
    n = len(m)
    parts = []
    for y, row in enumerate(m):
        for run in re.finditer("1+", "".join("1" if v else "0" for v in row)):
            parts.append(f"M{run.start() + _QUIET} {y + _QUIET}.5h{run.end() - run.start()}")
    return mask, n, "".join(parts)


def prefetch(addresses, cache: MaskCache, beside: Callable[[], object] | None = None) -> None:
    """Draw many codes at once, on every core (cchc.fastbuild): on a cold build of
    1,000 procedures the mask search alone was ~7% of the build, serial. `beside`: a
    step this process runs meanwhile (fastbuild.map_all_beside), and in any case."""
    from .. import fastbuild

    todo = sorted({a for a in addresses if a not in cache.paths})
    if todo:
        _probe_class()  # imported once, before the workers are forked
    _, drawn = fastbuild.map_all_beside(beside or (lambda: None), todo, lambda a: _draw(a, cache.masks.get(a)))
    for address, (mask, n, d) in zip(todo, drawn):
        cache.masks[address] = mask
        cache.paths[address] = (n, d)
    if todo:
        cache.dirty = True


def _path(data: str, cache: MaskCache | None) -> tuple[int, str]:
    if cache is not None and data in cache.paths:
        return cache.paths[data]
    mask, n, d = _draw(data, cache.masks.get(data) if cache is not None else None)
    if cache is not None:
        with _lock:
            cache.masks[data] = mask
            cache.paths[data] = (n, d)
            cache.dirty = True
    return n, d


def svg(data: str, label: str, cache: MaskCache | None = None, size: str = "30mm") -> str:
    """Inline SVG of the QR code for `data`, with an accessible name."""
    n, d = _path(data, cache)
    total = n + 2 * _QUIET
    return (
        f'<svg class="cchc-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {total}" '
        f'width="{size}" height="{size}" role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{total}" height="{total}" fill="#fff"/>'
        f'<path stroke="#000" stroke-width="1" fill="none" d="{d}"/></svg>'
    )
