"""Shared fixtures: throw-away projects built with the real `mkdocs build`.

    def test_x(project):
        p = project()                      # a fixture site with the base identity
        p.news("a.md", title="…", date="2026-03-01", body="…")
        r = p.build(now="2026-06-01 08:00")  # real mkdocs build --strict, CCHC_NOW pinned
        assert r.ok, r.output
        soup = r.soup("tin-tuc/index.html")

`project(config=...)` deep-merges overrides into the base mkdocs.yml; `p.write(rel, text)`
writes any file relative to the project root (content/ is the docs_dir).
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
OVERRIDES = REPO / "overrides"

BASE_UNIT = {
    "ten": "Trung tâm Y tế khu vực Thử Nghiệm",
    "co_quan_chu_quan": "Sở Y tế tỉnh Mẫu",
    "dia_chi": "Số 9 đường Kiểm Thử, phường Một, tỉnh Mẫu",
    "dien_thoai": "0200 3 111 222",
    "duong_day_nong": "0900 111 333",
    "email": "cchc@thu-nghiem.example",
    "cong_cchc_tinh": {"ten": "Cổng CCHC tỉnh Mẫu", "url": "https://cchc.tinh-mau.example/"},
    "phan_anh_kien_nghi": [{"ten": "Đường dây nóng", "dien_thoai": "0900 111 333"}],
}

BASE_CONFIG = {
    "site_name": "CCHC – TTYT Thử Nghiệm",
    "site_url": "https://cchc.thu-nghiem.example/",
    "site_description": "Chuyên mục cải cách hành chính (trang thử nghiệm).",
    "docs_dir": "content",
    "theme": {
        "name": "material",
        "custom_dir": str(OVERRIDES),
        "language": "vi",
        "font": False,
    },
    "nav": [{"Trang chủ": "index.md"}, {"Tin tức": "tin-tuc/index.md"}, {"Liên hệ – góp ý": "lien-he.md"}],
    "plugins": [{"cchc": {"don_vi": BASE_UNIT, "chuyen_muc": [{"slug": "tin-hoat-dong", "ten": "Tin hoạt động CCHC"}]}}],
    "markdown_extensions": ["attr_list", "tables", "admonition", "md_in_html"],
    "extra_css": ["assets/cchc/cchc.css"],
}

BASE_PAGES = {
    "content/index.md": "---\ntemplate: cchc/home.html\ntitle: Trang chủ\n---\n\n# Cải cách hành chính\n",
    "content/lien-he.md": "---\ntemplate: cchc/contact.html\ntitle: Liên hệ – góp ý\n---\n\nGửi phản ánh, kiến nghị.\n",
}


def deep_merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def read(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")

    def soup(self, rel: str):
        from bs4 import BeautifulSoup

        return BeautifulSoup(self.read(rel), "lxml")

    def files(self) -> list[Path]:
        return sorted(p for p in self.site.rglob("*") if p.is_file())


class Project:
    def __init__(self, root: Path, config: dict):
        self.root = root
        self.config = config
        root.mkdir(parents=True, exist_ok=True)
        self.save_config()
        for rel, text in BASE_PAGES.items():
            self.write(rel, text)

    # --- files -------------------------------------------------------------
    def save_config(self) -> Path:
        path = self.root / "mkdocs.yml"
        path.write_text(yaml.safe_dump(self.config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    def set_plugin(self, **options) -> None:
        self.config["plugins"][0]["cchc"].update(options)
        self.save_config()

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def news(self, name: str, body: str = "Nội dung tin.", raw_front: str | None = None, **front) -> Path:
        """Write content/tin-tuc/<name> with front matter from keyword arguments (or raw text)."""
        if raw_front is None:
            front.setdefault("summary", "Tóm tắt tin.")
            front.setdefault("chuyen_muc", ["tin-hoat-dong"])
            raw_front = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        return self.write(f"content/tin-tuc/{name}", f"---\n{raw_front}---\n\n{body}\n")

    # --- commands ----------------------------------------------------------
    def env(self, now: str | None) -> dict:
        env = dict(os.environ)
        env["NO_MKDOCS_2_WARNING"] = "1"
        env.pop("SOURCE_DATE_EPOCH", None)
        if now:
            env["CCHC_NOW"] = now
        else:
            env.pop("CCHC_NOW", None)
        return env

    def build(self, *args: str, now: str | None = "2026-06-30 12:00", strict: bool = True, site_dir: str | Path | None = None) -> BuildResult:
        site = Path(site_dir) if site_dir else self.root / "site"
        cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(self.root / "mkdocs.yml"), "-d", str(site)]
        if strict:
            cmd.append("--strict")
        cmd.extend(args)
        proc = subprocess.run(cmd, cwd=self.root, env=self.env(now), capture_output=True, text=True, timeout=600)
        return BuildResult(proc.returncode, proc.stdout, proc.stderr, site)

    def cchc(self, *args: str, now: str | None = "2026-06-30 12:00") -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "cchc.cli", "-f", str(self.root / "mkdocs.yml"), *args]
        return subprocess.run(cmd, cwd=self.root, env=self.env(now), capture_output=True, text=True, timeout=600)


@pytest.fixture
def project(tmp_path):
    """Factory of fixture projects: project(config={...overrides...}, name="p")."""
    counter = {"n": 0}

    def make(config: dict | None = None, name: str | None = None) -> Project:
        counter["n"] += 1
        root = tmp_path / (name or f"p{counter['n']}")
        return Project(root, deep_merge(BASE_CONFIG, config or {}))

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repository's own sample site, built once per session with a pinned now."""
    out = tmp_path_factory.mktemp("sample") / "site"
    # Its own cache: the pinned date would otherwise reset the repository's .cache/cchc,
    # which CI keeps between builds of the real site.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CCHC_NOW="2026-11-22 09:00",
               CCHC_CACHE_DIR=str(tmp_path_factory.mktemp("sample-cache")))
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuildResult(proc.returncode, proc.stdout, proc.stderr, out)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")
