"""The `cchc` command: check content, scaffold a news item, export schemas, and module commands.

    cchc check [-f mkdocs.yml] [--lang en]     every problem at once, exit 1 on errors
    cchc new "Tiêu đề" [--date …] [--chuyen-muc …]   a new news item with every field
    cchc schema [--out schemas]                 JSON Schemas for editors (from the models)

Concept modules add their own sub-commands (import-tthc, report…) through an
`add_cli(subparsers)` function in `cchc/<module>/cli.py`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import uuid

from . import timeutil
from .problems import Problems
from .site import MODULES, load_site
from .text import slugify


def _print(problems: Problems, lang: str, stream=sys.stderr) -> None:
    for p in problems.sorted():
        print(p.format(lang), file=stream)


def cmd_check(args) -> int:
    problems = Problems()
    now = timeutil.build_now(args.now) if args.now else None
    site = load_site(args.config, problems, now=now)
    lang = args.lang or (site.settings.error_lang if site is not None else "vi")
    if site is not None and not problems.has_errors():
        # Build every page's data too (lists, cross-references) without writing anything.
        site.pages()
        site.files()
    _print(problems, lang)
    if problems.has_errors():
        print(("Có " if lang == "vi" else "Found ") + problems.summary(lang), file=sys.stderr)
        return 1
    counts = _counts(site)
    if lang == "vi":
        what = ", ".join(f"{n} {label}" for n, label, _ in counts)
        print(f"Nội dung hợp lệ ({what}). {problems.summary(lang)}")
    else:
        what = ", ".join(f"{n} {label}" for n, _, label in counts)
        print(f"Content is valid ({what}). {problems.summary(lang)}")
    return 0


def _counts(site) -> list[tuple[int, str, str]]:
    """(count, Vietnamese label, English label) of what was checked."""
    out = [(len(site.data["news"].items), "tin bài", "news items")]
    if "procedures" in site.data:
        out.append((len(site.data["procedures"]), "thủ tục", "procedures"))
    if "plans" in site.data:
        out.append((len(site.data["plans"].plans), "kế hoạch", "plans"))
    return out


NEW_TEMPLATE = """---
# Tin bài mới. Điền các trường rồi xoá các dòng chú thích (bắt đầu bằng #).
title: "{title}"
date: {date}
summary: "Viết 1–3 câu tóm tắt (sapo): sự việc gì, ở đâu, kết quả ra sao."
chuyen_muc: [{category}]     # một hoặc nhiều: {categories}
loai: tin                    # tin | bai | thong_bao | van_ban | anh | video
id: {uid}                    # mã cố định của tin: không sửa, không xoá
author: ""                   # tác giả
don_vi: ""                   # khoa, phòng thực hiện
tags: []                     # từ khoá, ví dụ [dịch vụ công trực tuyến]
# image:                     # ảnh đại diện (bỏ dấu # ở 3 dòng dưới nếu có ảnh)
#   src: anh/ten-anh.jpg
#   alt: "Mô tả ngắn nội dung ảnh"
tthc_lien_quan: []           # mã thủ tục liên quan, ví dụ ["1.014331"]
ke_hoach: []                 # nhiệm vụ kế hoạch, ví dụ [{{ke_hoach: kh-tt-cchc-2026, nhiem_vu: "1.1"}}]
gui_cong: []                 # gửi cổng CCHC tỉnh, ví dụ [{{cong: "Cổng CCHC thành phố", trang_thai: chua_gui}}]
draft: true                  # đổi thành false khi bài đã sẵn sàng đăng
---

Viết nội dung tin ở đây. Mỗi đoạn cách nhau một dòng trống.
"""


def cmd_new(args) -> int:
    problems = Problems()
    from .settings import load_settings, read_config

    source = read_config(args.config, problems)
    settings = load_settings(source, problems) if source is not None else None
    if settings is None:
        _print(problems, "vi")
        return 1
    from .i18n import REFORM_AREAS

    categories = [a["slug"] for a in REFORM_AREAS] + [c.slug for c in settings.chuyen_muc]
    category = args.chuyen_muc or categories[0]
    if category not in categories:
        print(f"Chuyên mục '{category}' chưa khai báo. Dùng một trong: {', '.join(categories)}", file=sys.stderr)
        return 1
    when = timeutil.parse_datetime(args.date) if args.date else timeutil.build_now()
    slug = slugify(args.title, max_length=60) or "tin-moi"
    folder = os.path.join(source.docs_dir, settings.news_dir)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{when:%Y-%m-%d}-{slug}.md")
    if os.path.exists(path):
        print(f"Tệp đã có: {os.path.relpath(path)}. Đổi tiêu đề hoặc ngày.", file=sys.stderr)
        return 1
    text = NEW_TEMPLATE.format(
        title=args.title.replace('"', "'"),
        date=when.strftime("%Y-%m-%d %H:%M"),
        category=category,
        categories=", ".join(categories),
        uid=f"urn:uuid:{uuid.uuid4()}",
    )
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"Đã tạo {os.path.relpath(path)}. Mở tệp, điền nội dung, đổi 'draft: true' thành 'draft: false' khi sẵn sàng.")
    return 0


def schemas() -> dict[str, dict]:
    """Every content schema, generated from the models (never written by hand)."""
    from .modeling import json_schema
    from .news.model import NewsFrontMatter
    from .settings import Settings

    out = {
        "news.schema.json": json_schema(NewsFrontMatter, "Tin bài CCHC", "Phần thông tin đầu bài (front matter) của một tin, bài trong content/tin-tuc/."),
        "settings.schema.json": json_schema(Settings, "Cấu hình chuyên mục CCHC", "Mục '- cchc:' trong mkdocs.yml: thông tin đơn vị, chuyên mục."),
    }
    for name in MODULES:
        try:
            mod = importlib.import_module(name + ".schema")
        except ModuleNotFoundError as exc:
            if exc.name != name + ".schema":
                raise
            continue
        out.update(mod.schemas())
    return out


def cmd_schema(args) -> int:
    os.makedirs(args.out, exist_ok=True)
    for name, schema in sorted(schemas().items()):
        path = os.path.join(args.out, name)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(schema, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.write("\n")
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description="Chuyên mục cải cách hành chính: kiểm tra, tạo tin, xuất schema.")
    parser.add_argument("-f", "--config", default="mkdocs.yml", help="tệp cấu hình (mặc định mkdocs.yml)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="kiểm tra toàn bộ nội dung, báo mọi lỗi một lần")
    p.add_argument("--lang", choices=["vi", "en"], help="ngôn ngữ thông báo (mặc định theo mkdocs.yml)")
    p.add_argument("--now", help="thời điểm coi là 'hiện tại', ví dụ 2026-05-01 08:00")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="tạo tệp tin bài mới với đủ các trường")
    p.add_argument("title", help="tiêu đề tin bài")
    p.add_argument("--date", help="ngày giờ đăng (mặc định: bây giờ)")
    p.add_argument("--chuyen-muc", dest="chuyen_muc", help="chuyên mục (slug)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("schema", help="xuất JSON Schema cho trình soạn thảo (VS Code)")
    p.add_argument("--out", default="schemas", help="thư mục ghi (mặc định schemas/)")
    p.set_defaults(func=cmd_schema)

    for name in MODULES:
        try:
            mod = importlib.import_module(name + ".cli")
        except ModuleNotFoundError as exc:
            if exc.name != name + ".cli":
                raise
            continue
        mod.add_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
