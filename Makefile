# Werkportaal: `make run` (embedded default) and `make test` (whole suite, real services).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(PY) -m flask --app portal:create_app
HOST   ?= 127.0.0.1
PORT   ?= 5000

FRONTEND := config/frontend
VENDOR   := portal/static/vendor

.PHONY: install run services services-stop services-status run-services test test-fast bench translations clean

$(VENV)/.installed: pyproject.toml config/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c config/constraints.txt -e '.[test]'
	@touch $@

## Web fonts for texts in the candidate's language (Arabic script: Arabic, Farsi, Dari; Ethiopic: Tigrinya).
FONT_FILES := noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff2 \
              noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff2 \
              noto-sans-ethiopic/files/noto-sans-ethiopic-ethiopic-400-normal.woff2 \
              noto-sans-ethiopic/files/noto-sans-ethiopic-ethiopic-700-normal.woff2
## NL Design System CSS (Utrecht component library + design tokens) and the web fonts from npm, served by
## the portal from portal/static/vendor/ (never from a CDN). Without npm the install stops with a clear message.
$(VENDOR)/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: the portal's NL Design System CSS is installed from npm. Install Node.js 18+ with npm (Debian: apt-get install nodejs npm) and run make again." >&2; exit 1; }
	npm ci --prefix $(FRONTEND) --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp $(FRONTEND)/node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht-components.css
	cp $(FRONTEND)/node_modules/@utrecht/design-tokens/dist/theme.css $(VENDOR)/utrecht-tokens.css
	mkdir -p $(VENDOR)/fonts
	cd $(FRONTEND)/node_modules/@fontsource && cp $(FONT_FILES) $(CURDIR)/$(VENDOR)/fonts/
	cp $(FRONTEND)/node_modules/@fontsource/noto-sans-arabic/LICENSE $(VENDOR)/fonts/LICENSE-OFL.txt
	cp $(FRONTEND)/node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui.css
	cp $(FRONTEND)/node_modules/swagger-ui-dist/swagger-ui-bundle.js $(VENDOR)/swagger-ui-bundle.js
	@touch $@

install: $(VENV)/.installed $(VENDOR)/.installed

## The embedded default: SQLite, local file storage, database search, mail log, in-process worker.
run: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "Werkportaal runs at http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT) --no-reload --with-threads

## Local PostgreSQL, Elasticsearch 9, S3-compatible store and SMTP server (see README).
services: install
	$(PY) -m config.services up

services-stop: install
	$(PY) -m config.services down

services-status: install
	$(PY) -m config.services status

## The portal against the local services started by `make services`.
run-services: services
	eval "$$($(PY) -m config.services env)" && \
	export SEARCH_BACKEND=elasticsearch STORAGE_BACKEND=s3 MAIL_BACKEND=smtp && \
	$(FLASK) db upgrade && $(FLASK) demo load && \
	$(FLASK) run --host $(HOST) --port $(PORT) --no-reload --with-threads

## axe-core for the accessibility test (from npm; used by the test only, never served).
tests/a11y/node_modules/.installed: tests/a11y/package.json tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
	@touch $@

## The whole test suite, with every real service it needs (started if not running).
test: services tests/a11y/node_modules/.installed
	eval "$$($(PY) -m config.services env)" && $(PY) -m pytest $(PYTEST_ARGS)

## Without the real services (local development; marked tests skip, or fail under CI=true).
test-fast: install
	$(PY) -m pytest -m "not (postgres or elasticsearch or s3 or smtp or browser)" $(PYTEST_ARGS)

translations: install
	$(VENV)/bin/pybabel extract -F config/babel.cfg -o portal/translations/messages.pot --no-location --omit-header .
	$(VENV)/bin/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(VENDOR) $(FRONTEND)/node_modules instance .pytest_cache test-artifacts
