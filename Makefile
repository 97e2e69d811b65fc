# Shutter's everyday commands. `make run` and `make test` work on a fresh checkout with
# nothing but Python >= 3.12 (with its venv module).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check bench seed migrate clean help

help:
	@echo "make run    - install, migrate, seed demo data if empty, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install test requirements and run the whole suite"
	@echo "make lint   - ruff, and a check that every model change has a migration"
	@echo "make seed   - migrate, and fill an empty database with the demo network"
	@echo "make bench  - seed 1,000 users / 10,000 posts into a throwaway database, time the feed reads"

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

test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

bench: $(VENV)/.installed
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media
