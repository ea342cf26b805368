"""JSON Schemas of the plan files, for editors (collected by `cchc schema`)."""

from __future__ import annotations

from .model import evidence_schema, plan_schema, translation_schema


def schemas() -> dict[str, dict]:
    return {
        "plan.schema.json": plan_schema(),
        "plan-evidence.schema.json": evidence_schema(),
        "plan-translation.schema.json": translation_schema(),
    }
