# Two commands on a fresh machine: `make run` serves the demo, `make test` runs every check.
# With DATABASE_URL / REDIS_URL unset, both start an embedded PostgreSQL and Redis under var/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Runs a command with the embedded services up and stops the ones it started, so nothing is left behind.
# Say which settings: importing the hubsite package (Celery app) defaults DJANGO_SETTINGS_MODULE to local,
# and pytest-django prefers that variable to pyproject.toml's setting.
WITH_SERVICES = $(BIN)/python -m hubsite.services run --
TEST_ENV = DJANGO_SETTINGS_MODULE=hubsite.settings.test
# Two processes: the machine has two cores. Override with `make test PYTEST_ARGS=...`.
PYTEST_ARGS ?= -n 2

.PHONY: run test install sysdeps lint format bench messages clean services-stop

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Debian packages for browser tests, PDF fonts and translations: installed when we are root,
# otherwise listed (make test fails then, so browser tests never skip silently; make run only warns).
sysdeps:
	@bash .ci/system-packages

run: install
	@bash .ci/system-packages --warn
	$(BIN)/python -m hubsite.run

test: install sysdeps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(WITH_SERVICES) sh -c '\
	  $(BIN)/python manage.py makemigrations --check --dry-run && \
	  $(BIN)/python manage.py compilemessages --ignore ".venv/*" --ignore "var/*" -v 0 && \
	  $(BIN)/pytest -p no:cacheprovider --create-db $(PYTEST_ARGS)'

bench: install
	DJANGO_SETTINGS_MODULE=hubsite.settings.local $(WITH_SERVICES) $(BIN)/python manage.py bench $(BENCH_ARGS)

# Each app's catalogue is made from its own directory, the project's (templates/, hubsite/) from here.
APPS := partners reports meetings mutualaid
MESSAGE_IGNORES := --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'test-artifacts/*'

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGE_IGNORES) $(foreach app,$(APPS),--ignore '$(app)/*')
	for app in $(APPS); do \
	  mkdir -p $$app/locale && (cd $$app && ../$(BIN)/python ../manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGE_IGNORES)) || exit 1; \
	done
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'var/*'

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

services-stop: install
	$(BIN)/python -m hubsite.services stop

clean: services-stop
	rm -rf var $(VENV)
