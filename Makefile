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
$(SYS_STAMP): | $(BIN)/python
	@if ! command -v msgfmt >/dev/null || ! command -v systemd-analyze >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext systemd >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext systemd >/dev/null; fi; \
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
