"""Vietnamese text rules: NFC, đ/Đ, tone placement, folding, slugs."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc import text
from cchc.text import clean_block, clean_line, fold, is_nfc, slugify, strip_control, unify_tone_placement


def nfd(s):
    return unicodedata.normalize("NFD", s)


def test_clean_line_normalises_nfd_nbsp_artefacts_and_spaces():
    raw = nfd("Đăng  ký\u00a0khai\tsinh") + "  dinh dƣỡng\x0c"
    out = clean_line(raw)
    assert out == "Đăng ký khai sinh dinh dưỡng"
    assert is_nfc(out)


def test_clean_block_keeps_lines_and_drops_controls():
    assert clean_block("a\r\nb\rc\x00d\x1b") == "a\nb\ncd"


def _clean_line_in_full(s):  # the rules as written before the one-scan shortcuts (text._DIRTY_RE)
    s = strip_control(text._map_chars(unicodedata.normalize("NFC", s)))
    return re.sub(r"[ \t\r\n\f\v]+", " ", s).strip()


def _clean_block_in_full(s):
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return strip_control(text._map_chars(unicodedata.normalize("NFC", s)))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "Đ", "ư", nfd("ườ"), "\u0301", " ", "  ", "\t", "\n", "\r", "\r\n", "\x0c", "\v",
                                 "\x00", "\x1b", "\x85", "\x9f", "\ud800", "\ufffe", "\u01a3", "\u00a0", "\u2007",
                                 "\u202f", "\u200b", "\ufeff", "\u00ad", "\u212b", "e\u0301", "1.014331"]),
                max_size=30).map("".join))
def test_clean_line_and_clean_block_skip_nothing_their_rules_change(raw):
    assert clean_line(raw) == _clean_line_in_full(raw)
    assert clean_block(raw) == _clean_block_in_full(raw)


@pytest.mark.parametrize("old,new", [
    ("hoà", "hòa"), ("Hoà", "Hòa"), ("thuỷ", "thủy"), ("Uỷ ban", "Ủy ban"), ("khoẻ", "khỏe"),
    ("xoá", "xóa"), ("hoá", "hóa"), ("hoạ", "họa"),
])
def test_tone_placement_variants_unify(old, new):
    assert unify_tone_placement(old) == new
    assert unify_tone_placement(new) == new
    assert unify_tone_placement(nfd(old)) == new


@pytest.mark.parametrize("word", ["toàn", "hoàng", "khuyến", "quý", "quỳ", "thuyền", "hoặc", "người"])
def test_words_with_one_spelling_are_untouched(word):
    assert unify_tone_placement(word) == word


@pytest.mark.parametrize("text,folded", [
    ("Đăng ký khai sinh", "dang ky khai sinh"),
    ("Cấp Giấy chứng sinh", "cap giay chung sinh"),
    ("ĐỒNG ĐỘI", "dong doi"),
    ("hoà", "hoa"), ("hòa", "hoa"),
    ("Bảo hiểm y tế", "bao hiem y te"),
])
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


def test_d_stroke_has_no_decomposition_but_folds():
    assert unicodedata.normalize("NFD", "đ") == "đ"  # the trap
    assert fold("đ Đ") == "d d"


@pytest.mark.parametrize("title,slug", [
    ("Đẩy mạnh cải cách thủ tục hành chính", "day-manh-cai-cach-thu-tuc-hanh-chinh"),
    ("Cấp Giấy chứng sinh", "cap-giay-chung-sinh"),
    ("  Hội nghị: “Bình dân học vụ số” (2026)!  ", "hoi-nghi-binh-dan-hoc-vu-so-2026"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug
    assert slugify(nfd(title)) == slug


def test_slug_tone_variants_collide():
    assert slugify("Hoà nhập") == slugify("Hòa nhập") == "hoa-nhap"


def test_slug_truncates_at_word_boundary():
    s = slugify("một " * 40, max_length=20)
    assert len(s) <= 20 and not s.endswith("-") and s.startswith("mot-mot")


def test_strip_control_removes_xml_breakers():
    assert strip_control("a\x0cb\x00c\ud800d\ufffe") == "abcd"
