"""`cchc import-tthc`: national portal detail JSON -> procedures/<code>.yml (and the schema file).
`cchc translate`: a procedure or plan file -> its English file to fill in, field by field."""

from __future__ import annotations

import os
import sys

from .. import timeutil
from ..modeling import validate
from ..problems import Problems
from ..yamlsrc import load_yaml
from .importer import ImportError_, import_record, read_json, unwrap
from .model import Procedure


def _default_out(config: str) -> str:
    """procedures_dir from mkdocs.yml when it can be read, else 'procedures' beside it."""
    from ..settings import load_settings, read_config

    problems = Problems()
    source = read_config(config, problems) if os.path.isfile(config) else None
    settings = load_settings(source, problems) if source is not None else None
    base = os.path.dirname(os.path.abspath(config)) if os.path.isfile(config) else os.getcwd()
    folder = settings.procedures_dir if settings is not None else "procedures"
    return os.path.relpath(os.path.join(base, folder))


def cmd_import(args) -> int:
    out_dir = args.out or _default_out(args.config)
    today = timeutil.build_now(args.now).date() if args.now else timeutil.build_now().date()
    status = 0
    for src in args.files:
        try:
            records = unwrap(read_json(src))
        except ImportError_ as exc:
            print(f"{src}: {exc}", file=sys.stderr)
            status = 1
            continue
        for rec in records:
            try:
                res = import_record(rec, out_dir, today)
            except ImportError_ as exc:
                print(f"{src}: {exc}", file=sys.stderr)
                status = 1
                continue
            shown = os.path.relpath(res["path"])
            for note in res["notes"]:
                print(f"{shown}: cảnh báo: {note}", file=sys.stderr)
            if res["old_text"] is None:
                verb = "Sẽ tạo" if args.dry_run else "Đã tạo"
            elif not res["changed"]:
                print(f"{shown}: không có thay đổi so với bản đang có.")
                continue
            else:
                print(res["diff"], end="" if res["diff"].endswith("\n") else "\n")
                verb = "Sẽ cập nhật" if args.dry_run else "Đã cập nhật"
            if not args.dry_run:
                os.makedirs(os.path.dirname(res["path"]) or ".", exist_ok=True)
                with open(res["path"], "w", encoding="utf-8") as fh:
                    fh.write(res["text"])
            print(f"{verb} {shown} ({res['code']}).")
            # Say at once what still needs a hand (e.g. a record without a decision number).
            problems = Problems()
            located = load_yaml(res["text"], shown, problems)
            if located is not None:
                validate(Procedure, located, problems)
            for p in problems.sorted():
                print(p.format("vi"), file=sys.stderr)
    return status


def cmd_translate(args) -> int:
    """Write <file>.en.yml: every text of the Vietnamese file as a comment, `~` under it to replace."""
    from . import overlay
    from ..plans.model import KeHoachTranslation
    from .model import ProcedureTranslation

    src = args.file
    problems = Problems()
    text = None
    if os.path.isfile(src):
        from ..yamlsrc import read_text

        text = read_text(src, os.path.relpath(src), problems)
    if text is None:
        print(f"{src}: không đọc được tệp. Ghi đường dẫn tệp thủ tục (procedures/<mã>.yml) hoặc kế hoạch (plans/<mã>.yml).",
              file=sys.stderr)
        return 2
    located = load_yaml(text, os.path.relpath(src), problems)
    data = located.data if located is not None else None
    for p in problems.sorted():
        print(p.format("vi"), file=sys.stderr)
    if not isinstance(data, dict) or problems.has_errors():
        return 1
    base = src[: -len(".yaml")] if src.endswith(".yaml") else src[: -len(".yml")] if src.endswith(".yml") else None
    if base is None or base.endswith(f".{args.lang}"):
        print(f"{src}: cần tệp tiếng Việt .yml (không phải bản dịch).", file=sys.stderr)
        return 2
    out = f"{base}.{args.lang}.yml"
    if os.path.exists(out) and not args.force:
        print(f"{os.path.relpath(out)} đã có. Sửa tệp đó, hoặc thêm --force để ghi đè (mất bản dịch đang có).", file=sys.stderr)
        return 1
    today = (timeutil.build_now(args.now) if args.now else timeutil.build_now()).date().isoformat()
    shown = os.path.relpath(src)
    if "ma_tthc" in data:
        model, schema, free, first = ProcedureTranslation, "procedure-translation", frozenset({"tu_khoa"}), {"ngay_dich": today}
    elif "nam" in data and "id" in data:
        model, schema, free, first = KeHoachTranslation, "plan-translation", frozenset(), {"ngay_dich": today, "tom_tat": '""'}
    else:
        print(f"{shown}: không phải tệp thủ tục (có 'ma_tthc') hay kế hoạch (có 'id', 'nam').", file=sys.stderr)
        return 1
    rel_schema = os.path.relpath(os.path.join(os.path.dirname(os.path.abspath(args.config)), "schemas", f"{schema}.schema.json"),
                                 os.path.dirname(os.path.abspath(out)))
    lines = [
        f"# yaml-language-server: $schema={rel_schema}",
        f"# Bản tiếng Anh của {shown}. Thay mỗi '~' bằng bản dịch của dòng chú thích (#) ngay trên nó;",
        "# chỗ còn '~' hiện bằng tiếng Việt trên trang tiếng Anh. Mã, ngày, phí, quyết định… lấy từ tệp tiếng Việt:",
        "# không cần dịch. Giữ nguyên các dòng ma/stt/so (cho biết mục nào đang dịch) và thứ tự các mục.",
    ]
    if "tom_tat" in first:
        lines.append("# 'tom_tat': vài đoạn tóm tắt kế hoạch bằng tiếng Anh (bắt buộc).")
    lines += overlay.skeleton(data, model, free=free, first=first)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"Đã tạo {os.path.relpath(out)}. Viết tên tiếng Anh vào dòng 'ten:' trước (bắt buộc)"
          + (" và 'tom_tat:'" if "tom_tat" in first else "") + ", rồi dịch dần từng dòng; chạy 'cchc check' để kiểm tra.")
    return 0


def add_cli(subparsers) -> None:
    t = subparsers.add_parser(
        "translate",
        help="tạo tệp bản dịch tiếng Anh của một thủ tục hoặc kế hoạch, để dịch từng trường",
        description="Tạo <tệp>.en.yml cạnh tệp tiếng Việt: mỗi đoạn chữ cần dịch được chép thành dòng chú thích, "
                    "dưới là '~' để thay bằng bản dịch. Chỗ chưa dịch hiện bằng tiếng Việt trên trang tiếng Anh.",
    )
    t.add_argument("file", help="tệp tiếng Việt, ví dụ procedures/1.014331.yml hoặc plans/kh-tt-cchc-2026.yml")
    t.add_argument("--lang", default="en", choices=["en"], help="ngôn ngữ (mặc định en)")
    t.add_argument("--force", action="store_true", help="ghi đè tệp bản dịch đã có")
    t.add_argument("--now", help="ngày ghi vào ngay_dich, ví dụ 2026-05-08")
    t.set_defaults(func=cmd_translate)

    p = subparsers.add_parser(
        "import-tthc",
        help="nhập thủ tục từ bản ghi JSON của Cổng Dịch vụ công quốc gia",
        description="Chuyển bản ghi chi tiết thủ tục (JSON của Cổng DVCQG) thành tệp procedures/<mã>.yml. "
                    "Nếu tệp đã có: in phần thay đổi và giữ các mục đơn vị tự ghi (tai_don_vi, tu_khoa…).",
    )
    p.add_argument("files", nargs="+", help="tệp JSON chi tiết thủ tục (một bản ghi, danh sách bản ghi, hoặc {\"data\": …})")
    p.add_argument("-o", "--out", help="thư mục ghi (mặc định: procedures_dir trong mkdocs.yml)")
    p.add_argument("--dry-run", action="store_true", help="chỉ in thay đổi, không ghi tệp")
    p.add_argument("--now", help="ngày coi là hôm nay (ngày đồng bộ), ví dụ 2026-05-06")
    p.set_defaults(func=cmd_import)
