"""QR codes of page addresses, as small inline SVG for printed notices.

The `qrcode` package computes the matrix. Its own SVG writers emit one square per
dark module (~9 KB for a page address); here each horizontal run of modules is one
stroked line segment, which brings the same code to ~2 KB. Choosing the best of the eight
mask patterns is most of the cost (~6 ms of ~7 ms per code), so the chosen mask is
remembered per address in a small cache file next to mkdocs.yml (`.cache/`, ignored
by git): later builds draw the same, best-masked code in ~1 ms.
"""

from __future__ import annotations

import json
import os
import threading
from html import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M

_lock = threading.Lock()


class MaskCache:
    def __init__(self, path: str | None):
        self.path = path
        self.masks: dict[str, int] = {}
        self.dirty = False
        if path and os.path.isfile(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if isinstance(data, dict):
                    self.masks = {str(k): int(v) for k, v in data.items() if isinstance(v, int) and 0 <= v <= 7}
            except (OSError, ValueError):
                self.masks = {}

    def save(self) -> None:
        if not (self.path and self.dirty):
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            tmp = self.path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(self.masks, fh, sort_keys=True)
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            # A read-only checkout only loses the speed-up, never the QR code.
            pass


def _best_mask(data: str) -> int:
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data(data)
    q.best_fit()
    return q.best_mask_pattern()


def prefetch(addresses, cache: MaskCache) -> None:
    """Choose the masks of many codes at once, on every core (cchc.fastbuild): on a cold
    build of 1,000 procedures the mask search alone was ~7% of the build, serial."""
    from .. import fastbuild

    todo = sorted({a for a in addresses if a not in cache.masks})
    if not todo:
        return
    for address, mask in zip(todo, fastbuild.map_all(todo, _best_mask)):
        cache.masks[address] = mask
    cache.dirty = True


def matrix(data: str, cache: MaskCache | None = None) -> list[list[bool]]:
    mask = cache.masks.get(data) if cache is not None else None
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data(data)
    q.best_fit()
    if mask is None:
        mask = q.best_mask_pattern()  # what make() would choose
        if cache is not None:
            with _lock:
                cache.masks[data] = mask
                cache.dirty = True
    q.mask_pattern = mask
    q.make(fit=False)
    return q.get_matrix()


def svg(data: str, label: str, cache: MaskCache | None = None, size: str = "30mm") -> str:
    """Inline SVG of the QR code for `data`, with an accessible name."""
    m = matrix(data, cache)
    n = len(m)
    quiet = 4  # the quiet zone the standard asks for
    parts = []
    for y, row in enumerate(m):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                parts.append(f"M{start + quiet} {y + quiet}.5h{x - start}")
            else:
                x += 1
    total = n + 2 * quiet
    return (
        f'<svg class="cchc-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {total}" '
        f'width="{size}" height="{size}" role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{total}" height="{total}" fill="#fff"/>'
        f'<path stroke="#000" stroke-width="1" fill="none" d="{"".join(parts)}"/></svg>'
    )
