# Two commands on a fresh machine: `make run` (demo on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Python >= 3.12: the first of these that runs and is new enough.
PYTHON_CANDIDATES := python3.13 python3.12 python3.14 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3)

.PHONY: help install run demo migrate test bench loadtest lint format migrations-check messages check-deploy clean backup restore

help:
	@echo "make run               set up everything, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test              the whole test suite (browser tests need /usr/bin/chromium)"
	@echo "make bench             measure speed against the budgets in the README"
	@echo "make loadtest          load test gunicorn with the production settings on 127.0.0.1"
	@echo "make lint              ruff check, format check, and the import contracts (.importlinter)"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make messages          refresh and compile the French translations (needs gettext)"
	@echo "make backup            back up the database to var/backups/ (pg_dump, or SQLite's backup)"
	@echo "make restore FILE=...  restore a backup (asks first; YES=1 does not; FORCE=1 over data)"

$(VENV)/.runtime-installed: requirements.txt
	@if [ ! -x $(PY) ]; then \
	  for c in $(PYTHON_CANDIDATES); do \
	    if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	      py=$$(command -v $$c); break; \
	    fi; \
	  done; \
	  if [ -z "$$py" ]; then echo "Python 3.12 or newer is needed (tried: $(PYTHON_CANDIDATES))." >&2; exit 1; fi; \
	  echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	  $$py -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

install: $(VENV)/.runtime-installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop). E-mails are printed below."
	@echo "Demo only: coordinators are not asked to set up an authenticator app (REQUIRE_COORDINATOR_MFA=0)."
	REQUIRE_COORDINATOR_MFA=0 $(PY) manage.py runserver $(HOST):$(PORT)

# One pytest-xdist worker per core (at most 16: each worker gets its own Redis database).
# `make test PYTEST_WORKERS=0` runs serially.
PYTEST_WORKERS ?= auto

test: $(VENV)/.dev-installed node_modules/.installed
	$(PY) -m pytest -n $(PYTEST_WORKERS) --maxprocesses=16 $(PYTEST_ARGS)

# `make bench` (README, Performance): installs the bench-only requirements (mentor-match, to
# compare the matching engine with), measures every figure against bench/budgets.toml, writes
# bench/results.json and bench/results.md, and exits non-zero naming each figure over budget.
# BENCH_ARGS picks benchmarks and options: BENCH_ARGS="pdf matching", "--repeat 5", "--readme".
BENCH_ARGS ?=

$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench: migrate $(VENV)/.bench-installed
	$(PY) manage.py bench $(BENCH_ARGS)

# A bounded load test over HTTPS on 127.0.0.1 (devdata/loadtest.py): a throwaway site with
# the production settings and gunicorn.conf.py; 50 members with pauses, then without.
# Change it with LOADTEST_ARGS (e.g. "--members 20 --duration 30", "--workers 5").
LOADTEST_ARGS ?= --members 50 --duration 60 --saturate 20 --targets

loadtest: install
	$(PY) -m devdata.loadtest $(LOADTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

messages: install
	$(PY) manage.py makemessages --locale fr --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --locale fr --ignore '.venv/*'

check-deploy: install
	DEBUG=0 $(PY) manage.py check --deploy --fail-level WARNING

# Backups: var/backups/mentorship-<UTC time>.dump (PostgreSQL) or .sqlite3 (core/backup.py).
# `make restore FILE=var/backups/...` asks before replacing the database (YES=1 does not ask)
# and refuses a database that holds member accounts unless FORCE=1.
backup: install
	$(PY) manage.py backup

restore: install
	@if [ -z "$(FILE)" ]; then echo "Usage: make restore FILE=var/backups/<file> [YES=1] [FORCE=1]" >&2; exit 2; fi
	$(PY) manage.py restore "$(FILE)" $(if $(filter 1,$(YES)),--yes) $(if $(filter 1,$(FORCE)),--force)

clean:
	rm -rf $(VENV) node_modules var/static
