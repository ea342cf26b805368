"""The `cchc` command: scaffolding, schema export."""

from __future__ import annotations

import json
from pathlib import Path

from cchc.cli import schemas

REPO = Path(__file__).resolve().parent.parent


def test_new_scaffolds_a_valid_item(project):
    p = project()
    r = p.cchc("new", "Đẩy mạnh cải cách thủ tục hành chính", "--date", "2026-04-02 09:00", "--chuyen-muc", "tin-hoat-dong")
    assert r.returncode == 0, r.stderr
    path = p.root / "content/tin-tuc/2026-04-02-day-manh-cai-cach-thu-tuc-hanh-chinh.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Đẩy mạnh cải cách thủ tục hành chính"' in text and "date: 2026-04-02 09:00" in text
    assert "draft: true" in text and "id: urn:uuid:" in text
    # Valid as written (a draft), and published once draft is false.
    assert p.cchc("check").returncode == 0
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    b = p.build()
    assert b.ok, b.output
    assert (b.site / "tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh/index.html").exists()
    # A second item with the same title and date is refused, not overwritten.
    again = p.cchc("new", "Đẩy mạnh cải cách thủ tục hành chính", "--date", "2026-04-02 09:00")
    assert again.returncode == 1 and "Tệp đã có" in again.stderr


def test_new_rejects_unknown_category(project):
    r = project().cchc("new", "Tin", "--chuyen-muc", "khong-co")
    assert r.returncode == 1 and "Chuyên mục 'khong-co' chưa khai báo" in r.stderr


def test_committed_schemas_equal_generated():
    generated = schemas()
    assert {"news.schema.json", "settings.schema.json"} <= set(generated)
    on_disk = {p.name for p in (REPO / "schemas").glob("*.json")}
    assert on_disk == set(generated), "run `.venv/bin/cchc schema` and commit schemas/"
    for name, schema in generated.items():
        committed = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        assert committed == json.loads(json.dumps(schema)), f"schemas/{name} is stale: run `cchc schema`"


