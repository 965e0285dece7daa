# Two entry points for a new machine: `make run` (the app, on the bundled sample) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install

$(BIN)/l2c: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/l2c

install: $(BIN)/l2c

run: install
	$(BIN)/l2c ui --sample

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q --durations=10

lint: install
	$(BIN)/ruff check .
