"""Search tokens: the one definition shared by the index builder and search.js.

A token has two forms:

* the *exact* form: NFC, lower-case, tone placement unified ("Hoà" and "hòa"
  both give "hòa"), used to rank exact-diacritic matches first;
* the *key*: the exact form with every diacritic removed and đ→d ("hoa"),
  which is what the index is looked up by, so "hoa", "hòa", "hoá" and "hoả"
  find the same postings.

Digit groups joined by "." or "," are one number ("1.014331" → "1014331",
"1.500.000" → "1500000"), so a procedure code is found typed with or without
its dot. search.js (overrides/assets/cchc/search.js) implements the same rules;
tests/test_search_tokens.py runs both on the same strings in Chromium.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from ..text import fold, unify_tone_placement

# Letters and digits (Python's \w without "_"); combining marks never survive NFC
# in Vietnamese text.
_TOKEN_RE = re.compile(r"[^\W_]+")
_NUM_JOIN_RE = re.compile(r"(?<=\d)[.,](?=\d)")
# The artefacts cchc.text maps before anything else (PDF "ƣ" for "ư", invisible
# spaces and hyphens); looked for first, since most text has none.
_ODD_RE = re.compile("[\u01a3\u01a2\u00a0\u2007\u202f\u200b\ufeff\u00ad]")
_ODD_MAP = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
                          "\u200b": "", "\ufeff": "", "\u00ad": ""})


@lru_cache(maxsize=200_000)
def exact_form(token: str) -> str:
    return unify_tone_placement(token.lower())


@lru_cache(maxsize=200_000)
def key_of(exact: str) -> str:
    return fold(exact)


def _raw_tokens(text: str) -> list[str]:
    s = unicodedata.normalize("NFC", text)
    if _ODD_RE.search(s):
        s = s.translate(_ODD_MAP)
    return _TOKEN_RE.findall(_NUM_JOIN_RE.sub("", s.lower()))


def tokenize(text: str) -> list[str]:
    """Exact forms of the tokens of `text`, in order."""
    if not text:
        return []
    return [exact_form(t) for t in _raw_tokens(text)]


def raw_counts(text: str) -> dict[str, int]:
    """How often each whitespace-separated chunk (lower-case NFC) occurs in `text`.

    The fast path for page bodies: splitting and counting run in C; each distinct
    chunk ("bệnh,", "(1.014331)") is turned into tokens by `chunk_tokens` once per
    build, not once per page.
    """
    if not text:
        return {}
    s = unicodedata.normalize("NFC", text)
    if _ODD_RE.search(s):
        s = s.translate(_ODD_MAP)
    return dict(Counter(s.lower().split()))


@lru_cache(maxsize=200_000)
def chunk_tokens(chunk: str) -> tuple[str, ...]:
    """Exact forms of the tokens in one chunk of `raw_counts` (same result as `tokenize`).

    Remembered: pages share most of their chunks ("thủ", "tục,"), and each page's
    posting bits look up every chunk it has (≈ 3 s of CPU on 6,000 pages uncached)."""
    return tuple(exact_form(t) for t in _TOKEN_RE.findall(_NUM_JOIN_RE.sub("", chunk)))


def has_diacritics(exact: str) -> bool:
    return key_of(exact) != exact
