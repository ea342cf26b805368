# Two commands do everything on a fresh machine:
#   make serve   set up, build the sample site and serve it on http://127.0.0.1:8000
#   make test    set up (incl. Chromium and Node test tools) and run every test
.PHONY: serve test check build setup
PY := .venv/bin/python

serve:
	@scripts/setup.sh
	$(PY) -m mkdocs serve -a 127.0.0.1:8000

test:
	@scripts/setup.sh --test
	$(PY) -m pytest $(PYTEST_ARGS)

check:
	@scripts/setup.sh
	.venv/bin/cchc check

build:
	@scripts/setup.sh
	$(PY) -m mkdocs build --strict

setup:
	@scripts/setup.sh --test
