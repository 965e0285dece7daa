# Two entry points for a new machine: `make run` (the app, on the bundled sample) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install browser

$(BIN)/l2c: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/l2c

install: $(BIN)/l2c

run: install
	$(BIN)/l2c ui --sample

# The browser tests drive Debian's Chromium (never a downloaded browser) and screenshot
# Japanese pages: installed once as root (as on CI); a second run finds both and does nothing.
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get
APT_INSTALL := $(APT_GET) install -y --no-install-recommends

browser:
	@test -x /usr/bin/chromium || { test "$$(id -u)" = 0 || { echo "The browser tests need \
	Debian's chromium: run 'make test' as root or 'sudo apt-get install chromium'." >&2; \
	exit 1; }; $(APT_INSTALL) chromium || { $(APT_GET) update && $(APT_INSTALL) chromium; }; }
	@! command -v fc-list >/dev/null || fc-list :lang=ja | grep -q . \
	|| { test "$$(id -u)" = 0 && { $(APT_INSTALL) fonts-noto-cjk \
	|| { $(APT_GET) update && $(APT_INSTALL) fonts-noto-cjk; }; }; } \
	|| echo "No Japanese font (fonts-noto-cjk): the Japanese screenshots show boxes." >&2

test: install browser
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 --durations=10

lint: install
	$(BIN)/ruff check .
