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
