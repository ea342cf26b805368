"""Markdown conversion: links, alignment, policy on raw HTML and Markdown attributes."""

from cchc.mdrender import MarkdownRenderer, relative_url
from cchc.problems import Problems


def render(body, allowed=("p", "br", "span", "a"), urls=None, files=()):
    r = MarkdownRenderer(docs_dir="/nowhere", urls=urls or {}, file_exists=lambda p: p in files,
                         allowed_tags=list(allowed))
    problems = Problems()
    res = r.render(body, source="content/tin-tuc/a.md", first_line=10, page_url="tin-tuc/a/",
                   problems=problems, base="tin-tuc/a.md")
    return res, [p.format() for p in problems]


def test_table_alignment_survives_sanitising_without_errors():
    res, problems = render("|a|b|\n|:-:|--:|\n|1|2|\n")
    assert problems == []
    assert '<th class="cchc-align-center">a</th>' in res.html and '<td class="cchc-align-right">2</td>' in res.html


def test_fenced_code_is_not_taken_for_raw_html():
    res, problems = render("```\n<script>x</script>\n```\n", allowed=())
    assert problems == [] and "&lt;script&gt;" in res.html and "<script>" not in res.html


def test_markdown_javascript_link_and_event_attribute_are_refused_at_their_line():
    _, problems = render("Đầu.\n\n[x](javascript:alert(1))\n\nĐoạn\n{: onclick=\"x()\" }\n")
    assert problems == [
        "content/tin-tuc/a.md:12: nội dung: địa chỉ 'javascript:alert(1)' không được phép (javascript:/data:). Dùng liên kết http(s):// hoặc tới tệp trong content/.",
        "content/tin-tuc/a.md:15: nội dung: thuộc tính 'onclick' trong thẻ <p> không được phép (có thể chạy mã độc). Xoá thuộc tính này.",
    ]


def test_raw_html_problem_lines_point_into_the_block():
    _, problems = render("Một.\n\n<div>\n<p>a</p>\n<p onclick=\"x()\">b</p>\n</div>\n", allowed=("div", "p"))
    assert problems == ["content/tin-tuc/a.md:14: nội dung: thuộc tính 'onclick' trong thẻ <p> không được phép (có thể chạy mã độc). Xoá thuộc tính này."]


def test_links_to_sources_become_page_urls():
    res, problems = render("[b](b.md) [tt](../../procedures/1.014331.yml) [img](anh/x.png)",
                           urls={"tin-tuc/b.md": "tin-tuc/b-slug/", "../procedures/1.014331.yml": "thu-tuc/1-014331/"},
                           files=("tin-tuc/anh/x.png",))
    assert problems == []
    assert 'href="../b-slug/"' in res.html and 'href="../../thu-tuc/1-014331/"' in res.html
    assert 'href="../anh/x.png"' in res.html


def test_relative_url():
    assert relative_url("tin-tuc/", "tin-tuc/a/") == "../"
    assert relative_url("", "en/news/a/") == "../../../"
    assert relative_url("lien-he/#kenh", "tin-tuc/a/") == "../../lien-he/#kenh"


# --- inline patterns and block tests skipped on text that cannot match them (mdrender._Prefiltered)
import markdown  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cchc.mdrender import (  # noqa: E402
    _BLOCK_NEEDLES,
    _BLOCK_RE_ATTRS,
    DEFAULT_EXTENSIONS,
    _NEEDLES,
    _prefilter_blocks,
    _Prefiltered,
    _prefilter_inline,
)


def _pair():
    stock = markdown.Markdown(extensions=DEFAULT_EXTENSIONS)
    fast = markdown.Markdown(extensions=DEFAULT_EXTENSIONS)
    _prefilter_inline(fast)
    _prefilter_blocks(fast)
    return stock, fast


def test_every_listed_expression_is_one_the_installed_libraries_use():
    # A library upgrade that changes an expression leaves that pattern unwrapped (correct,
    # only slower): this says so, so that the table is looked at again.
    _, fast = _pair()
    wrapped = {p.compiled_re._rx.pattern for p in fast.inlinePatterns if isinstance(p.compiled_re, _Prefiltered)}
    assert wrapped == set(_NEEDLES)
    renderer = MarkdownRenderer(docs_dir="/nowhere", urls={}, file_exists=lambda p: False, allowed_tags=[])
    assert sum(isinstance(p.compiled_re, _Prefiltered) for p in renderer._md.inlinePatterns) >= len(_NEEDLES)
    blocks = {(rx._rx.pattern, rx._rx.flags) for p in fast.parser.blockprocessors for a in _BLOCK_RE_ATTRS
              if isinstance(rx := getattr(p, a, None), _Prefiltered)}
    assert blocks == set(_BLOCK_NEEDLES)
    assert sum(isinstance(getattr(p, a, None), _Prefiltered)
               for p in renderer._md.parser.blockprocessors for a in _BLOCK_RE_ATTRS) == len(_BLOCK_NEEDLES)


EXAMPLES = [
    "a `code` b and ``x ` y``", "x \\` y \\\\`z`", "\\*not em\\* \\[x\\]",
    "[link](http://a.b) [ref][r] [r]\n\n[r]: http://c.d", "![ảnh](p.png) ![ref][i]\n\n[i]: q.png",
    "<http://a.b/c> <thu@ttyt.vn> <b>raw</b> <!-- c -->", "&amp; &#123; &#x1F; &copy;",
    "**đậm** __đậm__ *nghiêng* _nghiêng_ a*b*c snake_case_word", "~~gạch~~ H~2~O x^2^ ^^chèn^^ ==đánh dấu== a=b",
    "dòng một  \ndòng hai", "Chú thích[^1].\n\n[^1]: Nội dung.", "Thủ tục hành chính, không ký tự đặc biệt nào.",
    "- [ ] việc\n- `mã` 1.014331\n\n> trích *dẫn*", "| a | `b` |\n|---|---|\n| [c](d) | ~~e~~ |",
    # block structures
    "# Tiêu đề\n## Mục ##\nđoạn # không phải tiêu đề", "Tiêu đề\n===\n\nMục\n---\n\nđoạn", "a\n\n---\n\n- - -\n\n*  *  *\n\n___",
    "!!! note \"Lưu ý\"\n    Nội dung **đậm**.\n\n    Đoạn hai.\n\nSau.", "??? tip\n    Ẩn.\n\n???+ note \"Mở\"\n    Hiện.",
    "Thuật ngữ\n:   Định nghĩa một.\n  :  hai\n\nCâu: không phải định nghĩa.", "   > trích\n> dẫn\nnối\n\na > b",
    "*[CCHC]: Cải cách hành chính\n\nCCHC là gì", "[r]: http://a.b \"tiêu đề\"\n[^n]: chú thích\n\n[r] [^n]",
    "1. một\n2. hai\n\n    thụt lề\n\n- ba\n\n        mã", "2025-2026 -- gạch -  - ngang __x__ **y** * z",
]


def test_the_output_is_the_stock_converters_on_every_kind_of_inline_markup():
    stock, fast = _pair()
    for text in EXAMPLES:
        assert fast.reset().convert(text) == stock.reset().convert(text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["`", "``", "\\", "[", "]", "(", ")", "!", "<", ">", "@", "&", "#", ";", "*", "_",
                                 "~", "^", "=", "  \n", "\n", "\n\n", " ", ":", "/", "a", "đ", "Thủ tục", "http://x.y",
                                 "1.014331", "[^1]", "- ", "> ", "x", "# ", "!!! note", "??? tip", "???+ ", "---", "- -",
                                 "* *", "___", "===", ": ", "   ", "    ", "[r]: ", "*[", "]:", "1. "]), max_size=40)
       .map("".join))
def test_the_output_is_the_stock_converters_on_any_text(text):
    stock, fast = _pair()
    assert fast.convert(text) == stock.convert(text)


def test_a_cached_conversion_decodes_its_html_only_when_read_and_a_text_is_found_by_its_digest():
    import pickle

    from cchc.mdrender import RenderResult, SourceText, _key

    result, found = render("Đoạn **đậm** và [liên kết](https://example.org).")
    assert not found and "<strong>đậm</strong>" in result.html
    again = pickle.loads(pickle.dumps(result))
    assert again._html is None and isinstance(again._raw, bytes)  # still the cached bytes
    assert bool(again) and again.words == result.words and again.toc == result.toc
    assert again._html is None  # neither truth nor the counts decode it
    assert str(again) == again.__html__() == result.html and again == result
    assert pickle.loads(pickle.dumps(again)) == result  # read, it pickles the same
    assert not RenderResult("") and not pickle.loads(pickle.dumps(RenderResult("")))
    body = "Nội dung tin **cải cách hành chính**.\n"
    text = pickle.loads(pickle.dumps(SourceText.of(body)))
    assert str(text) == body
    # the conversion of a text is the same entry whether the text comes as a string or cached
    assert _key("a.md", "a.md", "body", 3, "tin/a/", text) == _key("a.md", "a.md", "body", 3, "tin/a/", body)
    assert _key("a.md", "a.md", "body", 3, "tin/a/", SourceText.of(body + ".")) != _key("a.md", "a.md", "body", 3, "tin/a/", body)
    assert _key("a.md", "a.md", "body", 4, "tin/a/", body) != _key("a.md", "a.md", "body", 3, "tin/a/", body)
