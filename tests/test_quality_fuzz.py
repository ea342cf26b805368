"""Property-based robustness and safety of the content check (hypothesis, the core directly).

Thousands of malformed or hostile content files (news; procedures and plans once their
modules are registered) are generated from real seed files — the sample procedures and
plans, and tests/fixtures/quality/news-seed.md — by structural mutations (broken YAML,
wrong types, missing and unknown fields, huge values, control characters, NFD text,
HTML, script and template syntax in every field) and then loaded with the core exactly as
`cchc check` and the MkDocs plugin do (`cchc.site.load_site`, `site.pages()`,
`site.files()`), in a throw-away project. Properties:

1. loading never raises: every problem is a `Problem`, never a traceback;
2. every problem names an existing file, a line inside it, and a field (file-level
   problems — unreadable YAML, wrong encoding, missing front matter — name the file and
   the line); its message exists in Vietnamese and English and fills every placeholder;
3. no file disappears silently: each is either loaded or named by an error;
4. when the content is valid, hostile text comes out harmless in every output the core
   produces: HTML marked safe (page contexts) holds no script, event handler or
   javascript: URL; feeds parse as XML and the HTML inside them is equally clean;
   template syntax is never evaluated; every output is NFC.

The rendered pages and the search index are checked by real `mkdocs build`s on the
nastiest cases in tests/test_quality_hostile.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import string
import unicodedata
from pathlib import Path

import pytest
from cchc.problems import MESSAGES, Problems
from cchc.site import load_site
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from markupsafe import Markup
from quality_support import (
    FUZZ_NOW,
    HOSTILE_PROSE,
    HOSTILE_TEXT,
    ID_FIELD,
    KIND_DIRS,
    TRICKY_MARKDOWN,
    build_fuzz_base,
    calibrate,
    dangerous,
    doc_paths,
    dotted_path,
    dump,
    get_parent,
    hostile_file,
    loads_clean,
    poison,
)

NOW = FUZZ_NOW
CI = bool(os.environ.get("CI"))

# Problems about a whole file, where no field applies: they must give the line instead
# (except an unreadable file, which has no lines).
# The NFC warning is raised on the raw text before it is parsed, with the first line concerned.
FILE_LEVEL = {"yaml.syntax", "yaml.syntax_at", "yaml.not_mapping", "file.encoding", "frontmatter.missing",
              "frontmatter.unclosed", "news.reserved_name", "field.not_nfc", "yaml.too_large"}

RAW_YAML = [  # written verbatim in place of a value (not through the YAML emitter)
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "&loop [*loop]",
    "*no_such_anchor",
    "{",
    "[1, 2",
    "'unclosed",
    '"unclosed',
    "|",
    ">-",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "2026-02-30",
    "2026-13-45 25:61",
    "1e999",
    ".nan",
    "0o17",
    "~",
    "yes",
    "@@",
    "`x`",
    "%TAG ! tag:x,2000:",
    "- a\n- b",
    "a: b: c",
]

UNKNOWN_KEYS = ["titel", "Title", "tiêu_đề", "ngay", "__proto__", "<b>x</b>", "on_click", "x" * 200, "123", "null", ""]

WRONG_TYPES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.builds(list),  # fresh objects: a shared [] or {} mutated by one example would leak into the next
    st.builds(dict),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["a", "ten", "url"]), st.integers(), max_size=2),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
)

TEXTS = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
    st.text(alphabet=string.printable + "đĐàáảãạăâêôơưÀÁ<>&\"'", max_size=40),
)

VALUES = st.one_of(TEXTS, WRONG_TYPES, st.lists(TEXTS, max_size=3))

# --------------------------------------------------------------------------- seeds and project
SEEDS: dict[str, list] = {}


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    SEEDS.clear()
    SEEDS.update(build_fuzz_base(root))
    problems = loads_clean(root)
    assert not problems.has_errors(), "the fuzz base project must be valid:\n" + problems.format()
    return root


# --------------------------------------------------------------------------- mutation
def _nfd_all(doc):
    if isinstance(doc, str):
        return unicodedata.normalize("NFD", doc)
    if isinstance(doc, dict):
        return {k: _nfd_all(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_nfd_all(v) for v in doc]
    return doc


def mutate(data, doc):
    """Apply 1–4 structural mutations to a copy of `doc`."""
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = list(doc_paths(doc))
        op = data.draw(st.sampled_from(["set", "delete", "unknown", "poison", "nfd", "set", "poison"]), label="op")
        if op == "nfd":
            doc = _nfd_all(doc)
            continue
        if op == "unknown" or not paths:
            dicts = [()] + [p for p, v in paths if isinstance(v, dict)]
            where = data.draw(st.sampled_from(dicts), label="dict")
            target = doc if where == () else get_parent(doc, where + ("_",))
            if isinstance(target, dict):
                target[data.draw(st.sampled_from(UNKNOWN_KEYS), label="key")] = data.draw(VALUES, label="value")
            continue
        path, value = data.draw(st.sampled_from(paths), label="path")
        parent = get_parent(doc, path)
        if op == "delete":
            del parent[path[-1]]
        elif op == "poison" and isinstance(value, str):
            parent[path[-1]] = value + " " + data.draw(st.sampled_from(HOSTILE_TEXT), label="poison")
        else:
            parent[path[-1]] = data.draw(VALUES, label="value")
    return doc


def corrupt_text(data, text: str) -> str:
    """0–2 textual corruptions of serialised YAML (what a hand edit or a bad paste does)."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(0, 2), label="corruptions")):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        op = data.draw(st.sampled_from(["raw", "tab", "colon", "drop", "dup", "quote", "truncate", "indent"]), label="c")
        line = lines[i]
        if op == "raw" and ":" in line:
            lines[i] = line.split(":", 1)[0] + ": " + data.draw(st.sampled_from(RAW_YAML), label="raw")
        elif op == "tab":
            lines[i] = "\t" + line
        elif op == "colon":
            lines[i] = line.replace(": ", ":", 1)
        elif op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, line)
        elif op == "quote":
            lines[i] = line + ' "'
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = line[: len(line) // 2]
        elif op == "indent":
            lines[i] = "   " + line
    return "\n".join(lines)


def encode(data, text: str) -> bytes:
    how = data.draw(st.sampled_from(["utf8"] * 8 + ["bom", "crlf", "utf16", "latin1", "badbyte", "empty"]), label="enc")
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "utf16":
        return text.encode("utf-16", "surrogatepass")
    if how == "latin1":
        return text.encode("cp1258", "replace")
    if how == "badbyte":
        raw = text.encode("utf-8", "surrogatepass")
        cut = len(raw) // 2
        return raw[:cut] + b"\xff\xfe\xc3" + raw[cut:]
    if how == "empty":
        return b""
    return text.encode("utf-8", "surrogatepass")


@st.composite
def malformed_file(draw, kind: str, n: int):
    data = _Draw(draw)
    name, doc, body = draw(st.sampled_from(SEEDS[kind]), label="seed")
    doc = mutate(data, doc)
    if kind in ID_FIELD and isinstance(doc, dict) and ID_FIELD[kind] in doc and draw(st.booleans()):
        doc[ID_FIELD[kind]] = f"1.9{n:05d}" if kind == "procedure" else f"kh-fuzz-{n}"
    text = corrupt_text(data, dump(doc))
    if kind == "news":
        frame = draw(st.sampled_from(["ok"] * 6 + ["no-open", "no-close", "only-dashes", "body-only"]), label="frame")
        body = draw(st.one_of(st.just(body), st.sampled_from(TRICKY_MARKDOWN), TEXTS), label="body")
        text = {"ok": f"---\n{text}---\n\n{body}\n", "no-open": f"{text}---\n\n{body}\n",
                "no-close": f"---\n{text}\n{body}\n", "only-dashes": "---\n---\n", "body-only": body}[frame]
    return encode(data, text)


class _Draw:
    """Adapter so that mutate()/corrupt_text() work with both st.data() and @composite draws."""

    def __init__(self, draw):
        self._draw = draw

    def draw(self, strategy, label=None):
        return self._draw(strategy, label=label) if label else self._draw(strategy)


# --------------------------------------------------------------------------- checks
def _markups(obj, depth=0, seen=None):
    """Markup values (and *html string attributes) reachable from a page context."""
    seen = seen if seen is not None else set()
    if depth > 5 or id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, Markup):
        yield str(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, str) and not isinstance(v, Markup) and isinstance(k, str) and k.endswith("html"):
                yield v
            else:
                yield from _markups(v, depth + 1, seen)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _markups(v, depth + 1, seen)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type) and type(obj).__module__.startswith("cchc"):
        for k, v in vars(obj).items():
            if isinstance(v, str) and not isinstance(v, Markup) and k.endswith("html"):
                yield v
            elif not k.startswith("_"):
                yield from _markups(v, depth + 1, seen)


def _placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def check_problems(problems: Problems, root: Path, written: dict[str, bytes]) -> list[str]:
    bad = []
    for p in problems.sorted():
        where = f"{p.path}:{p.line}: {p.field}: [{p.code}]"
        path = root / p.path
        if not p.path or not path.is_file():
            bad.append(f"{where} does not name an existing file")
            continue
        if p.code not in MESSAGES:
            bad.append(f"{where} has no registered message")
        else:
            for lang in ("vi", "en"):
                missing = _placeholders(MESSAGES[p.code][lang]) - set(p.params)
                if missing:
                    bad.append(f"{where} leaves {sorted(missing)} unfilled in '{lang}'")
        if not p.field:
            bad.append(f"{where} names no field")
        elif p.field == "-" and p.code not in FILE_LEVEL and p.params.get("name") != "":  # '': an empty key
            bad.append(f"{where} names no field ('-') for a field-level problem")
        if p.line is not None:
            nlines = path.read_bytes().count(b"\n") + 1
            if not (1 <= p.line <= nlines + 1):
                bad.append(f"{where} line {p.line} outside the file (1–{nlines})")
        elif p.code not in ("file.encoding",) and p.path in written and written[p.path]:
            bad.append(f"{where} gives no line")
        text = p.format("vi") + p.format("en")
        if "Traceback" in text or " object at 0x" in text:
            bad.append(f"{where} leaks Python internals: {text[:200]}")
        if len(p.format("vi")) > 3000:
            bad.append(f"{where} message is {len(p.format('vi'))} characters long (unreadable): {p.format('vi')[:200]}…")
    return bad


def loaded_keys(site) -> set[str]:
    keys = set(site.urls)
    plans = site.data.get("plans")
    state = getattr(plans, "state", None)
    for plan in getattr(state, "plans", {}).values():
        keys.add(getattr(plan, "key", ""))
    return keys


def file_key(rel: str) -> str:
    return rel[len("content/"):] if rel.startswith("content/") else "../" + rel


def check_outputs(site) -> list[str]:
    bad = []
    for out in site.pages():
        for frag in _markups(out.context):
            for d in dangerous(frag):
                bad.append(f"page {out.url}: safe HTML holds {d}")
            if "cchc49cchc" in frag:
                bad.append(f"page {out.url}: template syntax was evaluated")
    for f in site.files():
        data = f.content
        if f.path.endswith((".xml", ".rss", ".atom")):
            try:
                root = etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                bad.append(f"{f.path}: not well-formed XML: {exc}")
                continue
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                local = etree.QName(el).localname
                kind = el.get("type", "")
                if (local in ("description", "encoded") or (local in ("content", "summary") and kind in ("html", "xhtml"))) and el.text:
                    for d in dangerous(el.text):
                        bad.append(f"{f.path}: <{local}> holds {d}")
            text = data.decode("utf-8")
        elif f.path.endswith(".json"):
            try:
                json.loads(data)
            except ValueError as exc:
                bad.append(f"{f.path}: not valid JSON: {exc}")
                continue
            text = data.decode("utf-8")
        elif f.path.endswith((".html", ".htm")):
            text = data.decode("utf-8")
            for d in dangerous(text):
                bad.append(f"{f.path}: holds {d}")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
        if "cchc49cchc" in text:
            bad.append(f"{f.path}: template syntax was evaluated")
        if not unicodedata.is_normalized("NFC", text):
            bad.append(f"{f.path}: not NFC")
    return bad


class Runner:
    """Writes generated files into the fuzz project, loads it with the core, checks, cleans up."""

    def __init__(self, root: Path):
        self.root = root
        self.files_written = 0
        self.clean_loads = 0
        self.counts: dict[str, int] = {}

    def run(self, files: list[tuple[str, bytes]], check_output: bool) -> None:
        written: dict[str, bytes] = {}
        backups: dict[str, bytes] = {}
        try:
            for rel, content in files:
                path = self.root / rel
                if path.exists() and rel not in backups:
                    backups[rel] = path.read_bytes()  # a seed rewritten in place: restored below
                path.write_bytes(content)
                written[rel] = content
            self.files_written += len(files)
            for rel, _ in files:
                kind = rel.split("/")[-2]
                self.counts[kind] = self.counts.get(kind, 0) + 1
            problems = Problems()
            try:
                site = load_site(str(self.root / "mkdocs.yml"), problems, now=NOW)
            except Exception as exc:
                shown = "\n".join(f"--- {rel} ---\n{content[:1500]!r}" for rel, content in written.items())
                raise AssertionError(f"loading raised {type(exc).__name__}: {exc}\n\nfiles:\n{shown}") from exc
            assert site is not None, "the settings are untouched, the site must load:\n" + problems.format()
            bad = check_problems(problems, self.root, written)
            keys = loaded_keys(site)
            named = {p.path for p in problems.errors}
            for rel in written:
                if file_key(rel) not in keys and rel not in named:
                    bad.append(f"{rel}: neither loaded nor named by an error (it vanished silently)")
            if not problems.has_errors():
                self.clean_loads += 1
                site.pages()
                site.files()
                if check_output:
                    bad += check_outputs(site)
            if bad:
                shown = "\n".join(f"--- {rel} ---\n{content[:600]!r}" for rel, content in written.items())
                raise AssertionError("\n".join(bad) + "\n\nproblems reported:\n" + problems.format()[:4000]
                                     + "\n\nfiles:\n" + shown)
        finally:
            for rel in written:
                (self.root / rel).unlink(missing_ok=True)
            for rel, content in backups.items():
                (self.root / rel).write_bytes(content)


def _settings(n: int):
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=CI,  # CI: the same examples every run; locally: new ones each time
        database=None,
        # No shrinking: each example loads a whole project, so shrinking takes minutes; the
        # failure message names the files, the problems and the generated bytes instead.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# --------------------------------------------------------------------------- tests
def test_malformed_files_never_crash_and_are_always_named(fuzz_project):
    """≥1,000 malformed files (3–4 per load) across every registered content kind."""
    runner = Runner(fuzz_project)
    kinds = sorted(SEEDS)

    @_settings(330)
    @given(data=st.data())
    def run(data):
        files = []
        for i in range(data.draw(st.integers(3, 4), label="files")):
            kind = data.draw(st.sampled_from(kinds), label="kind")
            ext = ".md" if kind == "news" else ".yml"
            content = data.draw(malformed_file(kind, i), label=f"file{i}")
            files.append((f"{KIND_DIRS[kind]}/fz-{i}{ext}", content))
        runner.run(files, check_output=True)

    run()
    print(f"\nfuzz: {runner.files_written} malformed files in {len(kinds)} kinds {runner.counts}, "
          f"{runner.clean_loads} loads without errors")
    assert runner.files_written >= 1000
    assert set(runner.counts) == {KIND_DIRS[k].split("/")[-1] for k in kinds}


def test_hostile_text_in_valid_content_comes_out_inert(fuzz_project):
    """Valid files whose every prose field and body carries script, HTML, template syntax, NFD."""
    runner = Runner(fuzz_project)
    targets = []
    for kind in sorted(SEEDS):
        for name, doc, body in SEEDS[kind]:
            paths = calibrate(fuzz_project, kind, name, doc, body)
            if paths:
                targets.append((kind, name, doc, body, paths))
    assert {t[0] for t in targets} == set(SEEDS), (
        f"no seed of {set(SEEDS) - {t[0] for t in targets}} takes hostile prose and still loads")

    @_settings(100)
    @given(data=st.data())
    def run(data):
        kind, name, doc, body, paths = data.draw(st.sampled_from(targets), label="seed")
        doc = poison(doc, paths, lambda p: data.draw(st.sampled_from(HOSTILE_PROSE), label=dotted_path(p)))
        if kind == "news":
            extra = data.draw(st.lists(st.sampled_from(TRICKY_MARKDOWN), min_size=1, max_size=4), label="md")
            body = body + "\n\n" + "\n\n".join(extra)
        rel, text, _ = hostile_file(kind, name, doc, body)
        runner.run([(rel, text.encode("utf-8", "surrogatepass"))], check_output=True)

    run()
    print(f"\nhostile: {runner.files_written} files over {len(targets)} seeds "
          f"({sum(len(t[4]) for t in targets)} prose fields), {runner.clean_loads} valid loads with outputs checked")
    assert runner.clean_loads >= 50, f"only {runner.clean_loads} of {runner.files_written} hostile files loaded"


def test_dangerous_detects_what_runs():
    assert dangerous('<p>ok <a href="https://x.vn/">x</a> &lt;script&gt;</p>') == []
    assert dangerous("<p>a</p><script>x</script>") == ["<script>"]
    assert dangerous('<img src=x onerror="y">') == ["<img onerror=…>"]
    assert dangerous('<a href=" java\tscript:alert(1)">x</a>')
    assert dangerous('<a href="JAVASCRIPT:alert(1)">x</a>')
    assert dangerous('<svg><circle onload="x"/></svg>')


# --------------------------------------------------------------------------- regressions found by the fuzz
def _load_with(root: Path, rel: str, text: str) -> Problems:
    path = root / rel
    path.write_text(text, encoding="utf-8")
    try:
        return loads_clean(root)
    finally:
        path.unlink()


def test_recursive_yaml_alias_is_a_problem_not_a_recursion_error(fuzz_project):
    problems = _load_with(fuzz_project, "content/tin-tuc/vong-lap.md",
                          "---\ntitle: &a [*a]\ndate: 2026-01-01\nsummary: x y\nchuyen_muc: [hoi-dap]\n---\nx\n")
    got = [(p.path, p.line, p.field, p.code) for p in problems.errors]
    assert ("content/tin-tuc/vong-lap.md", 2, "title[0]", "yaml.recursive_alias") in got, got


def test_yaml_alias_bomb_is_a_problem_not_a_memory_blow_up(fuzz_project):
    lines = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    prev = "a"
    for name in "bcdefgh":  # 9**8 values once expanded
        lines.append(f"{name}: &{name} [" + ", ".join(["*" + prev] * 9) + "]")
        prev = name
    problems = _load_with(fuzz_project, "content/tin-tuc/bom.md", "---\n" + "\n".join(lines) + "\ntitle: *h\n---\nx\n")
    assert [p.code for p in problems.errors] == ["yaml.too_large"], problems.format()
    assert "200.000" in problems.errors[0].message("vi")


def test_numeric_bounds_have_messages(fuzz_project):
    if "plan" not in SEEDS:
        pytest.skip("cchc.plans is not registered")
    name, doc, _ = SEEDS["plan"][0]
    doc = dict(doc, nam=0, id="kh-nam-sai")
    problems = _load_with(fuzz_project, "plans/nam-sai.yml", dump(doc))
    mine = [p for p in problems.errors if p.path == "plans/nam-sai.yml" and p.field == "nam"]
    assert mine and mine[0].code == "field.min", problems.format()
    assert "phải từ" in mine[0].message("vi") and "at least" in mine[0].message("en")
