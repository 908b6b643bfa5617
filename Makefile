# The README's two commands: `make run` (serve the site with demo content) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py


.PHONY: test-tools
.PHONY: run test install messages makemessages lint format check-gettext clean bench bench-smoke bench-load css

run: install messages css
	$(MANAGE) migrate --noinput
	$(MANAGE) loaddemo
	$(MANAGE) rerender
	$(MANAGE) ensureadmin --site http://127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)/ (the site's own error pages; DEBUG=1 make run for Django's debug pages)"
	$(if $(DEBUG),DJANGO_DEBUG=$(DEBUG) )$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install messages css test-tools
	$(PY) -m pytest $(PYTEST_ARGS)

# The CSS foundation (modern-normalize, pinned in package.json) is copied from node_modules into
# static/css/vendor/ (git-ignored); site.css builds on it. The Dockerfile does the same.
CSS_VENDOR := static/css/vendor/modern-normalize.css

css: $(CSS_VENDOR)

$(CSS_VENDOR): package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "npm is missing (needed for the site's CSS foundation). Install Node.js 20 or newer:"; \
	  echo "Debian/Ubuntu 'apt-get install nodejs npm', Fedora 'dnf install nodejs', macOS 'brew install node'."; \
	  exit 1; }
	@test node_modules/.package-lock.json -nt package-lock.json || npm ci --no-audit --no-fund --silent
	@mkdir -p $(@D)
	cp node_modules/modern-normalize/modern-normalize.css $@

# axe-core (npm) for the accessibility checks of the browser tests; without npm those checks
# are skipped and say so. Browser tests also need Chromium: apt-get install chromium.
test-tools:
	@if command -v npm >/dev/null 2>&1; then \
	  test node_modules/.package-lock.json -nt package-lock.json || npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility checks of the browser tests will be skipped."; fi

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11 or python3 on PATH, or PYTHON=...)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11.")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

check-gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "GNU gettext is missing (msgfmt, needed to compile the interface translations)."; \
	  echo "Install it: Debian/Ubuntu 'apt-get install gettext', Fedora 'dnf install gettext', macOS 'brew install gettext'."; \
	  exit 1; }

# Compile the interface translations (.mo files are built here, never committed).
messages: install check-gettext
	$(MANAGE) compilemessages --ignore=$(VENV) -v0

# Refresh the .po catalogues from the code and templates after changing interface text.
makemessages: install check-gettext
	$(MANAGE) makemessages --no-obsolete --no-location --ignore=$(VENV) --ignore=staticfiles -l zh_Hans -l zh_Hant -l en

# Page speed under gunicorn as ratios to a floor, at 100 and 10,000 guides (bench/run.py).
bench: install messages
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/load.py $(LOAD_ARGS)

# The load section alone: nginx + two nodes + PostgreSQL + Redis on loopback, 64 connections.
bench-load: install messages
	$(PY) bench/load.py $(LOAD_ARGS)

# The harness in a few seconds (20 guides), so it cannot rot; CI runs it.
bench-smoke: install messages
	$(PY) bench/run.py --smoke

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) var staticfiles static/css/vendor
	find . -name '*.mo' -path './locale/*' -delete
