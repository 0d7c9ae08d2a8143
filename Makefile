# backwalk task runner. `make run` and `make test` set everything up from the package registries.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

.PHONY: run run-hosted test lint bench services browser docs engine-js i18n clean lock

LOCK := requirements.lock

# The venv installs exactly the versions in requirements.lock (what the tests passed with);
# `make lock` refreshes the lock after a change to pyproject.toml's dependencies.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev,pdf,hosted]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

## run: start the web app on http://127.0.0.1:8000 (the main job)
run: $(STAMP)
	$(VENV)/bin/backwalk serve

## run-hosted: start hosted mode (accounts, PostgreSQL, Redis) on http://127.0.0.1:8000,
## setting up the database backwalk_hosted first (see docs/hosting.md)
run-hosted: $(STAMP)
	bash scripts/run-hosted.sh

## test: install everything the tests need (PostgreSQL, Chromium, WeasyPrint's libraries,
## axe-core and the FHIR JSON schema) and run them all
test: $(STAMP) $(NODE_STAMP) services
	$(PY) -m pytest

services:
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-redis.sh
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-weasyprint.sh

browser:
	bash scripts/ensure-chromium.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check backwalk tests benchmarks
	$(VENV)/bin/ruff format --check backwalk tests benchmarks
	$(VENV)/bin/mypy

## lock: pin every dependency at the versions installed now (run after changing pyproject.toml)
lock:
	$(PY) -m pip freeze --exclude-editable --all | grep -v '^backwalk' > $(LOCK)

## bench: print the performance figures and ratios the issues ask for
bench: $(STAMP) services
	$(PY) -m benchmarks

## docs: regenerate docs/rulebook.md from the rulebook, and docs/plain-words.md (how hard each
## text is to read) from the rulebook, the pages, the report and the command line
docs: $(STAMP)
	$(VENV)/bin/backwalk rules --markdown > docs/rulebook.md
	$(PY) -m backwalk.plainwords > docs/plain-words.md
	PYTHONPATH=. $(PY) scripts/translation_table.py > docs/translation.md

## engine-js: regenerate the phone's decision engine (backwalk/web/static/js/engine.js) from the rulebook
engine-js: $(STAMP)
	$(PY) -m backwalk.web.enginejs

## i18n: gather every user-facing text (code, templates, the rulebook's texts) and update each
## language's catalogue, backwalk/locale/<lang>/LC_MESSAGES/messages.po: a new English text
## appears untranslated, a changed one fuzzy with its old English beside it (docs/languages.md).
## The app reads the .po files themselves; there is no compile step and no .mo file.
POT := build/messages.pot
i18n: $(STAMP)
	mkdir -p build
	PYTHONPATH=. $(VENV)/bin/pybabel extract --mapping-file babel.cfg --keywords translate_in:2 \
		--add-comments Translators: --sort-by-file --width 100 --project backwalk \
		--omit-header --output-file $(POT) .
	$(VENV)/bin/pybabel update --input-file $(POT) --output-dir backwalk/locale \
		--domain messages --previous --width 100

clean:
	rm -rf $(VENV) node_modules test-artifacts .pytest_cache .mypy_cache .ruff_cache
