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

.PHONY: run test test-dates install sysdeps lint format bench messages clean services-stop

# Instants the date matrix sets the clock to (tests/clock.py): New Year 00:30, the 1st and the 9th of a
# month, 29 February, New Year's Eve 23:30 in Shanghai, and 31 December 16:30 UTC on a machine whose
# system clock runs in UTC (Shanghai is already in the new year there). Years vary on purpose.
TEST_DATES ?= 2027-01-01T00:30:00+08:00 2026-03-01T09:00:00+08:00 2026-06-09T10:00:00+08:00 \
	2028-02-29T12:00:00+08:00 2026-12-31T23:30:00+08:00 2027-12-31T16:30:00+00:00[UTC]
# `make test` runs the suite a second time at one of them: the day of the year picks which, so a week
# of runs covers them all. `make test TEST_NOW=...` chooses.
TEST_NOW ?= $(word $(shell expr $$(date +%-j) % $(words $(TEST_DATES)) + 1),$(TEST_DATES))

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
	  $(BIN)/pytest -p no:cacheprovider --create-db $(PYTEST_ARGS) && \
	  echo "Again with the clock set to $(TEST_NOW) (picked by the day of the year; make test-dates runs them all)" && \
	  HUBSITE_TEST_NOW="$(TEST_NOW)" $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)'

# The suite without browser and worker tests at every instant of TEST_DATES; it reuses the test
# databases (pytest's --reuse-db) and names the instants that failed.
test-dates: install
	$(TEST_ENV) $(WITH_SERVICES) sh -c '\
	  failed=""; \
	  for instant in $(TEST_DATES); do \
	    echo "== clock set to $$instant"; \
	    HUBSITE_TEST_NOW="$$instant" $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) || failed="$$failed $$instant"; \
	  done; \
	  if [ -n "$$failed" ]; then echo "failed at:$$failed"; exit 1; fi'

bench: install
	DJANGO_SETTINGS_MODULE=hubsite.settings.local $(WITH_SERVICES) $(BIN)/python manage.py bench $(BENCH_ARGS)

# Each app's catalogue is made from its own directory, the project's (templates/, hubsite/) from here.
APPS := partners reports meetings mutualaid training imports
MESSAGE_IGNORES := --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'test-artifacts/*'

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGE_IGNORES) $(foreach app,$(APPS),--ignore '$(app)/*')
	# Our words for Django's and third-party apps' strings are not in our code, so makemessages drops them:
	# they live in hubsite/locale/overrides/ and are merged back (ours first).
	msgcat --use-first -o hubsite/locale/zh_Hans/LC_MESSAGES/django.po hubsite/locale/overrides/zh_Hans.po \
	  hubsite/locale/zh_Hans/LC_MESSAGES/django.po
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
