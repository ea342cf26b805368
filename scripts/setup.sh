#!/usr/bin/env bash
# One-step set-up used by `make serve` and `make test` (and so by CI).
# Idempotent: it re-installs only when requirements.txt or pyproject.toml change.
#   scripts/setup.sh          site dependencies (virtual environment, pinned packages)
#   scripts/setup.sh --test   also what the tests need: Chromium (Debian package),
#                             Node packages (axe-core, Nu HTML Checker) when package.json exists
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "Cần Python 3.11 trở lên (Python 3.11+ required); '$PY' không đáp ứng." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> Tạo môi trường ảo .venv (creating virtual environment)"
  "$PY" -m venv .venv
fi
stamp=.venv/.cchc-stamp
sum=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  echo "==> Cài đặt thư viện (installing pinned dependencies)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$sum" > "$stamp"
fi

if [ "$want_test" = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      echo "==> Cài Chromium và Java cho kiểm thử (installing Debian chromium, Java for the HTML validator)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq chromium fonts-noto-core default-jre-headless poppler-utils >/dev/null
    else
      echo "Cần Chromium và Java cho kiểm thử: chạy 'sudo apt-get install chromium default-jre-headless poppler-utils' (required for browser tests and the HTML validator)." >&2
      exit 1
    fi
  fi
  if [ -f package.json ]; then
    nsum=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
    if [ ! -d node_modules ] || [ "$(cat node_modules/.cchc-stamp 2>/dev/null)" != "$nsum" ]; then
      echo "==> Cài gói Node cho kiểm thử (installing Node test tools)"
      npm ci --silent --no-audit --no-fund
      echo "$nsum" > node_modules/.cchc-stamp
    fi
  fi
fi
