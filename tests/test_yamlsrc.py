from cchc.problems import Problems
from cchc.yamlsrc import load_yaml, split_front_matter


def test_lines_recorded_for_keys_and_items():
    p = Problems()
    loc = load_yaml("a: 1\nb:\n  c: x\n  d:\n    - 1\n    - 2\n", "f.yml", p)
    assert loc.line(("a",)) == 1 and loc.line(("b", "c")) == 3 and loc.line(("b", "d", 1)) == 6
    assert loc.line(("b", "missing")) == 2


def test_dates_stay_text():
    p = Problems()
    assert load_yaml("date: 2026-03-05 08:30\n", "f.yml", p).data == {"date": "2026-03-05 08:30"}


def test_duplicate_key_reported():
    p = Problems()
    load_yaml("title: a\ntitle: b\n", "f.yml", p)
    assert [x.format() for x in p] == ["f.yml:2: title: trường 'title' được viết hai lần (lần đầu ở dòng 1). Giữ lại một dòng."]


def test_syntax_error_has_line():
    p = Problems()
    assert load_yaml("a: 1\nb: [1, 2\nc: 3\n", "f.yml", p) is None
    (err,) = list(p)
    assert (err.path, err.line, err.code, err.params["at"]) == ("f.yml", 2, "yaml.syntax_at", 3)


def test_front_matter_offsets_lines():
    p = Problems()
    doc = split_front_matter("---\ntitle: x\ndate: y\n---\nBody\n", "n.md", p)
    assert doc.meta.line(("date",)) == 3 and doc.body_line == 5 and doc.body == "Body\n"


def test_front_matter_missing_and_unclosed():
    p = Problems()
    assert split_front_matter("title: x\n", "a.md", p) is None
    assert split_front_matter("---\ntitle: x\n", "b.md", p) is None
    assert [x.code for x in p] == ["frontmatter.missing", "frontmatter.unclosed"]


def test_lazy_located_reads_its_values_only_when_asked_and_keys_the_same_either_way():
    import pickle

    from cchc.yamlsrc import LazyLocated

    p = Problems()
    text = "ma: 1.0001\nten: Cấp giấy\nmo_ta: dài\nbuoc:\n  - a\n  - b\n"
    plain = load_yaml(text, "procedures/x.yml", p)
    own = frozenset({"mo_ta"})
    lazy = pickle.loads(pickle.dumps(LazyLocated.of(plain, own)))
    assert not {"data", "lines"} & set(vars(lazy))  # nothing unpickled yet
    # the digest computed where the file was parsed, without reading the values
    assert lazy.structure_digest(own) == plain.structure_digest(own) != plain.structure_digest()
    assert not {"data", "lines"} & set(vars(lazy))
    key = lazy.__cchc_key_state__()
    assert lazy.line(("buoc", 1)) == 6 and lazy.data == plain.data and lazy.lines == plain.lines
    assert lazy.structure_digest() == plain.structure_digest()
    other = LazyLocated.of(load_yaml(text.replace("dài", "ngắn"), "procedures/x.yml", p), own)
    assert other.__cchc_key_state__() != key

    late = pickle.loads(pickle.dumps(LazyLocated.of(plain, own)))
    late.release(keep_lines=True)  # a procedure whose view is built later keeps its lines
    again = pickle.loads(pickle.dumps(late))
    assert late.line(("ten",)) == 2 and late.data is None
    assert "data" not in late._blobs  # released values are never unpickled again
    assert late._blobs == {}  # lines read: their pickled copy is dropped
    # what a page key reaches does not depend on what this build happened to read
    assert late.__cchc_key_state__() == key == again.__cchc_key_state__()
    assert again.line(("buoc", 0)) == 5
    late.release()
    assert late.data is None and late.line(("ten",)) == 1  # the base line, as `Located.release`
    assert late.__cchc_key_state__() == key
