# The two commands: `make run` (portal with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench worker beat clean system-packages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The portal on SQLite with demo data; partners reach it on the URL it advertises. DEBUG is off
# (real 404 and 500 pages); WhiteNoise serves the collected static files.
run: export DJANGO_DEBUG ?= false
run: export OCPI_BASE_URL ?= http://$(HOST):$(PORT)
run: export DJANGO_ALLOWED_HOSTS ?= $(HOST),localhost,127.0.0.1
# The demo's invoice mails are written to mail/ instead of the terminal.
run: export DJANGO_EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
run: LAST_MONTH = $(shell date -u -d "$$(date -u +%Y-%m-01) -1 day" +%Y-%m)
run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py demo
	$(PY) manage.py invoice_run --period $(LAST_MONTH)
	$(PY) manage.py runserver $(HOST):$(PORT)

# Tests always run on PostgreSQL (the machine's local server unless DATABASE_URL says otherwise).
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ocpi_portal
# The tests serve the apps' own static files, never a collection `make run` left behind (a stale
# one would style the pages of the browser tests with yesterday's stylesheet).
test: export DJANGO_STATIC_ROOT ?= $(CURDIR)/.test-static-root
test: $(VENV)/.installed system-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(PY) -m pytest -n auto

# What the tests need from the system, installed here when missing and we may (root with
# apt-get): Debian's Chromium for the browser tests (tests/browser), the DejaVu fonts that
# invoice PDFs embed, and HarfBuzz's subsetter, with which WeasyPrint embeds those fonts in
# about half the time (without it, fontTools does it in Python). Elsewhere those tests fail
# saying what to install.
SYSTEM_PACKAGES := chromium fonts-dejavu-core libharfbuzz-subset0
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	[ -z "$$missing" ] || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed
	bash bench/run.sh

# With CELERY_BROKER_URL set: the worker and the scheduler.
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A portal worker -l info

beat: $(VENV)/.installed
	$(PY) manage.py ocpi_schedules
	$(VENV)/bin/celery -A portal beat -l info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media mail .pytest_cache
