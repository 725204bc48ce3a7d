# Klynge: the two commands (make run, make test) and the benchmarks (make bench).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Test processes (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
STAMP := $(VENV)/.installed

.PHONY: run test bench lint setup migrate demo clean messages

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Klynge needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/klynge migrate --noinput
	$(BIN)/klynge compile_translations

demo: migrate
	$(BIN)/klynge demo

run: demo
	$(BIN)/klynge serve 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/klynge compile_translations
	$(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) ; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ] || exit $$rc

bench: migrate
	$(BIN)/python -m bench

messages: setup
	$(BIN)/klynge makemessages -l da --no-obsolete --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" --ignore "*/migrations/*"

clean:
	rm -rf $(VENV) var
