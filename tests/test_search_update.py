"""Patching the search index after a few pages changed (cchc.search.index.update) writes
exactly what building it in full writes."""

from __future__ import annotations

import random

import pytest

from cchc.search import index
from cchc.search.index import DOC_CHUNK, Doc, build, count, update

SYLLABLES = ("thủ tục hành chính khám bệnh chữa bảo hiểm y tế cấp giấy phép hồ sơ tiếp nhận trả kết quả "
             "người dân doanh nghiệp cải cách một cửa liên thông dịch vụ công trực tuyến bệnh viện trung tâm "
             "khoa dược xét nghiệm tiêm chủng phòng chống dịch sốt xuất huyết tay chân miệng").split()
SYN = {"bhyt": ["bảo hiểm y tế"]}


@pytest.fixture(autouse=True)
def small_shards(monkeypatch):
    """Shards of 3 KB instead of 24 KB: a few hundred test pages then make dozens of shards,
    so that edits move their cuts."""
    monkeypatch.setattr(index, "SHARD_BYTES", 3000)


def _doc(rng: random.Random, i: int, words: int = 120) -> Doc:
    kind = "procedure" if i < 40 else "news"
    return Doc(url=f"{kind}/{i}/", kind=kind, title=" ".join(rng.choices(SYLLABLES, k=rng.randint(3, 9))),
               lead=" ".join(rng.choices(SYLLABLES, k=12)), body=" ".join(rng.choices(SYLLABLES, k=words))
               + f" mã{i} riêng{i % 7}", date=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
               code=f"1.{i:06d}" if kind == "procedure" else "", keywords=[rng.choice(SYLLABLES)])


def _corpus(seed: int, n: int = 300):
    rng = random.Random(seed)
    return rng, [count(_doc(rng, i)) for i in range(n)]


def _patched(old_docs, new_docs):
    old = build(old_docs, SYN)
    before = {d.url: d for d in old_docs}
    changed = {d.url: before[d.url] for d in new_docs if d.url in before and d != before[d.url]}
    return update(old, new_docs, changed, SYN, previous=before), build(new_docs, SYN)


def test_many_random_edits_patch_to_the_same_bytes():
    rng, docs = _corpus(1)
    assert len(build(docs, SYN).state.shards) > 10  # several shards, so that cuts can move
    for round_ in range(40):
        new = list(docs)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(new))
            d = new[i]
            # A new body (new and vanished words, a key of its own that appears or goes), title, lead.
            words = rng.randint(0, 400)
            new[i] = count(Doc(url=d.url, kind=d.kind, title=rng.choice([d.title, d.title + " mới"]),
                               lead=d.lead, body=" ".join(rng.choices(SYLLABLES, k=words))
                               + rng.choice(["", f" từriêng{round_}", " mã1"]),
                               date=d.date, code=d.code, keywords=list(d.keywords)))
        patched, full = _patched(docs, new)
        assert patched is not None
        assert patched.files == full.files, round_
        assert (patched.docs, patched.keys) == (full.docs, full.keys)
        docs = new


def test_small_edits_that_keep_most_words_patch_to_the_same_bytes():
    """Edits as staff make them: a sentence added, a word dropped, an accented form swapped
    for its unaccented twin (one key, two forms: the key stays, a form goes). Only the forms
    whose bits differ are patched; the bytes are those of a full build."""
    rng = random.Random(4)
    twins = [("khoa", "khóa"), ("phong", "phòng"), ("cap", "cấp")]
    pages = [_doc(rng, i) for i in range(300)]
    bodies = [d.body + (" khóa phong cấp cap phòng" if i % 3 == 0 else "") for i, d in enumerate(pages)]

    def counted(i: int):
        d = pages[i]
        return count(Doc(url=d.url, kind=d.kind, title=d.title, lead=d.lead, body=bodies[i], date=d.date,
                         code=d.code, keywords=list(d.keywords)))

    docs = [counted(i) for i in range(len(pages))]
    for round_ in range(40):
        new = list(docs)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(new))
            words = bodies[i].split()
            how = rng.choice(["add", "drop", "twin", "twins gone"])
            if how == "add":
                words += rng.choices(SYLLABLES, k=rng.randint(1, 6)) + [rng.choice(["", f"mới{round_}"])]
            elif how == "drop":
                words.pop(rng.randrange(len(words)))
            else:
                plain, accented = rng.choice(twins)
                gone = {accented} if how == "twin" else {plain, accented}
                words = [w for w in words if w not in gone] + ([plain] if how == "twin" and rng.random() < 0.5 else [])
            bodies[i] = " ".join(words)
            new[i] = counted(i)
        patched, full = _patched(docs, new)
        assert patched is not None, round_
        assert patched.files == full.files, round_
        assert (patched.docs, patched.keys) == (full.docs, full.keys)
        docs = new


def test_a_word_in_one_page_only_appears_and_goes():
    _, docs = _corpus(2, 80)
    d = docs[50]
    with_word = count(Doc(url=d.url, kind=d.kind, title=d.title, lead=d.lead, body="xyzduynhat " * 3, date=d.date))
    new = docs[:50] + [with_word] + docs[51:]
    patched, full = _patched(docs, new)
    assert patched.files == full.files and "xyzduynhat" in full.state.keys
    patched, full = _patched(new, docs)
    assert patched.files == full.files and "xyzduynhat" not in full.state.keys


def test_a_change_that_moves_shard_cuts_patches_every_later_shard():
    # One page gains a very long body: its keys grow and every later cut moves.
    _, docs = _corpus(3)
    d = docs[60]
    big = count(Doc(url=d.url, kind=d.kind, title=d.title, lead=d.lead,
                    body=" ".join(f"{w}{n}" for n in range(index.SHARD_BYTES // 10) for w in ("aa",)), date=d.date))
    new = docs[:60] + [big] + docs[61:]
    patched, full = _patched(docs, new)
    assert patched.files == full.files


def test_what_cannot_be_patched_is_refused():
    _, docs = _corpus(4, 100)
    old = build(docs, SYN)
    # A page added, removed, or moved in the order (its date changed), without the previous
    # counts of the pages whose number changes: the caller builds in full.
    extra = count(Doc(url="news/new/", kind="news", title="tin mới", body="nội dung", date="2027-01-01"))
    assert update(old, docs + [extra], {}, SYN) is None
    assert update(old, docs[1:], {}, SYN) is None
    d = docs[70]
    moved = count(Doc(url=d.url, kind=d.kind, title=d.title, body="x", date="1999-01-01"))
    assert update(old, docs[:70] + [moved] + docs[71:], {d.url: d}, SYN) is None
    # More than a tenth of the pages renumbered: built in full, even with their counts.
    before = {x.url: x for x in docs}
    assert update(old, docs[:70] + [moved] + docs[71:], {d.url: d}, SYN, previous=before) is None
    assert update(old, docs[:95] + [moved], {d.url: d}, SYN, previous=before) is None  # moved from 70 to 0
    assert update(old, docs, {}, {"ubnd": ["ủy ban nhân dân"]}) is None
    # The same synonyms in another order: the vocabulary lists them in their order.
    two = {"bhyt": ["bảo hiểm y tế"], "ubnd": ["ủy ban nhân dân"]}
    assert update(build(docs, two), docs, {}, dict(reversed(list(two.items())))) is None
    assert update(old, docs, {url: d for url, d in [("không/có/", docs[0])]}, SYN) is None  # an unknown page
    # Nothing changed: the same bytes.
    assert update(old, docs, {}, SYN).files == old.files
    assert DOC_CHUNK < len(docs)


def test_patching_one_posting_list_equals_encoding_it_again():
    rng = random.Random(5)

    def pack(bits: dict[int, int]) -> list[int]:
        out, prev = [], 0
        for i in sorted(bits):
            out.append(((i - prev) << 4) | bits[i])
            prev = i
        return out

    for _ in range(2000):
        bits = {i: rng.randint(1, 15) for i in rng.sample(range(60), rng.randint(0, 20))}
        changes = {i: rng.choice([None, rng.randint(1, 15)]) for i in rng.sample(range(60), rng.randint(1, 6))}
        want = dict(bits)
        for i, b in changes.items():
            if b is None:
                want.pop(i, None)
            else:
                want[i] = b
        assert index._patch(pack(bits), changes) == pack(want), (bits, changes)


def test_added_removed_and_moved_pages_patch_to_the_same_bytes():
    """Pages are numbered news oldest first: a new item (the newest) is numbered last and
    no other page's number changes, so the index is patched, not built in full. Pages
    removed or moved near the end are patched as well; the result is what a full build
    writes."""
    rng, docs = _corpus(6)
    news = [d for d in docs if d.kind == "news"]
    newest = max(d.date for d in news)
    for round_ in range(30):
        new = list(docs)
        op = rng.choice(["add", "add", "remove", "move", "edit+add"])
        if op in ("add", "edit+add"):
            for k in range(rng.randint(1, 3)):
                new.append(count(Doc(url=f"news/new-{round_}-{k}/", kind="news", title=f"tin mới {round_} {k}",
                                     body=" ".join(rng.choices(SYLLABLES, k=rng.randint(0, 200))) + f" mới{round_}",
                                     date=f"2027-01-{1 + round_:02d} 0{k}:00")))
            if op == "edit+add":
                i = rng.randrange(len(new) - 3)
                d = new[i]
                new[i] = count(Doc(url=d.url, kind=d.kind, title=d.title + " sửa", lead=d.lead, body="nội dung mới",
                                   date=d.date, code=d.code, keywords=list(d.keywords)))
        elif op == "remove":
            # One of the newest items unpublished (the last numbers).
            late = sorted((d for d in new if d.kind == "news"), key=lambda d: (d.date, d.url))[-rng.randint(1, 5):]
            drop = rng.choice(late).url
            new = [d for d in new if d.url != drop]
        else:
            # One of the newest items re-dated to be the newest of all.
            late = sorted((d for d in new if d.kind == "news"), key=lambda d: (d.date, d.url))[-rng.randint(2, 5)]
            new = [d if d.url != late.url else count(Doc(url=d.url, kind=d.kind, title=d.title, lead=d.lead,
                                                           body="ngày mới", date="2028-01-01"))
                   for d in new]
        patched, full = _patched(docs, new)
        assert patched is not None, (round_, op)
        assert patched.files == full.files, (round_, op)
        assert (patched.docs, patched.keys, patched.state.urls) == (full.docs, full.keys, full.state.urls)
        docs = new
    assert newest < "2027"


def test_a_new_item_changes_no_other_page_number():
    _, docs = _corpus(7, 120)
    before = build(docs, SYN).state.urls
    extra = count(Doc(url="news/moi-nhat/", kind="news", title="tin mới nhất", body="nội dung", date="2027-01-01"))
    after = build(docs + [extra], SYN).state.urls
    assert after == before + ["news/moi-nhat/"]
