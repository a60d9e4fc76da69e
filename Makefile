# Two commands on a fresh machine with Python 3.11:
#   make run   - create .venv, install, migrate, seed, serve http://127.0.0.1:8000/
#   make test  - install the dev tools too, lint, run the whole suite
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check \
	--build-constraint build-constraints.txt -c requirements.lock

.PHONY: run test install install-dev lint format bench lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==26.3"

$(VENV)/.runtime: $(BIN)/python pyproject.toml requirements.lock build-constraints.txt
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(PIP_INSTALL) -e ".[dev]"
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_content
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the lock file after changing pyproject.toml.
lock: install-dev
	$(BIN)/pip freeze --exclude-editable --disable-pip-version-check > requirements.lock

# Figures for speed, size and robustness (not part of make test). Needs wrk.
bench: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
