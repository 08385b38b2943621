# Everyday targets. `make run` and `make test` set up everything they need, and are quick the second time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# WeasyPrint (pango, harfbuzz subsetting), fonts for Latin, Cyrillic, Arabic, Lao and Chinese,
# Chromium for the browser tests, poppler-utils to look at rendered PDFs, wrk for the page benchmark,
# gettext to extract and compile the message catalogues.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk chromium poppler-utils wrk gettext
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test lint fmt worker beat setup system demo bench bench-pages clean

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

setup: system $(VENV)/.installed
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: $(VENV)/.installed
	$(BIN)/celery -A ccm_portal worker --loglevel=info --concurrency=2

beat: $(VENV)/.installed
	$(BIN)/celery -A ccm_portal beat --loglevel=info

clean:
	rm -rf $(VENV) var db.sqlite3

# One invitation to 250 addressees through 2 worker processes; needs the local PostgreSQL and Redis.
bench: system $(VENV)/.installed
	$(BIN)/python bench/dispatch_bench.py

# Requests per second of the pages users wait on, against a 404, with the demo and ten times the data;
# gunicorn on the local PostgreSQL (database ccm_guards_bench, created and dropped). See README.
bench-pages: system $(VENV)/.installed
	$(BIN)/python bench/pages_bench.py
