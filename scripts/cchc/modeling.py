"""Shared field types for the content models and the bridge from pydantic to `Problem`.

The models (news, procedures, plans, unit identity) are pydantic models, so one
definition gives both the check and the JSON Schema that editors use. This module
turns pydantic's errors into Vietnamese `path:line: field: message` problems,
using the line map recorded by `yamlsrc`.
"""

from __future__ import annotations

import copy
import pickle
import re
import types
import typing
from datetime import date, datetime
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from . import timeutil
from .problems import MESSAGES, Problems, register_messages
from .text import clean_block, clean_line
from .yamlsrc import Located, dotted, shared


class Model(BaseModel):
    """Base of every content model: unknown fields are errors, values are frozen.

    An optional field written but left empty (`author: ""`, `author:`) counts as
    absent: templates from `cchc new` list every field, and staff leave some
    blank. A required field left empty is still an error ("không được để trống").
    """

    # defer_build: a model's validator is built when first used, not at import (≈ 0.2 s of every
    # build's start for the procedure and plan models); a rebuild whose sources all come from
    # the cache never validates them.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, validate_default=False,
                              defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_blank_optionals(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = {}
        for key, value in data.items():
            fld = cls.model_fields.get(key) if isinstance(key, str) else None
            blank = value is None or (isinstance(value, str) and not value.strip())
            if fld is not None and not fld.is_required() and blank:
                continue
            out[key] = value
        return out


def _text_before(v: Any) -> Any:
    if isinstance(v, str):
        return clean_line(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        # "số hiệu: 45" or "nhiem_vu: 1.10" is text in our models; YAML gives a
        # number, which yamlsrc marks with the digits as written.
        return getattr(v, "yaml_text", None) or str(v)
    return v


def _block_before(v: Any) -> Any:
    if isinstance(v, str):
        return clean_block(v).strip("\n")
    return v


def _non_empty(v: str) -> str:
    if not v.strip():
        raise PydanticCustomError("field.empty", "empty")
    return v


Text = Annotated[str, BeforeValidator(_text_before), AfterValidator(_non_empty)]
"""A one-line text: NFC, artefacts cleaned, spaces collapsed, not empty."""

Markdown = Annotated[str, BeforeValidator(_block_before), AfterValidator(_non_empty)]
"""A multi-line Markdown text: NFC, line structure kept, not empty."""


def _parse_dt(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return timeutil.parse_datetime(v)
    if isinstance(v, str):
        try:
            return timeutil.parse_datetime(v)
        except timeutil.DateFormatError:
            raise PydanticCustomError("field.date", "bad date", {"value": v})
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        raise PydanticCustomError("field.date", "bad date", {"value": v})
    return v


def _parse_d(v: Any) -> Any:
    v = _parse_dt(v)
    return v.date() if isinstance(v, datetime) else v


VnDateTime = Annotated[datetime, BeforeValidator(_parse_dt)]
"""A date or date-time in any accepted form, as an aware datetime in Vietnam time."""

VnDate = Annotated[date, BeforeValidator(_parse_d)]


def pattern(regex: str, code: str):
    """A text that must match `regex`; mismatches report message `code` with {value}."""
    rx = re.compile(regex)

    def check(v: str) -> str:
        if not rx.fullmatch(v):
            raise PydanticCustomError(code, "pattern", {"value": v})
        return v

    return Annotated[str, BeforeValidator(_text_before), AfterValidator(check)]


TthcCode = pattern(r"[1-9]\.\d{6}", "pattern.tthc_code")
Slug = pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*", "pattern.slug")
_URL_RX = re.compile(r"https?://[^\s/$.?#][^\s]*", re.I)


def _url_check(v: str) -> str:
    if not _URL_RX.fullmatch(v):
        raise PydanticCustomError("field.url", "url", {"value": v})
    return v


Url = Annotated[str, BeforeValidator(_text_before), AfterValidator(_url_check)]
_EMAIL_RX = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email_check(v: str) -> str:
    if not _EMAIL_RX.fullmatch(v):
        raise PydanticCustomError("field.email", "email", {"value": v})
    return v


Email = Annotated[str, BeforeValidator(_text_before), AfterValidator(_email_check)]

register_messages(
    {
        "pattern.tthc_code": {
            "vi": "mã thủ tục '{value}' không đúng dạng. Mã TTHC gồm 1 chữ số, dấu chấm và 6 chữ số, ví dụ 1.014331 (xem trên dichvucong.gov.vn).",
            "en": "procedure code '{value}' has the wrong form. A code is one digit, a dot and six digits, e.g. 1.014331 (see dichvucong.gov.vn).",
        },
        "field.min": {
            "vi": "giá trị '{value}' quá nhỏ: phải từ {bound} trở lên.",
            "en": "value '{value}' is too small: it must be at least {bound}.",
        },
        "field.min_exclusive": {
            "vi": "giá trị '{value}' quá nhỏ: phải lớn hơn {bound}.",
            "en": "value '{value}' is too small: it must be greater than {bound}.",
        },
        "field.max": {
            "vi": "giá trị '{value}' quá lớn: tối đa là {bound}.",
            "en": "value '{value}' is too large: it must be at most {bound}.",
        },
        "field.max_exclusive": {
            "vi": "giá trị '{value}' quá lớn: phải nhỏ hơn {bound}.",
            "en": "value '{value}' is too large: it must be less than {bound}.",
        },
        "pattern.slug": {
            "vi": "đường dẫn '{value}' chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ 'day-manh-cai-cach-hanh-chinh'.",
            "en": "slug '{value}' may only contain lower-case ASCII letters, digits and hyphens, e.g. 'day-manh-cai-cach-hanh-chinh'.",
        },
    }
)


# --- pydantic errors -> problems ------------------------------------------------

_BOUND_CODES = {
    "greater_than_equal": "field.min",
    "greater_than": "field.min_exclusive",
    "less_than_equal": "field.max",
    "less_than": "field.max_exclusive",
}

_TYPE_CODES = {
    "string_type": "field.type_string",
    "list_type": "field.type_list",
    "tuple_type": "field.type_list",
    "set_type": "field.type_list",
    "model_type": "field.type_mapping",
    "model_attributes_type": "field.type_mapping",
    "dict_type": "field.type_mapping",
    "bool_type": "field.type_bool",
    "bool_parsing": "field.type_bool",
    "int_type": "field.type_int",
    "int_parsing": "field.type_int",
    "int_from_float": "field.type_int",
    "float_type": "field.type_number",
    "float_parsing": "field.type_number",
    "decimal_parsing": "field.type_number",
    "datetime_type": "field.date",
    "date_type": "field.date",
    "datetime_parsing": "field.date",
    "date_parsing": "field.date",
    "date_from_datetime_inexact": "field.date",
}


def _unwrap(annotation: Any) -> list[Any]:
    """All concrete classes reachable through Optional/Union/list/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple, set, frozenset):
        out = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    if origin is dict:
        args = typing.get_args(annotation)
        return _unwrap(args[1]) if len(args) == 2 else []
    return [annotation]


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns location `loc` (None when it is not a model)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        fld = current.model_fields.get(part)
        if fld is None:
            return None
        candidates = [c for c in _unwrap(fld.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        current = candidates[0] if candidates else None
    return current


def _field_info(model: type[BaseModel], loc: tuple):
    if not loc:
        return None
    owner = model_at(model, tuple(p for p in loc[:-1]))
    name = loc[-1]
    if owner is None or isinstance(name, int):
        return None
    return owner.model_fields.get(name)


def _literal_values(model, loc: tuple) -> list[str]:
    """The allowed values of a Literal field (pydantic's own text says "a, b or c" in English)."""
    info = _field_info(model, tuple(p for p in loc if not isinstance(p, int)) if loc and isinstance(loc[-1], int) else loc)
    if info is None:
        return []
    out: list[str] = []
    stack = [info.annotation]
    while stack:
        ann = stack.pop()
        origin = typing.get_origin(ann)
        if origin is typing.Literal:
            out.extend(str(a) for a in typing.get_args(ann))
        elif origin is not None:
            stack.extend(typing.get_args(ann))
    return out


def _short(value: Any, limit: int = 60) -> str:
    s = value if isinstance(value, str) else repr(value)
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds tags for unions ('function-after[...]', 'str', 'list[str]'…);
    # keep only real keys and indexes.
    out = []
    for part in loc:
        if isinstance(part, int):
            out.append(part)
        elif isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"}):
            continue
        else:
            out.append(part)
    return tuple(out)


def validate(model: type[BaseModel], located: Located, problems: Problems, *, context: dict | None = None, lang_hint: str = "vi"):
    """Validate `located.data` against `model`; add problems; return the instance or None."""
    data = located.data
    if not isinstance(data, dict):
        problems.add(located.path, located.line(), "-", "yaml.not_mapping")
        return None
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        seen = set()
        for err in exc.errors(include_url=False):
            loc = _clean_loc(tuple(err["loc"]))
            key = (loc, err["type"])
            if key in seen:
                continue
            seen.add(key)
            _add_error(model, located, problems, loc, err)
        return None


def _add_error(model, located: Located, problems: Problems, loc: tuple, err: dict) -> None:
    etype = err["type"]
    ctx = dict(err.get("ctx") or {})
    value = err.get("input")
    field = dotted(loc) or "-"
    line = located.line(loc)
    path = located.path
    if etype == "missing":
        info = _field_info(model, loc)
        hint = (info.description if info is not None and info.description else "xem hướng dẫn trong README")
        problems.add(path, located.line(loc[:-1]), field, "field.missing", name=loc[-1] if loc else field, hint=hint)
    elif etype == "extra_forbidden":
        owner = model_at(model, loc[:-1])
        allowed = ", ".join(owner.model_fields) if owner is not None else ""
        problems.add(path, line, field, "field.unknown", name=loc[-1] if loc else field, allowed=allowed)
    elif etype in ("string_too_short",) and ctx.get("min_length", 1) <= 1:
        problems.add(path, line, field, "field.empty")
    elif etype in ("string_too_short", "too_short"):
        unit = "ký tự" if etype == "string_too_short" else "mục"
        problems.add(path, line, field, "field.too_short", min=ctx.get("min_length"), unit=unit)
    elif etype in ("string_too_long", "too_long"):
        unit = "ký tự" if etype == "string_too_long" else "mục"
        actual = len(value) if hasattr(value, "__len__") else "?"
        problems.add(path, line, field, "field.too_long", max=ctx.get("max_length"), unit=unit, actual=actual)
    elif etype in ("literal_error", "enum"):
        values = _literal_values(model, loc)
        allowed = ", ".join(values) if values else str(ctx.get("expected", "")).replace("'", "")
        problems.add(path, line, field, "field.choice", value=_short(value), allowed=allowed)
    elif etype in _TYPE_CODES:
        code = _TYPE_CODES[etype]
        example = ""
        owner = model_at(model, loc)
        if owner is not None:
            example = f"{next(iter(owner.model_fields), 'ten')}: …"
        problems.add(path, line, field, code, value=_short(value), example=example)
    elif etype in _BOUND_CODES:
        bound = next(iter(ctx.values()), "?")
        problems.add(path, line, field, _BOUND_CODES[etype], value=_short(value), bound=bound)
    elif etype in ("value_error", "assertion_error"):
        detail = str(ctx.get("error") or err.get("msg") or "")
        problems.add(path, line, field, "field.invalid", detail=detail)
    elif etype in MESSAGES:
        # Our own PydanticCustomError codes carry their parameters in ctx.
        params = {k: _short(v) if k == "value" else v for k, v in ctx.items()}
        if "value" not in params:
            params["value"] = _short(value)
        problems.add(path, line, field, etype, **params)
    else:
        # A pydantic check without a message of ours: never show its bare code.
        problems.add(path, line, field, "field.invalid", detail=f"'{_short(value)}': {err.get('msg') or etype}")




class LazyJsonSchema:
    """`pydantic.WithJsonSchema` whose schema `make()` gives, made when a JSON Schema is first
    asked for (`cchc schema`, the schema tests), not when the model is defined: schemas made
    with ``TypeAdapter(...).json_schema()`` at import built those types' validators, deferred
    otherwise (`Model`), at the start of every build (≈ 12 ms)."""

    __slots__ = ("_make", "_made")

    def __init__(self, make):
        self._make = make
        self._made = None

    def __get_pydantic_json_schema__(self, core_schema, handler) -> dict:
        if self._made is None:
            self._made = self._make()
        return copy.deepcopy(self._made)


def json_schema(model: type[BaseModel], title: str, description: str) -> dict:
    """JSON Schema (draft 2020-12) for `model`, as editors use it."""
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    schema["description"] = description
    return schema


class LightModel:
    """Some fields of a model, read as the model reads them: a field among them gives its value,
    a property or method of the model's class runs on this object (so it must read only those
    fields), and any other field is an error, not a silent default."""

    # The fields are the instance's attributes (read at the speed of any attribute: a build
    # reads ≈ 60,000 of them); `__getattr__` runs only for the others.

    def __init__(self, cls: type, values: dict):
        self.__dict__.update(values)
        self.__dict__["_cls"] = cls

    @classmethod
    def of(cls, model: BaseModel, fields: frozenset) -> "LightModel":
        return cls(type(model), {f: getattr(model, f) for f in fields})

    def __getattr__(self, name: str):
        cls = self.__dict__.get("_cls")
        if cls is None:
            raise AttributeError(name)
        if not name.startswith("_") and name not in cls.model_fields:
            for k in cls.__mro__:
                if k is BaseModel:
                    break  # pydantic's own methods read the whole model
                attr = k.__dict__.get(name)
                if isinstance(attr, property):
                    return attr.fget(self)
                if callable(attr):
                    return attr.__get__(self, cls)
        fields = sorted(k for k in self.__dict__ if k != "_cls")
        raise AttributeError(f"{cls.__name__}.{name} is not among the light fields ({', '.join(fields)})")

    def __reduce__(self):
        return LightModel, (self._cls, {k: v for k, v in self.__dict__.items() if k != "_cls"})


class LazyModel:
    """A validated model kept pickled until something reads more of it than `light`.

    `light` gives only the fields every build reads (a procedure's code, name, field, levels,
    decisions, methods and relations, for lists, checks and links), and the model's properties
    and methods that read only those (`LightModel`); `full()` is the whole model. A rebuild
    takes every unchanged file's parse from the build cache: unpickling the whole models of the
    benchmark's 1,000 procedures, with their steps, documents, forms and legal bases, was
    ≈ 0.2 s of every rebuild, for the few pages it renders. Pickled (into the cache, or from a
    worker of a cold build), the whole model travels as bytes."""

    __slots__ = ("_light", "_blob", "_full", "fields")

    def __init__(self, light: LightModel | None, blob: bytes | None, full: BaseModel | None, fields: frozenset):
        self._light = light
        self._blob = blob
        self._full = full
        self.fields = shared(fields)

    @classmethod
    def of(cls, model: BaseModel, fields: frozenset) -> "LazyModel":
        return cls(None, None, model, fields)

    @property
    def light(self) -> LightModel:
        if self._light is None:
            self._light = LightModel.of(self._full, self.fields)
        return self._light

    def full(self) -> BaseModel:
        if self._full is None:
            self._full = pickle.loads(self._blob)
            self._blob = None
            # The light fields now read the whole model's values (one copy of them in memory).
            self._light = LightModel.of(self._full, self.fields)
        return self._full

    @property
    def loaded(self) -> bool:
        return self._full is not None

    def __reduce__(self):
        blob = self._blob if self._blob is not None else pickle.dumps(self._full, protocol=pickle.HIGHEST_PROTOCOL)
        return LazyModel, (self.light, blob, None, self.fields)
