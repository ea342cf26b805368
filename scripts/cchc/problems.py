"""Problems found in content: each names a file, a line, a field, and says what to write.

Every check in the project reports through `Problem`; nothing raises a traceback
at a staff member. Messages live in a catalogue keyed by code, in Vietnamese
(default) and English, so a message is written once and every command prints it
the same way: ``path:line: field: message``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Iterable, Iterator

ERROR = "error"
WARNING = "warning"

# code -> {"vi": template, "en": template}. Templates use str.format fields.
# Modules add their own codes with `register_messages`.
MESSAGES: dict[str, dict[str, str]] = {}


def register_messages(messages: dict[str, dict[str, str]]) -> None:
    for code, texts in messages.items():
        if "vi" not in texts or "en" not in texts:
            raise ValueError(f"message {code!r} needs both 'vi' and 'en'")
        MESSAGES[code] = texts


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# A value quoted in a message is cut here: a 5,000-character slug pasted by mistake must
# not turn the line staff read into a wall of text (found by tests/test_quality_fuzz.py).
MAX_QUOTED = 300


def _clip(value):
    if isinstance(value, str) and len(value) > MAX_QUOTED:
        return value[: MAX_QUOTED - 1] + "…"
    return value


def _render(template: str, params: dict) -> str:
    return string.Formatter().vformat(template, (), _SafeDict({k: _clip(v) for k, v in params.items()}))


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    field: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    severity: str = ERROR

    def message(self, lang: str = "vi") -> str:
        texts = MESSAGES.get(self.code)
        if texts is None:
            return f"[{self.code}] {self.params}"
        return _render(texts.get(lang) or texts["vi"], self.params)

    def format(self, lang: str = "vi") -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        label = ""
        if self.severity == WARNING:
            label = "cảnh báo: " if lang == "vi" else "warning: "
        fld = self.field or "-"
        if fld == "body" and lang == "vi":
            fld = "nội dung"
        return f"{where}: {fld}: {label}{self.message(lang)}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class Problems:
    """An ordered collection of problems for one run."""

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self._seen: set = set()

    def add(
        self,
        path: str,
        line: int | None,
        field: str,
        code: str,
        severity: str = ERROR,
        **params,
    ) -> Problem:
        p = Problem(path=path, line=line, field=field, code=code, params=params, severity=severity)
        # The same text can be checked twice (a body rendered for two pages): say it once.
        key = (path, line, field, code, severity, repr(sorted(params.items())))
        if key not in self._seen:
            self._seen.add(key)
            self._items.append(p)
        return p

    def warn(self, path: str, line: int | None, field: str, code: str, **params) -> Problem:
        return self.add(path, line, field, code, severity=WARNING, **params)

    def extend(self, items: Iterable[Problem]) -> None:
        for p in items:
            self.add(p.path, p.line, p.field, p.code, p.severity, **p.params)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Problem]:
        return sorted(self._items, key=lambda p: (p.path, p.line or 0, p.field, p.code))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if not p.is_error]

    def has_errors(self) -> bool:
        return any(p.is_error for p in self._items)

    def format(self, lang: str = "vi") -> str:
        return "\n".join(p.format(lang) for p in self.sorted())

    def summary(self, lang: str = "vi") -> str:
        e, w = len(self.errors), len(self.warnings)
        if lang == "en":
            return f"{e} error(s), {w} warning(s)."
        return f"{e} lỗi, {w} cảnh báo."


class ContentError(Exception):
    """Raised by a build when content has errors; carries the problems, printed without traceback."""

    def __init__(self, problems: Problems, lang: str = "vi"):
        self.problems = problems
        self.lang = lang
        super().__init__(problems.summary(lang))


register_messages(
    {
        # --- files and YAML -------------------------------------------------
        "yaml.syntax": {
            "vi": "YAML không đọc được: {detail}. Kiểm tra dấu hai chấm sau tên trường, thụt lề bằng dấu cách (không dùng Tab) và đặt giá trị có dấu ':' hoặc '#' trong ngoặc kép.",
            "en": "YAML cannot be read: {detail}. Check the colon after each field name, indent with spaces (not tabs), and quote values containing ':' or '#'.",
        },
        "yaml.syntax_at": {
            "vi": "YAML không đọc được: {detail} (chỗ bắt đầu ở dòng này, phát hiện ở dòng {at}). Kiểm tra ngoặc [ ] hoặc dấu ngoặc kép đã đóng chưa, dấu hai chấm sau tên trường, thụt lề bằng dấu cách (không dùng Tab).",
            "en": "YAML cannot be read: {detail} (starts on this line, detected at line {at}). Check that brackets [ ] and quotes are closed, the colon after each field name, and indentation with spaces (not tabs).",
        },
        "yaml.duplicate_key": {
            "vi": "trường '{key}' được viết hai lần (lần đầu ở dòng {first_line}). Giữ lại một dòng.",
            "en": "field '{key}' appears twice (first at line {first_line}). Keep one.",
        },
        "yaml.not_mapping": {
            "vi": "nội dung phải là danh sách các trường dạng 'tên_trường: giá trị'.",
            "en": "the content must be a set of 'field: value' lines.",
        },
        "file.encoding": {
            "vi": "tệp không phải UTF-8 ({detail}). Lưu lại tệp với mã hoá UTF-8 (trong VS Code: 'Save with Encoding' → UTF-8).",
            "en": "the file is not UTF-8 ({detail}). Save it again as UTF-8.",
        },
        "frontmatter.missing": {
            "vi": "thiếu phần thông tin đầu bài. Dòng đầu tiên của tệp phải là '---', tiếp theo là các trường (title, date, summary, chuyen_muc…), rồi một dòng '---'. Dùng lệnh 'cchc new \"Tiêu đề\"' để tạo tệp mẫu.",
            "en": "the front matter is missing. The first line must be '---', then the fields (title, date, summary, chuyen_muc…), then a line '---'. Use 'cchc new \"Title\"' to create a template.",
        },
        "frontmatter.unclosed": {
            "vi": "phần thông tin đầu bài mở bằng '---' ở dòng 1 nhưng không có dòng '---' để đóng lại. Thêm một dòng '---' sau trường cuối cùng.",
            "en": "the front matter opened with '---' on line 1 is never closed. Add a line '---' after the last field.",
        },
        # --- generic field validation (mapped from pydantic error types) -----
        "field.missing": {
            "vi": "thiếu trường bắt buộc. Thêm dòng '{name}: …' ({hint}).",
            "en": "required field is missing. Add a line '{name}: …' ({hint}).",
        },
        "field.unknown": {
            "vi": "trường '{name}' không được hỗ trợ. Kiểm tra chính tả; các trường hợp lệ ở đây: {allowed}.",
            "en": "field '{name}' is not supported. Check the spelling; valid fields here: {allowed}.",
        },
        "field.type_string": {
            "vi": "phải là một đoạn chữ, nhưng đang là '{value}'. Viết giá trị trong ngoặc kép.",
            "en": "must be text, but is '{value}'. Put the value in double quotes.",
        },
        "field.type_list": {
            "vi": "phải là một danh sách. Viết mỗi giá trị trên một dòng bắt đầu bằng '- ', hoặc [giá trị 1, giá trị 2].",
            "en": "must be a list. Write each value on a line starting with '- ', or [value 1, value 2].",
        },
        "field.type_mapping": {
            "vi": "phải gồm các trường con (ví dụ '{example}'), không phải một giá trị đơn.",
            "en": "must contain sub-fields (for example '{example}'), not a single value.",
        },
        "field.type_bool": {
            "vi": "phải là true (có) hoặc false (không), nhưng đang là '{value}'.",
            "en": "must be true or false, but is '{value}'.",
        },
        "field.type_int": {
            "vi": "phải là một số nguyên, nhưng đang là '{value}'. Viết chữ số, không có dấu chấm hay đơn vị.",
            "en": "must be a whole number, but is '{value}'. Write digits only, no separators or units.",
        },
        "field.type_number": {
            "vi": "phải là một số, nhưng đang là '{value}'.",
            "en": "must be a number, but is '{value}'.",
        },
        "field.empty": {
            "vi": "không được để trống. Viết nội dung cho trường này hoặc xoá dòng nếu trường không bắt buộc.",
            "en": "must not be empty. Write a value, or delete the line if the field is optional.",
        },
        "field.too_short": {
            "vi": "quá ngắn: cần ít nhất {min} {unit}.",
            "en": "too short: needs at least {min} {unit}.",
        },
        "field.too_long": {
            "vi": "quá dài: tối đa {max} {unit}, hiện có {actual}. Rút gọn lại.",
            "en": "too long: at most {max} {unit}, now {actual}. Shorten it.",
        },
        "field.choice": {
            "vi": "giá trị '{value}' không hợp lệ. Viết một trong: {allowed}.",
            "en": "value '{value}' is not valid. Write one of: {allowed}.",
        },
        "field.pattern": {
            "vi": "giá trị '{value}' không đúng dạng. {hint}",
            "en": "value '{value}' has the wrong form. {hint}",
        },
        "field.date": {
            "vi": "'{value}' không phải ngày hợp lệ. Viết theo dạng 2026-03-05 hoặc 05/03/2026 (có thể thêm giờ: 2026-03-05 08:30).",
            "en": "'{value}' is not a valid date. Write it as 2026-03-05 or 05/03/2026 (optionally with a time: 2026-03-05 08:30).",
        },
        "field.url": {
            "vi": "'{value}' không phải địa chỉ web hợp lệ. Viết đầy đủ, bắt đầu bằng https:// (hoặc http://).",
            "en": "'{value}' is not a valid web address. Write it in full, starting with https:// (or http://).",
        },
        "field.email": {
            "vi": "'{value}' không phải địa chỉ thư điện tử hợp lệ (dạng ten@donvi.gov.vn).",
            "en": "'{value}' is not a valid e-mail address (like name@unit.gov.vn).",
        },
        "field.not_nfc": {
            "vi": "chữ tiếng Việt đang ở dạng tổ hợp (NFD), khi tìm kiếm và so sánh sẽ sai. Hệ thống đã tự chuyển sang dạng dựng sẵn (NFC); nên gõ lại bằng Unikey (bảng mã Unicode dựng sẵn).",
            "en": "Vietnamese text is in decomposed form (NFD). It was converted to NFC; retype it with a Unicode (precomposed) keyboard.",
        },
        "field.invalid": {
            "vi": "giá trị không hợp lệ: {detail}",
            "en": "invalid value: {detail}",
        },
        "config.missing": {
            "vi": "không tìm thấy tệp cấu hình '{path}'. Chạy lệnh trong thư mục chứa mkdocs.yml hoặc dùng tuỳ chọn -f.",
            "en": "configuration file '{path}' not found. Run the command in the folder holding mkdocs.yml, or use -f.",
        },
        "config.no_plugin": {
            "vi": "mkdocs.yml không khai báo plugin 'cchc'. Thêm vào mục plugins: '- cchc'.",
            "en": "mkdocs.yml does not list the 'cchc' plugin. Add '- cchc' under plugins.",
        },
    }
)
