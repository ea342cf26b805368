"""JSON Schema of procedure files, generated from the model (`cchc schema` writes it to schemas/)."""

from __future__ import annotations

import json

from .model import procedure_schema, translation_schema

SCHEMA_FILE = "procedure.schema.json"
TRANSLATION_SCHEMA_FILE = "procedure-translation.schema.json"


def schemas() -> dict[str, dict]:
    return {SCHEMA_FILE: procedure_schema(), TRANSLATION_SCHEMA_FILE: translation_schema()}


def dumps(schema: dict) -> str:
    """The committed form: the same serialisation as `cchc schema`."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
