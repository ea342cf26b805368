"""Vietnamese text handling: normalisation, accent folding, slugs.

Real input mixes NFC and NFD (Windows IME, PDF and Word conversions), carries
PDF artefacts ("ƣ" for "ư"), no-break spaces and doubled spaces, and writes the
tone mark of open oa/oe/uy syllables in two places ("hoà" and "hòa"). Everything
that compares, indexes or slugs text goes through this module.

No library does this: `unicodedata` handles NFC/NFD but not đ/Đ (which have no
decomposition) nor the tone-placement variants; `python-slugify`/`unidecode`
transliterate but do not unify tone placement, so "hoà" and "hòa" would only
meet after all diacritics are stripped, which loses the exact-match ranking the
search needs. The rules are small and written down in shared/domain.md §5.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "nfc",
    "clean_line",
    "clean_block",
    "strip_control",
    "unify_tone_placement",
    "fold",
    "slugify",
    "is_nfc",
]

# Characters mapped before anything else.
_CHAR_MAP = str.maketrans(
    {
        "\u01a3": "ư",  # "ƣ" (LATIN SMALL LETTER OI), a PDF-conversion artefact for ư
        "\u01a2": "Ư",
        "\u00a0": " ",  # no-break space
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": "",  # zero-width space
        "\ufeff": "",  # byte-order mark pasted mid-text
        "\u00ad": "",  # soft hyphen
    }
)

# `str.translate` looks every character up in a dict (≈ 3 s for the benchmark's 40
# million characters); a regex search in C finds the rare text that needs it first.
_CHAR_MAP_RE = re.compile("[" + "".join(chr(c) for c in _CHAR_MAP) + "]")


def _map_chars(s: str) -> str:
    return s.translate(_CHAR_MAP) if _CHAR_MAP_RE.search(s) else s


# C0/C1 control characters that break XML and have no meaning in content
# (tab, newline and carriage return are kept; form feed and the rest go), plus
# lone surrogates, which cannot be encoded at all.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# A run of whitespace that is not one plain space (a plain space is left as it is: `sub`
# then returns the text itself; replacing each of a text's spaces by a space cost ≈ 50 ns a
# character).
_SPACES_RE = re.compile(r"[ \t\r\n\f\v]{2,}|[\t\r\n\f\v]")
# Any character that `clean_block` maps, drops or joins: most text holds none, and one scan
# finds that out (two scans, for the map and the controls, were ≈ 10 ns a character).
_DIRTY_RE = re.compile("[\r" + "".join(chr(c) for c in _CHAR_MAP) + _CONTROL_RE.pattern[1:])
_INLINE_SPACES_RE = re.compile(r"[ \t]{2,}")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def is_nfc(s: str) -> bool:
    return unicodedata.is_normalized("NFC", s)


def strip_control(s: str) -> str:
    """Remove characters that are invalid in XML 1.0 and meaningless in text."""
    return _CONTROL_RE.sub("", s)


def clean_line(s: str) -> str:
    """A one-line field: NFC, artefacts mapped, controls dropped, spaces collapsed."""
    s = nfc(s) if _DIRTY_RE.search(s) is None else strip_control(_map_chars(nfc(s)))
    return _SPACES_RE.sub(" ", s).strip()


def clean_block(s: str) -> str:
    """A multi-line field or Markdown body: NFC, artefacts mapped, controls dropped.

    Line structure is kept (Markdown depends on it); runs of spaces inside a line
    are kept too, since Markdown uses two trailing spaces for a line break. Line
    endings become "\\n".
    """
    if _DIRTY_RE.search(s) is None:
        return nfc(s)  # (NFC composes; it makes none of the characters above)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return strip_control(_map_chars(nfc(s)))


# --- tone placement -------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Open syllables whose tone mark is written on either vowel: oa, oe, uy with no
# final consonant ("hoà"/"hòa", "khoẻ"/"khỏe", "thuỷ"/"thủy"). "qu" + y is not one
# of them ("quý" has a single spelling).
_OPEN_PAIR_RE = re.compile(r"(?<![q])(oa|oe|uy)$")


def _unify_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return word
    base = "".join(c for c in decomposed if c not in _TONES)
    base_nfc = unicodedata.normalize("NFC", base)
    m = _OPEN_PAIR_RE.search(base_nfc.lower())
    if not m:
        return word
    # Put the tone on the first vowel of the pair (the more common spelling in
    # the national database: "hòa", "thủy", "Ủy", "khỏe").
    i = m.start()
    out = base_nfc[: i + 1] + tones[0] + base_nfc[i + 1 :]
    return unicodedata.normalize("NFC", out)


def unify_tone_placement(s: str) -> str:
    """Rewrite "hoà/thuỷ/khoẻ" as "hòa/thủy/khỏe" so both spellings compare equal."""
    s = nfc(s)
    return _WORD_RE.sub(lambda m: _unify_word(m.group(0)), s)


def fold(s: str) -> str:
    """Lower-case, diacritic-free form for search and slugs: "Đăng ký" -> "dang ky"."""
    s = _map_chars(nfc(s))
    s = unicodedata.normalize("NFD", s)
    if _ASTRAL_RE.search(s):
        s = "".join(c for c in s if not unicodedata.combining(c))
    else:  # the same, in C: search folds every indexed page
        s = _COMBINING_RE.sub("", s)
    s = s.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", s).lower()


_COMBINING_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.combining(chr(c))) + "]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010FFFF]")

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(s: str, max_length: int = 80) -> str:
    """ASCII URL slug: "Đẩy mạnh cải cách" -> "day-manh-cai-cach".

    Truncated at a word boundary to `max_length` characters.
    """
    slug = _SLUG_DROP.sub("-", fold(s)).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
        slug = slug.strip("-")
    return slug
