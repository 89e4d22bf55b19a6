# README's first two commands: `make run`, `make test`. Both create .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SYS_STAMP := $(VENV)/.system-packages

BENCH_STAMP := $(VENV)/.installed-bench
# Locks: exact versions with hashes, no index or file URLs. `make lock` refreshes them.
LOCK_TOOL := uv==0.9.30
LOCK := $(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
  --no-emit-index-url --no-emit-find-links --annotation-style line --custom-compile-command 'make lock'
# The project itself: its dependencies come from the lock, its build backend (setuptools,
# locked too) from the venv, so nothing is fetched unpinned.
INSTALL_SELF := $(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .

.PHONY: run test lint bench clean system-packages lock

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements/runtime.txt
	$(INSTALL_SELF)
	touch $@

$(TEST_STAMP): requirements/test.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements/test.txt
	$(INSTALL_SELF)
	touch $@ $(STAMP)

$(BENCH_STAMP): requirements/bench.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements/bench.txt
	$(INSTALL_SELF)
	touch $@ $(STAMP) $(TEST_STAMP)

lock: | $(BIN)/python
	$(BIN)/python -m pip install -q '$(LOCK_TOOL)'
	$(LOCK) pyproject.toml requirements/build.in -o requirements/runtime.txt
	$(LOCK) --extra test pyproject.toml requirements/build.in -o requirements/test.txt
	$(LOCK) --extra test --extra bench pyproject.toml requirements/build.in -o requirements/bench.txt

# Real tools check real outputs: GNU msgfmt (gettext), systemd-analyze (systemd), Debian's
# crontab -n (cron) and Kubernetes' cron parser robfig/cron (its Debian source package, built
# by the tests with golang-go).
# The site's browser tests: Debian's chromium-headless-shell (the same Chromium build without
# the windowing layers: a page load costs under half the CPU; chromium stays for
# WFGEN_CHROMIUM=/usr/bin/chromium) driven by Playwright, and axe-core from npm,
# installed into .venv/axe (never a global npm folder, never `playwright install`); a Japanese
# font (IPA Gothic) so the CJK screenshots show text, not empty boxes.
SYSTEM_PACKAGES := gettext systemd chromium chromium-headless-shell cron golang-go golang-github-robfig-cron-dev fonts-ipafont-gothic
$(SYS_STAMP): Makefile | $(BIN)/python
	@if ! command -v msgfmt >/dev/null || ! command -v systemd-analyze >/dev/null || ! [ -x /usr/bin/chromium ] \
	  || ! [ -x /usr/bin/chromium-headless-shell ] \
	  || ! command -v crontab >/dev/null || ! command -v go >/dev/null || ! [ -d /usr/share/gocode/src/github.com/robfig/cron ] \
	  || ! [ -d /usr/share/fonts/opentype/ipafont-gothic ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; fi; \
	fi
	@if ! [ -f $(VENV)/axe/node_modules/axe-core/axe.min.js ]; then \
	  command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; else sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; }; \
	  mkdir -p $(VENV)/axe && npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4 >/dev/null; \
	fi
	touch $@

run: $(STAMP)
	$(BIN)/wfgen build

# One pytest worker per core (pytest-xdist). Each worker takes a contiguous run of the
# collected tests, so a module's fixtures (built sites, the browser, the wheel) are mostly
# made once, and an idle worker takes half of a busy one's queue (worksteal): measured
# 85/92 s of CPU per worker where whole modules per worker (loadscope) gave 80/118 s. The ten
# slowest tests are listed: the suite is meant to answer in under a minute.
# Compiled modules and pytest's rewritten tests are cached in .venv/pycache even where the
# environment sets PYTHONDONTWRITEBYTECODE: recompiling them cost each worker 3-4 s a run.
PYTEST_WORKERS ?= auto
# Tests marked slow (a minute or more of real tools each: pre-commit's hook environment, the
# wheel installed into a new venv) run with SLOW=1, as .ci/run does.
SLOW ?=
# The runtime lock's wheels, for tests that install wfgen into a new environment (pre-commit's
# hook environment) offline and at the locked versions.
WHEELHOUSE := $(VENV)/wheelhouse
$(WHEELHOUSE)/.complete: requirements/runtime.txt | $(BIN)/python
	rm -rf $(WHEELHOUSE)
	$(BIN)/python -m pip download -q --require-hashes --no-deps -r requirements/runtime.txt -d $(WHEELHOUSE)
	touch $@

# Branch coverage of generator/ ([tool.slipcover] in pyproject.toml), measured by SlipCover
# on every worker and merged; the report and its floor come after the run (SlipCover's own
# floor check under pytest-xdist empties the report it then prints).
COVERAGE := $(VENV)/coverage.json
COVERAGE_FLOOR := 85
test: $(TEST_STAMP) $(SYS_STAMP) $(WHEELHOUSE)/.complete lint
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache \
	  PYTHONWARNINGS="ignore:Unable to activate pytest branch coverage:RuntimeWarning" \
	  $(BIN)/python -m slipcover --json --out $(COVERAGE) -m pytest -q -p no:cacheprovider \
	  -n $(PYTEST_WORKERS) --dist worksteal --durations=10 $(if $(SLOW),,-m "not slow")
	$(BIN)/python -m slipcover --merge $(COVERAGE) --out $(COVERAGE) --fail-under $(COVERAGE_FLOOR)

lint: $(TEST_STAMP)
	$(BIN)/ruff check generator tests benchmarks lintrules
	$(BIN)/ruff format --check generator tests benchmarks lintrules
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out
