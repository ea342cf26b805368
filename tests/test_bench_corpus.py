"""The benchmark's corpus generator: deterministic, valid input in this project's formats."""

from __future__ import annotations

import filecmp
import os
import sys
from pathlib import Path

import pytest

from cchc.modeling import validate
from cchc.news.model import NewsFrontMatter
from cchc.problems import Problems
from cchc.procedures.model import Procedure
from cchc.text import is_nfc
from cchc.yamlsrc import load_yaml, split_front_matter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts" / "bench"))
import corpus  # noqa: E402


def _tree(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _, filenames in os.walk(root):
        for fn in filenames:
            p = Path(dirpath) / fn
            out[str(p.relative_to(root))] = p.read_bytes()
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "small"
    corpus.write_all("small", str(root))
    return root


def test_same_seed_same_bytes(small, tmp_path):
    again = tmp_path / "again"
    corpus.write_all("small", str(again))
    a, b = _tree(small), _tree(again)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_another_seed_other_text(small, tmp_path):
    other = tmp_path / "other"
    corpus.write_all("small", str(other), seed=7)
    news = sorted(os.listdir(small / "cchc" / "content" / corpus.NEWS_DIR))
    other_news = sorted(os.listdir(other / "cchc" / "content" / corpus.NEWS_DIR))
    assert news != other_news


def test_a_smaller_corpus_is_the_start_of_a_larger_one():
    assert corpus.SIZES["small"] == {"news": 500, "procedures": 100, "plans": 1}
    assert corpus.SIZES["large"] == {"news": 5000, "procedures": 1000, "plans": 3}
    a = corpus.build("x", counts={"news": 20, "procedures": 5, "plans": 1})
    b = corpus.build("x", counts={"news": 40, "procedures": 10, "plans": 1})
    # Items are drawn independently: the same first items, except for references to
    # procedures, which are drawn from the corpus' own range of codes.
    assert [n.filename for n in a.news] == [n.filename for n in b.news[:20]]
    assert [n.meta["title"] for n in a.news] == [n.meta["title"] for n in b.news[:20]]
    assert [p["ten"] for p in a.procedures] == [p["ten"] for p in b.procedures[:5]]


def test_every_file_is_valid_nfc_input_of_the_models(small):
    problems = Problems()
    news_dir = small / "cchc" / "content" / corpus.NEWS_DIR
    words = []
    for f in sorted(news_dir.iterdir()):
        text = f.read_text("utf-8")
        assert is_nfc(text)
        doc = split_front_matter(text, str(f), problems)
        assert validate(NewsFrontMatter, doc.meta, problems) is not None, [p.format("en") for p in problems]
        words.append(len(doc.body.split()))
    assert len(words) == 500 and min(words) >= 300 and max(words) <= 1100
    proc_words = []
    for f in sorted((small / "cchc" / "procedures").iterdir()):
        text = f.read_text("utf-8")
        assert is_nfc(text)
        located = load_yaml(text, str(f), problems)
        assert validate(Procedure, located, problems) is not None, [p.format("en") for p in problems]
        proc_words.append(len(text.split()))
    assert len(proc_words) == 100 and min(proc_words) >= 1450
    assert not problems.has_errors()


def test_peers_hold_the_same_items(small):
    posts = os.listdir(small / "mkdocs" / "docs" / corpus.NEWS_DIR / "posts")
    hugo_news = [f for f in os.listdir(small / "hugo" / "content" / corpus.NEWS_DIR) if f != "_index.md"]
    ours = os.listdir(small / "cchc" / "content" / corpus.NEWS_DIR)
    assert sorted(posts) == sorted(hugo_news) == sorted(ours)
    assert len(os.listdir(small / "mkdocs" / "docs" / "thu-tuc")) == 101  # 100 pages + index
    one = corpus.build("small").news[3]
    post = (small / "mkdocs" / "docs" / corpus.NEWS_DIR / "posts" / one.filename).read_text("utf-8")
    assert one.meta["title"] in post and one.body.split("\n")[0][:80] in post
