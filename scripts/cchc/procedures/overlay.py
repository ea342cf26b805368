"""Translations laid over an original: the engine behind `procedures/<code>.en.yml` and `plans/<id>.en.yml`.

A translation file has the shape of its original and holds only words: the English
file of a procedure writes `ten`, `cac_buoc`, `giay_to[…].ten`… where the Vietnamese
file writes them, and nothing else. Codes, dates, fees, decisions and states always
come from the original, so they cannot drift apart. The engine is generic over the
project's pydantic models (the plans module uses it too); a module declares which
fields translate by writing a translation model with the same field names.

Rules, each reported as `path:line: field: message`:

* a language-neutral field copied into the translation is fine when its value is the
  original's (keeping `ma: '1'` of a case shows which entry is being translated); a
  different value is not used (warning). Inside a list it means the entries are not
  in the original's order, so that entry's translation is not used either;
* a translated list has as many entries as the original, in the same order; an empty
  entry (`- ~`) keeps the original's. Otherwise the whole list stays in Vietnamese
  (warning): a misaligned translation would put one step's English under another;
* a translated part the original does not have is not used (warning);
* text the translation does not give is shown in the original language, and pages
  mark it `lang="vi"` (see `Translated.own`).

Mismatches are warnings, not errors, on purpose: Vietnamese is the primary and
always-complete language. Re-importing a procedure from the national portal (one
step more) must not stop the Vietnamese site from being published because the
English file is now one step short; the English page shows that list in Vietnamese
until someone updates the translation, and the build says where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from pydantic import BaseModel, Field

from ..modeling import model_at
from ..problems import Problems, register_messages
from ..yamlsrc import Located, dotted

register_messages(
    {
        "translation.neutral": {
            "vi": "'{name}' không dịch: giá trị lấy từ tệp tiếng Việt {original} (dòng {at}: {value}). Giá trị ở đây ({written}) không được dùng; xoá dòng này.",
            "en": "'{name}' is not translated: its value comes from the Vietnamese file {original} (line {at}: {value}). The value here ({written}) is not used; delete this line.",
        },
        "translation.misaligned": {
            "vi": "mục này ghi {name}: {written}, nhưng mục cùng vị trí trong tệp tiếng Việt {original} (dòng {at}) là {value}. Các mục được ghép theo thứ tự: sắp bản dịch theo đúng thứ tự của tệp tiếng Việt. Đến khi sửa, mục này hiện bằng tiếng Việt.",
            "en": "this entry says {name}: {written}, but the entry in the same position in the Vietnamese file {original} (line {at}) is {value}. Entries are matched by position: put the translation in the Vietnamese file's order. Until then this entry is shown in Vietnamese.",
        },
        "translation.length": {
            "vi": "danh sách '{name}' có {count} mục, nhưng trong tệp tiếng Việt {original} (dòng {at}) có {expected} mục. Bản dịch cần đúng {expected} mục, cùng thứ tự (mục chưa dịch ghi '- ~'). Đến khi sửa, danh sách này hiện bằng tiếng Việt.",
            "en": "list '{name}' has {count} entries, but the Vietnamese file {original} (line {at}) has {expected}. Give exactly {expected} entries, in the same order (write '- ~' for one not translated yet). Until then this list is shown in Vietnamese.",
        },
        "translation.absent": {
            "vi": "tệp tiếng Việt {original} không có '{name}', nên không có gì để dịch; phần này không được dùng. Thêm mục đó vào tệp tiếng Việt trước, hoặc xoá khỏi bản dịch.",
            "en": "the Vietnamese file {original} has no '{name}', so there is nothing to translate; this part is not used. Add it to the Vietnamese file first, or delete it from the translation.",
        },
        "translation.no_original": {
            "vi": "bản dịch không có tệp gốc tiếng Việt '{original}'. Tạo tệp gốc trước, hoặc đổi tên tệp cho khớp (ví dụ '{example}').",
            "en": "this translation has no Vietnamese original '{original}'. Create the original first, or rename the file to match (e.g. '{example}').",
        },
        "translation.language_off": {
            "vi": "tệp bản dịch ('{lang}') nhưng trang chưa bật ngôn ngữ này. Thêm mục 'languages: {lang}: …' dưới '- cchc:' trong mkdocs.yml, hoặc đổi tên tệp.",
            "en": "a translation ('{lang}') but the site has no such language. Add 'languages: {lang}: …' under '- cchc:' in mkdocs.yml, or rename the file.",
        },
        "translation.stale": {
            "vi": "bản dịch ghi ngày {translated}, cũ hơn lần cập nhật tệp tiếng Việt ({updated}). Đối chiếu với {original}, sửa bản dịch rồi ghi 'ngay_dich:' ngày sửa; đến lúc đó trang tiếng Anh báo rằng bản tiếng Việt mới hơn.",
            "en": "the translation is dated {translated}, older than the Vietnamese file's last update ({updated}). Compare it with {original}, update the translation and set 'ngay_dich:' to that day; until then the English page says the Vietnamese version is newer.",
        },
    }
)


KEEP = "x-cchc-keep"


def keep(what: str = "") -> Any:
    """A field of a translation model that is not translated, only written to show which entry is which.

    Staff may copy `ma: '1'` of a case or `stt: 1.1` of a task into the translation to
    see what they translate; `prepare` checks it equals the original's and removes it.
    Declared (rather than left unknown) so the JSON Schema editors use accepts it.
    """
    text = "Không dịch: chép nguyên từ tệp tiếng Việt (nếu muốn) để biết mục nào đang dịch"
    return Field(None, description=f"{text}{': ' + what if what else ''}", json_schema_extra={KEEP: True})


def _kept(cls: type[BaseModel], key: str) -> bool:
    fld = cls.model_fields.get(key)
    extra = fld.json_schema_extra if fld is not None else None
    return isinstance(extra, dict) and bool(extra.get(KEEP))


def _norm(value: Any) -> Any:
    """A YAML value compared the way staff see it: 1.014331 (a number to YAML) equals '1.014331'."""
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if value is None:
        return None
    text = getattr(value, "yaml_text", None)
    return " ".join(str(text if text is not None else value).split())


def _shown(value: Any, limit: int = 60) -> str:
    if value is None:
        return "—"
    text = " ".join(str(getattr(value, "yaml_text", None) or value).split())
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def prepare(
    located: Located,
    translation_model: type[BaseModel],
    original_model: type[BaseModel],
    original: Located,
    *,
    source: str,
    original_source: str,
    problems: Problems,
) -> set[tuple]:
    """Take language-neutral fields out of the translation's data, before validation.

    Returns the list entries whose copied neutral fields differ from the original's
    (`translation.misaligned`): their translation must not be used.
    """
    misaligned: set[tuple] = set()

    def walk(node, orig, tr_cls, orig_cls, loc: tuple, entry: Optional[tuple]) -> None:
        if not isinstance(node, dict) or tr_cls is None:
            return
        for key in list(node):
            if not isinstance(key, str):
                continue
            sub = loc + (key,)
            orig_value = orig.get(key) if isinstance(orig, dict) else None
            if key in tr_cls.model_fields and not _kept(tr_cls, key):
                tr_sub = model_at(tr_cls, (key,))
                orig_sub = model_at(orig_cls, (key,)) if orig_cls is not None else None
                value = node[key]
                if tr_sub is None:
                    continue
                if isinstance(value, list):
                    for i, item in enumerate(value):
                        o = orig_value[i] if isinstance(orig_value, list) and i < len(orig_value) else None
                        walk(item, o, tr_sub, orig_sub, sub + (i,), sub + (i,))
                else:
                    walk(value, orig_value, tr_sub, orig_sub, sub, entry)
            elif (orig_cls is not None and key in orig_cls.model_fields) or _kept(tr_cls, key):
                written = node.pop(key)
                if _norm(written) == _norm(orig_value):
                    continue
                params = dict(name=key, original=original_source, at=original.line(sub),
                              value=_shown(orig_value), written=_shown(written))
                if entry is not None:
                    misaligned.add(entry)
                    problems.warn(source, located.line(sub), dotted(sub), "translation.misaligned", **params)
                else:
                    problems.warn(source, located.line(sub), dotted(sub), "translation.neutral", **params)
            # Any other key is unknown to both models: validation reports it (field.unknown).

    walk(located.data, original.data, translation_model, original_model, (), None)
    return misaligned


@dataclass
class Translated:
    """The original with the translation laid over it, and which texts are translated."""

    model: Any  # an instance of the original's model class
    translated: set = field(default_factory=set)  # locations (tuples) whose text is the translation's

    def own(self, loc: tuple) -> bool:
        """True when the text at `loc` is in the translation's language."""
        return tuple(loc) in self.translated


def apply(
    original: BaseModel,
    translation: BaseModel,
    *,
    located: Located,
    original_located: Located,
    source: str,
    original_source: str,
    problems: Problems,
    misaligned: set[tuple] = frozenset(),
    free: frozenset[str] = frozenset(),
) -> Translated:
    """Lay `translation` over `original` (both validated models).

    `free`: names of list fields the translation writes on its own, without matching
    the original entry by entry (search keywords). Fields of the translation model
    the original's model does not have (a plan's English summary, the translation
    date) are left to the caller.
    """
    translated: set[tuple] = set()

    def absent(loc: tuple) -> None:
        problems.warn(source, located.line(loc), dotted(loc), "translation.absent",
                      name=dotted(loc), original=original_source)

    def merge(orig: BaseModel, tr: BaseModel, loc: tuple) -> BaseModel:
        updates = {}
        own_fields = type(orig).model_fields
        for name in tr.model_fields_set:
            if name not in own_fields:
                continue
            value = getattr(tr, name)
            if value is None:
                continue
            current = getattr(orig, name)
            sub = loc + (name,)
            if name in free:
                if value:
                    updates[name] = list(value)
                    translated.add(sub)
                continue
            if isinstance(value, BaseModel):
                if current is None:
                    absent(sub)
                    continue
                updates[name] = merge(current, value, sub)
                continue
            if isinstance(value, list):
                if not value:
                    continue
                if not current:
                    absent(sub)
                    continue
                if len(value) != len(current):
                    problems.warn(source, located.line(sub), dotted(sub), "translation.length", name=dotted(sub),
                                  count=len(value), expected=len(current), original=original_source,
                                  at=original_located.line(sub))
                    continue
                items = []
                for i, (t_item, o_item) in enumerate(zip(value, current)):
                    where = sub + (i,)
                    if t_item is None or where in misaligned:
                        items.append(o_item)
                    elif isinstance(t_item, BaseModel):
                        items.append(merge(o_item, t_item, where))
                    else:
                        items.append(t_item)
                        translated.add(where)
                updates[name] = items
                continue
            # A text. Also where the original has none: an English-only note is allowed.
            updates[name] = value
            translated.add(sub)
        return orig.model_copy(update=updates) if updates else orig

    return Translated(model=merge(original, translation, ()), translated=translated)


# --- a file to translate ------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    import yaml

    text = getattr(value, "yaml_text", None)
    if text is not None:
        value = str(text)
    out = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return out[:-4].strip() if out.endswith("\n...") else out.removesuffix("...").strip()


def _comment(text: Any, pad: str) -> list[str]:
    lines = str(text).strip("\n").split("\n")
    return [f"{pad}# {line}".rstrip() for line in lines]


def skeleton(original: Any, translation_model: type[BaseModel], *, free: frozenset[str] = frozenset(),
             first: dict[str, str] | None = None) -> list[str]:
    """The lines of a translation file to fill in: every translatable text of `original` (the
    Vietnamese YAML data) as a comment, with `~` (keep the Vietnamese text) under it.

    The file is valid as soon as the required fields are written (`ten`…): each `~`
    replaced by a translation shows on the page, the others stay Vietnamese, marked so.
    Keys that identify an entry (`ma`, `stt`…) are copied so staff see which one they translate.
    """
    first = first or {}

    def walk(node: Any, cls: type[BaseModel], pad: str) -> list[str]:
        out: list[str] = []
        if not isinstance(node, dict):
            return out
        for name in cls.model_fields:
            if name not in node or node[name] in (None, "", [], {}):
                if name in first and not pad:
                    out.append(f"{name}: {first[name]}")
                continue
            value = node[name]
            if _kept(cls, name):
                out.append(f"{pad}{name}: {_scalar(value)}")
                continue
            sub = model_at(cls, (name,))
            if name in free:
                out += _comment(", ".join(str(v) for v in value) if isinstance(value, list) else value, pad)
                out.append(f"{pad}{name}: []")
            elif isinstance(value, list):
                out.append(f"{pad}{name}:")
                for item in value:
                    if sub is not None and isinstance(item, dict):
                        inner = walk(item, sub, pad + "    ")
                        if not inner:
                            out.append(f"{pad}  - ~")
                            continue
                        # The entry's first line carries the "- ".
                        lead = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
                        inner[lead] = f"{pad}  - " + inner[lead][len(pad) + 4:]
                        out += inner
                    else:
                        out += _comment(item, pad + "  ")
                        out.append(f"{pad}  - ~")
            elif sub is not None and isinstance(value, dict):
                inner = walk(value, sub, pad + "  ")
                if inner:
                    out.append(f"{pad}{name}:")
                    out += inner
            else:
                # A required text starts empty (the build says "must not be empty" until it is written).
                blank = '""' if cls.model_fields[name].is_required() else "~"
                out += _comment(value, pad)
                out.append(f"{pad}{name}: {first.get(name, blank) if not pad else blank}")
        return out

    return walk(original, translation_model, "")
