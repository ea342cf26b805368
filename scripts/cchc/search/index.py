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

import hashlib
import json
import os
from array import array
from dataclasses import dataclass, field
from typing import Iterable

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

    @property
    def total_bytes(self) -> int:
        return sum(len(b) for b in self.files.values())

    def write(self, site_dir: str) -> None:
        for rel, data in self.files.items():
            path = os.path.join(site_dir, *rel.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _order(docs: list[Doc]) -> list[Doc]:
    """Procedures, then plans, then news (newest first): lower ids win ties."""
    rank = {"procedure": 0, "plan": 1, "news": 2}
    return sorted(docs, key=lambda d: (rank.get(d.kind, 3), d.code if d.kind == "procedure" else "", _neg(d.date), d.url))


def _neg(iso: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in iso)


def _snippet(text: str) -> str:
    s = " ".join(text[: SNIPPET_CHARS * 4].split())
    if len(s) > SNIPPET_CHARS:
        cut = s[:SNIPPET_CHARS]
        s = cut[: cut.rfind(" ")] + " …" if " " in cut else cut + "…"
    return s


def build(docs: Iterable[Doc | Counted], synonyms: dict[str, list[str]] | None = None, lang: str = "vi") -> BuiltIndex:
    """The index files of one language, under search/cchc/<lang>/."""
    base = f"{INDEX_DIR}/{lang}"
    recs = _order([d if isinstance(d, Counted) else count(d) for d in docs])
    # exact form -> packed postings (gap << 4 | bits), documents in id order
    post: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    title_len: list[int] = []
    for i, d in enumerate(recs):
        title_len.append(min(len(tokenize(d.title)), 99))
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
    files: dict[str, bytes] = {}
    shards: list[list] = []  # [first key index, file name]
    df: list[int] = []
    current: dict = {}
    current_size = 0
    current_first = 0

    def flush() -> None:
        nonlocal current, current_size
        if not current:
            return
        data = _dumps(current)
        name = _name(data)
        files[f"{base}/t/{name}.json"] = data
        shards.append([current_first, name])
        current, current_size = {}, 0

    for ki, key in enumerate(keys):
        forms = sorted(by_key[key])
        enc = {form: post[form] for form in forms}
        if len(forms) == 1:
            df.append(len(enc[forms[0]]))
        else:
            ids: set[int] = set()
            for arr in enc.values():
                acc = 0
                for p in arr:
                    acc += p >> 4
                    ids.add(acc)
            df.append(len(ids))
        size = len(key) + 8 + sum(len(f) + 4 + 6 * len(a) for f, a in enc.items())  # close enough to the JSON size
        if current and current_size + size > SHARD_BYTES:
            flush()
        if not current:
            current_first = ki
        current[key] = enc
        current_size += size
    flush()
    docs = recs

    chunks: list[str] = []
    for start in range(0, len(docs), DOC_CHUNK):
        rows = [
            [d.url, d.title, d.kind, d.date, d.snippet, d.code]
            for d in docs[start : start + DOC_CHUNK]
        ]
        data = _dumps(rows)
        name = _name(data)
        files[f"{base}/d/{name}.json"] = data
        chunks.append(name)

    syn: dict[str, list[str]] = {}
    for abbr, expansions in (synonyms or {}).items():
        k = key_of(tokenize(abbr)[0]) if tokenize(abbr) else ""
        if k:
            syn.setdefault(k, [])
            for e in expansions:
                if e not in syn[k]:
                    syn[k].append(e)

    vocab = {
        "v": FORMAT,
        "n": len(docs),
        "kinds": {v: k for k, v in KIND_CODES.items()},
        "dk": "".join(KIND_CODES.get(d.kind, "n") for d in docs),
        "dt": title_len,
        "keys": " ".join(keys),
        "df": df,
        "shards": shards,
        "dc": DOC_CHUNK,
        "chunks": chunks,
        "syn": syn,
    }
    total = sum(len(b) for b in files.values())
    vocab["bytes"] = total
    files[f"{base}/vocab.json"] = _dumps(vocab)
    return BuiltIndex(files=files, docs=len(docs), keys=len(keys))
