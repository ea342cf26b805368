"""Build the static, sharded search index that search.js reads.

Layout under ``<site>/search/cchc/<lang>/`` (format version 1), one index per
language of the site:

``vocab.json``  loaded on the first search only. Sorted keys (diacritic-free
                tokens), their document frequency, the shard each key lives in,
                per-document kind and title length, the synonym table, and the
                names of the shard and document-chunk files.
``t/<hash>.json`` postings of a contiguous range of keys:
                ``{key: {exact form: [p, p, …]}}`` where each ``p`` packs the gap to
                the previous document id and the field weights:
                ``p = gap << 4 | title << 3 | lead << 2 | body level (0–3)``.
                Only documents, not positions, are stored: for Vietnamese, whose
                syllables are short and frequent, positions are what makes a
                full-text index large (Pagefind: 0.7–1.6 MB per common query on the
                benchmark corpus), and ranking by field, coverage and exact
                diacritics does not need them.
``d/<hash>.json`` display data of a run of documents: url, title, kind, date,
                snippet, procedure code.

File names carry a hash of the content, so a host may cache them for ever and a
rebuild never mixes old and new shards; vocab.json names the current ones.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import pickle
from array import array
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Iterable, Mapping

from .tokens import chunk_tokens, key_of, raw_counts, tokenize

FORMAT = 1
INDEX_DIR = "search/cchc"
KIND_CODES = {"procedure": "p", "news": "n", "plan": "k"}
# Shards are cut when their JSON exceeds this many bytes; a key larger than this
# gets a shard of its own. Small enough that a query touching four keys stays
# far below the 300 KB budget, large enough to keep the file count modest.
SHARD_BYTES = 24_000
DOC_CHUNK = 32  # documents per display chunk (a results page touches at most 10)
SNIPPET_CHARS = 220


@dataclass
class Doc:
    url: str  # site-relative
    kind: str  # "news" | "procedure" | "plan"
    title: str
    lead: str = ""  # summary / description: ranked between title and body
    body: str = ""
    date: str = ""  # ISO date shown in the result, may be ""
    code: str = ""  # procedure code shown in the result
    keywords: list[str] = field(default_factory=list)  # ranked like the lead (tu_khoa, tags)


class TokenCounts:
    """Token -> small number (its posting bits) of one page, packed: one string and one array
    instead of a dict.

    The build keeps these for every indexed page (6,000 on the benchmark's large site),
    sends them back from the rendering workers and caches them between builds: as dicts
    that was ≈ 250 MB of small strings and entries; packed it is a few MB. Values are
    bytes ("B") unless one does not fit. Read with `items()`."""

    __slots__ = ("_keys", "_counts", "_type")

    def __init__(self, counts: dict[str, int]):
        # Joined with NUL, which no token contains in practice; a token that does is kept
        # apart (a tuple), so that it cannot shift the counts of the others.
        joined = "\0".join(counts)
        self._keys = joined if joined.count("\0") == max(0, len(counts) - 1) else tuple(counts)
        self._type = "B" if all(0 <= v < 256 for v in counts.values()) else "I"
        self._counts = array(self._type, counts.values()).tobytes()

    def items(self):
        if not self._counts:
            return iter(())
        keys = self._keys.split("\0") if isinstance(self._keys, str) else self._keys
        return zip(keys, array(self._type, self._counts))

    def __len__(self) -> int:
        return len(self._counts) // array(self._type).itemsize

    def __eq__(self, other) -> bool:
        return isinstance(other, TokenCounts) and (self._keys, self._type, self._counts) == (other._keys, other._type, other._counts)

    def __getstate__(self):
        return self._keys, self._counts, self._type

    def __setstate__(self, state) -> None:
        self._keys, self._counts, self._type = state


@dataclass
class Counted:
    """A document reduced to what the index needs: what it shows, and what each of its
    words adds to the postings.

    Small, picklable and independent of the other documents, so it is what the
    build computes in parallel and keeps in its cache between builds. (The raw
    counts of the body were kept here too, though nothing read them after `count`:
    half of what workers sent back and the cache stored.)
    """

    url: str
    kind: str
    title: str
    lead: str
    date: str
    code: str
    keywords: list[str]
    snippet: str
    bits: TokenCounts  # exact indexed form -> its posting bits in this document (see `build`)

    # Pickled (the page cache between builds, 16 MB on the benchmark's large site; a worker's
    # counts) with what orders the documents (`_order`) as values and the rest as one blob,
    # read when first asked: a rebuild after one edit reads the display text and counts of
    # the few pages it patches, and writes the others back as they were. Unpickling and
    # pickling all 6,000 in full was ≈ 0.15 s of every rebuild.
    _LAZY = ("title", "lead", "keywords", "snippet", "bits")

    def __reduce__(self):
        blob = self.__dict__.get("_blob")
        if blob is None:
            blob = pickle.dumps(tuple(getattr(self, f) for f in self._LAZY), protocol=pickle.HIGHEST_PROTOCOL)
        return _restore_counted, (self.url, self.kind, self.code, self.date, blob)

    def __getattr__(self, name: str):
        # Only for attributes not set: the lazy ones of a restored record, until first read.
        blob = self.__dict__.get("_blob")
        if blob is None or name not in self._LAZY:
            raise AttributeError(name)
        self.__dict__.update(zip(self._LAZY, pickle.loads(blob)))
        del self.__dict__["_blob"]
        return self.__dict__[name]


def _restore_counted(url: str, kind: str, code: str, date: str, blob: bytes) -> Counted:
    c = Counted.__new__(Counted)
    c.__dict__.update(url=url, kind=kind, code=code, date=date, _blob=blob)
    return c


def count(doc: Doc) -> Counted:
    body = raw_counts(doc.body)
    return Counted(
        url=doc.url, kind=doc.kind, title=doc.title, lead=doc.lead, date=doc.date, code=doc.code,
        keywords=list(doc.keywords), snippet=_snippet(doc.lead or doc.body),
        bits=TokenCounts(_posting_bits(doc.title, doc.lead, doc.code, doc.keywords, body)),
    )


def _posting_bits(title: str, lead: str, code: str, keywords: list[str], body: dict[str, int]) -> dict[str, int]:
    """What one document adds to the postings: exact form -> bits (8: in the title; 4: in
    the lead, code or keywords; 1–3: body frequency level). Computed per document, so on
    every core and cached with the counts: the index build only merges them."""
    tl: dict[str, int] = {}
    for tok in tokenize(title):
        tl[tok] = 8
    for text in (lead, code, *keywords):
        for tok in tokenize(text):
            tl[tok] = tl.get(tok, 0) | 4
    tf: dict[str, int] = {}
    for chunk, n in body.items():
        for e in chunk_tokens(chunk):
            tf[e] = tf.get(e, 0) + n
    bits = {e: (1 if n == 1 else 2 if n <= 3 else 3) for e, n in tf.items()}
    for e, b in tl.items():
        bits[e] = bits.get(e, 0) | b
    return bits


@dataclass
class BuiltIndex:
    files: dict[str, bytes]  # path relative to the site -> content
    docs: int
    keys: int
    # What `update` needs to patch this index after a few documents changed; not written.
    state: "_State | None" = None

    @property
    def total_bytes(self) -> int:
        return sum(len(b) for b in self.files.values())

    def write(self, site_dir: str) -> None:
        for rel, data in self.files.items():
            path = os.path.join(site_dir, *rel.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)


@dataclass
class _State:
    """An index's layout, kept (in the search cache) so that a rebuild after a few changed
    documents patches the shards they touch instead of merging every document again."""

    urls: list[str]  # document ids, in order
    keys: list[str]  # sorted
    df: list[int]  # per key
    sizes: list[int]  # per key: the estimated JSON size that decides where shards are cut
    shards: list[list]  # [first key index, file name]
    chunks: list[str]  # display chunk file names
    title_len: list[int]
    syn: dict


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _order(docs: list[Doc]) -> list[Doc]:
    """Procedures, then plans, then news (oldest first: a new item is numbered last, see
    `update`). Ties in ranking go to the lower number, but among news to the higher (the
    newer item): search.js."""
    rank = {"procedure": 0, "plan": 1, "news": 2}
    return sorted(docs, key=lambda d: (rank.get(d.kind, 3), d.code if d.kind == "procedure" else "", d.date, d.url))


def _snippet(text: str) -> str:
    s = " ".join(text[: SNIPPET_CHARS * 4].split())
    if len(s) > SNIPPET_CHARS:
        cut = s[:SNIPPET_CHARS]
        s = cut[: cut.rfind(" ")] + " …" if " " in cut else cut + "…"
    return s


def _df(enc: dict[str, list[int]]) -> int:
    """How many documents hold a key (one of its exact forms)."""
    if len(enc) == 1:
        return len(next(iter(enc.values())))
    ids: set[int] = set()
    for arr in enc.values():
        ids.update(accumulate([p >> 4 for p in arr]))
    return len(ids)


def _patch(arr: list[int], changes: dict[int, int | None]) -> list[int]:
    """Packed postings (see `build`) with the documents in `changes` (id -> new bits, or
    None: no longer there) replaced; only the entries at and after each change are
    touched (a common word's list holds most documents of the site)."""
    arr = list(arr)
    ids = list(accumulate([p >> 4 for p in arr]))
    for i, b in sorted(changes.items(), reverse=True):
        pos = bisect.bisect_left(ids, i)
        if pos < len(ids) and ids[pos] == i:
            if b is not None:
                arr[pos] = (arr[pos] & ~15) | b
                continue
            del ids[pos], arr[pos]
        elif b is not None:
            ids.insert(pos, i)
            arr.insert(pos, ((i - (ids[pos - 1] if pos else 0)) << 4) | b)
            pos += 1
        else:
            continue
        if pos < len(arr):  # the next document's gap now counts from another one
            arr[pos] = ((ids[pos] - (ids[pos - 1] if pos else 0)) << 4) | (arr[pos] & 15)
    return arr


def _size(key: str, enc: dict[str, list[int]]) -> int:
    return len(key) + 8 + sum(len(f) + 4 + 6 * len(a) for f, a in enc.items())  # close enough to the JSON size


def _write_shards(files: dict[str, bytes], base: str, keys: list[str], sizes: list[int], entry, reusable: dict,
                  old_files: dict[str, bytes] | None = None) -> list[list]:
    """Cut the sorted keys into shards of about SHARD_BYTES and add their files; `entry(ki)`
    gives a key's postings. A shard found in `reusable` ((first key, last key, count) ->
    file name, all its keys unchanged) keeps its old file (in `old_files`)."""
    shards: list[list] = []
    n = len(keys)
    start = 0
    while start < n:
        end, size = start + 1, sizes[start]
        while end < n and size + sizes[end] <= SHARD_BYTES:
            size += sizes[end]
            end += 1
        name = reusable.get((keys[start], keys[end - 1], end - start))
        if name is not None:
            files[f"{base}/t/{name}.json"] = old_files[f"{base}/t/{name}.json"]
        else:
            data = _dumps({keys[ki]: entry(ki) for ki in range(start, end)})
            name = _name(data)
            files[f"{base}/t/{name}.json"] = data
        shards.append([start, name])
        start = end
    return shards


def _write_chunk(files: dict[str, bytes], base: str, recs: list[Counted], start: int) -> str:
    """The display file of documents start … start + DOC_CHUNK - 1; its name."""
    data = _dumps([[d.url, d.title, d.kind, d.date, d.snippet, d.code] for d in recs[start : start + DOC_CHUNK]])
    name = _name(data)
    files[f"{base}/d/{name}.json"] = data
    return name


def _title_len(d: Counted) -> int:
    return min(len(tokenize(d.title)), 99)


def _synonyms(synonyms: dict[str, list[str]] | None) -> dict[str, list[str]]:
    syn: dict[str, list[str]] = {}
    for abbr, expansions in (synonyms or {}).items():
        k = key_of(tokenize(abbr)[0]) if tokenize(abbr) else ""
        if k:
            syn.setdefault(k, [])
            for e in expansions:
                if e not in syn[k]:
                    syn[k].append(e)
    return syn


def _finish(files: dict[str, bytes], base: str, recs: list[Counted], st: _State) -> BuiltIndex:
    vocab = {
        "v": FORMAT,
        "n": len(recs),
        "kinds": {v: k for k, v in KIND_CODES.items()},
        "dk": "".join(KIND_CODES.get(d.kind, "n") for d in recs),
        "dt": st.title_len,
        "keys": " ".join(st.keys),
        "df": st.df,
        "shards": st.shards,
        "dc": DOC_CHUNK,
        "chunks": st.chunks,
        "syn": st.syn,
    }
    vocab["bytes"] = sum(len(b) for b in files.values())
    files[f"{base}/vocab.json"] = _dumps(vocab)
    return BuiltIndex(files=files, docs=len(recs), keys=len(st.keys), state=st)


def build(docs: Iterable[Doc | Counted], synonyms: dict[str, list[str]] | None = None, lang: str = "vi") -> BuiltIndex:
    """The index files of one language, under search/cchc/<lang>/."""
    recs = _order([d if isinstance(d, Counted) else count(d) for d in docs])
    # exact form -> packed postings (gap << 4 | bits), documents in id order
    post: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for i, d in enumerate(recs):
        for e, b in d.bits.items():
            prev = last.get(e)
            if prev is None:
                post[e] = [(i << 4) | b]
            else:
                post[e].append(((i - prev) << 4) | b)
            last[e] = i
    by_key: dict[str, list[str]] = {}
    for e in post:
        by_key.setdefault(key_of(e), []).append(e)
    keys = sorted(by_key)
    entries = [{form: post[form] for form in sorted(by_key[key])} for key in keys]
    sizes = [_size(key, enc) for key, enc in zip(keys, entries)]
    base = f"{INDEX_DIR}/{lang}"
    files: dict[str, bytes] = {}
    shards = _write_shards(files, base, keys, sizes, entries.__getitem__, {})
    chunks = [_write_chunk(files, base, recs, start) for start in range(0, len(recs), DOC_CHUNK)]
    state = _State(urls=[d.url for d in recs], keys=keys, df=[_df(enc) for enc in entries], sizes=sizes,
                   shards=shards, chunks=chunks, title_len=[_title_len(d) for d in recs], syn=_synonyms(synonyms))
    return _finish(files, base, recs, state)


def update(old: BuiltIndex, docs: list[Counted], changed: dict[str, Counted],
           synonyms: dict[str, list[str]] | None = None, lang: str = "vi",
           previous: Mapping[str, Counted] | None = None) -> BuiltIndex | None:
    """`build(docs, synonyms, lang)`, byte for byte, patched from `old` (the previous build's
    index) when only a few documents differ from it: those in `changed` (url -> their previous
    counts), and the documents after the first place where the order differs (added, removed
    or moved there), whose previous counts `previous` gives (url -> counts, for every document
    of `old`). None when `old` cannot be patched (no `previous` for a changed order, other
    synonyms, no layout kept): the caller then builds the index in full.

    Documents are numbered in their order (`_order`), news oldest first, so that a newly
    published item (the newest) is numbered after every other and changes no other
    document's number: only the postings of its own words change. (Numbered newest first, as
    they were, one new item shifted every news item's number and the index was built in full.)

    On the benchmark's large site one changed page took the search phase from ≈ 1.5 s
    (merging the postings of 6,000 pages, writing 8.7 MB of JSON) to ≈ 0.3 s."""
    st = old.state
    recs = _order(list(docs))
    # (Synonyms compared in order: the vocabulary lists them in their order.)
    if st is None or list(_synonyms(synonyms).items()) != list(st.syn.items()):
        return None
    urls = [d.url for d in recs]
    same = 0  # documents numbered as before (the common start of both orders)
    for a, b in zip(st.urls, urls):
        if a != b:
            break
        same += 1
    old_tail = st.urls[same:]
    if old_tail or same < len(urls):
        if previous is None or any(u not in previous for u in old_tail):
            return None
    ids = {url: i for i, url in enumerate(st.urls[:same]) if url in changed}
    if len(ids) + len(old_tail) + len(urls) - same > max(1, len(urls) // 10):
        return None  # many changes: building in full is as fast
    if any(url not in ids for url in set(changed) - set(old_tail)):
        return None  # a page the old index does not hold
    base = f"{INDEX_DIR}/{lang}"
    new_bits = {url: dict(recs[i].bits.items()) for url, i in ids.items()}
    # The documents after `same`: each one gone from its old number, put at its new one.
    tail_old = {i: dict(previous[u].bits.items()) for i, u in enumerate(old_tail, same)}
    tail_new = {i: dict(recs[i].bits.items()) for i in range(same, len(recs))}
    # Forms whose postings change, by key; and how many of the documents in play held each
    # key before and hold it now (a key's document frequency moves by the difference).
    touched: dict[str, set[str]] = {}
    df_change: dict[str, int] = {}

    def note(forms, sign: int) -> None:
        keys_ = set()
        for form in forms:
            k = key_of(form)
            touched.setdefault(k, set()).add(form)
            keys_.add(k)
        for k in keys_:
            df_change[k] = df_change.get(k, 0) + sign

    for url, before in changed.items():
        if url in ids:
            # Only the forms whose bits differ are patched (an edited page keeps most of its
            # words: noting them all loaded, patched and wrote again ≈ 250 of the large
            # benchmark's 300 shards for one added sentence). A key's document frequency
            # moves when the page gains its first form of it or loses its last.
            was, now = dict(before.bits.items()), new_bits[url]
            for form in was.keys() | now.keys():
                if was.get(form) != now.get(form):
                    touched.setdefault(key_of(form), set()).add(form)
            keys_was, keys_now = {key_of(f) for f in was}, {key_of(f) for f in now}
            for k in keys_now ^ keys_was:
                df_change[k] = df_change.get(k, 0) + (1 if k in keys_now else -1)
    for bits in tail_old.values():
        note(bits, -1)
    for bits in tail_new.values():
        note(bits, 1)
    old_index = {k: i for i, k in enumerate(st.keys)}
    firsts = [f for f, _ in st.shards]
    loaded: dict[int, dict] = {}  # old shard number -> its content

    def old_entry(ki: int) -> dict:
        si = bisect.bisect_right(firsts, ki) - 1
        if si not in loaded:
            loaded[si] = json.loads(old.files[f"{base}/t/{st.shards[si][1]}.json"])
        return loaded[si][st.keys[ki]]

    new_entries: dict[str, dict] = {}
    for key, forms in touched.items():
        ki = old_index.get(key)
        enc = dict(old_entry(ki)) if ki is not None else {}
        for form in forms:
            changes: dict[int, int | None] = {i: new_bits[url].get(form) for url, i in ids.items()}
            changes.update((i, None) for i, bits in tail_old.items() if form in bits)
            packed = _patch(enc.get(form, ()), changes)
            added = {i: bits[form] for i, bits in tail_new.items() if form in bits}
            if added:
                packed = _patch(packed, added)
            if packed:
                enc[form] = packed
            else:
                enc.pop(form, None)
        new_entries[key] = {form: enc[form] for form in sorted(enc)}
    gone = {k for k, enc in new_entries.items() if not enc}
    keys = sorted((set(st.keys) | new_entries.keys()) - gone) if new_entries.keys() - old_index.keys() or gone else st.keys
    df, sizes = [], []
    for key in keys:
        enc = new_entries.get(key)
        ki = old_index.get(key)
        if enc is None:
            df.append(st.df[ki])
            sizes.append(st.sizes[ki])
        else:
            df.append((st.df[ki] if ki is not None else 0) + df_change.get(key, 0))
            sizes.append(_size(key, enc))

    def entry(ki: int) -> dict:
        enc = new_entries.get(keys[ki])
        return enc if enc is not None else old_entry(old_index[keys[ki]])

    # An old shard keeps its file when the new layout cuts the same keys into it and none
    # of them changed (the same keys, sizes and order: the same bytes).
    reusable = {}
    for n, (first, name) in enumerate(st.shards):
        end = firsts[n + 1] if n + 1 < len(firsts) else len(st.keys)
        if not any(st.keys[k] in new_entries for k in range(first, end)):
            reusable[(st.keys[first], st.keys[end - 1], end - first)] = name
    files: dict[str, bytes] = {}
    shards = _write_shards(files, base, keys, sizes, entry, reusable, old.files)
    count_ = (len(recs) + DOC_CHUNK - 1) // DOC_CHUNK
    chunks = (st.chunks + [""] * count_)[:count_]
    redo = {i // DOC_CHUNK for i in ids.values()}
    if tail_old or tail_new:
        redo.update(range(same // DOC_CHUNK, count_))
    for c in sorted(redo):
        chunks[c] = _write_chunk(files, base, recs, c * DOC_CHUNK)
    for name in chunks:
        rel = f"{base}/d/{name}.json"
        if rel not in files:
            files[rel] = old.files[rel]
    title_len = st.title_len[:same] + [_title_len(recs[i]) for i in range(same, len(recs))]
    for i in ids.values():
        title_len[i] = _title_len(recs[i])
    return _finish(files, base, recs, _State(urls=urls, keys=keys, df=df, sizes=sizes, shards=shards,
                                             chunks=chunks, title_len=title_len, syn=st.syn))
