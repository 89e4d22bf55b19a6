# README's first two commands: `make run`, `make test`. Both create .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SYS_STAMP := $(VENV)/.system-packages

.PHONY: run test lint bench clean system-packages

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(STAMP)

# Real tools check real outputs: GNU msgfmt (gettext) and systemd-analyze (systemd).
# The site's browser tests: Debian's chromium (driven by Playwright) and axe-core from npm,
# installed into .venv/axe (never a global npm folder, never `playwright install`).
$(SYS_STAMP): | $(BIN)/python
	@if ! command -v msgfmt >/dev/null || ! command -v systemd-analyze >/dev/null || ! [ -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext systemd chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext systemd chromium >/dev/null; fi; \
	fi
	@if ! [ -f $(VENV)/axe/node_modules/axe-core/axe.min.js ]; then \
	  command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; else sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; }; \
	  mkdir -p $(VENV)/axe && npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4 >/dev/null; \
	fi
	touch $@

run: $(STAMP)
	$(BIN)/wfgen build

test: $(TEST_STAMP) $(SYS_STAMP) lint
	$(BIN)/python -m pytest -q -p no:cacheprovider --cov --cov-report=term:skip-covered

lint: $(TEST_STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

bench: $(TEST_STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out
