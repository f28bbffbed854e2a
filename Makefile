# The two commands of the README:
#   make run    set up from nothing but Python 3.11+, load Tilburg and serve the portal
#   make test   run the whole test suite
# Each step says what it does; the first run installs the packages, later runs reuse them.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Real CBS boundaries beside the project, when present; otherwise the demo loader tries PDOK
# and falls back to schematic shapes.
BOUNDARIES ?= $(wildcard ../shared/data)

# The locked versions, each with the hashes of its files for every platform (requirements/,
# written by `make lock` from pyproject.toml): dev.txt for developers and CI, runtime.txt (the
# same versions, without the development tools) for the image.
LOCK_DEV := requirements/dev.txt
LOCK_RUNTIME := requirements/runtime.txt
UV_VERSION := 0.13.9
LOCK_OPTIONS := --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"

.PHONY: run test test-fast install lint messages clean vendor-css vendor-js lock lock-upgrade

$(VENV)/.installed: $(LOCK_DEV) pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV) and installing the locked packages (a minute or two the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK_DEV)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

run: export DJANGO_DEBUG ?= true
run: install
	@echo "==> Compiling the Dutch translations"
	$(BIN)/python manage.py compiletranslations
	@echo "==> Migrating the database (SQLite by default: db.sqlite3)"
	$(BIN)/python manage.py migrate --no-input
	@echo "==> Loading Tilburg: gebiedsteams, wijken, buurten, agendas, pacts, demo accounts"
	$(BIN)/python manage.py load_tilburg --demo-passwords $(if $(BOUNDARIES),--boundaries $(BOUNDARIES),--pdok)
	@echo "==> Serving Wijkportaal at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	@echo "    Demo accounts, one per role: http://$(HOST):$(PORT)/account/inloggen/ (mail appears here)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: export DJANGO_SECRET_KEY ?= only-for-the-test-suite
test: install
	@echo "==> Checking the Dutch translations are complete and compiling them"
	$(BIN)/python manage.py compiletranslations --check
	@echo "==> Lint (ruff)"
	$(BIN)/ruff check .
	@echo "==> Layers: each app imports only the apps below it (import-linter)"
	$(BIN)/lint-imports --no-cache
	@echo "==> Types (mypy with django-stubs)"
	$(BIN)/mypy
	@echo "==> Running the tests$(if $(DATABASE_URL), on $(firstword $(subst :, ,$(DATABASE_URL))), on SQLite)"
	$(BIN)/pytest

# The quick round while working: everything but the browser and worker tests, no type check.
test-fast: export DJANGO_SECRET_KEY ?= only-for-the-test-suite
test-fast: install
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not browser and not worker"

# For developers with GNU gettext: collect new strings into locale/nl/LC_MESSAGES/django.po.
messages: install
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages --locale nl --no-location --no-obsolete \
		--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'bench/*'

# For maintainers with Node.js: fetch the pinned NL Design System CSS into static/vendor/utrecht/
# again (the result is committed; running the portal never needs npm).
vendor-css:
	scripts/vendor-nlds.sh

# For maintainers with Node.js: fetch the pinned Leaflet plugins (Leaflet.markercluster) into
# static/vendor/ again (committed as well).
vendor-js:
	scripts/vendor-leaflet-plugins.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# After a change to the dependencies in pyproject.toml: write the lock files again. Versions
# already locked are kept where they still fit; `make lock-upgrade` takes the newest allowed.
# The runtime lock is resolved within the dev lock, so the image runs the versions CI tested.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_OPTIONS) $(UPGRADE) --quiet -o $(LOCK_DEV)
	$(BIN)/uv pip compile pyproject.toml -c $(LOCK_DEV) $(LOCK_OPTIONS) --quiet -o $(LOCK_RUNTIME)

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

# Benchmarks, run by hand and not part of `make test`: see bench/README.md. With a PostgreSQL
# DATABASE_URL the databases bench_* are made on that server; without one, SQLite files in a
# temporary folder. REDIS_URL: the portal's cache and broker, emptied at each scale. Writes
# docs/performance.md. 1x and 100x: about 15 minutes on a quiet 2-core machine; SCALES="1 10 100" adds 10x.
SCALES ?= 1 100
.PHONY: bench
bench: install
	$(BIN)/python -m bench --scales $(SCALES) $(if $(filter postgres%,$(DATABASE_URL)),--database-url $(DATABASE_URL)) \
		--command '$(if $(filter postgres%,$(DATABASE_URL)),DATABASE_URL=$(DATABASE_URL) )make bench SCALES="$(SCALES)"'
