# nysoc - the two commands people type are `make run` and `make test`.
#
#   make run        set up .venv, create ./demo on first use, start JupyterLab (PORT=8888)
#   make test       set up .venv, run pytest (extra arguments: PYTEST_ARGS="-k forms -x")
#   make bench      set up .venv, measure against baselines into docs/performance.md (BENCH_ARGS=--quick)
#   make lint       ruff check + mypy (installs the dev extra)
#   make setup      only create/refresh .venv (also `make venv`)
#   make browser    find a Chromium for PDF export; as root on Debian/Ubuntu, install it
#   make axe        fetch axe-core (accessibility checks in the browser tests) into .cache/npm
#   make hub-proxy  fetch configurable-http-proxy (the JupyterHub test, tests/test_hub.py) into .cache/npm-hub
#   make clean      remove .venv, caches and build output (never ./demo: it holds your data)
#
# Needs Python >= 3.10: `python3`, else the newest python3.1x on PATH, else PYTHON=/path/to/python.
# Re-running is cheap: packages are reinstalled only when pyproject.toml changes.

.DEFAULT_GOAL := help
SHELL := /bin/sh

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8888
PYTEST_ARGS ?=
BENCH_ARGS ?=
PIP_FLAGS ?=
PYTHON ?=

# Exit status 0 when the interpreter running this is Python >= 3.10.
IS_PY310 := import sys; sys.exit(sys.version_info < (3, 10))
# Exit status 0 when pip is new enough for editable installs from pyproject.toml (PEP 660).
PIP_OK := import re, sys, pip; sys.exit(tuple(int(n) for n in re.findall(r"\d+", pip.__version__)[:2]) < (21, 3))

.PHONY: help setup venv browser axe hub-proxy run test bench lint clean

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

setup venv: $(VENV)/.installed

$(PY):
	@py="$(PYTHON)"; \
	if [ -z "$$py" ]; then \
	    for c in python3 python3.14 python3.13 python3.12 python3.11 python3.10; do \
	        if command -v "$$c" >/dev/null 2>&1 && "$$c" -c '$(IS_PY310)' >/dev/null 2>&1; then \
	            py="$$c"; break; \
	        fi; \
	    done; \
	fi; \
	if [ -z "$$py" ] || ! "$$py" -c '$(IS_PY310)' >/dev/null 2>&1; then \
	    if [ -n "$$py" ]; then found="$$py is $$("$$py" --version 2>&1)"; \
	    else found="python3 is $$(python3 --version 2>&1 || echo 'missing'), no python3.1x found"; fi; \
	    echo "nysoc needs Python 3.10 or newer ($$found)." >&2; \
	    echo "Install Python 3.10+ (python.org, or your package manager), then run make again," >&2; \
	    echo "or point to one:  make $(or $(MAKECMDGOALS),setup) PYTHON=/path/to/python3.12" >&2; \
	    exit 1; \
	fi; \
	echo "Creating $(VENV) with $$("$$py" -c 'import sys; print(sys.executable, sys.version.split()[0])')"; \
	"$$py" -m venv $(VENV) || { \
	    rm -rf $(VENV); \
	    echo "'$$py -m venv' failed. On Debian/Ubuntu install the venv module: apt install python3-venv" >&2; \
	    exit 1; \
	}

# The stamp is newer than pyproject.toml once `pip install` has succeeded for its contents.
$(VENV)/.installed: pyproject.toml | $(PY)
	@$(PY) -c '$(IS_PY310)' || { echo "$(VENV) uses Python < 3.10: run 'make clean', then try again" >&2; exit 1; }
	@$(PY) -c '$(PIP_OK)' 2>/dev/null || $(PY) -m pip install --quiet --upgrade pip
	@echo "Installing nysoc and its dependencies into $(VENV) (about a minute the first time)"
	$(PY) -m pip install --quiet $(PIP_FLAGS) -e ".[test]"
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet $(PIP_FLAGS) -e ".[test,dev]"
	@touch $@

# Made once; later runs keep whatever the user has changed in demo/.
demo/nysoc.toml: | $(VENV)/.installed
	$(VENV)/bin/nysoc demo demo

# PDF export prints with the machine's Chromium (Chrome, Edge): nysoc_widgets/pdf.py finds it.
# Missing, it is installed from Debian's packages when we may (root, apt-get); else a hint.
# Never fatal: everything but PDF export (and the browser tests) works without it.
HAS_BROWSER := from nysoc_widgets.pdf import find_browser; raise SystemExit(find_browser() is None)

browser: setup
	@$(PY) -c '$(HAS_BROWSER)' 2>/dev/null || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        echo "Installing Debian's chromium (PDF export, browser tests)"; \
	        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	          apt-get install -y -qq chromium >/dev/null; } || \
	        echo "Could not install chromium: PDF export will say what to do." >&2; \
	    else \
	        echo "No Chromium, Chrome or Edge found: PDF export needs one" \
	             "(Debian/Ubuntu: sudo apt-get install chromium; or set NYSOC_CHROMIUM)." >&2; \
	    fi; }

# axe-core checks the forms for WCAG 2.1 AA in tests/test_browser_a11y.py. It comes from the
# npm registry into .cache/npm (not committed), fetched only when missing. Never fatal here:
# without npm the a11y tests skip, except under CI=true (.ci/run installs npm), where they fail.
AXE_JS := .cache/npm/node_modules/axe-core/axe.min.js

axe:
	@test -f $(AXE_JS) || { \
	    if command -v npm >/dev/null 2>&1; then \
	        echo "Installing axe-core 4 from the npm registry into .cache/npm"; \
	        mkdir -p .cache/npm && \
	        npm install --no-save --no-audit --no-fund --loglevel=error \
	            --prefix .cache/npm axe-core@4 >/dev/null || \
	        echo "Could not install axe-core: the accessibility tests will skip." >&2; \
	    else \
	        echo "npm not found: the accessibility tests will skip" \
	             "(Debian/Ubuntu: sudo apt-get install npm; then make axe)." >&2; \
	    fi; }

# The hub's proxy for tests/test_hub.py (a real JupyterHub on 127.0.0.1), from the npm
# registry. Its own prefix: `npm install --no-save --prefix` removes whatever else a prefix
# holds (axe-core). Never fatal here: without it the hub test skips, except under CI=true.
HUB_PROXY := .cache/npm-hub/node_modules/.bin/configurable-http-proxy

hub-proxy:
	@test -x $(HUB_PROXY) || { \
	    if command -v npm >/dev/null 2>&1; then \
	        echo "Installing configurable-http-proxy 5 from the npm registry into .cache/npm-hub"; \
	        mkdir -p .cache/npm-hub && \
	        npm install --no-save --no-audit --no-fund --loglevel=error \
	            --prefix .cache/npm-hub configurable-http-proxy@5 >/dev/null || \
	        echo "Could not install configurable-http-proxy: the hub test will skip." >&2; \
	    else \
	        echo "npm not found: the hub test will skip" \
	             "(Debian/Ubuntu: sudo apt-get install npm; then make hub-proxy)." >&2; \
	    fi; }

run: setup browser demo/nysoc.toml
	$(VENV)/bin/nysoc lab demo --port $(PORT)

test: setup browser axe hub-proxy
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	@status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/mypy nysoc_widgets || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache test-artifacts *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
