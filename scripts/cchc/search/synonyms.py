"""Abbreviations people type into the search box, and what they stand for.

A query "BHYT" also finds pages that write "bảo hiểm y tế" and the other way
round. A unit adds its own under `tu_viet_tat:` in the `cchc` plugin settings
(for example `CDHA: chẩn đoán hình ảnh`); its entries extend or add to these.
"""

from __future__ import annotations

DEFAULT_ABBREVIATIONS: dict[str, list[str]] = {
    "BHYT": ["bảo hiểm y tế"],
    "BHXH": ["bảo hiểm xã hội"],
    "TTHC": ["thủ tục hành chính"],
    "CCHC": ["cải cách hành chính"],
    "KCB": ["khám bệnh, chữa bệnh", "khám chữa bệnh"],
    "KSK": ["khám sức khỏe"],
    "GCS": ["giấy chứng sinh"],
    "HSBA": ["hồ sơ bệnh án"],
    "BAĐT": ["bệnh án điện tử"],
    "DVC": ["dịch vụ công"],
    "DVCTT": ["dịch vụ công trực tuyến"],
    "DVCQG": ["dịch vụ công quốc gia"],
    "PAKN": ["phản ánh, kiến nghị"],
    "TYT": ["trạm y tế"],
    "TTYT": ["trung tâm y tế"],
    "BV": ["bệnh viện"],
    "BVĐK": ["bệnh viện đa khoa"],
    "SYT": ["sở y tế"],
    "BYT": ["bộ y tế"],
    "UBND": ["ủy ban nhân dân"],
    "CCCD": ["căn cước công dân"],
    "CBCCVC": ["cán bộ, công chức, viên chức"],
}


def merge(extra: dict[str, str | list[str]] | None) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in DEFAULT_ABBREVIATIONS.items()}
    for abbr, exp in (extra or {}).items():
        values = [exp] if isinstance(exp, str) else list(exp)
        key = next((k for k in out if k.casefold() == abbr.casefold()), abbr)
        out.setdefault(key, [])
        for v in values:
            if v not in out[key]:
                out[key].append(v)
    return out
