# Shutter's everyday commands. `make run` and `make test` work on a fresh checkout with
# nothing but Python >= 3.12 (with its venv module).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint lint-shell check bench seed migrate clean help browser services services-down \
	services-status test-services worker beat stack stack-down \
	stack-status test-stack

help:
	@echo "make run    - install, migrate, seed demo data if empty, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install test requirements and run the whole suite"
	@echo "make lint   - ruff, the layer order (import-linter), and a migration for every model change"
	@echo "make seed   - migrate, and fill an empty database with the demo network"
	@echo "make bench  - the feed at scale (issue 12): seed 100,000 users / 1,000,000 posts / 5,000,000 likes"
	@echo "             on private PostgreSQL + replica + Redis, measure R0-R5 in-process and through the"
	@echo "             production stack, print the table and write it to README.md (BENCH_ARGS=--small, --fresh)"
	@echo "make services / services-down / services-status - private PostgreSQL primary + replica + Redis"
	@echo "make test-services - the suite against real PostgreSQL + replica + Redis + a Celery worker"
	@echo "make worker / beat - a Celery worker / the beat scheduler (needs REDIS_URL)"
	@echo "make stack / stack-down / stack-status - the production stack: nginx, gunicorn, Celery, PgBouncer,"
	@echo "             PostgreSQL primary + replica, Redis on loopback (http://127.0.0.1:58080/)"
	@echo "make test-stack - bring the stack up from nothing, seed it, test it from the outside, tear it down"

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --if-empty

run: seed
	$(PY) manage.py runserver $(HOST):$(PORT)

# Tests marked `services` need the real PostgreSQL/Redis/Celery tier: `make test-services`.
TEST_WORKERS ?= 2
test: $(VENV)/.installed-dev browser
	$(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not services"

# The browser tests drive Debian's Chromium (package `chromium`); this installs it when missing.
browser:
	scripts/install-browser

test-services: $(VENV)/.installed-dev browser
	scripts/test-services

# The production stack from Debian packages (nginx, pgbouncer: installed when missing, as root).
stack: $(VENV)/.installed
	scripts/stack up

stack-down:
	scripts/stack down

stack-status:
	scripts/stack status

test-stack: $(VENV)/.installed-dev browser
	scripts/test-stack

services:
	scripts/services up

services-down:
	scripts/services down

services-status:
	scripts/services status

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker -l info

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat -l info

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Debian package `shellcheck`.
lint-shell:
	shellcheck scripts/services scripts/test-services scripts/stack scripts/test-stack scripts/find-python scripts/install-browser docker/postgres/*.sh

# Not part of `make test`: it runs for minutes (the first time ~10, seeding) on services of its
# own (scripts/services, scripts/stack; as root it installs wrk, nginx and pgbouncer if missing).
BENCH_ARGS ?=
bench: $(VENV)/.installed
	$(PY) scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media
