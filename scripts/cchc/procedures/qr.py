"""QR codes of page addresses, as small inline SVG for printed notices.

The `qrcode` package computes the matrix. Its own SVG writers emit one square per
dark module (~9 KB for a page address); here each horizontal run of modules is one
stroked line segment, which brings the same code to ~2 KB. Choosing the best of the eight
mask patterns is most of the cost (~6 ms of ~7 ms per code), and drawing the chosen
code another ~1.5 ms, so both the mask and the drawing (the SVG path) are remembered
per address in a small cache file (`.cache/cchc/qr-masks.json` next to mkdocs.yml,
ignored by git; tagged with the code and dependency versions, whose change empties it): a rebuild
that changes one procedure draws one code.
"""

from __future__ import annotations

import json
import os
import threading
from html import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M

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


def _draw(data: str, mask: int | None = None) -> tuple[int, int, str]:
    """(mask, size in modules, SVG path of the dark runs) of the code for `data`."""
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data(data)
    q.best_fit()
    if mask is None:
        mask = q.best_mask_pattern()  # what make() would choose
    q.mask_pattern = mask
    q.make(fit=False)
    m = q.get_matrix()
    n = len(m)
    parts = []
    for y, row in enumerate(m):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                parts.append(f"M{start + _QUIET} {y + _QUIET}.5h{x - start}")
            else:
                x += 1
    return mask, n, "".join(parts)


def prefetch(addresses, cache: MaskCache) -> None:
    """Draw many codes at once, on every core (cchc.fastbuild): on a cold build of
    1,000 procedures the mask search alone was ~7% of the build, serial."""
    from .. import fastbuild

    todo = sorted({a for a in addresses if a not in cache.paths})
    if not todo:
        return
    for address, (mask, n, d) in zip(todo, fastbuild.map_all(todo, lambda a: _draw(a, cache.masks.get(a)))):
        cache.masks[address] = mask
        cache.paths[address] = (n, d)
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
