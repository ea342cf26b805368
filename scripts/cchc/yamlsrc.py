"""YAML and front matter that remember where every field was written.

PyYAML builds plain values and forgets positions, and silently keeps the last of
two identical keys. Staff need "file:line: field" in every message, so values are
built here from PyYAML's node tree (its parser, our construction), recording the
line of each key and list item, and reporting duplicate keys.

Dates are *not* converted by YAML: the timestamp resolver is removed, so
`date: 2026-03-05` arrives as text and the models parse it in Vietnam time
(PyYAML would give a naive datetime that other tools take as UTC).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .problems import Problems, register_messages
from .text import clean_block, is_nfc

Path = tuple  # tuple of str (mapping keys) and int (list indexes)


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TolerantLoader(_Loader):
    """For mkdocs.yml: unknown tags (!ENV, !!python/name:…) become their text."""


def _unknown_tag(loader, suffix, node):
    if isinstance(node, ScalarNode):
        return loader.construct_scalar(node)
    return None


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)

# libyaml's parser (C) builds the same node tree with the same marks about 6× faster
# than PyYAML's pure-Python one (measured: 7.4 s of an 18 s profiled build of 100
# procedures + 500 news went to composing nodes). Values are still constructed by
# the Python constructor above. On a syntax error the document is parsed again by
# the pure-Python parser, whose messages are the ones staff see (and tests check).
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):
        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

    class _FastTolerantLoader(_FastLoader):
        pass

    _FastTolerantLoader.add_multi_constructor("!", _unknown_tag)
    _FastTolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)
    _FAST = {False: _FastLoader, True: _FastTolerantLoader}
else:  # pragma: no cover - PyYAML built without libyaml
    _FAST = {}


@dataclass
class Located:
    """A parsed YAML document and the line of each field in it."""

    data: Any
    path: str
    lines: dict[Path, int] = field(default_factory=dict)
    base_line: int = 1

    def line(self, loc: Path = ()) -> int:
        """The line of `loc`, or of its nearest written ancestor."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), self.base_line)

    def release(self, keep_lines: bool = False) -> None:
        """Forget the parsed values and field lines once every check is done (the build's
        memory: for 1,000 procedures and 5,000 news items they were ≈ 80 MB that every
        page-rendering worker shared). Later `line()` calls answer the base line, unless
        `keep_lines`."""
        self.data = None
        if not keep_lines:
            self.lines = {}

    def structure_digest(self, exclude: frozenset = frozenset()) -> bytes:
        """Digest of the parsed values but the top-level keys in `exclude` (what other pages
        may show of the file: `Site.structure`)."""
        data = self.data
        if isinstance(data, dict) and exclude:
            data = {k: v for k, v in data.items() if k not in exclude}
        return hashlib.blake2b(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()


_SHARED: dict = {}


def shared(value: frozenset) -> frozenset:
    """One object for equal sets of field names that thousands of cached parses carry (their
    pickles restore one copy each)."""
    return _SHARED.setdefault(value, value)


class LazyLocated(Located):
    """A `Located` whose values and lines stay pickled until something reads them.

    A warm build takes every unchanged file's parse from the build cache, but reads the
    positions of fields only to report a problem or to build the few pages it renders, and
    the values hardly ever: unpickling them for 6,000 files was ≈ 0.2 s of every rebuild of
    the benchmark's large site. Values and lines are pickled apart: a procedure's view reads
    its lines only, so its values are never rebuilt (a cold build unpickled both for 1,000
    procedures and dropped the values at once: ≈ 10 MB more at its peak). It carries the
    structure digest computed where the file was parsed (`structure_digest`), and a page key
    reads it as the digest of what was parsed (`__cchc_key_state__`), the same whether this
    build read the values or not."""

    def __init__(self, path: str, base_line: int, blobs: dict, structure: tuple, key: bytes):
        self.path = path
        self.base_line = base_line
        self._blobs = blobs  # "data" / "lines" -> pickled value, until read or released
        exclude, digest = structure
        self._structure = (shared(exclude), digest)
        self._key = key

    @classmethod
    def of(cls, located: Located, exclude: frozenset = frozenset()) -> "LazyLocated":
        blobs = {name: pickle.dumps(getattr(located, name), protocol=pickle.HIGHEST_PROTOCOL)
                 for name in ("data", "lines")}
        key = hashlib.blake2b(blobs["data"] + b"\0" + blobs["lines"], digest_size=20).digest()
        return cls(located.path, located.base_line, blobs, (exclude, located.structure_digest(exclude)), key)

    def __getattr__(self, name: str):
        # Called only for attributes not set: `data` and `lines` until first read.
        if name in ("data", "lines"):
            blob = self.__dict__.get("_blobs", {}).get(name)
            if blob is not None:
                value = pickle.loads(blob)
                self.__dict__[name] = value
                self._blobs = {k: v for k, v in self._blobs.items() if k != name}
                return value
        raise AttributeError(name)

    def structure_digest(self, exclude: frozenset = frozenset()) -> bytes:
        known, digest = self._structure
        return digest if known == exclude else super().structure_digest(exclude)

    def release(self, keep_lines: bool = False) -> None:
        self.data = None
        if keep_lines:  # lines not read yet stay pickled (a read blob is already dropped)
            self._blobs = {name: blob for name, blob in self._blobs.items() if name == "lines"}
        else:
            self.lines = {}
            self._blobs = {}  # nothing reads the lines any more

    def __cchc_key_state__(self) -> tuple:
        return self.path, self.base_line, self._key

    def __reduce__(self):
        blobs = dict(self._blobs)
        for name in ("data", "lines"):
            if name in self.__dict__:  # read, or released
                blobs[name] = pickle.dumps(self.__dict__[name], protocol=pickle.HIGHEST_PROTOCOL)
        return LazyLocated, (self.path, self.base_line, blobs, self._structure, self._key)


register_messages(
    {
        "yaml.recursive_alias": {
            "vi": "bí danh YAML ('*…') trỏ vào chính mục đang chứa nó, thành vòng lặp vô tận. Viết giá trị ra đầy đủ thay vì dùng '&' và '*'.",
            "en": "a YAML alias ('*…') points at the item that contains it, an endless loop. Write the value out instead of using '&' and '*'.",
        },
        "yaml.too_large": {
            "vi": "tệp bung ra hơn {limit} giá trị (thường do bí danh '&'/'*' lồng nhau). Viết giá trị ra đầy đủ, không lồng bí danh.",
            "en": "the file expands to more than {limit} values (usually nested '&'/'*' aliases). Write the values out instead of nesting aliases.",
        },
    }
)


class YamlFloat(float):
    """A YAML number that remembers how it was written.

    `nhiem_vu: 1.10` (task 1.10 of a plan appendix) or `ma_tthc: 1.014330` are
    numbers to YAML; text fields take `yaml_text` back ("1.10", not "1.1").
    """

    def __new__(cls, value: float, text: str):
        obj = super().__new__(cls, value)
        obj.yaml_text = text
        return obj

    def __reduce__(self):  # picklable (the build cache stores parsed documents)
        return (type(self), (float(self), self.yaml_text))


class YamlInt(int):
    """An integer that remembers how it was written (`so: 045` keeps its zero in text fields)."""

    def __new__(cls, value: int, text: str):
        obj = super().__new__(cls, value)
        obj.yaml_text = text
        return obj

    def __reduce__(self):  # picklable (the build cache stores parsed documents)
        return (type(self), (int(self), self.yaml_text))


class _TooLarge(Exception):
    """The document expands past MAX_VALUES values (nested aliases: a "billion laughs" file)."""


# Far above any real plan or procedure (a few thousand values), far below what hurts.
MAX_VALUES = 200_000


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, offset: int, problems: Problems | None, path: str):
        self.loader = loader
        self.offset = offset
        self.lines: dict[Path, int] = {}
        self.problems = problems
        self.path = path
        self._open: set[int] = set()  # collections being built: an alias back to one is a loop
        self._count = 0

    def line_of(self, node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node, loc: Path) -> Any:
        self._count += 1
        if self._count > MAX_VALUES:
            raise _TooLarge(self.line_of(node))
        if id(node) in self._open:
            if self.problems is not None:
                self.problems.add(self.path, self.line_of(node), _dotted(loc) or "-", "yaml.recursive_alias")
            return None
        if not isinstance(node, ScalarNode):
            self._open.add(id(node))
            try:
                return self._build_collection(node, loc)
            finally:
                self._open.discard(id(node))
        return self._build_scalar(node)

    def _build_scalar(self, node) -> Any:
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, str):
            value = clean_block(value)
        elif isinstance(value, float):
            value = YamlFloat(value, node.value)
        elif isinstance(value, int) and not isinstance(value, bool):
            value = YamlInt(value, node.value)
        return value

    def _build_collection(self, node, loc: Path) -> Any:
        if isinstance(node, ScalarNode):
            value = self.loader.construct_object(node, deep=True)
            if isinstance(value, str):
                value = clean_block(value)
            return value
        if isinstance(node, SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                self.lines[loc + (i,)] = self.line_of(item)
                out.append(self.build(item, loc + (i,)))
            return out
        if isinstance(node, MappingNode):
            self.loader.flatten_mapping(node)
            out: dict = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    key = str(key)
                if isinstance(key, str):
                    key = clean_block(key).strip()
                kline = self.line_of(key_node)
                if key in out:
                    if self.problems is not None:
                        self.problems.add(
                            self.path, kline, _dotted(loc + (key,)), "yaml.duplicate_key",
                            key=key, first_line=self.lines.get(loc + (key,), "?"),
                        )
                    continue
                self.lines[loc + (key,)] = kline
                out[key] = self.build(value_node, loc + (key,))
            return out
        return None


def _dotted(loc: Path) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


dotted = _dotted


# The build's persistent cache (cchc.buildcache.BuildCache), set by the MkDocs
# plugin for the duration of a build: a document already parsed by an earlier
# build (same text, path and options) is unpickled instead of parsed again. In a
# warm build of the large benchmark corpus YAML was 11.6% of the time (py-spy),
# mostly the 1,000 procedure files. Results are fresh objects on every call.
cache = None


def load_yaml(
    text: str,
    path: str,
    problems: Problems,
    *,
    line_offset: int = 0,
    tolerant: bool = False,
) -> Located | None:
    """Parse one YAML document. Syntax errors are added to `problems`; returns None then."""
    if cache is not None:
        content = f"{path}\0{line_offset}\0{int(tolerant)}\0{text}".encode("utf-8", "surrogatepass")

        def compute():
            local = Problems()
            located = _load_yaml(text, path, local, line_offset=line_offset, tolerant=tolerant)
            return list(local), located  # the problems only exist once the text is parsed

        found, located = cache.load("yaml", content, compute)
        problems.extend(found)
        return located
    return _load_yaml(text, path, problems, line_offset=line_offset, tolerant=tolerant)


def _load_yaml(text: str, path: str, problems: Problems, *, line_offset: int, tolerant: bool) -> Located | None:
    loader = node = None
    composed = False
    fast = _FAST.get(tolerant)
    if fast is not None:
        loader = fast(text)
        try:
            node, composed = loader.get_single_node(), True
        except yaml.YAMLError:
            loader.dispose()
            loader = None  # parsed again below for the pure-Python parser's message
    if loader is None:
        loader = (_TolerantLoader if tolerant else _Loader)(text)
    try:
        if not composed:
            node = loader.get_single_node()
        builder = _Builder(loader, line_offset, problems, path)
        if node is None:
            return Located(data=None, path=path, lines={(): 1 + line_offset}, base_line=1 + line_offset)
        data = builder.build(node, ())
        builder.lines[()] = builder.line_of(node)
        return Located(data=data, path=path, lines=builder.lines, base_line=1 + line_offset)
    except _TooLarge as exc:
        problems.add(path, exc.args[0], "-", "yaml.too_large", limit=f"{MAX_VALUES:,}".replace(",", "."))
        return None
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (an unclosed
        # bracket or quote), usually the line staff must fix; the problem mark is
        # where the parser gave up.
        mark = exc.context_mark or exc.problem_mark
        line = (mark.line + 1 + line_offset) if mark else None
        detail = (exc.problem or exc.context or str(exc)).strip()
        if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            problems.add(path, line, "-", "yaml.syntax_at", detail=detail, at=exc.problem_mark.line + 1 + line_offset)
        else:
            problems.add(path, line, "-", "yaml.syntax", detail=detail)
        return None
    except yaml.YAMLError as exc:
        problems.add(path, None, "-", "yaml.syntax", detail=str(exc).strip())
        return None
    finally:
        loader.dispose()


@dataclass
class FrontMatterDoc:
    meta: Located | None
    body: str
    body_line: int  # line number where the body starts (1-based)


def read_text(abs_path: str, rel_path: str, problems: Problems) -> str | None:
    """Read a UTF-8 file (a BOM is accepted); encoding errors become a problem."""
    try:
        with open(abs_path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        problems.add(rel_path, None, "-", "file.encoding", detail=exc.strerror or str(exc))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(rel_path, line, "-", "file.encoding", detail=f"byte {exc.start}")
        return None
    if not is_nfc(text):
        # Decomposed (NFD) Vietnamese: converted below, but staff should know
        # their keyboard or converter produces it. One warning, at the first line.
        for n, line_text in enumerate(text.split("\n"), start=1):
            if not is_nfc(line_text):
                problems.warn(rel_path, n, "-", "field.not_nfc")
                break
    return clean_block(text)


def split_front_matter(text: str, path: str, problems: Problems) -> FrontMatterDoc | None:
    """Split '---' front matter from a Markdown body and parse it with line numbers."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "-", "frontmatter.missing")
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:i])
            located = load_yaml(yaml_text, path, problems, line_offset=1)
            body = "\n".join(lines[i + 1 :])
            return FrontMatterDoc(meta=located, body=body, body_line=i + 2)
    problems.add(path, 1, "-", "frontmatter.unclosed")
    return None


def parse_all(kind: str, paths: list[str], work: Callable[[int], Any], build_cache=None, prefix: bytes = b"",
              models: tuple = ()) -> list:
    """``[work(i) for i in range(len(paths))]`` for source files: pure parsing and
    validation, whose result depends only on the bytes of ``paths[i]`` (and `prefix`).

    Computed on every core (cchc.fastbuild.map_all); with the build cache, a file
    whose bytes did not change since the last build is not parsed again. Inside,
    the per-document YAML cache is off: a forked worker must not use the parent's
    database connection, and the file-level entry stored here makes it redundant.

    `models`: the pydantic models `work` validates with. Their validators are built
    lazily (``defer_build``, cchc.modeling.Model); when files must be parsed, they are
    built here, before forking, so that each process does not build its own."""
    from . import fastbuild

    global cache

    def run(i: int):
        global cache
        saved, cache = cache, None
        try:
            return work(i)
        finally:
            cache = saved

    def compute(indexes: list[int], pack=None) -> list:
        for model in models:
            model.model_rebuild()
        return fastbuild.map_all(indexes, run if pack is None else lambda i: pack(run(i)))

    if build_cache is None:
        return compute(list(range(len(paths))))
    contents = []
    for i, p in enumerate(paths):
        try:
            digest = build_cache.digest_file(p)
            # The entry's key is made from the file's digest, not its bytes: each file is
            # hashed once (its digest also serves the page keys) and not copied behind
            # its path first (6,000 files, ≈ 70 MB, on the benchmark's large site).
            contents.append(prefix + p.encode("utf-8", "surrogateescape") + b"\0" + bytes.fromhex(digest))
            build_cache.file_digests[os.path.abspath(p)] = digest
        except OSError:
            contents.append(prefix + p.encode("utf-8", "surrogateescape") + b"\0\xff<unreadable>")
    from .buildcache import pack

    return build_cache.load_many(kind, contents, lambda indexes: compute(indexes, pack), packed=True)
