"""QR codes on printed procedures: the mask chosen quickly is the one qrcode would choose."""

from __future__ import annotations

import random

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from cchc.procedures import qr


def _addresses():
    rnd = random.Random(7)
    words = ["thu-tuc", "cap", "giay-phep", "hanh-nghe", "kham-benh", "y-te", "so", "bhyt", "1.014331"]
    out = [f"https://syt.example.gov.vn/thu-tuc/{'-'.join(rnd.choice(words) for _ in range(rnd.randint(1, 16)))}/"
           for _ in range(150)]
    # a tiny code, digits only, a long address (a large version), text with Vietnamese letters
    return out + ["x", "1014331", "https://benhvien.example.vn/" + "a" * 400, "Sở Y tế Đà Nẵng"]


def _reference(data: str):
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data(data)
    q.best_fit()
    mask = q.best_mask_pattern()
    q.mask_pattern = mask
    q.make(fit=False)
    return mask, q.get_matrix()


def test_same_mask_and_modules_as_qrcode():
    for data in _addresses():
        mask, matrix = _reference(data)
        got_mask, n, path = qr._draw(data)
        assert got_mask == mask, data
        assert n == len(matrix)
        # The path draws exactly the dark modules of qrcode's matrix.
        dark = set()
        for seg in path.split("M")[1:]:
            xy, _, length = seg.partition("h")
            x, y = xy.split(" ")
            x, y = int(x) - 4, int(float(y) - 0.5) - 4
            dark.update((y, x + i) for i in range(int(length)))
        assert dark == {(y, x) for y, row in enumerate(matrix) for x, v in enumerate(row) if v}, data


def test_penalty_matches_qrcode_lost_point():
    from qrcode import util

    for data in _addresses()[:40]:
        q = qr._Probe(error_correction=ERROR_CORRECT_M, border=0)
        q.add_data(data)
        q.best_fit()
        for mask in range(8):
            q.makeImpl(True, mask)
            rows = [qr._bits(row) for row in q.modules]
            assert qr._penalty(rows, q.modules_count) == util.lost_point(q.modules), (data, mask)


def test_cached_mask_is_reused():
    mask, n, path = qr._draw("https://a.example.vn/thu-tuc/1/")
    other = (mask + 1) % 8
    assert qr._draw("https://a.example.vn/thu-tuc/1/", other)[0] == other
