# Two commands on a fresh machine with Python 3.11:
#   make run   - create .venv, install, migrate, seed, serve http://127.0.0.1:8000/
#                (make run PORT=8080 serves on another port)
#   make test  - install the dev tools too, lint, check import layers, types and
#                declared dependencies, run the whole suite (in parallel;
#                PYTEST_PARALLEL= runs it in one process)
# Both need Node.js 20.19+ with npm, to build the stylesheet (make css).
# The port make run serves on; DJANGO_SITE_URL follows it unless set.
PORT ?= 8000
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# (Not --no-compile: pip's compiled files are the only ones where
# PYTHONDONTWRITEBYTECODE is set, as on these machines - without them each
# process compiles what it imports, and the suite took 68 s longer.)
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock
# The suite runs in parallel (pytest-xdist): two workers more than there are
# cores, at most 8 (each worker has its own test database, Redis database and
# Chromium). The extra workers keep the cores busy while others wait for their
# browsers, servers and outages: on two cores (6 December, headless shell),
# 7 min 11 s of tests on four workers, 7 min 47 s on three, 7 min 41 s on five.
# Tests that share a module-scoped server are kept on one worker (xdist_group).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n + 2 > 8 ? 8 : n + 2 )))
PYTEST_PARALLEL ?= -n $(TEST_WORKERS) --dist loadgroup
# The suite writes Python's compiled files (__pycache__, git-ignored) even where
# the environment says not to (PYTHONDONTWRITEBYTECODE, set on these machines):
# otherwise each worker rewrites and compiles every test module again (8.4 s of
# collection instead of 4.2 s) and each of the suite's many manage.py and
# gunicorn processes compiles the project's modules again.
SUITE_ENV := PYTHONDONTWRITEBYTECODE=
# The stylesheet: assets/scss compiled with the npm packages in package-lock.json,
# stripped of the rules no template uses; rebuilt when a source or template changes.
CSS := assets/build/css/main.css
# (assets/build is the output: its axe.min.js, newer than the stylesheet, once
# made every make test build it again.)
CSS_SOURCES := package-lock.json $(shell find assets templates static/js roles -path assets/build -prune -o -type f \
	\( -name '*.scss' -o -name '*.mjs' -o -name '*.html' -o -name '*.js' -o -name '*.py' \) -print 2>/dev/null)

.PHONY: run test install install-dev css lint typecheck format bench lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==26.3"

$(VENV)/.runtime: $(BIN)/python pyproject.toml requirements.lock
	$(PIP_INSTALL) -e .
	touch $@

# The runtime packages and the dev tools in one pip run (one resolution).
$(VENV)/.dev: $(BIN)/python pyproject.toml requirements.lock
	$(PIP_INSTALL) -e ".[dev]"
	touch $(VENV)/.runtime $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20.19+ and npm (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

$(CSS): node_modules/.package-lock.json $(CSS_SOURCES)
	npm run --silent build

css: $(CSS)
install: $(VENV)/.runtime $(CSS)
install-dev: $(VENV)/.dev $(CSS)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_content
	DJANGO_SITE_URL="$${DJANGO_SITE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/deptry .
	$(SUITE_ENV) $(BIN)/pytest $(PYTEST_PARALLEL)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with the django-stubs plugin over roles/ and config/ ([tool.mypy]).
typecheck: install-dev
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the lock file after changing pyproject.toml: install from
# pyproject.toml alone (the old lock would refuse a changed pin), keeping what
# is installed where it still fits, then write what is installed.
lock: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/pip freeze --exclude-editable --disable-pip-version-check > requirements.lock
	touch $(VENV)/.runtime $(VENV)/.dev

# Figures for speed, size and robustness (not part of make test). Needs wrk.
bench: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.search

clean:
	rm -rf $(VENV) staticfiles assets/build node_modules .pytest_cache .ruff_cache
