"""The CI configurations do what the project promises on every change, and are valid.

Both files are validated against the schemas GitHub and GitLab publish (vendored in
check-jsonschema, so no network), then read for the steps that matter: check content,
build with --strict, run the tests (the same `make test` as .ci/run), publish to Pages only
from the main branch, rebuild daily so that scheduled items appear on their date, and stay
within CI's 90-minute limit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from quality_support import REPO

GITHUB = REPO / ".github" / "workflows" / "site.yml"
GITLAB = REPO / ".gitlab-ci.yml"


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    assert exe, "check-jsonschema is missing: run scripts/setup.sh (requirements.txt)"
    return subprocess.run([exe, "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("schema,path", [("vendor.github-workflows", GITHUB), ("vendor.gitlab-ci", GITLAB)],
                         ids=["github", "gitlab"])
def test_ci_file_is_valid_against_the_published_schema(schema, path):
    r = _check_jsonschema(schema, path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    step:\n      - run: make\n", encoding="utf-8")
    assert _check_jsonschema("vendor.github-workflows", bad).returncode != 0


def _runs(steps) -> str:
    return "\n".join(str(s.get("run", "")) + " " + str(s.get("uses", "")) for s in steps)


def test_github_workflow_checks_builds_tests_publishes_and_rebuilds_daily():
    wf = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    on = wf.get(True) or wf.get("on")  # YAML 1.1 reads the key `on` as True
    assert "push" in on and "pull_request" in on
    crons = [c["cron"] for c in on["schedule"]]
    assert crons and all(c.split()[2:] == ["*", "*", "*"] for c in crons), f"daily rebuild expected: {crons}"
    build = wf["jobs"]["build"]
    assert build["timeout-minutes"] <= 90
    runs = _runs(build["steps"])
    order = [runs.index(cmd) for cmd in ("scripts/setup.sh", "cchc check", "mkdocs build --strict", "make test")]
    assert order == sorted(order), "setup, check, build, then tests"
    tests = next(s for s in build["steps"] if "make test" in str(s.get("run", "")))
    assert "schedule" in tests.get("if", ""), "the daily rebuild need not re-run the tests"
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in str(s.get("uses", "")))
    assert upload["with"]["path"] == "site"
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "deploy-pages" in _runs(deploy["steps"])


def test_gitlab_pipeline_checks_builds_tests_and_publishes():
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    build = ci["check-and-build"]["script"]
    assert any("cchc check" in s for s in build) and any("mkdocs build --strict" in s for s in build)
    assert ci["test"]["script"] == ["make test"]
    assert int(ci["test"]["timeout"].split()[0]) <= 90
    pages = ci["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert any("$CI_DEFAULT_BRANCH" in r.get("if", "") for r in pages["rules"])
    assert {n["job"] for n in pages["needs"]} == {"check-and-build", "test"}
    assert "Pipeline schedules" in GITLAB.read_text(encoding="utf-8"), "the daily schedule must be documented"


def test_ci_entry_point_runs_make_test():
    text = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in text
    make = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "scripts/setup.sh --test" in make
